#pragma once

#include <cstddef>
#include <optional>

namespace osg {
class Camera;
}

namespace ut::render {

// The building under a window position (pixels, origin bottom-left) as the camera sees the
// scene, or nullopt when the nearest thing there is not a building (ground, road, sky).
std::optional<std::size_t> pickBuilding(osg::Camera& camera, double windowX, double windowY);

}  // namespace ut::render
