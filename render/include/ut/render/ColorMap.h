#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ut::render {

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
};

// A colour map: sequential (viridis; red-yellow-green for speeds, red slow), diverging (RdBu, blue for negative, red for positive
// differences) or categorical (Tableau 10). Maps a value in [0, 1] (categorical: an index).
class ColorMap {
public:
    enum class Kind { Sequential, Diverging, Categorical };

    static ColorMap viridis();
    static ColorMap redYellowGreen();
    static ColorMap blueWhiteRed();
    static ColorMap categorical();
    // Categorical for these categories: Tableau 10 for up to ten, else the Tableau 20 colours with
    // the greys last, so that up to 20 categories differ; a category named "none" is light grey.
    static ColorMap categorical(const std::vector<std::string>& categories);

    Kind kind() const { return m_kind; }
    const std::string& name() const { return m_name; }
    Rgb at(double fraction) const;
    Rgb category(std::size_t index) const;

private:
    ColorMap(Kind kind, std::string name, std::vector<Rgb> stops);

    Kind m_kind;
    std::string m_name;
    std::vector<Rgb> m_stops;
};

}  // namespace ut::render
