#pragma once

#include <osg/Image>
#include <osg/Program>
#include <osg/Referenced>
#include <osg/Texture2D>
#include <osg/Uniform>
#include <optional>
#include <span>
#include <vector>

#include "ut/render/ColorMap.h"

namespace osg {
class StateSet;
}

namespace ut::render {

// Colours buildings without touching their geometry: a texture holds one texel per building,
// found through the building-index vertex attribute by the buildings' shader. Recolouring
// rewrites that texture only (one upload). Call from the thread that draws.
class BuildingColoring : public osg::Referenced {
public:
    explicit BuildingColoring(std::size_t buildingCount);

    void attachTo(osg::StateSet& stateSet);

    // Colours by value through map over [minimum, maximum] (a categorical map takes the value as
    // its category index); a NaN value shows grey (no data).
    void setValues(std::span<const double> values, const ColorMap& map, double minimum, double maximum);
    void setColors(std::span<const Rgb> colors);
    // Back to the scene's own colours.
    void clear();
    bool active() const;

    // Tints these rows (a building and its parts); an empty list clears the highlight.
    void setHighlight(const std::vector<std::size_t>& rows);
    // The first highlighted row.
    std::optional<std::size_t> highlight() const;

    std::size_t buildingCount() const { return m_count; }
    Rgb colorOf(std::size_t building) const;

private:
    std::size_t m_count;
    int m_width;
    int m_height;
    osg::ref_ptr<osg::Image> m_image;
    osg::ref_ptr<osg::Texture2D> m_texture;
    osg::ref_ptr<osg::Program> m_program;
    osg::ref_ptr<osg::Uniform> m_useColors;
    osg::ref_ptr<osg::Uniform> m_textureSize;
    std::vector<std::size_t> m_highlightedRows;  // their texels' alpha is 0
};

}  // namespace ut::render
