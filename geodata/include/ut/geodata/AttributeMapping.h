#pragma once

#include <optional>
#include <string>
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

// Height from a height attribute, else (levels + roof levels) × storey height, else the default
// (flagged). Attribute names are matched case-insensitively: OSM tags, CityGML/CityJSON and Korean
// national building data (F_FAC_BUILDING HEIGHT/GRND_FLR, AL_D010 A16/A26, 도로명주소 GRO_FLO_CO) alike.
ResolvedHeight resolveHeight(const AttributeList& attributes, const HeightRules& rules);

// Where a part floating above the ground starts: OSM min_height, else building:min_level × storey
// height, else 0.
double resolveMinHeight(const AttributeList& attributes, const HeightRules& rules);

// True for the VWorld AL_D010 layout, whose columns are named A0 … A28.
bool isAlD010Layout(const AttributeList& attributes);

// The source's own use value: OSM building (or building:use), Korean main-use name or code.
std::string rawUseType(const AttributeList& attributes);

// One use value (OSM building/building:use/amenity value, Korean main-use code such as "02000" or
// name such as "공동주택") in the small vocabulary; nullopt when the value says nothing about use.
std::optional<UseClass> useClassOf(std::string_view value);

// A building's use class from all its attributes: the building value, building:use, Korean main-use
// fields, then amenity/shop/office/healthcare hints; Other when nothing tells.
UseClass classifyUse(const AttributeList& attributes);

// Year from OSM start_date/building:year ("1995", "1995-05", "~1995") or a Korean approval date
// (USEAPR_DAY, USE_APR_DAY, AL_D010 A13: yyyymmdd); 0 when unknown.
int resolveYearBuilt(const AttributeList& attributes);

// The fields of a GIS road layer that hold what a road link needs, as a project layer names them
// ("fields": {"lanes": "RDLN"}); an empty name, or one the feature lacks, falls back to the common names.
struct RoadFieldNames {
    std::string lanes;
    std::string speedLimit;
    std::string oneWay;
    std::string roadClass;
    std::string name;
};

enum class OneWay { No, Forward, Backward };

// A road line's attributes read through the layer's field names, else the common names of OSM, Geofabrik
// shapefiles, Korean road centre lines (도로중심선 RDLN, RDDV) and the MOCT node-link network (LANES,
// MAX_SPD, ROAD_RANK) and their Korean column names (차로수, 제한속도, 일방통행, 도로구분).
struct RoadAttributes {
    std::string roadClass;   // normalizedRoadClass of the source's value; empty when it has none
    std::string name;
    std::string lanes;       // the source's text; empty when it has none
    std::string speedLimit;
    OneWay oneWay = OneWay::No;
};
RoadAttributes readRoadAttributes(const AttributeList& attributes, const RoadFieldNames& names);
// Whether a GIS field name is one of the road fields readRoadAttributes knows (any case).
bool isRoadFieldName(std::string_view field);

// A road class in OSM's highway vocabulary: OSM and Geofabrik values as they are (lower case), Korean
// road kinds (고속국도 → motorway, 도시고속도로 → trunk, 일반국도 → primary, 지방도 → secondary,
// 특별시도/광역시도/시도/군도 → tertiary, 구도 and smaller → residential) and MOCT ROAD_RANK codes
// (101 motorway … 107 tertiary, 108 residential); other values unchanged.
std::string normalizedRoadClass(std::string_view value);

// yes/true/1/Y/F/FT/일방(통행) → Forward; -1/T/TF/reverse → Backward (Geofabrik's F/T/B and ESRI's FT/TF
// conventions); anything else two-way.
OneWay parseOneWay(std::string_view value);

// Value of the first attribute whose name matches one of names (case-insensitive).
std::optional<std::string_view> findAttribute(const AttributeList& attributes,
                                              std::initializer_list<std::string_view> names);

// "12", "12.5 m", "12m", "40'", "40 ft" → metres; nullopt when not a positive length.
std::optional<double> parseLengthM(std::string_view text);
// "5", "5.5" → 5.5; nullopt when not a positive number.
std::optional<double> parsePositiveNumber(std::string_view text);

}  // namespace ut
