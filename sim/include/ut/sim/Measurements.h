#pragma once

#include <QString>
#include <cstdint>
#include <string>
#include <vector>

#include "ut/sim/ResultSet.h"

namespace ut::sim {

// What a sensor measured at one entity of the city (a meter at a building, a counter on a road
// link), as the app hands it to simulations: they may calibrate against it or compare with it.
struct MeasuredSeries {
    QString datastreamId;
    QString name;
    QString observedProperty;
    QString unitSymbol;
    EntityKind entityKind = EntityKind::Building;
    std::size_t entity = 0;               // index in the city's buildings or road links
    std::vector<std::int64_t> timesMs;    // milliseconds since 1970-01-01T00:00:00Z, ascending
    std::vector<double> values;
};

using Measurements = std::vector<MeasuredSeries>;

}  // namespace ut::sim
