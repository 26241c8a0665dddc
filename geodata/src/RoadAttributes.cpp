#include <algorithm>
#include <cctype>
#include <utility>

#include "ut/geodata/AttributeMapping.h"

namespace ut {

namespace {

std::string lowerAscii(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

// The names GIS exports give road fields: OSM and Geofabrik, Korean road centre lines (RDLN, RDDV),
// the MOCT network (LANES, MAX_SPD, ROAD_RANK) and Korean column names.
using FieldNames = std::initializer_list<std::string_view>;
const FieldNames kClassFields = {"highway", "fclass", "road_class", "roadclass", "ROAD_RANK", "RDDV",
                                     "ROAD_TYPE", "도로구분", "도로등급", "class"};
const FieldNames kNameFields = {"name", "RN", "ROAD_NM", "ROAD_NAME", "RD_NM", "도로명"};
const FieldNames kLaneFields = {"lanes", "RDLN", "LANES", "NUM_LANES", "LANE_CNT", "차로수", "차선수"};
const FieldNames kSpeedFields = {"maxspeed", "MAX_SPD", "max_speed", "speed_limit", "speedlimit", "SPD_LMT",
                                     "speed", "제한속도", "최고속도"};
const FieldNames kOneWayFields = {"oneway", "ONE_WAY", "일방통행", "일방"};

std::string valueOf(const AttributeList& attributes, const std::string& explicitName, FieldNames commonNames) {
    if (!explicitName.empty()) {
        if (auto value = findAttribute(attributes, {std::string_view(explicitName)})) return std::string(trimmed(*value));
    }
    if (auto value = findAttribute(attributes, commonNames)) return std::string(trimmed(*value));
    return {};
}

}  // namespace

std::string normalizedRoadClass(std::string_view value) {
    const std::string_view text = trimmed(value);
    static const std::pair<std::string_view, std::string_view> kKorean[] = {
        {"고속국도", "motorway"},     {"고속도로", "motorway"},   {"도시고속도로", "trunk"},
        {"자동차전용도로", "trunk"},  {"일반국도", "primary"},    {"국도", "primary"},
        {"국가지원지방도", "secondary"}, {"지방도", "secondary"},  {"특별시도", "tertiary"},
        {"광역시도", "tertiary"},     {"특별광역시도", "tertiary"}, {"시도", "tertiary"},
        {"군도", "tertiary"},         {"구도", "residential"},    {"면리간도로", "residential"},
        {"소로", "residential"},      {"기타", "unclassified"},
        // MOCT standard node-link ROAD_RANK
        {"101", "motorway"},          {"102", "trunk"},           {"103", "primary"},
        {"104", "secondary"},         {"105", "secondary"},       {"106", "secondary"},
        {"107", "tertiary"},          {"108", "residential"}};
    for (const auto& [source, osm] : kKorean)
        if (text == source) return std::string(osm);
    return lowerAscii(text);
}

OneWay parseOneWay(std::string_view value) {
    const std::string text = lowerAscii(trimmed(value));
    if (text == "yes" || text == "true" || text == "1" || text == "y" || text == "f" || text == "ft" ||
        text == "일방" || text == "일방통행" || text == "정방향") {
        return OneWay::Forward;
    }
    if (text == "-1" || text == "t" || text == "tf" || text == "reverse" || text == "역방향") return OneWay::Backward;
    return OneWay::No;
}

RoadAttributes readRoadAttributes(const AttributeList& attributes, const RoadFieldNames& names) {
    RoadAttributes road;
    road.roadClass = normalizedRoadClass(valueOf(attributes, names.roadClass, kClassFields));
    road.name = valueOf(attributes, names.name, kNameFields);
    road.lanes = valueOf(attributes, names.lanes, kLaneFields);
    road.speedLimit = valueOf(attributes, names.speedLimit, kSpeedFields);
    road.oneWay = parseOneWay(valueOf(attributes, names.oneWay, kOneWayFields));
    return road;
}

bool isRoadFieldName(std::string_view field) {
    const std::string lower = lowerAscii(field);
    for (const auto* names : {&kClassFields, &kNameFields, &kLaneFields, &kSpeedFields, &kOneWayFields}) {
        for (const std::string_view name : *names)
            if (lowerAscii(name) == lower) return true;
    }
    return false;
}

}  // namespace ut
