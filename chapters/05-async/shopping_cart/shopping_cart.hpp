// The store's state, shared by every handler (the book's ShoppingCart class): which sessions have
// the one book in their cart, and the requests waiting for the inventory to change.
#pragma once

#include <tornado/locks.hpp>

#include <set>
#include <string>

class ShoppingCart {
public:
    static constexpr int total_inventory = 10;

    int inventory_count() const { return total_inventory - static_cast<int>(carts_.size()); }

    // One copy per session, while copies are left: returns false when this one was not taken.
    bool move_item_to_cart(const std::string& session) {
        if (carts_.contains(session)) return true;
        if (inventory_count() == 0) return false;
        carts_.insert(session);
        changed_.notify_all();
        return true;
    }

    void remove_item_from_cart(const std::string& session) {
        if (carts_.erase(session) > 0) changed_.notify_all();
    }

    // Resumes once the inventory changes. A waiting request whose client leaves is cancelled
    // and leaves the queue at once (the book's unregister, done by the framework).
    asio::awaitable<bool> wait_for_change() { return changed_.wait(); }

private:
    std::set<std::string> carts_;
    tornado::locks::Condition changed_;
};
