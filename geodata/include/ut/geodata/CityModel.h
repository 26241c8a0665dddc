#pragma once

#include <Eigen/Geometry>

#include "ut/geodata/BuildingTable.h"
#include "ut/geodata/LocalFrame.h"
#include "ut/geodata/RoadNetwork.h"

namespace ut {

// The city in one local metric frame: what loaders fill and everything downstream reads.
struct CityModel {
    LocalFrame frame;
    BuildingTable buildings;
    RoadNetwork roads;
};

// Axis-aligned bounds of every footprint and road vertex, in the local frame.
Eigen::AlignedBox2d extentOf(const CityModel& model);

}  // namespace ut
