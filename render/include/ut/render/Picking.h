#pragma once

#include <cstddef>
#include <optional>

namespace osg {
class Camera;
}

namespace ut::render {

struct PickedEntity {
    enum class Kind { Building, RoadLink, Sensor } kind;
    std::size_t index;
};

// What lies under a window position (pixels, origin bottom-left) as the camera sees the scene:
// a building, a road link or a sensor marker, or nullopt for ground and sky.
std::optional<PickedEntity> pickEntity(osg::Camera& camera, double windowX, double windowY);

// The building there, or nullopt when the nearest thing is not a building.
std::optional<std::size_t> pickBuilding(osg::Camera& camera, double windowX, double windowY);

}  // namespace ut::render
