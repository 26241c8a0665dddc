// A day of up to eight buildings that stepped side by side (ZoneHours), the per-building figures a
// city keeps: daily sums, the year's PV, electricity and self-consumption, and the district's hours.
// Private to the energy engine (CityEnergy.cpp's sink).
#pragma once

#include <cstddef>

#include "ut/energy/ZoneModel.h"

namespace ut::energy {

#pragma GCC diagnostic ignored "-Wpsabi"  // the vectors stay inside the engine
using Floats8 = float __attribute__((vector_size(32)));
static_assert(ZoneHours::kWidth == 8);

struct BuildingDays {
    // Per lane, for the day: kW DC of PV, kW of electricity per W of internal gains.
    Floats8 kwDc{}, electricPerGainsW{};
    float electricPerCoolingW = 0.0f;      // 1 / (1000 · COP)
    const double* pvAcWPerKwDc = nullptr;  // the site's, per hour; nullptr: no PV
    // The unit's district sums, per hour (added to).
    double* districtHeatKw = nullptr;
    double* districtCoolKw = nullptr;
    double* districtPvKw = nullptr;
    double* districtElecKw = nullptr;
};
// Per lane, the day's sums: heating and cooling (Wh), air temperature (°C·h), PV, electricity and
// self-consumed PV (kWh).
struct DaySums {
    Floats8 heatWh{}, coolWh{}, tempSum{}, pvKWh{}, elecKWh{}, selfKWh{};
};

DaySums sumDay(const ZoneHours& day, const BuildingDays& b);

}  // namespace ut::energy
