#pragma once

#include <Eigen/Geometry>
#include <string>
#include <vector>

#include "ut/geodata/AttributeMapping.h"
#include "ut/geodata/CityJsonLoader.h"
#include "ut/geodata/CityModel.h"
#include "ut/geodata/VectorLoader.h"

namespace ut {

// Turns 3D buildings (boundary surfaces as rings of vertex indices, CityJSON and CityGML alike) into rows of
// the building table and surfaces of the surface store: footprint, height, base elevation, parts.
// The 3D model's vertices as x, y in the project frame (z stays as the file has it). A frame without a
// CRS takes the UTM zone of the model's centre. Errors name the file.
Result<std::vector<Eigen::Vector2d>> planarVerticesInFrame(const std::vector<Eigen::Vector3d>& vertices,
                                                           const std::string& crs, CityModel& model,
                                                           const std::string& path);

class ModelBuilding {
public:
    using Surfaces = std::vector<CityJsonDocument::Surface>;
    struct Item {
        std::string id;
        const AttributeList* attributes = nullptr;
        const Surfaces* surfaces = nullptr;
        std::vector<Item> parts;
    };

    // planar: every vertex's x, y in the frame CRS (absolute; NaN where reprojection failed); points: the
    // source vertices, whose z is kept. Fixes the frame's origin (the rounded centre of planar) when unset.
    ModelBuilding(CityModel& model, const HeightRules& rules, LoadReport& report,
                  const std::vector<Eigen::Vector2d>& planar, const std::vector<Eigen::Vector3d>& points);

    void add(const Item& building);

private:
    struct Shape {
        BuildingDraft draft;
        std::vector<SurfaceType> types;  // per surface, semantics or guessed from the normal
        double minZ = 0.0;
        double maxZ = 0.0;
        bool ok = false;
    };
    Shape shapeOf(const Item& item, bool footprintRequired);
    void describe(BuildingDraft& draft, const Item& item, double geometricHeight);
    void addSurfaces(const Item& item, const Shape& shape, std::size_t row);
    void skip(const std::string& reason) { ++m_report.skipReasons[reason]; }

    CityModel& m_model;
    HeightRules m_rules;
    LoadReport& m_report;
    const std::vector<Eigen::Vector2d>& m_planar;
    const std::vector<Eigen::Vector3d>& m_points;
    Eigen::Vector2d m_origin;
    std::vector<Eigen::Vector3d> m_ring3;
};

}  // namespace ut
