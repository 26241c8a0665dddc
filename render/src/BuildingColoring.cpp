#include "ut/render/BuildingColoring.h"

#include <osg/StateSet>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "ut/render/BuildingMeshBuilder.h"
#include "ut/render/SunShadow.h"

namespace ut::render {

namespace {
constexpr int kTextureWidth = 2048;
constexpr int kTextureUnit = 1;

// The building's colour is fetched and lit per vertex (all vertices of a building read the same texel):
// the fragment stage only adds the sun's share where the shadow map says the sun reaches (on a software
// rasteriser the fragment stage is most of a frame's work at large window sizes).
const char* kVertexShader = R"(
attribute float buildingIndex;
uniform sampler2D buildingColors;
uniform bool useBuildingColors;
uniform vec2 colorTextureSize;
void main() {
    gl_Position = ftransform();
    float i = floor(buildingIndex + 0.5);
    vec2 position = vec2(mod(i, colorTextureSize.x), floor(i / colorTextureSize.x));
    vec4 texel = texture2DLod(buildingColors, (position + 0.5) / colorTextureSize, 0.0);
    vec4 color = useBuildingColors ? vec4(texel.rgb, 1.0) : gl_Color;
    if (texel.a < 0.5) color = mix(color, vec4(0.95, 0.10, 0.35, 1.0), 0.8);
    sunLightVertex(color.rgb);
}
)";
}  // namespace

BuildingColoring::BuildingColoring(std::size_t buildingCount)
    : m_count(buildingCount),
      m_width(kTextureWidth),
      m_height(std::max(1, static_cast<int>((buildingCount + kTextureWidth - 1) / kTextureWidth))),
      m_image(new osg::Image),
      m_texture(new osg::Texture2D),
      m_program(new osg::Program),
      m_useColors(new osg::Uniform("useBuildingColors", false)),
      m_textureSize(new osg::Uniform("colorTextureSize", osg::Vec2(static_cast<float>(m_width), static_cast<float>(m_height)))) {
    m_image->allocateImage(m_width, m_height, 1, GL_RGBA, GL_UNSIGNED_BYTE);
    std::fill(m_image->data(), m_image->data() + m_image->getTotalSizeInBytes(), 255);
    m_texture->setImage(m_image);
    m_texture->setFilter(osg::Texture::MIN_FILTER, osg::Texture::NEAREST);
    m_texture->setFilter(osg::Texture::MAG_FILTER, osg::Texture::NEAREST);
    m_texture->setWrap(osg::Texture::WRAP_S, osg::Texture::CLAMP_TO_EDGE);
    m_texture->setWrap(osg::Texture::WRAP_T, osg::Texture::CLAMP_TO_EDGE);
    m_texture->setResizeNonPowerOfTwoHint(false);
    m_texture->setUnRefImageDataAfterApply(false);
    m_texture->setDataVariance(osg::Object::DYNAMIC);
    m_program->addShader(new osg::Shader(osg::Shader::VERTEX, std::string("#version 120\n") + SunShadow::kVertexGlsl + kVertexShader));
    m_program->addShader(new osg::Shader(osg::Shader::FRAGMENT, SunShadow::kFragmentShader));
    m_program->addBindAttribLocation("buildingIndex", kBuildingIndexAttribute);
    m_useColors->setDataVariance(osg::Object::DYNAMIC);
}

void BuildingColoring::attachTo(osg::StateSet& stateSet) {
    stateSet.setAttributeAndModes(m_program);
    stateSet.setTextureAttribute(kTextureUnit, m_texture);
    stateSet.addUniform(new osg::Uniform("buildingColors", kTextureUnit));
    stateSet.addUniform(m_useColors);
    stateSet.addUniform(m_textureSize);
}

void BuildingColoring::setValues(std::span<const double> values, const ColorMap& map, double minimum, double maximum) {
    const double span = maximum > minimum ? maximum - minimum : 1.0;
    unsigned char* texels = m_image->data();
    const std::size_t n = std::min(values.size(), m_count);
    auto write = [texels](std::size_t i, Rgb c) {
        unsigned char* t = texels + 4 * i;
        t[0] = c.r;
        t[1] = c.g;
        t[2] = c.b;
    };
    constexpr Rgb kNoValue{170, 170, 170};
    if (map.kind() == ColorMap::Kind::Categorical) {
        for (std::size_t i = 0; i < n; ++i)
            write(i, std::isfinite(values[i]) ? map.category(static_cast<std::size_t>(std::max(0.0, values[i]))) : kNoValue);
    } else {
        // A million buildings recolour in a few milliseconds through a table finer than 8-bit colour.
        constexpr int kSteps = 4096;
        std::vector<Rgb> table(kSteps + 1);
        for (int k = 0; k <= kSteps; ++k) table[static_cast<std::size_t>(k)] = map.at(static_cast<double>(k) / kSteps);
        const double scale = kSteps / span;
        for (std::size_t i = 0; i < n; ++i) {
            const double position = (values[i] - minimum) * scale;
            if (!std::isfinite(position)) {
                write(i, kNoValue);
                continue;
            }
            write(i, table[static_cast<std::size_t>(std::clamp(position + 0.5, 0.0, static_cast<double>(kSteps)))]);
        }
    }
    m_image->dirty();
    m_useColors->set(true);
}

void BuildingColoring::setColors(std::span<const Rgb> colors) {
    unsigned char* texels = m_image->data();
    for (std::size_t i = 0; i < std::min(colors.size(), m_count); ++i) {
        texels[4 * i] = colors[i].r;
        texels[4 * i + 1] = colors[i].g;
        texels[4 * i + 2] = colors[i].b;
    }
    m_image->dirty();
    m_useColors->set(true);
}

void BuildingColoring::clear() { m_useColors->set(false); }

bool BuildingColoring::active() const {
    bool value = false;
    m_useColors->get(value);
    return value;
}

void BuildingColoring::setHighlight(const std::vector<std::size_t>& rows) {
    unsigned char* texels = m_image->data();
    for (std::size_t row : m_highlightedRows) texels[4 * row + 3] = 255;
    m_highlightedRows.clear();
    for (std::size_t row : rows) {
        if (row >= m_count) continue;
        texels[4 * row + 3] = 0;
        m_highlightedRows.push_back(row);
    }
    m_image->dirty();
}

std::optional<std::size_t> BuildingColoring::highlight() const {
    if (m_highlightedRows.empty()) return std::nullopt;
    return m_highlightedRows.front();
}

Rgb BuildingColoring::colorOf(std::size_t building) const {
    const unsigned char* t = m_image->data() + 4 * building;
    return {t[0], t[1], t[2]};
}

}  // namespace ut::render
