#pragma once

#include <osg/Geometry>
#include <osg/ref_ptr>

#include "ut/geodata/BuildingSurfaces.h"
#include "ut/geodata/BuildingTable.h"

namespace ut::render {

// Vertex attribute slot holding each vertex's building index (as float: exact up to 2^24).
constexpr unsigned int kBuildingIndexAttribute = 6;

// How much of a city a mesh keeps: footprints simplified within simplifyToleranceM (Douglas–Peucker;
// 0 keeps them exact) and buildings both smaller than minFootprintM2 and lower than minHeightM left out
// (sheds and kiosks are invisible from afar).
struct MeshDetail {
    double simplifyToleranceM = 0.0;
    double minFootprintM2 = 0.0;
    double minHeightM = 0.0;
};

// Accumulates extruded buildings (walls with flat normals, triangulated flat roofs) into one
// geometry: a spatial tile becomes one draw call.
class BuildingMeshBuilder {
public:
    explicit BuildingMeshBuilder(MeshDetail detail = {});

    void addBuilding(const BuildingTable& buildings, std::size_t index);
    // A building as its 3D model's roof and wall surfaces (CityJSON, CityGML LoD1/LoD2) instead of an
    // extruded footprint; each surface faces the way its exterior ring turns (Newell normal).
    void addSurfaces(const BuildingSurfaces& surfaces, std::span<const std::uint32_t> surfaceIndices, std::size_t building);
    osg::ref_ptr<osg::Geometry> finish();
    // 3D models do not always orient their rings: a mesh with their surfaces is drawn from both sides.
    bool hasSurfaces() const { return m_hasSurfaces; }

private:
    void addWalls(std::span<const Eigen::Vector2d> ring, float bottom, float top);
    void addRoof(const std::vector<std::span<const Eigen::Vector2d>>& rings, float top);
    void addPolygon(const std::vector<std::vector<osg::Vec3>>& rings, const osg::Vec3& normal, const osg::Vec4ub& colour);

    MeshDetail m_detail;
    bool m_hasSurfaces = false;

    osg::ref_ptr<osg::Vec3Array> m_vertices;
    osg::ref_ptr<osg::Vec3Array> m_normals;
    osg::ref_ptr<osg::Vec4ubArray> m_colors;
    osg::ref_ptr<osg::FloatArray> m_buildingIndices;
    osg::ref_ptr<osg::DrawElementsUInt> m_triangles;
};

// The ring with vertices dropped while it stays within toleranceM of the original.
std::vector<Eigen::Vector2d> simplifyRing(std::span<const Eigen::Vector2d> ring, double toleranceM);

}  // namespace ut::render
