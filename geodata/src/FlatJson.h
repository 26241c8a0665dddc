#pragma once

#include <QByteArray>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ut {

// A JSON document read in one pass into one array of nodes: numbers converted, strings viewing the text
// (decoded copies only where they hold escapes), the children of an array or object contiguous. Object
// members come sorted by key, as QJsonObject iterates them.
struct FlatJson {
    struct Node {
        enum class Kind : std::uint8_t { Null, False, True, Number, String, Array, Object };
        Kind kind = Kind::Null;
        std::uint32_t first = 0;  // array, object: index of the first child (objects: key, value, key, value …)
        std::uint32_t size = 0;   // array: elements; object: members
        double number = 0.0;
        std::string_view text;  // string: its value; array, object: its JSON text

        bool isNumber() const { return kind == Kind::Number; }
        bool isString() const { return kind == Kind::String; }
        bool isArray() const { return kind == Kind::Array; }
        bool isObject() const { return kind == Kind::Object; }
    };

    std::vector<Node> nodes;
    Node root;
    std::deque<std::string> decoded;  // strings with escapes, and the Qt fallback's strings

    // The elements of an array (empty for anything else).
    std::span<const Node> elements(const Node& array) const;
    // An object's member by key, or a null node.
    const Node& member(const Node& object, std::string_view key) const;
    // An object's members as key, value, key, value … (empty for anything else).
    std::span<const Node> members(const Node& object) const;
    // Element i of an array, or a null node.
    const Node& at(const Node& array, std::size_t i) const;
};

// Reads text into json. False for anything it does not take in — invalid JSON, but also duplicate keys,
// numbers out of double range, lone surrogates, keys outside the Basic Multilingual Plane, nesting deeper
// than 512 — where QJsonDocument has the last word (flatJsonFromQt).
bool readFlatJson(std::string_view text, FlatJson& json);

// The same tree from QJsonDocument (errors as QJsonParseError gives them): offset and message.
struct FlatJsonError {
    qsizetype offset = 0;
    std::string message;
};
bool flatJsonFromQt(const QByteArray& text, FlatJson& json, FlatJsonError& error);

}  // namespace ut
