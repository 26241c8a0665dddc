#include "ut/sim/BuildingFilter.h"

#include <cctype>
#include <charconv>
#include <cstring>
#include <optional>
#include <variant>
#include <vector>

#include "ut/geodata/AttributeMapping.h"

namespace ut::sim {

namespace {

enum class Op { Or, And, Not, Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, Name, Number, Text };

using Value = std::variant<std::monostate, double, std::string>;

struct Token {
    enum Kind { Word, Quoted, Number, Symbol, End } kind;
    std::string text;
    std::size_t position;
};

class Lexer {
public:
    explicit Lexer(const std::string& text) : m_text(text) {}

    Result<std::vector<Token>> tokens() {
        std::vector<Token> out;
        std::size_t i = 0;
        while (true) {
            while (i < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[i]))) ++i;
            if (i >= m_text.size()) break;
            const char c = m_text[i];
            const std::size_t start = i;
            if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
                while (i < m_text.size() && (std::isalnum(static_cast<unsigned char>(m_text[i])) || m_text[i] == '_' ||
                                             m_text[i] == ':' || m_text[i] == '.')) {
                    ++i;
                }
                out.push_back({Token::Word, m_text.substr(start, i - start), start});
            } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '-' && i + 1 < m_text.size() &&
                                                                      std::isdigit(static_cast<unsigned char>(m_text[i + 1])))) {
                ++i;
                while (i < m_text.size() && (std::isdigit(static_cast<unsigned char>(m_text[i])) || m_text[i] == '.')) ++i;
                out.push_back({Token::Number, m_text.substr(start, i - start), start});
            } else if (c == '"' || c == '\'') {
                ++i;
                std::string text;
                while (i < m_text.size() && m_text[i] != c) text.push_back(m_text[i++]);
                if (i >= m_text.size()) return Error{"position " + std::to_string(start + 1) + ": unterminated quote"};
                ++i;
                out.push_back({Token::Quoted, text, start});
            } else {
                static const char* const symbols[] = {"==", "!=", "<=", ">=", "<", ">", "(", ")", "="};
                bool matched = false;
                for (const char* symbol : symbols) {
                    const std::string_view s(symbol);
                    if (m_text.compare(i, s.size(), s) == 0) {
                        out.push_back({Token::Symbol, std::string(s == "=" ? "==" : s), start});
                        i += s.size();
                        matched = true;
                        break;
                    }
                }
                if (!matched) return Error{"position " + std::to_string(start + 1) + ": unexpected '" + std::string(1, c) + "'"};
            }
        }
        out.push_back({Token::End, "", m_text.size()});
        return out;
    }

private:
    const std::string& m_text;
};

bool isKeyword(const Token& t, const char* word) {
    if (t.kind != Token::Word || t.text.size() != std::strlen(word)) return false;
    for (std::size_t i = 0; i < t.text.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(t.text[i])) != word[i]) return false;
    return true;
}

}  // namespace

struct BuildingFilter::Node {
    Op op;
    std::string text;
    double number = 0.0;
    std::unique_ptr<Node> left;
    std::unique_ptr<Node> right;
};

namespace {

using NodePtr = std::unique_ptr<BuildingFilter::Node>;

class Parser {
public:
    explicit Parser(std::vector<Token> tokens) : m_tokens(std::move(tokens)) {}

    Result<NodePtr> parse() {
        auto root = parseOr();
        if (!root) return root;
        if (peek().kind != Token::End) return fail("expected 'and', 'or' or the end");
        return root;
    }

private:
    const Token& peek() const { return m_tokens[m_at]; }
    Error fail(const std::string& what) const { return Error{"position " + std::to_string(peek().position + 1) + ": " + what}; }

    static NodePtr make(Op op, NodePtr left, NodePtr right) {
        auto node = std::make_unique<BuildingFilter::Node>();
        node->op = op;
        node->left = std::move(left);
        node->right = std::move(right);
        return node;
    }

    Result<NodePtr> parseOr() {
        auto left = parseAnd();
        if (!left) return left;
        NodePtr node = std::move(left.value());
        while (isKeyword(peek(), "or")) {
            ++m_at;
            auto right = parseAnd();
            if (!right) return right;
            node = make(Op::Or, std::move(node), std::move(right.value()));
        }
        return node;
    }

    Result<NodePtr> parseAnd() {
        auto left = parseNot();
        if (!left) return left;
        NodePtr node = std::move(left.value());
        while (isKeyword(peek(), "and")) {
            ++m_at;
            auto right = parseNot();
            if (!right) return right;
            node = make(Op::And, std::move(node), std::move(right.value()));
        }
        return node;
    }

    Result<NodePtr> parseNot() {
        if (isKeyword(peek(), "not")) {
            ++m_at;
            auto inner = parseNot();
            if (!inner) return inner;
            return make(Op::Not, std::move(inner.value()), nullptr);
        }
        return parseComparison();
    }

    Result<NodePtr> parseComparison() {
        if (peek().kind == Token::Symbol && peek().text == "(") {
            ++m_at;
            auto inner = parseOr();
            if (!inner) return inner;
            if (!(peek().kind == Token::Symbol && peek().text == ")")) return fail("expected ')'");
            ++m_at;
            return inner;
        }
        auto left = parseValue();
        if (!left) return left;
        static const std::pair<const char*, Op> ops[] = {{"==", Op::Equal}, {"!=", Op::NotEqual}, {"<", Op::Less},
                                                         {"<=", Op::LessEqual}, {">", Op::Greater}, {">=", Op::GreaterEqual}};
        if (peek().kind != Token::Symbol) return fail("expected a comparison (== != < <= > >=)");
        for (const auto& [symbol, op] : ops) {
            if (peek().text == symbol) {
                ++m_at;
                auto right = parseValue();
                if (!right) return right;
                return make(op, std::move(left.value()), std::move(right.value()));
            }
        }
        return fail("expected a comparison (== != < <= > >=)");
    }

    Result<NodePtr> parseValue() {
        const Token& t = peek();
        auto node = std::make_unique<BuildingFilter::Node>();
        if (t.kind == Token::Number) {
            double value = 0.0;
            const auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), value);
            if (ec != std::errc() || end != t.text.data() + t.text.size()) return fail("'" + t.text + "' is not a number");
            node->op = Op::Number;
            node->number = value;
        } else if (t.kind == Token::Quoted) {
            node->op = Op::Text;
            node->text = t.text;
        } else if (t.kind == Token::Word && !isKeyword(t, "and") && !isKeyword(t, "or") && !isKeyword(t, "not")) {
            node->op = Op::Name;
            node->text = t.text;
        } else {
            return fail("expected a name, a number or a quoted text");
        }
        ++m_at;
        return NodePtr(std::move(node));
    }

    std::vector<Token> m_tokens;
    std::size_t m_at = 0;
};

// A name on the left of a comparison is a building property; a quoted text is always a value.
// A bare word on the right that is no property (use == residential) is taken as text.
Value valueOf(const BuildingFilter::Node& node, const BuildingTable& b, std::size_t i, bool rightHandSide) {
    switch (node.op) {
        case Op::Number: return node.number;
        case Op::Text: return node.text;
        case Op::Name: {
            const std::string& n = node.text;
            if (n == "id") return b.id(i);
            if (n == "name") return b.name(i);
            if (n == "use") return std::string(toString(b.useClass(i)));
            if (n == "use_type") return b.useType(i);
            if (n == "height") return b.heightM(i);
            if (n == "year_built") return static_cast<double>(b.yearBuilt(i));
            if (n == "footprint_area") return b.footprintAreaM2(i);
            if (n == "height_source") return std::string(toString(b.heightSource(i)));
            if (auto attribute = findAttribute(b.attributes(i), {n})) {
                double number = 0.0;
                const auto [end, ec] = std::from_chars(attribute->data(), attribute->data() + attribute->size(), number);
                if (ec == std::errc() && end == attribute->data() + attribute->size()) return number;
                return std::string(*attribute);
            }
            if (rightHandSide) return n;
            return std::monostate{};
        }
        default: return std::monostate{};
    }
}

bool evaluate(const BuildingFilter::Node& node, const BuildingTable& b, std::size_t i) {
    switch (node.op) {
        case Op::Or: return evaluate(*node.left, b, i) || evaluate(*node.right, b, i);
        case Op::And: return evaluate(*node.left, b, i) && evaluate(*node.right, b, i);
        case Op::Not: return !evaluate(*node.left, b, i);
        default: break;
    }
    const Value left = valueOf(*node.left, b, i, false);
    const Value right = valueOf(*node.right, b, i, true);
    if (std::holds_alternative<std::monostate>(left) || std::holds_alternative<std::monostate>(right)) return false;
    int order = 0;
    if (std::holds_alternative<double>(left) && std::holds_alternative<double>(right)) {
        const double l = std::get<double>(left);
        const double r = std::get<double>(right);
        order = l < r ? -1 : (l > r ? 1 : 0);
    } else {
        auto text = [](const Value& v) {
            return std::holds_alternative<double>(v) ? std::to_string(std::get<double>(v)) : std::get<std::string>(v);
        };
        const int c = text(left).compare(text(right));
        order = c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    switch (node.op) {
        case Op::Equal: return order == 0;
        case Op::NotEqual: return order != 0;
        case Op::Less: return order < 0;
        case Op::LessEqual: return order <= 0;
        case Op::Greater: return order > 0;
        case Op::GreaterEqual: return order >= 0;
        default: return false;
    }
}

}  // namespace

Result<BuildingFilter> BuildingFilter::parse(const std::string& expression) {
    auto tokens = Lexer(expression).tokens();
    if (!tokens) return Error{tokens.error()};
    if (tokens->size() == 1) return Error{"position 1: the expression is empty"};
    auto root = Parser(std::move(tokens.value())).parse();
    if (!root) return Error{root.error()};
    return BuildingFilter(std::move(root.value()));
}

BuildingFilter::BuildingFilter(std::unique_ptr<Node> root) : m_root(std::move(root)) {}
BuildingFilter::BuildingFilter(BuildingFilter&&) noexcept = default;
BuildingFilter& BuildingFilter::operator=(BuildingFilter&&) noexcept = default;
BuildingFilter::~BuildingFilter() = default;

bool BuildingFilter::matches(const BuildingTable& buildings, std::size_t building) const {
    return evaluate(*m_root, buildings, building);
}

}  // namespace ut::sim
