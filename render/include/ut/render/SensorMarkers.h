#pragma once

#include <osg/Array>
#include <osg/Geometry>
#include <osg/Vec3d>
#include <osg/ref_ptr>
#include <span>

#include "ut/render/ColorMap.h"

namespace ut::render {

// Vertex attribute slot holding each marker vertex's sensor index (for picking).
constexpr unsigned int kSensorIndexAttribute = 8;

// The sensor layer: one pin per sensor (a stem from the ground and a diamond head), all in one
// drawable. Heads are coloured by a value; sensors without a current value are grey.
struct SensorMarkers {
    osg::ref_ptr<osg::Geometry> geometry;
    std::size_t count = 0;
};

// positions: where each sensor stands, local frame, z on the ground. headRadiusM sizes the pins
// (the stem is three head radii tall).
SensorMarkers buildSensorMarkers(std::span<const osg::Vec3d> positions, double headRadiusM);

// values: one per sensor; NaN draws it grey (stale or no observation yet).
void colourSensorMarkers(const SensorMarkers& markers, std::span<const double> values, const ColorMap& map,
                         double minimum, double maximum);

// A head radius that keeps pins visible over a city of this radius (metres).
double sensorHeadRadiusFor(double cityRadiusM);

}  // namespace ut::render
