#pragma once

#include "ut/app/Project.h"
#include "ut/geodata/LocalFrame.h"
#include "ut/render/CameraPose.h"

namespace ut::app {

// A saved viewpoint (frame CRS coordinates) as a camera pose in the local frame, and back.
render::CameraPose cameraPoseOf(const Viewpoint& viewpoint, const LocalFrame& frame);
Viewpoint viewpointOf(const QString& name, const render::CameraPose& pose, const LocalFrame& frame);

}  // namespace ut::app
