// The radix tree behind AddressSpace (address_space.hpp).
#include <fs/address_space.hpp>
#include <lib/string.hpp>
#include <mm/gfp.hpp>
#include <mm/page.hpp>
#include <mm/slab.hpp>

bool PageQuota::charge(uint64_t n) {
    uint64_t used_now = used.load(MemoryOrder::Relaxed);
    do {
        if (n > limit || used_now > limit - n) return false;
    } while (!used.compare_exchange(used_now, used_now + n, MemoryOrder::Relaxed));
    return true;
}

// The slot that holds (or would hold) the page for `index`; creates the path to it when asked.
void** AddressSpace::slot_for(uint64_t index, bool create, bool* nomem) {
    if (index >= capacity(height_)) {
        if (!create) return nullptr;
        // Grow: the old tree becomes child 0 of a new root until `index` fits.
        while (index >= capacity(height_)) {
            if (!root_) {
                height_++;
                continue;
            }
            auto* node = static_cast<Node*>(kzalloc(sizeof(Node)));
            if (!node) {
                *nomem = true;
                return nullptr;
            }
            node->slots[0] = root_;
            root_ = node;
            height_++;
        }
    }
    void** slot = &root_;
    for (unsigned level = height_; level > 0; level--) {
        if (!*slot) {
            if (!create) return nullptr;
            *slot = kzalloc(sizeof(Node));
            if (!*slot) {
                *nomem = true;
                return nullptr;
            }
        }
        unsigned shift = (level - 1) * kFanoutShift;
        slot = &static_cast<Node*>(*slot)->slots[(index >> shift) & (kFanout - 1)];
    }
    return slot;
}

Page* AddressSpace::find_get_page(uint64_t index) {
    FsMutexGuard guard(lock_);
    bool nomem = false;
    void** slot = slot_for(index, false, &nomem);
    if (!slot || !*slot) return nullptr;
    Page* page = static_cast<Page*>(*slot);
    get_page(page);
    return page;
}

Result<Page*> AddressSpace::find_or_create_page(uint64_t index) {
    if (index > kMaxIndex) return Errno::EFBIG;
    FsMutexGuard guard(lock_);
    bool nomem = false;
    void** slot = slot_for(index, true, &nomem);
    if (!slot) return Errno::ENOMEM;
    if (!*slot) {
        if (quota_ && !quota_->charge(1)) return Errno::ENOSPC;
        Page* page = alloc_pages(GFP_KERNEL | GFP_ZERO, 0);
        if (!page) {
            if (quota_) quota_->uncharge(1);
            return Errno::ENOMEM;
        }
        *slot = page;  // the cache's reference
        nr_pages_++;
    }
    Page* page = static_cast<Page*>(*slot);
    get_page(page);
    return page;
}

// Drops the pages with index >= first under `node`, which covers [base, base + capacity(level)) (at
// level 0 it is a Page). Frees child nodes that end up empty; *now_empty says whether `node` did.
uint64_t AddressSpace::prune(void* node, unsigned level, uint64_t base, uint64_t first, bool* now_empty) {
    if (level == 0) {
        put_page(static_cast<Page*>(node));  // the cache's reference
        *now_empty = true;
        return 1;
    }
    auto* n = static_cast<Node*>(node);
    uint64_t span = capacity(level - 1);
    uint64_t dropped = 0;
    bool empty = true;
    for (unsigned i = 0; i < kFanout; i++) {
        if (!n->slots[i]) continue;
        uint64_t child_base = base + i * span;
        if (child_base + span <= first) {  // wholly below the cut
            empty = false;
            continue;
        }
        bool child_empty;
        dropped += prune(n->slots[i], level - 1, child_base, first, &child_empty);
        if (child_empty) {
            if (level - 1 > 0) kfree(n->slots[i]);
            n->slots[i] = nullptr;
        } else {
            empty = false;
        }
    }
    *now_empty = empty;
    return dropped;
}

uint64_t AddressSpace::truncate_pages(uint64_t first) {
    FsMutexGuard guard(lock_);
    if (!root_ || first >= capacity(height_)) return 0;
    bool empty;
    uint64_t dropped = prune(root_, height_, 0, first, &empty);
    if (empty) {
        if (height_ > 0) kfree(root_);
        root_ = nullptr;
        height_ = 0;
    }
    nr_pages_ -= dropped;
    if (quota_) quota_->uncharge(dropped);
    return dropped;
}

uint64_t AddressSpace::next_present_in(void* node, unsigned level, uint64_t base, uint64_t index) {
    if (level == 0) return base;
    auto* n = static_cast<Node*>(node);
    uint64_t span = capacity(level - 1);
    for (unsigned i = 0; i < kFanout; i++) {
        if (!n->slots[i]) continue;
        uint64_t child_base = base + i * span;
        if (child_base + span <= index) continue;
        uint64_t found = next_present_in(n->slots[i], level - 1, child_base, index);
        if (found != UINT64_MAX) return found;
    }
    return UINT64_MAX;
}

uint64_t AddressSpace::next_present(uint64_t index) {
    FsMutexGuard guard(lock_);
    if (!root_ || index >= capacity(height_)) return UINT64_MAX;
    return next_present_in(root_, height_, 0, index);
}
