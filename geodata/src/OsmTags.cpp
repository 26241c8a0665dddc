#include "ut/geodata/OsmTags.h"

namespace ut {

namespace {
// Reads a quoted string starting at text[pos] == '"'; advances pos past the closing quote.
bool readQuoted(std::string_view text, std::size_t& pos, std::string& out) {
    if (pos >= text.size() || text[pos] != '"') return false;
    ++pos;
    out.clear();
    while (pos < text.size()) {
        const char c = text[pos++];
        if (c == '\\' && pos < text.size()) {
            out.push_back(text[pos++]);
        } else if (c == '"') {
            return true;
        } else {
            out.push_back(c);
        }
    }
    return false;
}
}  // namespace

void appendOsmOtherTags(std::string_view hstore, AttributeList& attributes) {
    std::size_t pos = 0;
    std::string key;
    std::string value;
    while (pos < hstore.size()) {
        while (pos < hstore.size() && (hstore[pos] == ',' || hstore[pos] == ' ')) ++pos;
        if (!readQuoted(hstore, pos, key)) return;
        if (hstore.substr(pos, 2) != "=>") return;
        pos += 2;
        if (!readQuoted(hstore, pos, value)) return;
        attributes.emplace_back(key, value);
    }
}

}  // namespace ut
