#include "ut/example/FloorAreaEngine.h"

#include <cmath>
#include <limits>
#include <map>

#include "ut/geodata/AttributeMapping.h"

namespace ut::example {

FloorAreaResult computeFloorArea(const BuildingTable& buildings, const FloorAreaInputs& inputs) {
    FloorAreaResult result;
    const std::size_t n = buildings.size();
    result.floors.assign(n, 0.0);
    result.gfaM2.assign(n, 0.0);
    result.cellFar.assign(n, 0.0);
    std::vector<std::pair<long, long>> cellOf(n);
    std::map<std::pair<long, long>, double> gfaPerCell;
    for (std::size_t i = 0; i < n; ++i) {
        if (buildings.isPart(i)) continue;
        double floors = 0.0;
        if (auto text = findAttribute(buildings.attributes(i), {"building:levels", "levels", "GRND_FLR", "floors"})) {
            floors = parsePositiveNumber(*text).value_or(0.0);
        }
        if (floors <= 0.0) floors = std::max(1.0, std::round(buildings.heightM(i) / inputs.storeyHeightM));
        result.floors[i] = floors;
        result.gfaM2[i] = buildings.footprintAreaM2(i) * floors;
        result.totalGfaM2 += result.gfaM2[i];
        const Eigen::Vector2d anchor = buildings.ring(buildings.ringBegin(i)).front();
        cellOf[i] = {std::lround(std::floor(anchor.x() / inputs.cellSizeM)),
                     std::lround(std::floor(anchor.y() / inputs.cellSizeM))};
        gfaPerCell[cellOf[i]] += result.gfaM2[i];
    }
    const double cellArea = inputs.cellSizeM * inputs.cellSizeM;
    for (const auto& [cell, gfa] : gfaPerCell) result.maxCellFar = std::max(result.maxCellFar, gfa / cellArea);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t owner = buildings.isPart(i) ? buildings.partOf(i) : i;
        result.cellFar[i] = gfaPerCell[cellOf[owner]] / cellArea;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (!buildings.isPart(i)) continue;
        result.floors[i] = std::numeric_limits<double>::quiet_NaN();
        result.gfaM2[i] = std::numeric_limits<double>::quiet_NaN();
    }
    result.builtCells = gfaPerCell.size();
    result.builtCellsAreaM2 = cellArea * static_cast<double>(result.builtCells);
    result.districtFar = result.builtCellsAreaM2 > 0.0 ? result.totalGfaM2 / result.builtCellsAreaM2 : 0.0;
    return result;
}

}  // namespace ut::example
