// The HTTP client's max_clients limit: a request takes a slot before it starts, waiting in a
// first-come queue while every slot is busy. Private to the library.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <utility>

namespace tornado::httpclient::detail {

class ClientSlots {
public:
    explicit ClientSlots(std::size_t max_clients) : max_clients_(max_clients == 0 ? 1 : max_clients) {}

    // A slot held until destroyed, when it goes to the first request waiting.
    class Slot {
    public:
        explicit Slot(ClientSlots* owner) : owner_(owner) {}
        Slot(Slot&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
        Slot& operator=(Slot&&) = delete;
        ~Slot() {
            if (owner_) owner_->release();
        }

    private:
        ClientSlots* owner_;
    };

    // A slot, or HTTPQueueTimeoutError once timeout passed in the queue. The ClientSlots must
    // outlive the slot.
    asio::awaitable<Slot> acquire(std::chrono::duration<double> timeout);
    std::size_t max_clients() const { return max_clients_; }

private:
    struct Waiter {
        explicit Waiter(const asio::any_io_executor& executor) : timer(executor) {}
        asio::steady_timer timer;  // wakes the waiter: cancelled when granted, expiring at its timeout
        bool granted = false;
    };
    void release();

    std::size_t max_clients_;
    std::size_t busy_ = 0;
    std::list<std::shared_ptr<Waiter>> waiters_;
};

}  // namespace tornado::httpclient::detail
