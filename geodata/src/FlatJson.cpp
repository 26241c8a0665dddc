#include "FlatJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <algorithm>
#include <charconv>

namespace ut {

namespace {

const FlatJson::Node kNull;
constexpr int kMaxDepth = 512;

class Reader {
public:
    Reader(std::string_view text, FlatJson& json) : m_at(text.data()), m_end(text.data() + text.size()), m_json(json) {}

    bool read() {
        m_json.nodes.clear();
        m_json.decoded.clear();
        skipSpace();
        if (m_at == m_end || (*m_at != '{' && *m_at != '[') || !value(m_json.root, 0)) return false;
        skipSpace();
        return m_at == m_end;
    }

private:
    using Node = FlatJson::Node;

    void skipSpace() {
        while (m_at < m_end && (*m_at == ' ' || *m_at == '\n' || *m_at == '\r' || *m_at == '\t')) ++m_at;
    }

    bool literal(std::string_view word) {
        if (static_cast<std::size_t>(m_end - m_at) < word.size() || std::string_view(m_at, word.size()) != word) return false;
        m_at += word.size();
        return true;
    }

    bool value(Node& out, int depth) {
        if (m_at == m_end) return false;
        switch (*m_at) {
            case '{': return object(out, depth + 1);
            case '[': return array(out, depth + 1);
            case '"': out.kind = Node::Kind::String; return string(out.text);
            case 't': out.kind = Node::Kind::True; return literal("true");
            case 'f': out.kind = Node::Kind::False; return literal("false");
            case 'n': out.kind = Node::Kind::Null; return literal("null");
            default: out.kind = Node::Kind::Number; return number(out.number);
        }
    }

    static bool isDigit(char c) { return c >= '0' && c <= '9'; }

    bool number(double& out) {
        const char* start = m_at;
        const char* p = m_at;
        if (p < m_end && *p == '-') ++p;
        if (p == m_end || !isDigit(*p)) return false;
        if (*p == '0') {
            ++p;
        } else {
            while (p < m_end && isDigit(*p)) ++p;
        }
        if (p < m_end && *p == '.') {
            ++p;
            if (p == m_end || !isDigit(*p)) return false;
            while (p < m_end && isDigit(*p)) ++p;
        }
        if (p < m_end && (*p == 'e' || *p == 'E')) {
            ++p;
            if (p < m_end && (*p == '+' || *p == '-')) ++p;
            if (p == m_end || !isDigit(*p)) return false;
            while (p < m_end && isDigit(*p)) ++p;
        }
        const auto [next, error] = std::from_chars(start, p, out);
        m_at = p;
        return error == std::errc() && next == p;
    }

    // Length of the UTF-8 sequence at p (not a surrogate, not overlong, at most U+10FFFF), 0 when invalid.
    std::size_t utf8Length(const char* p) const {
        const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(p[i]); };
        const auto continuation = [&](std::size_t i) { return p + i < m_end && (byte(i) & 0xC0) == 0x80; };
        const unsigned char lead = byte(0);
        if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
        if (lead >= 0xE0 && lead <= 0xEF) {
            if (!continuation(1) || !continuation(2)) return 0;
            if (lead == 0xE0 && byte(1) < 0xA0) return 0;
            if (lead == 0xED && byte(1) >= 0xA0) return 0;
            return 3;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
            if (lead == 0xF0 && byte(1) < 0x90) return 0;
            if (lead == 0xF4 && byte(1) >= 0x90) return 0;
            return 4;
        }
        return 0;
    }

    bool hex4(unsigned& out) {
        if (m_end - m_at < 4) return false;
        out = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = *m_at++;
            out <<= 4;
            if (isDigit(c)) out |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') out |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') out |= static_cast<unsigned>(c - 'A' + 10);
            else return false;
        }
        return true;
    }

    static void appendUtf8(std::string& out, unsigned code) {
        if (code < 0x80) {
            out += static_cast<char>(code);
        } else if (code < 0x800) {
            out += static_cast<char>(0xC0 | (code >> 6));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else if (code < 0x10000) {
            out += static_cast<char>(0xE0 | (code >> 12));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (code >> 18));
            out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        }
    }

    // At the opening quote.
    bool string(std::string_view& out) {
        const char* start = ++m_at;
        while (m_at < m_end) {
            const auto c = static_cast<unsigned char>(*m_at);
            if (c == '"') {
                out = std::string_view(start, static_cast<std::size_t>(m_at - start));
                ++m_at;
                return true;
            }
            if (c == '\\') return escapedString(start, out);
            if (c < 0x20) return false;
            if (c < 0x80) {
                ++m_at;
                continue;
            }
            const std::size_t length = utf8Length(m_at);
            if (length == 0) return false;
            m_at += length;
        }
        return false;
    }

    bool escapedString(const char* start, std::string_view& out) {
        std::string& text = m_json.decoded.emplace_back(start, static_cast<std::size_t>(m_at - start));
        while (m_at < m_end) {
            const auto c = static_cast<unsigned char>(*m_at);
            if (c == '"') {
                ++m_at;
                out = text;
                return true;
            }
            if (c < 0x20) return false;
            if (c >= 0x80) {
                const std::size_t length = utf8Length(m_at);
                if (length == 0) return false;
                text.append(m_at, length);
                m_at += length;
                continue;
            }
            ++m_at;
            if (c != '\\') {
                text += static_cast<char>(c);
                continue;
            }
            if (m_at == m_end) return false;
            switch (*m_at++) {
                case '"': text += '"'; break;
                case '\\': text += '\\'; break;
                case '/': text += '/'; break;
                case 'b': text += '\b'; break;
                case 'f': text += '\f'; break;
                case 'n': text += '\n'; break;
                case 'r': text += '\r'; break;
                case 't': text += '\t'; break;
                case 'u': {
                    unsigned code = 0;
                    if (!hex4(code)) return false;
                    if (code >= 0xDC00 && code <= 0xDFFF) return false;
                    if (code >= 0xD800 && code <= 0xDBFF) {
                        unsigned low = 0;
                        if (!literal("\\u") || !hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    }
                    if (code == 0) return false;
                    appendUtf8(text, code);
                    break;
                }
                default: return false;
            }
        }
        return false;
    }

    bool array(Node& out, int depth) {
        if (depth > kMaxDepth) return false;
        const char* start = m_at++;
        const std::size_t mark = m_pending.size();
        skipSpace();
        if (m_at < m_end && *m_at == ']') {
            ++m_at;
        } else {
            for (;;) {
                Node element;
                if (!value(element, depth)) return false;
                m_pending.push_back(element);
                skipSpace();
                if (m_at == m_end) return false;
                if (*m_at == ']') {
                    ++m_at;
                    break;
                }
                if (*m_at != ',') return false;
                ++m_at;
                skipSpace();
            }
        }
        out.kind = Node::Kind::Array;
        out.first = static_cast<std::uint32_t>(m_json.nodes.size());
        out.size = static_cast<std::uint32_t>(m_pending.size() - mark);
        out.text = std::string_view(start, static_cast<std::size_t>(m_at - start));
        m_json.nodes.insert(m_json.nodes.end(), m_pending.begin() + static_cast<std::ptrdiff_t>(mark), m_pending.end());
        m_pending.resize(mark);
        return true;
    }

    bool object(Node& out, int depth) {
        if (depth > kMaxDepth) return false;
        const char* start = m_at++;
        const std::size_t mark = m_pending.size();
        skipSpace();
        if (m_at < m_end && *m_at == '}') {
            ++m_at;
        } else {
            for (;;) {
                Node key;
                key.kind = Node::Kind::String;
                if (m_at == m_end || *m_at != '"' || !string(key.text)) return false;
                // Keys beyond the BMP would sort differently in UTF-16 (QJsonObject's order).
                if (std::any_of(key.text.begin(), key.text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xF0; }))
                    return false;
                skipSpace();
                if (m_at == m_end || *m_at != ':') return false;
                ++m_at;
                skipSpace();
                Node member;
                if (!value(member, depth)) return false;
                m_pending.push_back(key);
                m_pending.push_back(member);
                skipSpace();
                if (m_at == m_end) return false;
                if (*m_at == '}') {
                    ++m_at;
                    break;
                }
                if (*m_at != ',') return false;
                ++m_at;
                skipSpace();
            }
        }
        const std::size_t count = (m_pending.size() - mark) / 2;
        m_order.resize(count);
        for (std::size_t i = 0; i < count; ++i) m_order[i] = static_cast<std::uint32_t>(mark + 2 * i);
        const bool sorted = std::is_sorted(m_order.begin(), m_order.end(),
                                           [&](std::uint32_t a, std::uint32_t b) { return m_pending[a].text < m_pending[b].text; });
        if (!sorted) {
            std::sort(m_order.begin(), m_order.end(),
                      [&](std::uint32_t a, std::uint32_t b) { return m_pending[a].text < m_pending[b].text; });
        }
        for (std::size_t i = 1; i < count; ++i)
            if (m_pending[m_order[i - 1]].text == m_pending[m_order[i]].text) return false;  // duplicate key
        out.kind = Node::Kind::Object;
        out.first = static_cast<std::uint32_t>(m_json.nodes.size());
        out.size = static_cast<std::uint32_t>(count);
        out.text = std::string_view(start, static_cast<std::size_t>(m_at - start));
        if (sorted) {
            m_json.nodes.insert(m_json.nodes.end(), m_pending.begin() + static_cast<std::ptrdiff_t>(mark), m_pending.end());
        } else {
            for (std::uint32_t i : m_order) {
                m_json.nodes.push_back(m_pending[i]);
                m_json.nodes.push_back(m_pending[i + 1]);
            }
        }
        m_pending.resize(mark);
        return true;
    }

    const char* m_at;
    const char* m_end;
    FlatJson& m_json;
    std::vector<Node> m_pending;  // children of the containers being read
    std::vector<std::uint32_t> m_order;
};

FlatJson::Node fromQt(const QJsonValue& value, FlatJson& json) {
    FlatJson::Node node;
    using Kind = FlatJson::Node::Kind;
    const auto keep = [&](const QByteArray& bytes) { return std::string_view(json.decoded.emplace_back(bytes.toStdString())); };
    switch (value.type()) {
        case QJsonValue::Bool: node.kind = value.toBool() ? Kind::True : Kind::False; break;
        case QJsonValue::Double:
            node.kind = Kind::Number;
            node.number = value.toDouble();
            break;
        case QJsonValue::String:
            node.kind = Kind::String;
            node.text = keep(value.toString().toUtf8());
            break;
        case QJsonValue::Array: {
            const QJsonArray array = value.toArray();
            std::vector<FlatJson::Node> children;
            children.reserve(static_cast<std::size_t>(array.size()));
            for (const QJsonValue& element : array) children.push_back(fromQt(element, json));
            node.kind = Kind::Array;
            node.first = static_cast<std::uint32_t>(json.nodes.size());
            node.size = static_cast<std::uint32_t>(children.size());
            node.text = keep(QJsonDocument(array).toJson(QJsonDocument::Compact));
            json.nodes.insert(json.nodes.end(), children.begin(), children.end());
            break;
        }
        case QJsonValue::Object: {
            const QJsonObject object = value.toObject();
            std::vector<FlatJson::Node> children;
            for (auto it = object.begin(); it != object.end(); ++it) {
                FlatJson::Node key;
                key.kind = Kind::String;
                key.text = keep(it.key().toUtf8());
                children.push_back(key);
                children.push_back(fromQt(it.value(), json));
            }
            node.kind = Kind::Object;
            node.first = static_cast<std::uint32_t>(json.nodes.size());
            node.size = static_cast<std::uint32_t>(children.size() / 2);
            node.text = keep(QJsonDocument(object).toJson(QJsonDocument::Compact));
            json.nodes.insert(json.nodes.end(), children.begin(), children.end());
            break;
        }
        default: break;
    }
    return node;
}

}  // namespace

std::span<const FlatJson::Node> FlatJson::elements(const Node& array) const {
    if (!array.isArray() || array.size == 0) return {};
    return {nodes.data() + array.first, array.size};
}

std::span<const FlatJson::Node> FlatJson::members(const Node& object) const {
    if (!object.isObject() || object.size == 0) return {};
    return {nodes.data() + object.first, 2 * std::size_t(object.size)};
}

const FlatJson::Node& FlatJson::member(const Node& object, std::string_view key) const {
    const auto all = members(object);
    for (std::size_t i = 0; i < all.size(); i += 2)
        if (all[i].text == key) return all[i + 1];
    return kNull;
}

const FlatJson::Node& FlatJson::at(const Node& array, std::size_t i) const {
    const auto all = elements(array);
    return i < all.size() ? all[i] : kNull;
}

bool readFlatJson(std::string_view text, FlatJson& json) {
    return Reader(text, json).read();
}

bool flatJsonFromQt(const QByteArray& text, FlatJson& json, FlatJsonError& error) {
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    json.nodes.clear();
    json.decoded.clear();
    if (parseError.error != QJsonParseError::NoError) {
        error = {parseError.offset, parseError.errorString().toStdString()};
        return false;
    }
    json.root = fromQt(document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object()), json);
    return true;
}

}  // namespace ut
