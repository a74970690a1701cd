// How url<H> reads a handler class: it finds H's HTTP methods (and open, prepare,
// get_current_user), checks at compile time that the framework can call them, and calls them
// with the route's captures. Part of web.hpp, which includes it at its end; nothing here is for
// handler code.
#pragma once

#include "../web.hpp"
#include "recycling_allocator.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace tornado::web::detail {

enum class Method : std::uint8_t { GET, HEAD, POST, DELETE, PATCH, PUT, OPTIONS };
inline constexpr std::array<std::string_view, 7> method_names{"GET",   "HEAD", "POST",   "DELETE",
                                                              "PATCH", "PUT",  "OPTIONS"};
std::optional<Method> parse_method(std::string_view name);

// What is left of a request once the handler's plain steps have run: nothing, or a coroutine.
using MethodResult = std::optional<asio::awaitable<void>>;

// Creates handlers of one class and runs their steps; URLSpec checks its route against arity.
class HandlerFactory {
public:
    virtual ~HandlerFactory() = default;
    virtual std::shared_ptr<RequestHandler> create() const = 0;
    // The steps of a request that the handler class declares, after the XSRF check:
    // get_current_user when it is a coroutine, prepare, then the HTTP method. While they are
    // plain functions they run here; from the first coroutine on, the rest is returned.
    virtual MethodResult run(RequestHandler& handler, Method method) const = 0;
    // The handler's get_current_user() when it is a plain function; null otherwise.
    virtual nlohmann::json current_user(RequestHandler& handler) const = 0;
    // Calls the handler's open() with the route's captures (a WebSocketHandler's, once its
    // connection is open); the coroutine to await when open is one.
    virtual MethodResult open(RequestHandler& handler) const = 0;

    // How many arguments each HTTP method takes; absent when the handler has none for a verb.
    std::array<std::optional<std::size_t>, method_names.size()> arity{};
    // Set when the handler declares open() (WebSocketHandler's): the captures go to open, and
    // the HTTP methods take none.
    std::optional<std::size_t> open_arity;
};

// --- what a method pointer says about the method ---

template <class Pointer>
struct MethodTraits {
    static constexpr bool member_function = false;
};
template <class Class, class Result, class... Args>
struct MethodTraits<Result (Class::*)(Args...)> {
    static constexpr bool member_function = true;
    static constexpr bool is_const = false;
    using result = Result;
    static constexpr std::size_t arity = sizeof...(Args);
    static constexpr bool takes_text = (std::is_constructible_v<Args, const std::string&> && ...);
};
template <class Class, class Result, class... Args>
struct MethodTraits<Result (Class::*)(Args...) noexcept> : MethodTraits<Result (Class::*)(Args...)> {};
template <class Class, class Result, class... Args>
struct MethodTraits<Result (Class::*)(Args...) const> : MethodTraits<Result (Class::*)(Args...)> {
    static constexpr bool is_const = true;
};
template <class Class, class Result, class... Args>
struct MethodTraits<Result (Class::*)(Args...) const noexcept> : MethodTraits<Result (Class::*)(Args...) const> {};

template <class Result>
inline constexpr bool is_handler_result = std::is_void_v<Result> || std::is_same_v<Result, asio::awaitable<void>>;

// --- finding the methods ---

// A member of each name that may take route captures. Naming it in a class derived from H and
// from one of these is ambiguous exactly when H has a member of that name, whatever its access
// or overloads: so url<H> sees a get it cannot call, and says why. (A final H cannot be derived
// from; then only a get url<H> can name is seen.)
struct NamesGet { int get; };
struct NamesHead { int head; };
struct NamesPost { int post; };
struct NamesDelete { int delete_; };
struct NamesPatch { int patch; };
struct NamesPut { int put; };
struct NamesOptions { int options; };
struct NamesOpen { int open; };
template <class H, class Name>
struct NameProbe : H, Name {};

// Member<H, M>::declared: H has a member for M (an HTTP verb, or open for Open); callable: the
// framework can name it (public, one overload); pointer(): that member.
struct Open {};
template <class H, auto M>
struct Member {
    static constexpr bool declared = false, callable = false;
};
template <class H>
    requires(!std::is_final_v<H> && !requires { &NameProbe<H, NamesGet>::get; }) || requires { &H::get; }
struct Member<H, Method::GET> {
    static constexpr bool declared = true, callable = requires { &H::get; };
    static constexpr auto pointer() { return &H::get; }
};
template <class H>
    requires(!std::is_final_v<H> && !requires { &NameProbe<H, NamesHead>::head; }) || requires { &H::head; }
struct Member<H, Method::HEAD> {
    static constexpr bool declared = true, callable = requires { &H::head; };
    static constexpr auto pointer() { return &H::head; }
};
template <class H>
    requires(!std::is_final_v<H> && !requires { &NameProbe<H, NamesPost>::post; }) || requires { &H::post; }
struct Member<H, Method::POST> {
    static constexpr bool declared = true, callable = requires { &H::post; };
    static constexpr auto pointer() { return &H::post; }
};
// delete is a C++ keyword: DELETE's method is delete_.
template <class H>
    requires(!std::is_final_v<H> && !requires { &NameProbe<H, NamesDelete>::delete_; }) || requires { &H::delete_; }
struct Member<H, Method::DELETE> {
    static constexpr bool declared = true, callable = requires { &H::delete_; };
    static constexpr auto pointer() { return &H::delete_; }
};
template <class H>
    requires(!std::is_final_v<H> && !requires { &NameProbe<H, NamesPatch>::patch; }) || requires { &H::patch; }
struct Member<H, Method::PATCH> {
    static constexpr bool declared = true, callable = requires { &H::patch; };
    static constexpr auto pointer() { return &H::patch; }
};
template <class H>
    requires(!std::is_final_v<H> && !requires { &NameProbe<H, NamesPut>::put; }) || requires { &H::put; }
struct Member<H, Method::PUT> {
    static constexpr bool declared = true, callable = requires { &H::put; };
    static constexpr auto pointer() { return &H::put; }
};
template <class H>
    requires(!std::is_final_v<H> && !requires { &NameProbe<H, NamesOptions>::options; }) || requires { &H::options; }
struct Member<H, Method::OPTIONS> {
    static constexpr bool declared = true, callable = requires { &H::options; };
    static constexpr auto pointer() { return &H::options; }
};
template <class H>
    requires(!std::is_final_v<H> && !requires { &NameProbe<H, NamesOpen>::open; }) || requires { &H::open; }
struct Member<H, Open{}> {
    static constexpr bool declared = true, callable = requires { &H::open; };
    static constexpr auto pointer() { return &H::open; }
};

// The compile-time checks of one member that takes route captures; true when it passes them.
// The messages cannot name the method; the compiler's "required from" lines below them do
// (Member<YourHandler, Method::GET>).
template <class M>
consteval bool check_capture_method() {
    if constexpr (M::declared) {
        static_assert(M::callable,
                      "url<Handler>: the framework cannot call this handler method (get, head, post, delete_, patch, "
                      "put, options or open): it must be public, and declared once (not overloaded)");
        if constexpr (M::callable) {
            using Traits = MethodTraits<decltype(M::pointer())>;
            static_assert(Traits::member_function,
                          "url<Handler>: get, head, post, delete_, patch, put, options and open are the handler's "
                          "HTTP methods (and WebSocket open): a member of one of these names must be a non-static "
                          "member function");
            if constexpr (Traits::member_function) {
                static_assert(!Traits::is_const,
                              "url<Handler>: a handler method must not be const: it writes the response");
                static_assert(is_handler_result<typename Traits::result>,
                              "url<Handler>: a handler method returns void or asio::awaitable<void>");
                static_assert(Traits::takes_text,
                              "url<Handler>: a handler method's parameters receive the route's captures, which are "
                              "text: each must be constructible from std::string (std::string, const std::string&, "
                              "std::string_view)");
            }
        }
    }
    return true;
}

// Whether the framework calls member M: it exists and passed the checks (failed ones stop the
// build with their message; usable keeps them from piling up errors of their own).
template <class M>
consteval bool usable() {
    if constexpr (M::callable) {
        using Traits = MethodTraits<decltype(M::pointer())>;
        if constexpr (Traits::member_function) {
            return !Traits::is_const && is_handler_result<typename Traits::result> && Traits::takes_text;
        }
    }
    return false;
}

template <class M>
constexpr std::optional<std::size_t> arity_of() {
    if constexpr (usable<M>()) {
        return MethodTraits<decltype(M::pointer())>::arity;
    } else {
        return std::nullopt;
    }
}

// --- prepare and get_current_user: a plain function or a coroutine ---

template <class H>
consteval bool check_entry_points() {
    constexpr bool prepare_callable = requires(H& handler) { handler.prepare(); };
    static_assert(prepare_callable, "url<Handler>: the handler's prepare() must be public and take no arguments");
    if constexpr (prepare_callable) {
        static_assert(is_handler_result<decltype(std::declval<H&>().prepare())>,
                      "url<Handler>: prepare() returns void or asio::awaitable<void>");
    }
    constexpr bool user_callable = requires(H& handler) { handler.get_current_user(); };
    static_assert(user_callable,
                  "url<Handler>: the handler's get_current_user() must be public and take no arguments");
    if constexpr (user_callable) {
        using Result = decltype(std::declval<H&>().get_current_user());
        static_assert(std::is_same_v<Result, nlohmann::json> || std::is_same_v<Result, asio::awaitable<nlohmann::json>>,
                      "url<Handler>: get_current_user() returns nlohmann::json or asio::awaitable<nlohmann::json>");
    }
    return true;
}

template <class H>
concept prepare_is_coroutine = std::is_same_v<decltype(std::declval<H&>().prepare()), asio::awaitable<void>>;
template <class H>
concept current_user_is_coroutine =
    std::is_same_v<decltype(std::declval<H&>().get_current_user()), asio::awaitable<nlohmann::json>>;

// --- the factory of one handler class ---

template <class Handler, class... InitArgs>
class HandlerFactoryFor final : public HandlerFactory {
    using Verbs = std::make_index_sequence<method_names.size()>;
    template <std::size_t I>
    using Verb = Member<Handler, static_cast<Method>(I)>;

    static constexpr bool checked = []<std::size_t... I>(std::index_sequence<I...>) {
        return (check_capture_method<Verb<I>>() && ...) && check_capture_method<Member<Handler, Open{}>>() &&
               check_entry_points<Handler>();
    }(Verbs{});
    static_assert(checked);
    static constexpr bool verbs_take_no_captures = []<std::size_t... I>(std::index_sequence<I...>) {
        return ((arity_of<Verb<I>>().value_or(0) == 0) && ...);
    }(Verbs{});
    static_assert(!Member<Handler, Open{}>::declared || verbs_take_no_captures,
                  "url<Handler>: a handler with open() receives the route's captures there; its HTTP methods take "
                  "no parameters");

public:
    explicit HandlerFactoryFor(InitArgs... args) : init_args_(std::move(args)...) {
        [this]<std::size_t... I>(std::index_sequence<I...>) { ((arity[I] = arity_of<Verb<I>>()), ...); }(Verbs{});
        open_arity = arity_of<Member<Handler, Open{}>>();
    }

    std::shared_ptr<RequestHandler> create() const override {
        auto handler = std::allocate_shared<Handler>(tornado::detail::RecyclingAllocator<Handler>());
        if constexpr (sizeof...(InitArgs) > 0) {
            std::apply([&](const auto&... args) { handler->initialize(args...); }, init_args_);
        }
        return handler;
    }

    MethodResult run(RequestHandler& base, Method method) const override {
        auto& handler = static_cast<Handler&>(base);
        if constexpr (current_user_is_coroutine<Handler> || prepare_is_coroutine<Handler>) {
            return run_steps(handler, method);
        } else {
            // The plain path: no coroutine frame unless the HTTP method is a coroutine itself.
            handler.prepare();
            if (handler.finished()) return std::nullopt;
            return call(handler, method);
        }
    }

    nlohmann::json current_user(RequestHandler& base) const override {
        if constexpr (current_user_is_coroutine<Handler>) {
            return nullptr;  // awaited by run_steps before prepare
        } else {
            return static_cast<Handler&>(base).get_current_user();
        }
    }

    MethodResult open(RequestHandler& base) const override {
        return call_verb<Member<Handler, Open{}>>(static_cast<Handler&>(base));
    }

private:
    static asio::awaitable<void> run_steps(Handler& handler, Method method) {
        if constexpr (current_user_is_coroutine<Handler>) handler.set_current_user(co_await handler.get_current_user());
        if constexpr (prepare_is_coroutine<Handler>) {
            co_await handler.prepare();
        } else {
            handler.prepare();
        }
        if (handler.finished()) co_return;
        if (auto rest = call(handler, method)) co_await std::move(*rest);
    }

    static MethodResult call(Handler& handler, Method method) {
        MethodResult result;
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((static_cast<std::size_t>(method) == I ? void(result = call_verb<Verb<I>>(handler)) : void()), ...);
        }(Verbs{});
        return result;
    }

    // Calls the verb with the route's captures, (handler.*get)(capture(0), capture(1), …).
    template <class M>
    static MethodResult call_verb(Handler& handler) {
        if constexpr (usable<M>()) {
            constexpr auto method = M::pointer();
            using Traits = MethodTraits<std::remove_const_t<decltype(method)>>;
            return [&]<std::size_t... I>(std::index_sequence<I...>) -> MethodResult {
                if constexpr (std::is_void_v<typename Traits::result>) {
                    (handler.*method)(handler.capture(I)...);
                    return std::nullopt;
                } else {
                    return (handler.*method)(handler.capture(I)...);
                }
            }(std::make_index_sequence<Traits::arity>{});
        } else {
            return std::nullopt;  // a verb without a method is answered 405 before; a handler without open has none
        }
    }

    std::tuple<InitArgs...> init_args_;
};

}  // namespace tornado::web::detail

namespace tornado::web {

template <class Handler, class... InitArgs>
URLSpec url(std::string pattern, InitArgs&&... args) {
    static_assert(std::is_base_of_v<RequestHandler, Handler>, "a handler derives from tornado::web::RequestHandler");
    auto factory = std::make_shared<const detail::HandlerFactoryFor<Handler, std::decay_t<InitArgs>...>>(
        std::forward<InitArgs>(args)...);
    return URLSpec(std::move(pattern), std::move(factory));
}

}  // namespace tornado::web
