#include "ut/render/CityScene.h"

#include <osg/Geometry>
#include <osg/LOD>
#include <osg/Material>
#include <osg/MatrixTransform>
#include <osg/Camera>
#include <osg/CullFace>
#include <osg/Depth>
#include <osg/PolygonOffset>

#include <algorithm>
#include <atomic>
#include <thread>
#include <cmath>
#include <limits>
#include <map>

#include "OsgArrays.h"
#include "ut/render/BuildingMeshBuilder.h"
#include "ut/render/ViewSetup.h"

namespace ut::render {

namespace {
const osg::Vec4 kRoadColor(0.30f, 0.31f, 0.34f, 1.0f);
const osg::Vec4 kGroundColor(0.72f, 0.76f, 0.70f, 1.0f);
constexpr float kRoadLift = 0.15f;
constexpr double kLaneWidthM = 3.2;
// Each tile carries three meshes of its buildings, drawn by the tile's size on screen (bounding-sphere
// diameter, pixels): the full one from kNearTilePixels up, a simplified one down to kDistantTilePixels,
// and below that one with only the buildings that still show as more than a pixel or two.
constexpr float kNearTilePixels = 300.0f;
constexpr float kDistantTilePixels = 100.0f;
constexpr MeshDetail kFarDetail{5.0, 200.0, 20.0};
constexpr MeshDetail kDistantDetail{10.0, 1500.0, 50.0};

struct TileMeshes {
    BuildingMeshBuilder near;
    BuildingMeshBuilder far{kFarDetail};
    BuildingMeshBuilder distant{kDistantDetail};
};

// Grid nodes per terrain mesh vertex (the mesh has at most about 512 × 512 vertices), and its cell size.
int terrainMeshStep(const Terrain& terrain) {
    return std::max(1, (std::max(terrain.columns(), terrain.rows()) + 511) / 512);
}
double terrainMeshCellM(const Terrain& terrain) { return terrain.cellSizeM() * terrainMeshStep(terrain); }

osg::Vec3 at(const Eigen::Vector2d& p, float z) {
    return osg::Vec3(static_cast<float>(p.x()), static_cast<float>(p.y()), z);
}

// A ribbon along line, halfWidth to each side at height z above the line's own heights (none: flat), with
// mitred joins so that bends leave no gaps.
void appendRibbon(std::span<const Eigen::Vector2d> line, double halfWidth, float z, osg::Vec3Array& vertices,
                  osg::DrawElementsUInt& triangles, std::span<const double> heights = {}) {
    const auto first = static_cast<unsigned int>(vertices.size());
    for (std::size_t i = 0; i < line.size(); ++i) {
        const float lift = heights.empty() ? z : z + static_cast<float>(heights[i]);
        const Eigen::Vector2d in = i > 0 ? (line[i] - line[i - 1]).normalized() : Eigen::Vector2d::Zero();
        const Eigen::Vector2d out = i + 1 < line.size() ? (line[i + 1] - line[i]).normalized() : Eigen::Vector2d::Zero();
        Eigen::Vector2d direction = (in + out);
        if (direction.squaredNorm() < 1e-12) direction = out.squaredNorm() > 0 ? out : in;
        direction.normalize();
        const Eigen::Vector2d side(-direction.y(), direction.x());
        const Eigen::Vector2d reference = out.squaredNorm() > 0 ? out : in;
        const double cosine = std::max(0.3, std::abs(side.dot(Eigen::Vector2d(-reference.y(), reference.x()))));
        const Eigen::Vector2d offset = side * (halfWidth / cosine);
        vertices.push_back(at(line[i] + offset, lift));
        vertices.push_back(at(line[i] - offset, lift));
    }
    for (unsigned int i = 0; i + 1 < line.size(); ++i) {
        const unsigned int a = first + 2 * i;
        appendAll(triangles, {a + 1, a + 3, a + 2, a + 1, a + 2, a});
    }
}

double halfWidthOf(const RoadLink& link) { return 0.5 * std::max(link.lanes, 1) * kLaneWidthM; }

// A link's ribbon, lying on the terrain where there is one: sampled at least every terrain mesh cell.
void appendLinkRibbon(const RoadNetwork& roads, const Terrain& terrain, std::size_t link, double halfWidth, float z,
                      osg::Vec3Array& vertices, osg::DrawElementsUInt& triangles) {
    if (terrain.empty()) {
        appendRibbon(roads.geometry(link), halfWidth, z, vertices, triangles);
        return;
    }
    const std::vector<Eigen::Vector3d> draped = terrain.drape(roads.geometry(link), terrainMeshCellM(terrain));
    std::vector<Eigen::Vector2d> line;
    std::vector<double> heights;
    line.reserve(draped.size());
    heights.reserve(draped.size());
    for (const auto& p : draped) {
        line.emplace_back(p.x(), p.y());
        heights.push_back(p.z());
    }
    appendRibbon(line, halfWidth, z, vertices, triangles, heights);
}

osg::ref_ptr<osg::Geometry> ribbonGeometry(osg::Vec3Array* vertices, osg::DrawElementsUInt* triangles, const osg::Vec4& colour) {
    osg::ref_ptr<osg::Geometry> geometry = new osg::Geometry;
    geometry->setUseDisplayList(false);
    geometry->setUseVertexBufferObjects(true);
    geometry->setVertexArray(vertices);
    geometry->setNormalArray(arrayOf<osg::Vec3Array>({osg::Vec3(0, 0, 1)}), osg::Array::BIND_OVERALL);
    geometry->setColorArray(arrayOf<osg::Vec4Array>({colour}), osg::Array::BIND_OVERALL);
    geometry->addPrimitiveSet(triangles);
    return geometry;
}

osg::ref_ptr<osg::Geometry> buildRoads(const RoadNetwork& roads, const Terrain& terrain) {
    osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
    osg::ref_ptr<osg::DrawElementsUInt> triangles = new osg::DrawElementsUInt(GL_TRIANGLES);
    osg::ref_ptr<osg::FloatArray> linkIndices = new osg::FloatArray;
    for (std::size_t l = 0; l < roads.linkCount(); ++l) {
        appendLinkRibbon(roads, terrain, l, halfWidthOf(roads.link(l)), kRoadLift, *vertices, *triangles);
        linkIndices->resize(vertices->size(), static_cast<float>(l));
    }
    osg::ref_ptr<osg::Geometry> geometry = ribbonGeometry(vertices.get(), triangles.get(), kRoadColor);
    geometry->setVertexAttribArray(kRoadLinkIndexAttribute, linkIndices, osg::Array::BIND_PER_VERTEX);
    geometry->setName("roads");
    return geometry;
}

// A gradient from the pale horizon to a blue zenith over the window's upper part, drawn before everything else.
osg::ref_ptr<osg::Camera> buildSky() {
    osg::ref_ptr<osg::Camera> sky = new osg::Camera;
    sky->setReferenceFrame(osg::Transform::ABSOLUTE_RF);
    sky->setProjectionMatrixAsOrtho2D(0.0, 1.0, 0.0, 1.0);
    sky->setViewMatrix(osg::Matrix::identity());
    sky->setClearMask(0);
    sky->setRenderOrder(osg::Camera::NESTED_RENDER);
    sky->setAllowEventFocus(false);
    sky->setNodeMask(kSkyNodeMask);
    osg::ref_ptr<osg::Geometry> quad = new osg::Geometry;
    // Below 60 % of the window the sky is the clear colour (kSkyHorizon): only the gradient above is drawn.
    quad->setVertexArray(arrayOf<osg::Vec3Array>({osg::Vec3(1, 0.6f, 0), osg::Vec3(0, 0.6f, 0), osg::Vec3(1, 1, 0), osg::Vec3(0, 1, 0)}));
    const osg::Vec4 zenith(0.55f, 0.70f, 0.89f, 1.0f);
    quad->setColorArray(arrayOf<osg::Vec4Array>({kSkyHorizon, kSkyHorizon, zenith, zenith}), osg::Array::BIND_PER_VERTEX);
    osg::ref_ptr<osg::DrawElementsUShort> triangles = new osg::DrawElementsUShort(GL_TRIANGLES);
    appendAll(*triangles, {1, 0, 2, 1, 2, 3});
    quad->addPrimitiveSet(triangles);
    osg::StateSet* state = sky->getOrCreateStateSet();
    state->setMode(GL_LIGHTING, osg::StateAttribute::OFF | osg::StateAttribute::PROTECTED);
    state->setMode(GL_DEPTH_TEST, osg::StateAttribute::OFF);
    state->setAttributeAndModes(new osg::Depth(osg::Depth::ALWAYS, 0.0, 1.0, false));
    state->setRenderBinDetails(-10, "RenderBin");
    sky->addChild(quad);
    sky->setName("sky");
    return sky;
}

osg::ref_ptr<osg::Geometry> buildGround(const Eigen::AlignedBox2d& extent) {
    const Eigen::Vector2d margin = Eigen::Vector2d::Constant(extent.sizes().maxCoeff() * 1.0 + 300.0);
    const Eigen::Vector2d lo = extent.min() - margin;
    const Eigen::Vector2d hi = extent.max() + margin;
    osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
    appendAll(*vertices, {at(lo, 0), at({hi.x(), lo.y()}, 0), at(hi, 0), at({lo.x(), hi.y()}, 0)});
    osg::ref_ptr<osg::Geometry> geometry = new osg::Geometry;
    geometry->setVertexArray(vertices);
    geometry->setNormalArray(arrayOf<osg::Vec3Array>({osg::Vec3(0, 0, 1)}), osg::Array::BIND_OVERALL);
    geometry->setColorArray(arrayOf<osg::Vec4Array>({kGroundColor}), osg::Array::BIND_OVERALL);
    geometry->addPrimitiveSet(new osg::DrawArrays(GL_QUADS, 0, 4));
    geometry->getOrCreateStateSet()->setAttributeAndModes(new osg::PolygonOffset(1.0f, 4.0f));
    geometry->setName("ground");
    return geometry;
}

// The DEM's height grid as a lit mesh (at most about 512 × 512 vertices, cells without heights left
// open), drawn in place of the flat ground so that buildings placed on the terrain stand on it.
osg::ref_ptr<osg::Geometry> buildTerrain(const Terrain& terrain) {
    const int step = terrainMeshStep(terrain);
    const int columns = (terrain.columns() - 1) / step + 1;
    const int rows = (terrain.rows() - 1) / step + 1;
    osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
    osg::ref_ptr<osg::Vec3Array> normals = new osg::Vec3Array;
    vertices->reserve(static_cast<std::size_t>(columns) * static_cast<std::size_t>(rows));
    normals->reserve(vertices->capacity());
    auto height = [&](int c, int r) {
        const float h = terrain.at(std::clamp(c * step, 0, terrain.columns() - 1), std::clamp(r * step, 0, terrain.rows() - 1));
        return std::isnan(h) ? 0.0f : h;
    };
    const auto cell = static_cast<float>(terrain.cellSizeM() * step);
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < columns; ++c) {
            const Eigen::Vector2d p = terrain.origin() + Eigen::Vector2d(c, r) * terrain.cellSizeM() * step;
            vertices->push_back(at(p, height(c, r)));
            const float dx = (height(std::min(c + 1, columns - 1), r) - height(std::max(c - 1, 0), r)) /
                             (cell * static_cast<float>(std::min(c + 1, columns - 1) - std::max(c - 1, 0)));
            const float dy = (height(c, std::min(r + 1, rows - 1)) - height(c, std::max(r - 1, 0))) /
                             (cell * static_cast<float>(std::min(r + 1, rows - 1) - std::max(r - 1, 0)));
            osg::Vec3 normal(-dx, -dy, 1.0f);
            normal.normalize();
            normals->push_back(normal);
        }
    }
    auto valid = [&](int c, int r) {
        return !std::isnan(terrain.at(std::min(c * step, terrain.columns() - 1), std::min(r * step, terrain.rows() - 1)));
    };
    osg::ref_ptr<osg::DrawElementsUInt> triangles = new osg::DrawElementsUInt(GL_TRIANGLES);
    for (int r = 0; r + 1 < rows; ++r) {
        for (int c = 0; c + 1 < columns; ++c) {
            if (!valid(c, r) || !valid(c + 1, r) || !valid(c, r + 1) || !valid(c + 1, r + 1)) continue;
            const auto i = static_cast<unsigned>(r * columns + c);
            const auto up = i + static_cast<unsigned>(columns);
            appendAll(*triangles, {i, i + 1, up + 1, i, up + 1, up});
        }
    }
    osg::ref_ptr<osg::Geometry> geometry = new osg::Geometry;
    geometry->setUseDisplayList(false);
    geometry->setUseVertexBufferObjects(true);
    geometry->setVertexArray(vertices);
    geometry->setNormalArray(normals, osg::Array::BIND_PER_VERTEX);
    geometry->setColorArray(arrayOf<osg::Vec4Array>({kGroundColor}), osg::Array::BIND_OVERALL);
    geometry->addPrimitiveSet(triangles);
    geometry->getOrCreateStateSet()->setAttributeAndModes(new osg::PolygonOffset(1.0f, 4.0f));
    geometry->setName("terrain");
    return geometry;
}

// The terrain where the model has one; else the flat ground, under the lowest building where a 3D model
// (CityJSON, CityGML) gave absolute base elevations, so that such a city does not float above it.
osg::ref_ptr<osg::Node> groundFor(const CityModel& model, const Eigen::AlignedBox2d& extent) {
    if (!model.terrain.empty()) return buildTerrain(model.terrain);
    double lowest = INFINITY;
    for (std::size_t i = 0; i < model.buildings.size(); ++i)
        if (model.buildings.baseElevationKnown(i)) lowest = std::min(lowest, model.buildings.baseElevationM(i));
    osg::ref_ptr<osg::Geometry> ground = buildGround(extent);
    if (!std::isfinite(lowest) || lowest == 0.0) return ground;
    osg::ref_ptr<osg::MatrixTransform> lifted = new osg::MatrixTransform(osg::Matrix::translate(0.0, 0.0, lowest));
    lifted->addChild(ground);
    lifted->setName("ground");
    return lifted;
}

// One tile's LOD node with its three meshes (independent of the other tiles: built on any thread).
osg::ref_ptr<osg::LOD> buildTile(const CityModel& model, std::pair<long, long> key, const std::vector<std::uint32_t>& members,
                                 const std::vector<std::vector<std::uint32_t>>& surfacesOf) {
    TileMeshes meshes;
    for (const std::uint32_t i : members) {
        if (!surfacesOf[i].empty()) {
            meshes.near.addSurfaces(model.surfaces, surfacesOf[i], i);
        } else {
            meshes.near.addBuilding(model.buildings, i);
        }
        meshes.far.addBuilding(model.buildings, i);
        meshes.distant.addBuilding(model.buildings, i);
    }
    const std::string name = "buildings tile " + std::to_string(key.first) + "," + std::to_string(key.second);
    osg::ref_ptr<osg::LOD> tile = new osg::LOD;
    tile->setName(name);
    tile->setRangeMode(osg::LOD::PIXEL_SIZE_ON_SCREEN);
    auto near = meshes.near.finish();
    if (meshes.near.hasSurfaces()) near->getOrCreateStateSet()->setMode(GL_CULL_FACE, osg::StateAttribute::OFF);
    near->setName(name + " near");
    auto far = meshes.far.finish();
    far->setName(name + " far");
    auto distant = meshes.distant.finish();
    distant->setName(name + " distant");
    tile->addChild(near, kNearTilePixels, std::numeric_limits<float>::max());
    tile->addChild(far, kDistantTilePixels, kNearTilePixels);
    tile->addChild(distant, 0.0f, kDistantTilePixels);
    return tile;
}
}  // namespace

CityScene buildCityScene(const CityModel& model, const SceneOptions& options) {
    CityScene scene;
    scene.root = new osg::Group;
    scene.root->setName("city");
    osg::ref_ptr<osg::Material> material = new osg::Material;
    material->setColorMode(osg::Material::AMBIENT_AND_DIFFUSE);
    scene.root->getOrCreateStateSet()->setAttributeAndModes(material);

    scene.sky = buildSky();
    scene.root->addChild(scene.sky);

    Eigen::AlignedBox2d extent = extentOf(model);
    if (extent.isEmpty()) extent = Eigen::AlignedBox2d(Eigen::Vector2d(-500, -500), Eigen::Vector2d(500, 500));
    scene.ground = groundFor(model, extent);
    scene.root->addChild(scene.ground);

    scene.roads = buildRoads(model.roads, model.terrain);
    scene.root->addChild(scene.roads);

    const double tileSizeM = options.tileSizeM > 0.0 ? options.tileSizeM : autoTileSizeM(extent, model.buildings.size());
    // Buildings with a 3D model draw its surfaces up close, their extruded footprint from afar.
    std::vector<std::vector<std::uint32_t>> surfacesOf(model.buildings.size());
    for (std::size_t s = 0; s < model.surfaces.size(); ++s) {
        if (model.surfaces.building(s) < surfacesOf.size()) surfacesOf[model.surfaces.building(s)].push_back(static_cast<std::uint32_t>(s));
    }
    const auto& buildings = model.buildings;
    std::map<std::pair<long, long>, std::vector<std::uint32_t>> members;
    for (std::size_t i = 0; i < buildings.size(); ++i) {
        const Eigen::Vector2d anchor = buildings.ring(buildings.ringBegin(i)).front();
        members[{std::lround(std::floor(anchor.x() / tileSizeM)), std::lround(std::floor(anchor.y() / tileSizeM))}].push_back(
            static_cast<std::uint32_t>(i));
    }
    const std::vector<std::pair<std::pair<long, long>, std::vector<std::uint32_t>>> tiles(members.begin(), members.end());
    std::vector<osg::ref_ptr<osg::LOD>> tileNodes(tiles.size());
    std::atomic<std::size_t> nextTile{0};
    auto buildTiles = [&] {
        for (std::size_t t; (t = nextTile++) < tiles.size();) tileNodes[t] = buildTile(model, tiles[t].first, tiles[t].second, surfacesOf);
    };
    const std::size_t threads = std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), tiles.size());
    std::vector<std::thread> helpers;
    for (std::size_t h = 1; h < threads; ++h) helpers.emplace_back(buildTiles);
    buildTiles();
    for (auto& helper : helpers) helper.join();
    scene.buildings = new osg::Group;
    scene.buildings->setName("buildings");
    for (const auto& tile : tileNodes) scene.buildings->addChild(tile);
    scene.buildingTiles = tiles.size();
    scene.coloring = new BuildingColoring(buildings.size());
    scene.coloring->attachTo(*scene.buildings->getOrCreateStateSet());
    // Extruded footprints are closed and face outward (BuildingTable turns outer rings counter-clockwise).
    scene.buildings->getOrCreateStateSet()->setAttributeAndModes(new osg::CullFace(osg::CullFace::BACK));
    scene.root->addChild(scene.buildings);

    scene.shadow = new SunShadow(scene.buildings.get(), contentBounds(scene));
    scene.root->addChild(scene.shadow->node());
    scene.shadow->attachTo(*scene.root->getOrCreateStateSet());
    osg::ref_ptr<osg::Program> receiver = SunShadow::vertexColourProgram();
    scene.ground->getOrCreateStateSet()->setAttributeAndModes(receiver);
    scene.roads->getOrCreateStateSet()->setAttributeAndModes(receiver);
    return scene;
}

double autoTileSizeM(const Eigen::AlignedBox2d& extent, std::size_t buildings) {
    const double tiles = std::clamp(static_cast<double>(buildings) / 4000.0, 16.0, 400.0);
    const double area = extent.isEmpty() ? 1e6 : std::max(1e4, extent.volume());
    return std::max(200.0, std::sqrt(area / tiles));
}

void colourRoads(const CityScene& scene, std::span<const double> linkValues, const ColorMap& map, double minimum,
                 double maximum) {
    auto* roads = scene.roads ? scene.roads->asGeometry() : nullptr;
    if (!roads) return;
    const auto* links = dynamic_cast<const osg::FloatArray*>(roads->getVertexAttribArray(kRoadLinkIndexAttribute));
    if (!links) return;
    const double span = maximum > minimum ? maximum - minimum : 1.0;
    osg::ref_ptr<osg::Vec4Array> colours = new osg::Vec4Array;
    colours->reserve(links->size());
    for (const float link : *links) {
        const auto l = static_cast<std::size_t>(link);
        const double v = l < linkValues.size() ? linkValues[l] : std::numeric_limits<double>::quiet_NaN();
        const Rgb c = std::isfinite(v) ? map.at((v - minimum) / span) : Rgb{150, 150, 150};
        colours->push_back(osg::Vec4(c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, 1.0f));
    }
    roads->setColorArray(colours, osg::Array::BIND_PER_VERTEX);
    roads->dirtyGLObjects();
}

void clearRoadColours(const CityScene& scene) {
    auto* roads = scene.roads ? scene.roads->asGeometry() : nullptr;
    if (!roads) return;
    roads->setColorArray(arrayOf<osg::Vec4Array>({kRoadColor}), osg::Array::BIND_OVERALL);
    roads->dirtyGLObjects();
}

osg::ref_ptr<osg::Node> buildLinkHighlight(const RoadNetwork& roads, const Terrain& terrain, std::size_t link) {
    osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
    osg::ref_ptr<osg::DrawElementsUInt> triangles = new osg::DrawElementsUInt(GL_TRIANGLES);
    appendLinkRibbon(roads, terrain, link, halfWidthOf(roads.link(link)) + 1.5, kRoadLift + 0.1f, *vertices, *triangles);
    osg::ref_ptr<osg::Geometry> geometry = ribbonGeometry(vertices.get(), triangles.get(), osg::Vec4(0.95f, 0.10f, 0.35f, 1.0f));
    geometry->getOrCreateStateSet()->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
    geometry->setNodeMask(kSkyNodeMask);
    geometry->setName("link highlight");
    return geometry;
}

osg::BoundingSphere contentBounds(const CityScene& scene) {
    osg::BoundingSphere bounds;
    if (scene.buildings) bounds.expandBy(scene.buildings->getBound());
    if (scene.roads) bounds.expandBy(scene.roads->getBound());
    if (!bounds.valid() && scene.ground) bounds.expandBy(scene.ground->getBound());
    return bounds;
}

}  // namespace ut::render
