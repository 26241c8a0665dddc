#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include "ut/geodata/AttributeMapping.h"

namespace ut {

namespace {
bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// Leading number of text; rest receives what follows it.
std::optional<double> leadingNumber(std::string_view text, std::string_view& rest) {
    text = trim(text);
    double value = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || !std::isfinite(value)) return std::nullopt;
    rest = trim(std::string_view(end, static_cast<std::size_t>(text.data() + text.size() - end)));
    return value;
}
}  // namespace

std::optional<std::string_view> findAttribute(const AttributeList& attributes,
                                              std::initializer_list<std::string_view> names) {
    for (const auto name : names) {
        for (const auto& [key, value] : attributes) {
            if (equalsIgnoringCase(key, name) && !trim(value).empty()) return std::string_view(value);
        }
    }
    return std::nullopt;
}

std::optional<double> parseLengthM(std::string_view text) {
    std::string_view unit;
    auto value = leadingNumber(text, unit);
    if (!value || *value <= 0.0) return std::nullopt;
    if (unit.empty() || unit == "m" || unit == "meters" || unit == "metres") return value;
    if (unit == "'" || unit == "ft" || unit == "feet") return *value * 0.3048;
    return std::nullopt;
}

std::optional<double> parsePositiveNumber(std::string_view text) {
    std::string_view rest;
    auto value = leadingNumber(text, rest);
    if (!value || *value <= 0.0 || !rest.empty()) return std::nullopt;
    return value;
}

bool isAlD010Layout(const AttributeList& attributes) {
    int generic = 0;
    for (const auto& [key, value] : attributes) {
        if (key.size() >= 2 && key.size() <= 3 && (key[0] == 'A' || key[0] == 'a') &&
            std::all_of(key.begin() + 1, key.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
            ++generic;
        }
    }
    return generic >= 10;
}

ResolvedHeight resolveHeight(const AttributeList& attributes, const HeightRules& rules) {
    const bool alD010 = isAlD010Layout(attributes);
    auto height = findAttribute(attributes, {"height", "measuredHeight", "building:height", "bldg_height",
                                             "building_height", "hgt"});
    if (!height && alD010) height = findAttribute(attributes, {"A16"});
    if (height) {
        if (auto metres = parseLengthM(*height); metres && *metres < 1000.0) {
            return {*metres, HeightSource::Attribute};
        }
    }
    auto levelsText = findAttribute(attributes, {"building:levels", "levels", "building_levels", "storeys", "floors",
                                                 "num_floors", "GRND_FLR", "GRO_FLO_CO"});
    if (!levelsText && alD010) levelsText = findAttribute(attributes, {"A26"});
    if (levelsText) {
        if (auto levels = parsePositiveNumber(*levelsText); levels && *levels < 300.0) {
            double total = *levels;
            if (auto roof = findAttribute(attributes, {"roof:levels"})) {
                if (auto roofLevels = parsePositiveNumber(*roof); roofLevels && *roofLevels < 50.0) total += *roofLevels;
            }
            return {total * rules.storeyHeightM, HeightSource::Levels};
        }
    }
    return {rules.defaultHeightM, HeightSource::Default};
}

double resolveMinHeight(const AttributeList& attributes, const HeightRules& rules) {
    if (auto text = findAttribute(attributes, {"min_height", "building:min_height"})) {
        if (auto metres = parseLengthM(*text); metres && *metres < 1000.0) return *metres;
    }
    if (auto text = findAttribute(attributes, {"building:min_level", "min_level"})) {
        if (auto levels = parsePositiveNumber(*text); levels && *levels < 300.0) return *levels * rules.storeyHeightM;
    }
    return 0.0;
}

}  // namespace ut
