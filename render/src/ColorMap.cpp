#include "ut/render/ColorMap.h"

#include <algorithm>
#include <cmath>

namespace ut::render {

ColorMap::ColorMap(Kind kind, std::string name, std::vector<Rgb> stops)
    : m_kind(kind), m_name(std::move(name)), m_stops(std::move(stops)) {}

ColorMap ColorMap::viridis() {
    return ColorMap(Kind::Sequential, "viridis",
                    {{68, 1, 84}, {72, 36, 117}, {65, 68, 135}, {53, 95, 141}, {42, 120, 142}, {33, 145, 140},
                     {34, 168, 132}, {68, 191, 112}, {122, 209, 81}, {189, 223, 38}, {253, 231, 37}});
}

ColorMap ColorMap::redYellowGreen() {
    return ColorMap(Kind::Sequential, "RdYlGn",
                    {{165, 0, 38}, {215, 48, 39}, {244, 109, 67}, {253, 174, 97}, {254, 224, 139}, {255, 255, 191},
                     {217, 239, 139}, {166, 217, 106}, {102, 189, 99}, {26, 152, 80}, {0, 104, 55}});
}

ColorMap ColorMap::blueWhiteRed() {
    return ColorMap(Kind::Diverging, "RdBu",
                    {{5, 48, 97}, {33, 102, 172}, {67, 147, 195}, {146, 197, 222}, {209, 229, 240}, {247, 247, 247},
                     {253, 219, 199}, {244, 165, 130}, {214, 96, 77}, {178, 24, 43}, {103, 0, 31}});
}

ColorMap ColorMap::categorical() {
    return ColorMap(Kind::Categorical, "tab10",
                    {{31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40}, {148, 103, 189}, {140, 86, 75},
                     {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}});
}

ColorMap ColorMap::categorical(const std::vector<std::string>& categories) {
    // Up to ten: Tableau 10. More: Tableau 20 with the greys last (they read as "nothing" beside the
    // grey of buildings without a value).
    static const std::vector<Rgb> tableau20 = {
        {31, 119, 180},  {255, 127, 14},  {44, 160, 44},   {214, 39, 40},   {148, 103, 189}, {140, 86, 75},  {227, 119, 194},
        {188, 189, 34},  {23, 190, 207},  {174, 199, 232}, {255, 187, 120}, {152, 223, 138}, {255, 152, 150}, {197, 176, 213},
        {196, 156, 148}, {247, 182, 210}, {219, 219, 141}, {158, 218, 229}, {127, 127, 127}, {199, 199, 199}};
    std::vector<Rgb> stops = categories.size() <= 10 ? categorical().m_stops : tableau20;
    stops.resize(std::max(stops.size(), categories.size()), Rgb{127, 127, 127});
    for (std::size_t i = 0; i < categories.size(); ++i) {
        if (categories[i] == "none") stops[i] = {215, 215, 215};
    }
    return ColorMap(Kind::Categorical, categories.size() <= 10 ? "tab10" : "tab20", std::move(stops));
}

Rgb ColorMap::at(double fraction) const {
    if (!std::isfinite(fraction)) return {160, 160, 160};
    const double position = std::clamp(fraction, 0.0, 1.0) * static_cast<double>(m_stops.size() - 1);
    const auto low = static_cast<std::size_t>(std::floor(position));
    const std::size_t high = std::min(low + 1, m_stops.size() - 1);
    const double t = position - static_cast<double>(low);
    auto mix = [t](std::uint8_t a, std::uint8_t b) {
        return static_cast<std::uint8_t>(std::lround(a + (b - a) * t));
    };
    return {mix(m_stops[low].r, m_stops[high].r), mix(m_stops[low].g, m_stops[high].g), mix(m_stops[low].b, m_stops[high].b)};
}

Rgb ColorMap::category(std::size_t index) const { return m_stops[index % m_stops.size()]; }

}  // namespace ut::render
