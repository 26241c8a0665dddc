#pragma once

#include <osg/Array>
#include <osg/Geometry>
#include <osg/PrimitiveSet>
#include <osg/ref_ptr>
#include <span>

#include "ut/render/ColorMap.h"

namespace ut::render {

// One vehicle to draw: the middle of it in the local frame (z: the ground under it), the direction
// it drives (counter-clockwise from east) and its speed.
struct VehicleMarker {
    float x = 0.0f;
    float y = 0.0f;
    float z = 0.0f;
    float headingRad = 0.0f;
    float speedMps = 0.0f;
};

// The vehicles of a traffic playback in one drawable: a box with a pointed front per vehicle,
// coloured by speed (red standing, green at maxSpeedKmh and above), standing just above the road
// ribbons. A car is drawn 4.5 m × 1.8 m times the exaggeration (1.5 m tall, at most 3 m), so that
// vehicles stay visible at city scale; exaggerated vehicles are wider than their lane. setVehicles
// rewrites the vertex and colour arrays in place; the rest of the scene is untouched. Never picked
// (kSkyNodeMask).
class VehicleLayer {
public:
    explicit VehicleLayer(double exaggeration = 1.0, double maxSpeedKmh = 60.0);

    osg::Geometry* geometry() const { return m_geometry.get(); }
    void setVehicles(std::span<const VehicleMarker> vehicles);
    std::size_t count() const { return m_count; }
    void setVisible(bool visible);
    bool isVisible() const;

    double exaggeration() const { return m_exaggeration; }
    double maxSpeedKmh() const { return m_maxSpeedKmh; }
    const ColorMap& colorMap() const { return m_map; }

private:
    double m_exaggeration;
    double m_maxSpeedKmh;
    ColorMap m_map;
    float m_halfLength, m_halfWidth, m_height, m_noseLength;
    std::size_t m_count = 0;
    osg::ref_ptr<osg::Geometry> m_geometry;
    osg::ref_ptr<osg::Vec3Array> m_vertices;
    osg::ref_ptr<osg::Vec4ubArray> m_colours;
    osg::ref_ptr<osg::DrawArrays> m_triangles;
};

// Height of the vehicles' underside above the ground (the road ribbons lie 0.15 m above it).
constexpr float kVehicleLiftM = 0.3f;

// An exaggeration that keeps vehicles several pixels long in a home view of a city of this radius (m).
double vehicleExaggerationFor(double cityRadiusM);

}  // namespace ut::render
