#include "ut/render/SensorMarkers.h"

#include <osg/Material>
#include <osg/PrimitiveSet>

#include <algorithm>
#include <array>
#include <cmath>

namespace ut::render {

namespace {

const osg::Vec4 kStaleColour(0.62f, 0.62f, 0.62f, 1.0f);
const osg::Vec4 kStemColour(0.25f, 0.25f, 0.28f, 1.0f);

// Each pin: a diamond head (8 faces × 3 vertices) then a stem (4 faces × 2 triangles × 3 vertices).
constexpr std::size_t kHeadVertices = 24;
constexpr std::size_t kStemVertices = 24;
constexpr std::size_t kPinVertices = kHeadVertices + kStemVertices;

void addTriangle(osg::Vec3Array& vertices, osg::Vec3Array& normals, const osg::Vec3& a, const osg::Vec3& b,
                 const osg::Vec3& c) {
    osg::Vec3 normal = (b - a) ^ (c - a);
    normal.normalize();
    for (const osg::Vec3& v : {a, b, c}) {
        vertices.push_back(v);
        normals.push_back(normal);
    }
}

void addPin(const osg::Vec3& ground, float radius, osg::Vec3Array& vertices, osg::Vec3Array& normals) {
    const float stemTop = 3.0f * radius;
    const osg::Vec3 centre = ground + osg::Vec3(0.0f, 0.0f, stemTop + radius);
    const osg::Vec3 top = centre + osg::Vec3(0.0f, 0.0f, radius * 1.3f);
    const osg::Vec3 bottom = centre - osg::Vec3(0.0f, 0.0f, radius * 1.3f);
    const std::array<osg::Vec3, 4> rim = {centre + osg::Vec3(radius, 0, 0), centre + osg::Vec3(0, radius, 0),
                                          centre + osg::Vec3(-radius, 0, 0), centre + osg::Vec3(0, -radius, 0)};
    for (std::size_t i = 0; i < 4; ++i) {
        const osg::Vec3& a = rim[i];
        const osg::Vec3& b = rim[(i + 1) % 4];
        addTriangle(vertices, normals, a, b, top);
        addTriangle(vertices, normals, b, a, bottom);
    }
    const float half = std::max(0.8f, radius * 0.12f);
    const std::array<osg::Vec3, 4> corners = {osg::Vec3(half, half, 0), osg::Vec3(-half, half, 0),
                                              osg::Vec3(-half, -half, 0), osg::Vec3(half, -half, 0)};
    const osg::Vec3 up(0.0f, 0.0f, stemTop + radius * 0.2f);
    for (std::size_t i = 0; i < 4; ++i) {
        const osg::Vec3 a = ground + corners[i];
        const osg::Vec3 b = ground + corners[(i + 1) % 4];
        addTriangle(vertices, normals, b, a, a + up);
        addTriangle(vertices, normals, b, a + up, b + up);
    }
}

}  // namespace

SensorMarkers buildSensorMarkers(std::span<const osg::Vec3d> positions, double headRadiusM) {
    osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
    osg::ref_ptr<osg::Vec3Array> normals = new osg::Vec3Array;
    osg::ref_ptr<osg::FloatArray> indices = new osg::FloatArray;
    vertices->reserve(positions.size() * kPinVertices);
    normals->reserve(positions.size() * kPinVertices);
    indices->reserve(positions.size() * kPinVertices);
    for (std::size_t i = 0; i < positions.size(); ++i) {
        addPin(osg::Vec3(positions[i]), static_cast<float>(headRadiusM), *vertices, *normals);
        indices->resize(vertices->size(), static_cast<float>(i));
    }
    SensorMarkers markers;
    markers.count = positions.size();
    markers.geometry = new osg::Geometry;
    markers.geometry->setName("sensor markers");
    markers.geometry->setUseVertexBufferObjects(true);
    markers.geometry->setVertexArray(vertices);
    markers.geometry->setNormalArray(normals, osg::Array::BIND_PER_VERTEX);
    markers.geometry->setVertexAttribArray(kSensorIndexAttribute, indices, osg::Array::BIND_PER_VERTEX);
    markers.geometry->addPrimitiveSet(new osg::DrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(vertices->size())));
    osg::ref_ptr<osg::Material> material = new osg::Material;
    material->setColorMode(osg::Material::AMBIENT_AND_DIFFUSE);
    markers.geometry->getOrCreateStateSet()->setAttributeAndModes(material);
    colourSensorMarkers(markers, {}, ColorMap::viridis(), 0.0, 1.0);
    return markers;
}

void colourSensorMarkers(const SensorMarkers& markers, std::span<const double> values, const ColorMap& map,
                         double minimum, double maximum) {
    if (!markers.geometry) return;
    const double span = maximum > minimum ? maximum - minimum : 1.0;
    osg::ref_ptr<osg::Vec4Array> colours = new osg::Vec4Array;
    colours->reserve(markers.count * kPinVertices);
    for (std::size_t i = 0; i < markers.count; ++i) {
        const double value = i < values.size() ? values[i] : std::nan("");
        osg::Vec4 head = kStaleColour;
        if (std::isfinite(value)) {
            const Rgb c = map.at(std::clamp((value - minimum) / span, 0.0, 1.0));
            head = osg::Vec4(c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, 1.0f);
        }
        colours->insert(colours->end(), kHeadVertices, head);
        colours->insert(colours->end(), kStemVertices, kStemColour);
    }
    markers.geometry->setColorArray(colours, osg::Array::BIND_PER_VERTEX);
    markers.geometry->dirtyGLObjects();
}

double sensorHeadRadiusFor(double cityRadiusM) { return std::clamp(cityRadiusM * 0.012, 4.0, 80.0); }

}  // namespace ut::render
