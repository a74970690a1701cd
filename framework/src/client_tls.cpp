#include "client_tls.hpp"

#include "tornado/httpclient.hpp"

namespace tornado::httpclient::detail {

std::shared_ptr<asio::ssl::context> make_tls_context(bool validate_cert, const std::string& ca_certs) {
    auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                         asio::ssl::context::no_tlsv1_1);
    if (!validate_cert) {
        context->set_verify_mode(asio::ssl::verify_none);
        return context;
    }
    context->set_verify_mode(asio::ssl::verify_peer);
    std::error_code error;
    if (ca_certs.empty()) context->set_default_verify_paths(error);
    else context->load_verify_file(ca_certs, error);
    if (error) {
        throw HTTPNetworkError("cannot load the trusted certificates" +
                               (ca_certs.empty() ? std::string() : " from " + ca_certs) + ": " + error.message());
    }
    return context;
}

}  // namespace tornado::httpclient::detail
