#include "ut/render/Picking.h"

#include <osg/Camera>
#include <osg/Geometry>
#include <osgUtil/IntersectionVisitor>
#include <osgUtil/LineSegmentIntersector>

#include "ut/render/BuildingMeshBuilder.h"
#include "ut/render/CityScene.h"

namespace ut::render {

std::optional<std::size_t> pickBuilding(osg::Camera& camera, double windowX, double windowY) {
    osg::ref_ptr<osgUtil::LineSegmentIntersector> picker =
        new osgUtil::LineSegmentIntersector(osgUtil::Intersector::WINDOW, windowX, windowY);
    osgUtil::IntersectionVisitor visitor(picker.get());
    visitor.setTraversalMask(~kSkyNodeMask);
    camera.accept(visitor);
    if (!picker->containsIntersections()) return std::nullopt;
    const auto& nearest = picker->getFirstIntersection();
    const osg::Geometry* geometry = nearest.drawable ? nearest.drawable->asGeometry() : nullptr;
    if (!geometry || nearest.indexList.empty()) return std::nullopt;
    const auto* indices = dynamic_cast<const osg::FloatArray*>(geometry->getVertexAttribArray(kBuildingIndexAttribute));
    if (!indices || nearest.indexList.front() >= indices->size()) return std::nullopt;
    return static_cast<std::size_t>((*indices)[nearest.indexList.front()]);
}

}  // namespace ut::render
