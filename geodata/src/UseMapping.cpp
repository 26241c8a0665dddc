#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "ut/geodata/AttributeMapping.h"

namespace ut {

namespace {
std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return out;
}

bool allDigits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// Main-use codes of the Korean building register (건축물대장 주용도코드), by their first two digits.
std::optional<UseClass> koreanUseCode(std::string_view code) {
    if (code.size() != 5) return std::nullopt;
    const int group = (code[0] - '0') * 10 + (code[1] - '0');
    switch (group) {
        case 1:   // 단독주택
        case 2:   // 공동주택
            return UseClass::Residential;
        case 3:   // 제1종근린생활시설
        case 4:   // 제2종근린생활시설
        case 7:   // 판매시설
            return UseClass::Retail;
        case 9: return UseClass::Health;      // 의료시설
        case 10: return UseClass::Education;  // 교육연구시설
        case 14: return UseClass::Office;     // 업무시설
        case 17:                              // 공장
        case 19:                              // 위험물저장및처리시설
            return UseClass::Industrial;
        case 18: return UseClass::Warehouse;  // 창고시설
        default: return group >= 1 && group <= 29 ? std::optional(UseClass::Other) : std::nullopt;
    }
}

// Korean main-use names (건축물용도명), matched by the word they contain; the first match wins.
const std::array<std::pair<std::string_view, UseClass>, 17> kKoreanUseWords = {{
    {"오피스텔", UseClass::Residential},
    {"주택", UseClass::Residential},
    {"아파트", UseClass::Residential},
    {"기숙사", UseClass::Residential},
    {"근린생활", UseClass::Retail},
    {"판매", UseClass::Retail},
    {"상가", UseClass::Retail},
    {"업무", UseClass::Office},
    {"교육", UseClass::Education},
    {"학교", UseClass::Education},
    {"의료", UseClass::Health},
    {"병원", UseClass::Health},
    {"공장", UseClass::Industrial},
    {"위험물", UseClass::Industrial},
    {"창고", UseClass::Warehouse},
    {"물류", UseClass::Warehouse},
    {"시설", UseClass::Other},
}};

const std::array<std::pair<std::string_view, UseClass>, 43> kOsmUseValues = {{
    {"residential", UseClass::Residential}, {"apartments", UseClass::Residential},
    {"house", UseClass::Residential},       {"detached", UseClass::Residential},
    {"semidetached_house", UseClass::Residential}, {"terrace", UseClass::Residential},
    {"dormitory", UseClass::Residential},   {"bungalow", UseClass::Residential},
    {"officetel", UseClass::Residential},   {"farm", UseClass::Residential},
    {"office", UseClass::Office},           {"commercial", UseClass::Office},
    {"government", UseClass::Office},
    {"retail", UseClass::Retail},           {"shop", UseClass::Retail},
    {"supermarket", UseClass::Retail},      {"kiosk", UseClass::Retail},
    {"mall", UseClass::Retail},             {"department_store", UseClass::Retail},
    {"marketplace", UseClass::Retail},
    {"school", UseClass::Education},        {"university", UseClass::Education},
    {"college", UseClass::Education},       {"kindergarten", UseClass::Education},
    {"hospital", UseClass::Health},         {"clinic", UseClass::Health},
    {"healthcare", UseClass::Health},       {"doctors", UseClass::Health},
    {"industrial", UseClass::Industrial},   {"factory", UseClass::Industrial},
    {"manufacture", UseClass::Industrial},
    {"warehouse", UseClass::Warehouse},     {"storage", UseClass::Warehouse},
    {"hotel", UseClass::Other},             {"church", UseClass::Other},
    {"temple", UseClass::Other},            {"public", UseClass::Other},
    {"civic", UseClass::Other},             {"train_station", UseClass::Other},
    {"transportation", UseClass::Other},    {"parking", UseClass::Other},
    {"garage", UseClass::Other},            {"sports_hall", UseClass::Other},
}};

std::optional<UseClass> firstClassOf(const AttributeList& attributes, std::initializer_list<std::string_view> names) {
    for (const auto name : names) {
        if (auto value = findAttribute(attributes, {name})) {
            if (auto useClass = useClassOf(*value)) return useClass;
        }
    }
    return std::nullopt;
}
}  // namespace

std::optional<UseClass> useClassOf(std::string_view value) {
    if (allDigits(value)) return koreanUseCode(value);
    const std::string key = lowercase(value);
    for (const auto& [osm, useClass] : kOsmUseValues) {
        if (key == osm) return useClass;
    }
    for (const auto& [word, useClass] : kKoreanUseWords) {
        if (key.find(word) != std::string::npos) return useClass;
    }
    return std::nullopt;
}

std::string rawUseType(const AttributeList& attributes) {
    auto value = findAttribute(attributes, {"building", "building:use", "use", "usage", "building_use", "function",
                                            "USABILITY", "MAIN_PURPS_CD_NM", "BDTYP_CD"});
    if (!value && isAlD010Layout(attributes)) value = findAttribute(attributes, {"A9", "A8"});
    return value ? std::string(*value) : std::string();
}

UseClass classifyUse(const AttributeList& attributes) {
    if (auto useClass = firstClassOf(attributes, {"building", "building:use", "use", "usage", "building_use",
                                                  "USABILITY", "MAIN_PURPS_CD_NM", "MAIN_PURPS_CD", "BDTYP_CD"})) {
        return *useClass;
    }
    if (isAlD010Layout(attributes)) {
        if (auto useClass = firstClassOf(attributes, {"A9", "A8"})) return *useClass;
    }
    if (auto useClass = firstClassOf(attributes, {"amenity", "healthcare"})) return *useClass;
    if (findAttribute(attributes, {"shop"})) return UseClass::Retail;
    if (findAttribute(attributes, {"office"})) return UseClass::Office;
    return UseClass::Other;
}

int resolveYearBuilt(const AttributeList& attributes) {
    auto text = findAttribute(attributes, {"start_date", "building:year", "year_built", "yearOfConstruction", "USEAPR_DAY", "USE_APR_DAY"});
    if (!text && isAlD010Layout(attributes)) text = findAttribute(attributes, {"A13"});
    if (!text) return 0;
    std::string_view date = *text;
    while (!date.empty() && !std::isdigit(static_cast<unsigned char>(date.front())) && date.size() > 4 &&
           (date.front() == '~' || date.front() == ' ')) {
        date.remove_prefix(1);
    }
    if (date.size() < 4 || !allDigits(date.substr(0, 4))) return 0;
    if (date.size() > 4 && std::isdigit(static_cast<unsigned char>(date[4])) && date.size() != 8) return 0;
    const int year = std::stoi(std::string(date.substr(0, 4)));
    return year >= 1000 && year <= 2100 ? year : 0;
}

}  // namespace ut
