// A CA and a certificate for "localhost" that it signed, made with the openssl CLI in a temporary
// directory, for tests of TLS clients against a server that presents the certificate.
#pragma once

#include "temp_dir.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

struct TestCertificates {
    TestCertificates() {
        auto dir = directory.path.string();
        auto run = [](const std::string& command) {
            if (std::system((command + " 2>/dev/null >/dev/null").c_str()) != 0) {
                throw std::runtime_error("failed: " + command);
            }
        };
        std::ofstream(dir + "/server.ext") << "subjectAltName=DNS:localhost\n";
        auto ec_key = std::string(" -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes");
        run("openssl req -x509" + ec_key + " -keyout " + dir + "/ca.key -out " + ca +
            " -days 2 -subj /CN=tornado-test-CA -addext basicConstraints=critical,CA:TRUE"
            " -addext keyUsage=critical,keyCertSign");
        run("openssl req" + ec_key + " -keyout " + key + " -out " + dir + "/server.csr -subj /CN=localhost");
        run("openssl x509 -req -in " + dir + "/server.csr -CA " + ca + " -CAkey " + dir +
            "/ca.key -CAcreateserial -days 2 -out " + certificate + " -extfile " + dir + "/server.ext");
    }
    TempDir directory;
    std::string ca = directory.path.string() + "/ca.pem";  // the CA's certificate, to trust
    std::string key = directory.path.string() + "/server.key";
    std::string certificate = directory.path.string() + "/server.pem";  // for localhost only
};
