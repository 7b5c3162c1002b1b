// Red-black tree algorithms. See lib/rbtree.hpp for the invariants and the augmentation contract.
//
// Missing children are nullptr and count as black. During erase the "extra black" that a removed black
// node leaves behind sits on `child`, which may be nullptr, so the fixup carries its parent explicitly.
#include <lib/rbtree.hpp>

RbNode* RbRoot::last() const {
    RbNode* n = root;
    if (!n) return nullptr;
    while (n->right) n = n->right;
    return n;
}

RbNode* RbRoot::next(const RbNode* node) {
    if (node->right) {
        RbNode* n = node->right;
        while (n->left) n = n->left;
        return n;
    }
    // Climb until we arrive from a left child: that parent is the first larger node.
    RbNode* parent = node->parent();
    while (parent && node == parent->right) {
        node = parent;
        parent = parent->parent();
    }
    return parent;
}

RbNode* RbRoot::prev(const RbNode* node) {
    if (node->left) {
        RbNode* n = node->left;
        while (n->right) n = n->right;
        return n;
    }
    RbNode* parent = node->parent();
    while (parent && node == parent->left) {
        node = parent;
        parent = parent->parent();
    }
    return parent;
}

void RbRoot::change_child(RbNode* old_child, RbNode* new_child, RbNode* parent) {
    if (!parent)
        root = new_child;
    else if (parent->left == old_child)
        parent->left = new_child;
    else
        parent->right = new_child;
}

// x's right child y takes x's place; x becomes y's left child. Colours stay with their nodes.
void RbRoot::rotate_left(RbNode* x, const RbAugmentOps* aug) {
    RbNode* y = x->right;
    RbNode* parent = x->parent();
    x->right = y->left;
    if (y->left) y->left->set_parent(x);
    y->left = x;
    change_child(x, y, parent);
    y->set_parent(parent);
    x->set_parent(y);
    if (aug) aug->rotate(x, y);
}

void RbRoot::rotate_right(RbNode* x, const RbAugmentOps* aug) {
    RbNode* y = x->left;
    RbNode* parent = x->parent();
    x->left = y->right;
    if (y->right) y->right->set_parent(x);
    y->right = x;
    change_child(x, y, parent);
    y->set_parent(parent);
    x->set_parent(y);
    if (aug) aug->rotate(x, y);
}

void RbRoot::insert_fixup(RbNode* node, bool is_leftmost, const RbAugmentOps* aug) {
    if (is_leftmost) leftmost = node;
    if (aug) aug->propagate(node, nullptr);

    // `node` is red. The only invariant that can be broken is "no red node has a red parent", and only
    // between node and its parent; each iteration either fixes it or moves it two levels up.
    for (;;) {
        RbNode* parent = node->parent();
        if (!parent) {
            node->set_colour(RbNode::kBlack);  // the root is always black
            return;
        }
        if (parent->is_black()) return;
        // A red parent is never the root, so the grandparent exists (and is black).
        RbNode* gparent = parent->parent();
        bool parent_is_left = parent == gparent->left;
        RbNode* uncle = parent_is_left ? gparent->right : gparent->left;
        if (uncle && uncle->is_red()) {
            // Push the grandparent's blackness down to both children; black heights are unchanged but
            // the grandparent may now be a red child of a red node.
            parent->set_colour(RbNode::kBlack);
            uncle->set_colour(RbNode::kBlack);
            gparent->set_colour(RbNode::kRed);
            node = gparent;
            continue;
        }
        // Black uncle: one or two rotations make the middle of (node, parent, gparent) the black top of
        // the subtree, with the other two as its red children.
        if (parent_is_left) {
            if (node == parent->right) {
                rotate_left(parent, aug);
                parent = node;
            }
            rotate_right(gparent, aug);
        } else {
            if (node == parent->left) {
                rotate_right(parent, aug);
                parent = node;
            }
            rotate_left(gparent, aug);
        }
        parent->set_colour(RbNode::kBlack);
        gparent->set_colour(RbNode::kRed);
        return;
    }
}

void RbRoot::erase(RbNode* node, const RbAugmentOps* aug) {
    if (node == leftmost) leftmost = next(node);

    RbNode* child;          // takes the place of the node physically removed from its position
    RbNode* parent;         // child's parent after the removal
    uintptr_t removed_colour;

    if (!node->left || !node->right) {
        // At most one child: splice node out.
        child = node->left ? node->left : node->right;
        parent = node->parent();
        removed_colour = node->parent_colour & 1;
        change_child(node, child, parent);
        if (child) child->set_parent(parent);
        if (aug && parent) aug->propagate(parent, nullptr);
    } else {
        // Two children: the in-order successor (leftmost of the right subtree, which has no left child)
        // moves into node's position and takes node's colour; the colour lost is the successor's.
        RbNode* succ = node->right;
        while (succ->left) succ = succ->left;
        removed_colour = succ->parent_colour & 1;
        child = succ->right;
        if (succ == node->right) {
            parent = succ;
        } else {
            parent = succ->parent();
            parent->left = child;
            if (child) child->set_parent(parent);
            succ->right = node->right;
            node->right->set_parent(succ);
        }
        succ->left = node->left;
        node->left->set_parent(succ);
        RbNode* node_parent = node->parent();
        change_child(node, succ, node_parent);
        succ->set_parent_colour(node_parent, node->parent_colour & 1);
        if (aug) {
            aug->copy(node, succ);
            // First the path from the successor's old parent up to (not including) succ, then succ and
            // everything above it, so each recomputation sees correct children.
            if (parent != succ) aug->propagate(parent, succ);
            aug->propagate(succ, nullptr);
        }
    }

    if (removed_colour == RbNode::kBlack) erase_fixup(child, parent, aug);
    node->clear();
}

// `x` (possibly nullptr) carries one extra black: paths through it are one black short. Either make x
// black (if it is red), or move the deficit up, or rotate it away using the sibling.
void RbRoot::erase_fixup(RbNode* x, RbNode* parent, const RbAugmentOps* aug) {
    while (x != root && (!x || x->is_black())) {
        // x is short a black, so its sibling's subtree has black height >= 1: the sibling exists.
        if (x == parent->left) {
            RbNode* sib = parent->right;
            if (sib->is_red()) {
                // Make the sibling black by rotating it above parent; x's new sibling is black.
                sib->set_colour(RbNode::kBlack);
                parent->set_colour(RbNode::kRed);
                rotate_left(parent, aug);
                sib = parent->right;
            }
            bool near_black = !sib->left || sib->left->is_black();
            bool far_black = !sib->right || sib->right->is_black();
            if (near_black && far_black) {
                // Remove one black from the sibling's side too; the deficit moves to parent.
                sib->set_colour(RbNode::kRed);
                x = parent;
                parent = x->parent();
                continue;
            }
            if (far_black) {
                // Make the far nephew red so the final rotation can use it.
                sib->left->set_colour(RbNode::kBlack);
                sib->set_colour(RbNode::kRed);
                rotate_right(sib, aug);
                sib = parent->right;
            }
            sib->set_colour(parent->parent_colour & 1);
            parent->set_colour(RbNode::kBlack);
            sib->right->set_colour(RbNode::kBlack);
            rotate_left(parent, aug);
            x = root;
            break;
        } else {
            RbNode* sib = parent->left;
            if (sib->is_red()) {
                sib->set_colour(RbNode::kBlack);
                parent->set_colour(RbNode::kRed);
                rotate_right(parent, aug);
                sib = parent->left;
            }
            bool near_black = !sib->right || sib->right->is_black();
            bool far_black = !sib->left || sib->left->is_black();
            if (near_black && far_black) {
                sib->set_colour(RbNode::kRed);
                x = parent;
                parent = x->parent();
                continue;
            }
            if (far_black) {
                sib->right->set_colour(RbNode::kBlack);
                sib->set_colour(RbNode::kRed);
                rotate_left(sib, aug);
                sib = parent->left;
            }
            sib->set_colour(parent->parent_colour & 1);
            parent->set_colour(RbNode::kBlack);
            sib->left->set_colour(RbNode::kBlack);
            rotate_right(parent, aug);
            x = root;
            break;
        }
    }
    if (x) x->set_colour(RbNode::kBlack);
}

void RbRoot::replace(RbNode* victim, RbNode* replacement) {
    RbNode* parent = victim->parent();
    change_child(victim, replacement, parent);
    if (victim->left) victim->left->set_parent(replacement);
    if (victim->right) victim->right->set_parent(replacement);
    replacement->parent_colour = victim->parent_colour;
    replacement->left = victim->left;
    replacement->right = victim->right;
    if (leftmost == victim) leftmost = replacement;
    victim->clear();
}
