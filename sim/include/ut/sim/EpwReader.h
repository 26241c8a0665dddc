#pragma once

#include <string>

#include "ut/geodata/Result.h"
#include "ut/sim/WeatherSeries.h"

namespace ut::sim {

// Reads an EnergyPlus weather file (EPW): the LOCATION header and 8760 hourly records.
// Errors name the file and the line.
Result<WeatherSeries> readEpw(const std::string& path);

}  // namespace ut::sim
