#pragma once

#include <optional>
#include <string_view>

#include "ut/geodata/BuildingTable.h"

namespace ut {

struct HeightRules {
    double storeyHeightM = 3.0;
    double defaultHeightM = 9.0;
};

struct ResolvedHeight {
    double heightM = 0.0;
    HeightSource source = HeightSource::Default;
};

// Height from a height attribute, else levels × storey height, else the default (flagged).
// Attribute names are matched case-insensitively: OSM tags, CityGML/CityJSON and Korean
// national building data (HEIGHT, GRND_FLR) alike.
ResolvedHeight resolveHeight(const AttributeList& attributes, const HeightRules& rules);

// Value of the first attribute whose name matches one of names (case-insensitive).
std::optional<std::string_view> findAttribute(const AttributeList& attributes,
                                              std::initializer_list<std::string_view> names);

// "12", "12.5 m", "12m", "40'", "40 ft" → metres; nullopt when not a positive length.
std::optional<double> parseLengthM(std::string_view text);
// "5", "5.5" → 5.5; nullopt when not a positive number.
std::optional<double> parsePositiveNumber(std::string_view text);

}  // namespace ut
