#pragma once

#include <Eigen/Geometry>

#include "ut/geodata/BuildingSurfaces.h"
#include "ut/geodata/BuildingTable.h"
#include "ut/geodata/LocalFrame.h"
#include "ut/geodata/RoadNetwork.h"
#include "ut/geodata/Terrain.h"

namespace ut {

// The city in one local metric frame: what loaders fill and everything downstream reads.
struct CityModel {
    LocalFrame frame;
    BuildingTable buildings;
    RoadNetwork roads;
    BuildingSurfaces surfaces;  // LoD1/LoD2 roofs, walls and ground surfaces (CityJSON, CityGML)
    Terrain terrain;            // from a DEM layer; empty when the project has none
};

// Axis-aligned bounds of every footprint and road vertex, in the local frame.
Eigen::AlignedBox2d extentOf(const CityModel& model);

}  // namespace ut
