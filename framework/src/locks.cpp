// Event and Condition. A wait parks its coroutine's completion handler in the Condition's queue
// (linked in place, so it leaves in constant time however it ends) and resumes it through the
// coroutine's executor. Only a wait with a timeout has a timer; a long poll parks nothing else.
#include "tornado/locks.hpp"

#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/execution.hpp>
#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>

#include <memory>
#include <utility>

namespace tornado::locks {

namespace {
struct ParkedWaits;
}

// A parked wait. It ends once (done): notified, timed out, cancelled, or its Condition
// destroyed. It is deleted once it ended and its timer, if any, has called back, or when its
// loop is destroyed with it still parked (its coroutine goes with the loop, as any operation's).
struct Condition::Waiter {
    Waiter(const Waiter&) = delete;
    Waiter& operator=(const Waiter&) = delete;
    virtual ~Waiter();

    // Ends the wait: the coroutine resumes later, from its executor, with error (it throws) or
    // with notified as the result of wait().
    void end(std::error_code error, bool notified) {
        done = true;
        if (timer) timer->cancel();
        resume(error, notified);
        if (!timer_pending) delete this;
    }

    void leave_queue() {
        if (condition) condition->unlist(this);
    }

    Condition* condition = nullptr;  // while in its queue
    Waiter* previous = nullptr;
    Waiter* next = nullptr;
    ParkedWaits* registry = nullptr;  // of its loop
    Waiter* registry_previous = nullptr;
    Waiter* registry_next = nullptr;
    std::unique_ptr<asio::steady_timer> timer;  // only for a wait with a timeout
    bool timer_pending = false;
    bool done = false;

protected:
    Waiter() = default;
    virtual void resume(std::error_code error, bool notified) = 0;
};

namespace {
// Every wait parked by the coroutines of one loop. When the loop is destroyed, its waits are
// dropped with their coroutines, as asio drops its own pending operations.
struct ParkedWaits final : asio::execution_context::service {
    static inline asio::execution_context::id id;
    explicit ParkedWaits(asio::execution_context& context) : service(context) {}

    void add(Condition::Waiter* waiter) {
        waiter->registry = this;
        waiter->registry_next = first;
        if (first) first->registry_previous = waiter;
        first = waiter;
    }

    void remove(Condition::Waiter* waiter) {
        if (waiter->registry_previous) waiter->registry_previous->registry_next = waiter->registry_next;
        else first = waiter->registry_next;
        if (waiter->registry_next) waiter->registry_next->registry_previous = waiter->registry_previous;
    }

    void shutdown() override {
        while (first) {
            auto* waiter = first;
            waiter->leave_queue();
            delete waiter;  // unregisters it
        }
    }

    Condition::Waiter* first = nullptr;
};
}  // namespace

Condition::Waiter::~Waiter() { registry->remove(this); }

template <typename Handler>
struct Condition::WaiterFor final : Waiter {
    explicit WaiterFor(Handler h)
        : handler(std::move(h)),
          // Counted as the loop's outstanding work, as an operation in progress is.
          executor(asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked)) {}

    // Dropped with its loop, never resumed: the coroutine's cancellation must not reach it.
    ~WaiterFor() override {
        if (done) return;
        if (auto slot = asio::get_associated_cancellation_slot(handler); slot.is_connected()) slot.clear();
    }

    // Called by asio's cancellation of the waiting coroutine: the wait leaves at once.
    struct Cancellation {
        WaiterFor* waiter;
        void operator()(asio::cancellation_type_t) const {
            waiter->leave_queue();
            waiter->end(asio::error::operation_aborted, false);  // destroys this handler too
        }
    };

    void resume(std::error_code error, bool notified) override {
        // The slot's handler points here: it goes first (when cancelling, it is the caller and
        // touches nothing after this).
        if (auto slot = asio::get_associated_cancellation_slot(handler); slot.is_connected()) slot.clear();
        asio::post(executor, [handler = std::move(handler), error, notified]() mutable {
            std::move(handler)(error, notified);
        });
    }

    Handler handler;
    asio::any_io_executor executor;
};

struct Condition::Initiation {
    Condition* condition;

    template <typename Handler>
    void operator()(Handler handler, std::optional<Duration> timeout) const {
        auto* waiter = new WaiterFor<Handler>(std::move(handler));
        asio::use_service<ParkedWaits>(asio::query(waiter->executor, asio::execution::context)).add(waiter);
        condition->enlist(waiter);
        if (auto slot = asio::get_associated_cancellation_slot(waiter->handler); slot.is_connected()) {
            slot.template emplace<typename WaiterFor<Handler>::Cancellation>(waiter);
        }
        if (!timeout) return;
        waiter->timer = std::make_unique<asio::steady_timer>(waiter->executor, *timeout);
        waiter->timer_pending = true;
        waiter->timer->async_wait([waiter](std::error_code) {
            waiter->timer_pending = false;
            if (waiter->done) {
                delete waiter;
                return;
            }
            waiter->leave_queue();
            waiter->end({}, false);
        });
    }
};

Condition::Condition() = default;

Condition::~Condition() {
    while (first_) {
        auto* waiter = first_;
        unlist(waiter);
        waiter->end({}, false);
    }
}

std::size_t Condition::waiters() const { return count_; }

void Condition::enlist(Waiter* waiter) {
    waiter->condition = this;
    waiter->previous = last_;
    if (last_) last_->next = waiter;
    else first_ = waiter;
    last_ = waiter;
    ++count_;
}

void Condition::unlist(Waiter* waiter) {
    if (waiter->previous) waiter->previous->next = waiter->next;
    else first_ = waiter->next;
    if (waiter->next) waiter->next->previous = waiter->previous;
    else last_ = waiter->previous;
    waiter->condition = nullptr;
    waiter->previous = waiter->next = nullptr;
    --count_;
}

asio::awaitable<bool> Condition::wait(std::optional<Duration> timeout) {
    return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::error_code, bool)>(
        Initiation{this}, asio::use_awaitable, timeout);
}

void Condition::notify(int n) {
    for (; n > 0 && first_; --n) {
        auto* waiter = first_;
        unlist(waiter);
        waiter->end({}, true);
    }
}

void Condition::notify_all() { notify(static_cast<int>(count_)); }

void Event::set() {
    if (value_) return;
    value_ = true;
    condition_.notify_all();
}

asio::awaitable<bool> Event::wait(std::optional<Duration> timeout) {
    if (value_) co_return true;
    co_return co_await condition_.wait(timeout);
}

}  // namespace tornado::locks
