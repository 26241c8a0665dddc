#include "ut/render/Picking.h"

#include <osg/Camera>
#include <osg/Geometry>
#include <osgUtil/IntersectionVisitor>
#include <osgUtil/LineSegmentIntersector>

#include "ut/render/BuildingMeshBuilder.h"
#include "ut/render/CityScene.h"
#include "ut/render/SensorMarkers.h"

namespace ut::render {

std::optional<PickedEntity> pickEntity(osg::Camera& camera, double windowX, double windowY) {
    osg::ref_ptr<osgUtil::LineSegmentIntersector> picker =
        new osgUtil::LineSegmentIntersector(osgUtil::Intersector::WINDOW, windowX, windowY);
    osgUtil::IntersectionVisitor visitor(picker.get());
    visitor.setTraversalMask(~kSkyNodeMask);
    camera.accept(visitor);
    if (!picker->containsIntersections()) return std::nullopt;
    const auto& nearest = picker->getFirstIntersection();
    const osg::Geometry* geometry = nearest.drawable ? nearest.drawable->asGeometry() : nullptr;
    if (!geometry || nearest.indexList.empty()) return std::nullopt;
    for (const auto& [attribute, kind] : {std::pair{kBuildingIndexAttribute, PickedEntity::Kind::Building},
                                          std::pair{kRoadLinkIndexAttribute, PickedEntity::Kind::RoadLink},
                                          std::pair{kSensorIndexAttribute, PickedEntity::Kind::Sensor}}) {
        const auto* indices = dynamic_cast<const osg::FloatArray*>(geometry->getVertexAttribArray(attribute));
        if (indices && nearest.indexList.front() < indices->size()) {
            return PickedEntity{kind, static_cast<std::size_t>((*indices)[nearest.indexList.front()])};
        }
    }
    return std::nullopt;
}

std::optional<std::size_t> pickBuilding(osg::Camera& camera, double windowX, double windowY) {
    const auto picked = pickEntity(camera, windowX, windowY);
    if (!picked || picked->kind != PickedEntity::Kind::Building) return std::nullopt;
    return picked->index;
}

}  // namespace ut::render
