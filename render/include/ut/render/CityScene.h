#pragma once

#include <osg/Group>
#include <osg/ref_ptr>
#include <span>

#include "ut/geodata/CityModel.h"
#include "ut/render/BuildingColoring.h"
#include "ut/render/SunShadow.h"

namespace ut::render {

// Node mask bit of things that are drawn but never picked (the sky, highlights).
constexpr unsigned int kSkyNodeMask = 0x2;
// Vertex attribute slot holding each road vertex's link index.
constexpr unsigned int kRoadLinkIndexAttribute = 7;

// The OpenSceneGraph view of a CityModel. Each part is a child of root, so that the
// layer list can show or hide it.
struct CityScene {
    osg::ref_ptr<osg::Group> root;
    osg::ref_ptr<osg::Group> buildings;  // one drawable per spatial tile
    osg::ref_ptr<osg::Node> roads;
    osg::ref_ptr<osg::Node> ground;
    osg::ref_ptr<osg::Node> sky;  // a gradient behind everything; not pickable
    osg::ref_ptr<BuildingColoring> coloring;  // colours buildings by result values
    osg::ref_ptr<SunShadow> shadow;           // the buildings' shadows on the ground, roads and each other
    std::size_t buildingTiles = 0;
};

struct SceneOptions {
    // Side of the square tiles that batch buildings into one draw call each; 0 picks it so that
    // there are about one tile per 4,000 buildings (between 16 and 400 tiles).
    double tileSizeM = 0.0;
};

double autoTileSizeM(const Eigen::AlignedBox2d& extent, std::size_t buildings);

// Builds geometry only: safe to call on a worker thread.
CityScene buildCityScene(const CityModel& model, const SceneOptions& options = {});

// Colours the road ribbons by a value per link (through map over [minimum, maximum]; NaN grey), or
// back to their plain colour. Rewrites the roads' colour array only.
void colourRoads(const CityScene& scene, std::span<const double> linkValues, const ColorMap& map, double minimum,
                 double maximum);
void clearRoadColours(const CityScene& scene);

// A road link drawn over the roads in the highlight colour (not pickable), lying on the terrain (when it is
// not empty) as the road ribbons do; add it to the root.
osg::ref_ptr<osg::Node> buildLinkHighlight(const RoadNetwork& roads, const Terrain& terrain, std::size_t link);

// Bounds of the buildings and roads (the ground reaches beyond them): what home views fit.
osg::BoundingSphere contentBounds(const CityScene& scene);

}  // namespace ut::render
