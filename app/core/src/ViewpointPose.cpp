#include "ut/app/ViewpointPose.h"

namespace ut::app {

render::CameraPose cameraPoseOf(const Viewpoint& viewpoint, const LocalFrame& frame) {
    const Eigen::Vector2d origin = frame.origin().value_or(Eigen::Vector2d::Zero());
    return {osg::Vec3d(viewpoint.eye.x() - origin.x(), viewpoint.eye.y() - origin.y(), viewpoint.eye.z()),
            osg::Vec3d(viewpoint.center.x() - origin.x(), viewpoint.center.y() - origin.y(), viewpoint.center.z()),
            osg::Vec3d(0.0, 0.0, 1.0)};
}

Viewpoint viewpointOf(const QString& name, const render::CameraPose& pose, const LocalFrame& frame) {
    const Eigen::Vector2d origin = frame.origin().value_or(Eigen::Vector2d::Zero());
    return {name, Eigen::Vector3d(pose.eye.x() + origin.x(), pose.eye.y() + origin.y(), pose.eye.z()),
            Eigen::Vector3d(pose.center.x() + origin.x(), pose.center.y() + origin.y(), pose.center.z())};
}

}  // namespace ut::app
