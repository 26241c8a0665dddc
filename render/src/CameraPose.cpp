#include "ut/render/CameraPose.h"

#include <osg/Math>

#include <cmath>

namespace ut::render {

CameraPose homePose(const osg::BoundingSphere& bounds) {
    const double radius = bounds.valid() ? std::max(1.0, static_cast<double>(bounds.radius())) : 1000.0;
    // The centre's height follows the content, so that a city on high terrain is looked at, not under.
    const osg::Vec3d center = bounds.valid() ? osg::Vec3d(bounds.center()) : osg::Vec3d();
    const double distance = radius / std::sin(osg::DegreesToRadians(kVerticalFieldOfViewDeg / 2.0)) * 0.55;
    const double elevation = osg::DegreesToRadians(50.0);
    const double azimuth = osg::DegreesToRadians(200.0);  // clockwise from north: camera stands south-south-west
    const osg::Vec3d direction(std::sin(azimuth) * std::cos(elevation), std::cos(azimuth) * std::cos(elevation),
                               std::sin(elevation));
    return CameraPose{center + direction * distance, center, osg::Vec3d(0.0, 0.0, 1.0)};
}

}  // namespace ut::render
