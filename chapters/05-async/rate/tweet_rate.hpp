// What both rate samples (rate, rate_blocking) do around the fetch: the search URL, the rate of
// the posts from the first and last timestamps, and the book's page.
#pragma once

#include <tornado/tornado.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string>

inline std::string search_url(const std::string& api, const std::string& query) {
    return api + "?q=" + tornado::escape::url_escape(query) + "&result_type=recent&rpp=100";
}

// The old API's created_at ("Sun, 29 Nov 2026 17:20:00 +0000") as seconds since the epoch.
inline std::time_t parse_created_at(const std::string& text) {
    std::tm utc{};
    if (!strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S +0000", &utc))
        throw tornado::web::HTTPError(502, "the search API sent created_at " + text);
    return timegm(&utc);
}

// Posts per second over the time the results span (newest first, as the API sends them).
inline double tweets_per_second(const nlohmann::json& body) {
    const auto& results = body.at("results");
    if (results.empty()) return 0;
    auto newest = parse_created_at(results.front().at("created_at"));
    auto oldest = parse_created_at(results.back().at("created_at"));
    return static_cast<double>(results.size()) / std::max(1.0, std::difftime(newest, oldest));
}

// The book's page; the query is escaped (the book writes it into the HTML as it came).
inline std::string rate_page(const std::string& query, double rate) {
    char figure[32];
    std::snprintf(figure, sizeof figure, "%.2f", rate);
    return "<div style=\"text-align: center\">\n"
           "    <div style=\"font-size: 72px\">" + tornado::escape::xhtml_escape(query) + "</div>\n"
           "    <div style=\"font-size: 144px\">" + figure + "</div>\n"
           "    <div style=\"font-size: 24px\">tweets per second</div>\n"
           "</div>\n";
}
