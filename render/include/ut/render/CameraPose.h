#pragma once

#include <osg/BoundingSphere>
#include <osg/Vec3d>

namespace ut::render {

struct CameraPose {
    osg::Vec3d eye;
    osg::Vec3d center;
    osg::Vec3d up{0.0, 0.0, 1.0};
};

constexpr double kVerticalFieldOfViewDeg = 30.0;

// Looks at the centre of bounds from the south-south-west, 50° above the horizon.
CameraPose homePose(const osg::BoundingSphere& bounds);

}  // namespace ut::render
