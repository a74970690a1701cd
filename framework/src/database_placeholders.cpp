// database::numbered_placeholders: ? → $1, $2, … for PostgreSQL, in one pass over the SQL.
#include <tornado/database.hpp>

#include "database_backend.hpp"

namespace tornado::database {
namespace {

bool is_identifier_char(char c) {
    auto byte = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
           byte >= 0x80;
}

// Where the quoted text opening at start ends (one past its closing quote, or the end of sql).
// Doubling the quote escapes it; so does a backslash in an E'…' string.
std::size_t end_of_quoted(std::string_view sql, std::size_t start, bool backslash_escapes) {
    char quote = sql[start];
    std::size_t i = start + 1;
    while (i < sql.size()) {
        if (backslash_escapes && sql[i] == '\\') {
            i += 2;
        } else if (sql[i] == quote) {
            if (i + 1 < sql.size() && sql[i + 1] == quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            ++i;
        }
    }
    return sql.size();
}

// Where the /* comment opening at start ends; PostgreSQL's block comments nest.
std::size_t end_of_block_comment(std::string_view sql, std::size_t start) {
    std::size_t depth = 0;
    std::size_t i = start;
    while (i + 1 < sql.size()) {
        if (sql[i] == '/' && sql[i + 1] == '*') {
            ++depth;
            i += 2;
        } else if (sql[i] == '*' && sql[i + 1] == '/') {
            i += 2;
            if (--depth == 0) return i;
        } else {
            ++i;
        }
    }
    return sql.size();
}

// The length of the dollar-quote tag ($$ or $name$) opening at start, or 0 when there is none
// ($1 is a parameter, not a tag: a tag does not start with a digit).
std::size_t dollar_tag_length(std::string_view sql, std::size_t start) {
    std::size_t i = start + 1;
    if (i < sql.size() && sql[i] >= '0' && sql[i] <= '9') return 0;
    while (i < sql.size() && sql[i] != '$' && is_identifier_char(sql[i])) ++i;
    return i < sql.size() && sql[i] == '$' ? i + 1 - start : 0;
}

}  // namespace

std::string numbered_placeholders(std::string_view sql) {
    std::size_t count = 0;
    return detail::numbered_placeholders(sql, count);
}

std::string detail::numbered_placeholders(std::string_view sql, std::size_t& count) {
    std::string numbered;
    numbered.reserve(sql.size() + sql.size() / 8);
    count = 0;
    std::size_t i = 0;
    while (i < sql.size()) {
        char c = sql[i];
        bool after_identifier = i > 0 && is_identifier_char(sql[i - 1]);
        std::size_t end = i + 1;  // the end of what is copied unchanged
        if (c == '\'') {
            bool escape_string = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                                 (i < 2 || !is_identifier_char(sql[i - 2]));
            end = end_of_quoted(sql, i, escape_string);
        } else if (c == '"') {
            end = end_of_quoted(sql, i, false);
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            end = sql.find('\n', i);
            end = end == std::string_view::npos ? sql.size() : end;
        } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
            end = end_of_block_comment(sql, i);
        } else if (c == '$' && !after_identifier) {
            if (auto tag_length = dollar_tag_length(sql, i)) {
                auto close = sql.find(sql.substr(i, tag_length), i + tag_length);
                end = close == std::string_view::npos ? sql.size() : close + tag_length;
            }
        } else if (c == '?') {
            numbered += '$';
            numbered += std::to_string(++count);
            ++i;
            continue;
        }
        numbered.append(sql.substr(i, end - i));
        i = end;
    }
    return numbered;
}

}  // namespace tornado::database
