#include "ut/render/VehicleLayer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <osg/StateSet>

#include "ut/render/CityScene.h"

namespace ut::render {

namespace {
// Per vehicle: the top (a pentagon of 3 triangles) and 5 sides of 2 triangles each.
constexpr std::size_t kTopVertices = 9;
constexpr std::size_t kVehicleVertices = kTopVertices + 5 * 6;
constexpr float kSideShade = 0.62f;
}  // namespace

VehicleLayer::VehicleLayer(double exaggeration, double maxSpeedKmh)
    : m_exaggeration(std::max(exaggeration, 0.1)),
      m_maxSpeedKmh(std::max(maxSpeedKmh, 1.0)),
      m_map(ColorMap::redYellowGreen()),
      m_halfLength(static_cast<float>(0.5 * 4.5 * m_exaggeration)),
      m_halfWidth(static_cast<float>(0.5 * 1.8 * m_exaggeration)),
      m_height(static_cast<float>(1.5 * std::min(m_exaggeration, 2.0))),
      m_noseLength(static_cast<float>(0.3 * 4.5 * m_exaggeration)),
      m_geometry(new osg::Geometry),
      m_vertices(new osg::Vec3Array),
      m_colours(new osg::Vec4ubArray),
      m_triangles(new osg::DrawArrays(GL_TRIANGLES, 0, 0)) {
    m_geometry->setName("vehicles");
    m_geometry->setDataVariance(osg::Object::DYNAMIC);
    m_geometry->setUseDisplayList(false);
    m_geometry->setUseVertexBufferObjects(true);
    m_vertices->setDataVariance(osg::Object::DYNAMIC);
    m_colours->setDataVariance(osg::Object::DYNAMIC);
    m_colours->setNormalize(true);
    m_geometry->setVertexArray(m_vertices);
    m_geometry->setColorArray(m_colours, osg::Array::BIND_PER_VERTEX);
    m_geometry->addPrimitiveSet(m_triangles);
    // Shaded by hand (sides darker than tops), so that the colours read the same in any light.
    m_geometry->getOrCreateStateSet()->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
    m_geometry->setNodeMask(kSkyNodeMask);
}

void VehicleLayer::setVehicles(std::span<const VehicleMarker> vehicles) {
    m_count = vehicles.size();
    m_vertices->resize(m_count * kVehicleVertices);
    m_colours->resize(m_count * kVehicleVertices);
    // The outline seen from above, counter-clockwise: rear left, rear right, front right shoulder,
    // nose, front left shoulder (x forward, y to the left).
    const std::array<std::array<float, 2>, 5> outline = {{{-m_halfLength, m_halfWidth},
                                                          {-m_halfLength, -m_halfWidth},
                                                          {m_halfLength - m_noseLength, -m_halfWidth},
                                                          {m_halfLength, 0.0f},
                                                          {m_halfLength - m_noseLength, m_halfWidth}}};
    osg::Vec3* vertex = m_vertices->empty() ? nullptr : &m_vertices->front();
    osg::Vec4ub* colour = m_colours->empty() ? nullptr : &m_colours->front();
    for (const VehicleMarker& v : vehicles) {
        const float c = std::cos(v.headingRad), s = std::sin(v.headingRad);
        const float bottom = v.z + kVehicleLiftM, top = bottom + m_height;
        std::array<osg::Vec3, 5> low, high;
        for (std::size_t k = 0; k < 5; ++k) {
            const float px = v.x + c * outline[k][0] - s * outline[k][1];
            const float py = v.y + s * outline[k][0] + c * outline[k][1];
            low[k].set(px, py, bottom);
            high[k].set(px, py, top);
        }
        for (std::size_t k = 1; k + 1 < 5; ++k) {
            *vertex++ = high[0];
            *vertex++ = high[k];
            *vertex++ = high[k + 1];
        }
        for (std::size_t k = 0; k < 5; ++k) {
            const std::size_t next = (k + 1) % 5;
            for (const osg::Vec3* corner : {&low[k], &low[next], &high[next], &low[k], &high[next], &high[k]})
                *vertex++ = *corner;
        }
        const Rgb rgb = m_map.at(static_cast<double>(v.speedMps) * 3.6 / m_maxSpeedKmh);
        const osg::Vec4ub lit(rgb.r, rgb.g, rgb.b, 255);
        const osg::Vec4ub shaded(static_cast<unsigned char>(rgb.r * kSideShade),
                                 static_cast<unsigned char>(rgb.g * kSideShade),
                                 static_cast<unsigned char>(rgb.b * kSideShade), 255);
        colour = std::fill_n(colour, kTopVertices, lit);
        colour = std::fill_n(colour, kVehicleVertices - kTopVertices, shaded);
    }
    m_triangles->setCount(static_cast<GLsizei>(m_vertices->size()));
    m_vertices->dirty();
    m_colours->dirty();
    m_triangles->dirty();
    m_geometry->dirtyBound();
}

void VehicleLayer::setVisible(bool visible) {
    m_geometry->setNodeMask(visible ? kSkyNodeMask : 0u);
}

bool VehicleLayer::isVisible() const {
    return m_geometry->getNodeMask() != 0u;
}

double vehicleExaggerationFor(double cityRadiusM) {
    return std::clamp(cityRadiusM / 500.0, 1.0, 6.0);
}

}  // namespace ut::render
