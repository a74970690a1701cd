// The store's state, shared by every handler (the book's ShoppingCart class): which sessions have
// the one book in their cart, and the pages to tell when the inventory changes.
#pragma once

#include <set>
#include <string>
#include <unordered_set>

// A page's WebSocket, told every new inventory count (the book's registered callbacks).
struct InventoryListener {
    virtual void inventory_changed(int count) = 0;

protected:
    ~InventoryListener() = default;
};

class ShoppingCart {
public:
    static constexpr int total_inventory = 10;

    int inventory_count() const { return total_inventory - static_cast<int>(carts_.size()); }

    // One copy per session, while copies are left: returns false when this one was not taken.
    bool move_item_to_cart(const std::string& session) {
        if (carts_.contains(session)) return true;
        if (inventory_count() == 0) return false;
        carts_.insert(session);
        notify_listeners();
        return true;
    }

    void remove_item_from_cart(const std::string& session) {
        if (carts_.erase(session) > 0) notify_listeners();
    }

    void register_listener(InventoryListener* listener) { listeners_.insert(listener); }
    void unregister_listener(InventoryListener* listener) { listeners_.erase(listener); }

private:
    void notify_listeners() {
        for (auto* listener : listeners_) listener->inventory_changed(inventory_count());
    }

    std::set<std::string> carts_;
    std::unordered_set<InventoryListener*> listeners_;
};
