#pragma once

#include <vector>

#include "ut/geodata/BuildingTable.h"
#include "ut/render/Legend.h"
#include "ut/sim/ResultSet.h"

namespace ut::app {

// Fields every city has, from its buildings' attributes, to colour by before any simulation:
// city.height_m, city.footprint_area_m2, city.year_built (NaN when unknown), and the categorical
// city.use_class and city.height_source.
sim::ResultSet attributeFields(const BuildingTable& buildings);

struct BuildingColours {
    std::vector<double> values;  // one per building row, ready for BuildingColoring::setValues
    render::LegendSpec legend;
};

// The values of a building field at a time step (parts show their building's value where it has
// one, so that a building drawn by overlapping parts reads as one) and the legend that goes with
// them: categories for a categorical field, RdBu symmetric around zero for differences, viridis
// otherwise — both over the 2nd to 98th percentile of the field's finite values.
BuildingColours buildingColours(const sim::Field& field, const BuildingTable& buildings, std::size_t step, bool difference);

// The same for any entity kind (road links …), without the building-part rule.
BuildingColours fieldColours(const sim::Field& field, std::size_t step, bool difference);

}  // namespace ut::app
