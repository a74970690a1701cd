// bench/c10k's floor: the least a single-threaded Asio server must do to hold long polls and answer
// them, with no framework — the cart's three answers hand-written, a 128-byte read buffer per
// connection (allocated), callbacks instead of coroutines, the parked connections in an intrusive list. It
// gives the figures no server on this machine can beat (the kernel's share of memory and time),
// to read tornado-cpp's figures against. Not a web server: it understands exactly the requests
// bench/c10k_client sends (GET /cart/status, POST /cart with a Content-Length body), answers any
// other request 404, and closes the connection on a request larger than 4 KB.
//
//   long_poll_floor --port=P [--logging=…, ignored: bench/c10k passes it to every server]
#include <asio.hpp>

#include <charconv>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace {

using asio::ip::tcp;

struct Store {
    int inventory = 10;
    struct Connection* parked = nullptr;  // the long polls waiting for a change
};

struct Connection : std::enable_shared_from_this<Connection> {
    Connection(tcp::socket s, Store& st) : socket(std::move(s)), store(st) {}

    tcp::socket socket;
    Store& store;
    std::string buffer = std::string(128, '\0');  // grows for a larger request (the event's)
    std::size_t filled = 0;
    bool parked = false;
    Connection* next = nullptr;
    Connection* previous = nullptr;

    void read() {
        socket.async_read_some(asio::buffer(buffer.data() + filled, buffer.size() - filled),
                               [self = shared_from_this()](std::error_code error, std::size_t length) {
                                   if (error) return self->leave();
                                   self->filled += length;
                                   self->on_input();
                               });
    }

    void on_input() {
        std::string_view input(buffer.data(), filled);
        auto head_end = input.find("\r\n\r\n");
        if (head_end == std::string_view::npos) return grow_and_read();
        auto head = input.substr(0, head_end + 4);
        if (head.starts_with("GET /cart/status ")) {
            filled = 0;
            return park();
        }
        if (!head.starts_with("POST /cart ")) {
            filled = 0;
            send("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            return read();
        }
        std::size_t body_length = 0;
        auto field = head.find("Content-Length: ");
        if (field != std::string_view::npos) std::from_chars(head.data() + field + 16, head.data() + head.size(), body_length);
        if (filled < head.size() + body_length) return grow_and_read();
        filled = 0;
        --store.inventory;
        send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        read();
        answer_parked(store);
    }

    void grow_and_read() {
        if (filled < buffer.size()) return read();
        if (buffer.size() >= 4096) return leave();
        buffer.resize(buffer.size() * 2);
        read();
    }

    // Waits for a change while watching for the client leaving; the wait keeps it alive.
    void park() {
        parked = true;
        next = store.parked;
        if (next) next->previous = this;
        store.parked = this;
        socket.async_wait(tcp::socket::wait_read, [self = shared_from_this()](std::error_code) {
            if (self->parked) self->leave();  // the client left (or sent more) while waiting
        });
    }

    void unpark() {
        if (previous) previous->next = next;
        else store.parked = next;
        if (next) next->previous = previous;
        next = previous = nullptr;
        parked = false;
    }

    void leave() {
        std::error_code ignored;
        socket.close(ignored);
        if (parked) unpark();
    }

    void send(std::string_view response) {
        std::error_code error;
        asio::write(socket, asio::buffer(response), error);  // small: the socket takes it at once
        if (error) leave();
    }

    static void answer_parked(Store& store) {
        char body[64];
        int body_length = std::snprintf(body, sizeof body, "{\"inventoryCount\": \"%d\"}", store.inventory);
        char response[160];
        int length = std::snprintf(response, sizeof response,
                                   "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=UTF-8\r\n"
                                   "Content-Length: %d\r\n\r\n%s", body_length, body);
        while (auto* connection = store.parked) {
            connection->unpark();
            std::error_code ignored;
            connection->socket.cancel(ignored);  // the wait for leaving ends, and is ignored
            connection->send(std::string_view(response, static_cast<std::size_t>(length)));
            connection->read();
        }
    }
};

void accept(tcp::acceptor& acceptor, Store& store) {
    acceptor.async_accept([&acceptor, &store](std::error_code error, tcp::socket socket) {
        if (!error) {
            socket.set_option(tcp::no_delay(true));
            std::make_shared<Connection>(std::move(socket), store)->read();
        }
        accept(acceptor, store);
    });
}

}  // namespace

int main(int argc, char** argv) {
    unsigned port = 0;
    for (int i = 1; i < argc; ++i) {
        std::string_view argument = argv[i];
        if (argument.starts_with("--logging=")) continue;
        if (!argument.starts_with("--port=") ||
            std::from_chars(argument.data() + 7, argument.data() + argument.size(), port).ec != std::errc()) {
            port = 0;
            break;
        }
    }
    if (port == 0 || port > 65535) {
        std::fprintf(stderr, "usage: long_poll_floor --port=P [--logging=…]\n");
        return 2;
    }
    asio::io_context context(1);
    tcp::acceptor acceptor(context, tcp::endpoint(tcp::v4(), static_cast<unsigned short>(port)));
    Store store;
    accept(acceptor, store);
    context.run();
}
