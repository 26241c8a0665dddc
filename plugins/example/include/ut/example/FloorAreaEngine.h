#pragma once

#include <vector>

#include "ut/geodata/BuildingTable.h"

namespace ut::example {

struct FloorAreaInputs {
    double storeyHeightM = 3.0;  // used where a building has no floor count
    double cellSizeM = 250.0;    // side of the square grid cells
};

// Gross floor area (GFA) and floor-area ratio (FAR) — the planner's density figures.
// Per building: floors (a floor-count attribute, else round(height / storey height), at least 1)
// and GFA = footprint area × floors. Per grid cell: FAR = GFA of the buildings whose first
// vertex lies in the cell / cell area. District FAR = total GFA / area of the cells that hold
// buildings (a stand-in for the site area, which footprint data does not carry). Building parts
// (OSM building:part) belong to their building's floor area: their floors and GFA are NaN and
// their cell FAR is their building's.
struct FloorAreaResult {
    std::vector<double> floors;
    std::vector<double> gfaM2;
    std::vector<double> cellFar;  // FAR of each building's cell
    double totalGfaM2 = 0.0;
    double builtCellsAreaM2 = 0.0;
    double districtFar = 0.0;
    double maxCellFar = 0.0;
    std::size_t builtCells = 0;
};

FloorAreaResult computeFloorArea(const BuildingTable& buildings, const FloorAreaInputs& inputs);

}  // namespace ut::example
