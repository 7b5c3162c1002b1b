#pragma once
// Intrusive doubly linked list.
//
// An object that lives on a list embeds a ListNode; the list never allocates. A node that is on no list
// points at itself (prev == next == this), so `linked()` is one compare and unlinking twice is harmless.
// The list head is a sentinel ListNode: the list is circular through it, which removes every "first or
// last element?" branch from insertion and removal.
//
// Ownership rule: a node is on at most one list through a given ListNode member. Removal must go through
// the list the node is on (IntrusiveList::remove), because the list keeps an element count.
//
// Lists are neither copyable nor movable: the head's neighbours point at its address.
#include <stddef.h>
#include <stdint.h>

struct ListNode {
    ListNode* prev;
    ListNode* next;

    // constexpr so that global lists are constant-initialised (usable before constructors run).
    constexpr ListNode() : prev(this), next(this) {}
    ListNode(const ListNode&) = delete;
    ListNode& operator=(const ListNode&) = delete;

    bool linked() const { return next != this; }
};

// Byte offset of a data member, from its pointer-to-member. Under the Itanium C++ ABI (used by the kernel
// and by the host) a pointer to data member is represented as exactly that offset, so reading its bits
// avoids the undefined "member of a null object" trick and stays quiet under UBSan, even for classes with
// virtual functions.
template <class T, class M>
inline ptrdiff_t member_offset(M T::*member) {
    static_assert(sizeof(member) == sizeof(ptrdiff_t), "expects the Itanium data-member-pointer layout");
    return __builtin_bit_cast(ptrdiff_t, member);
}

// container_of: from a pointer to a member back to the object that contains it.
//   Thread* t = container_of(node, &Thread::run_node);
template <class T, class M>
inline T* container_of(M* member_ptr, M T::*member) {
    return reinterpret_cast<T*>(reinterpret_cast<char*>(member_ptr) - member_offset(member));
}
template <class T, class M>
inline const T* container_of(const M* member_ptr, M T::*member) {
    return reinterpret_cast<const T*>(reinterpret_cast<const char*>(member_ptr) - member_offset(member));
}

template <class T, ListNode T::*Member>
class IntrusiveList {
public:
    class Iterator {
    public:
        Iterator() = default;
        explicit Iterator(ListNode* node) : node_(node) {}
        T& operator*() const { return *owner(node_); }
        T* operator->() const { return owner(node_); }
        Iterator& operator++() {
            node_ = node_->next;
            return *this;
        }
        Iterator operator++(int) {
            Iterator old = *this;
            node_ = node_->next;
            return old;
        }
        Iterator& operator--() {
            node_ = node_->prev;
            return *this;
        }
        bool operator==(const Iterator& other) const { return node_ == other.node_; }
        bool operator!=(const Iterator& other) const { return node_ != other.node_; }
        ListNode* node() const { return node_; }

    private:
        ListNode* node_ = nullptr;
    };

    constexpr IntrusiveList() = default;
    IntrusiveList(const IntrusiveList&) = delete;
    IntrusiveList& operator=(const IntrusiveList&) = delete;

    bool empty() const { return head_.next == &head_; }
    size_t size() const { return count_; }

    T* front() const { return empty() ? nullptr : owner(head_.next); }
    T* back() const { return empty() ? nullptr : owner(head_.prev); }

    void push_front(T& item) { link_between(node_of(item), &head_, head_.next); }
    void push_back(T& item) { link_between(node_of(item), head_.prev, &head_); }

    // `pos` must be on this list; `item` must be on no list.
    void insert_before(T& pos, T& item) {
        ListNode* p = node_of(pos);
        link_between(node_of(item), p->prev, p);
    }
    void insert_after(T& pos, T& item) {
        ListNode* p = node_of(pos);
        link_between(node_of(item), p, p->next);
    }

    // `item` must be on this list. Afterwards it is unlinked (self-linked) again.
    void remove(T& item) { unlink(node_of(item)); }

    T* pop_front() {
        if (empty()) return nullptr;
        ListNode* n = head_.next;
        unlink(n);
        return owner(n);
    }
    T* pop_back() {
        if (empty()) return nullptr;
        ListNode* n = head_.prev;
        unlink(n);
        return owner(n);
    }

    // Moves every element of `other` to the end of this list, keeping their order; `other` ends empty.
    void splice_back(IntrusiveList& other) {
        if (other.empty()) return;
        ListNode* first = other.head_.next;
        ListNode* last = other.head_.prev;
        ListNode* tail = head_.prev;
        tail->next = first;
        first->prev = tail;
        last->next = &head_;
        head_.prev = last;
        count_ += other.count_;
        other.head_.next = other.head_.prev = &other.head_;
        other.count_ = 0;
    }

    // Ordinary iteration. Do not remove the current element inside a range-for; use for_each_safe or
    // the `it = erase(it)` idiom instead.
    Iterator begin() const { return Iterator(head_.next); }
    Iterator end() const { return Iterator(const_cast<ListNode*>(&head_)); }
    Iterator iterator_to(T& item) const { return Iterator(node_of(item)); }

    // Removes the element at `it` and returns an iterator to the one after it.
    Iterator erase(Iterator it) {
        ListNode* next = it.node()->next;
        unlink(it.node());
        return Iterator(next);
    }

    // Calls fn(T&) for each element. The successor is fetched before the call, so fn may remove (or
    // move to another list) the element it was given — but no other element.
    template <class Fn>
    void for_each_safe(Fn&& fn) {
        ListNode* n = head_.next;
        while (n != &head_) {
            ListNode* next = n->next;
            fn(*owner(n));
            n = next;
        }
    }

    // Removes and returns the first element for which pred(const T&) holds, or nullptr.
    template <class Pred>
    T* remove_first_if(Pred&& pred) {
        for (ListNode* n = head_.next; n != &head_; n = n->next) {
            if (pred(*owner(n))) {
                unlink(n);
                return owner(n);
            }
        }
        return nullptr;
    }

    bool contains(const T& item) const {
        for (const ListNode* n = head_.next; n != &head_; n = n->next)
            if (n == &(item.*Member)) return true;
        return false;
    }

    static ListNode* node_of(T& item) { return &(item.*Member); }
    static T* owner(ListNode* node) { return container_of(node, Member); }

private:
    void link_between(ListNode* n, ListNode* prev, ListNode* next) {
        n->prev = prev;
        n->next = next;
        prev->next = n;
        next->prev = n;
        ++count_;
    }
    void unlink(ListNode* n) {
        n->prev->next = n->next;
        n->next->prev = n->prev;
        n->prev = n->next = n;
        --count_;
    }

    ListNode head_;
    size_t count_ = 0;
};
