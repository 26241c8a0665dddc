#pragma once

#include <limits>

#include "ut/energy/Solar.h"
#include "ut/energy/ZoneModel.h"
#include "ut/sim/WeatherSeries.h"

namespace ut::energy {

// Hour h (0-based) of a typical-year file covers h … h+1 local standard time; the sun is placed at
// the middle of the hour, or at the middle of the part of the hour it is up at sunrise and sunset.
SunPosition sunForHour(const sim::WeatherSeries& weather, std::size_t hour, int year);

// Sky temperature from the file's horizontal infrared radiation (σT⁴), or where it is missing from
// the dew point (Berdahl & Martin 1984 clear-sky emissivity). groundAlbedo: the ground's solar
// reflectance; NaN takes the file's hourly value, or 0.2 where the file has none.
SiteClimate buildSiteClimate(const sim::WeatherSeries& weather, int year = 2026,
                             double groundAlbedo = std::numeric_limits<double>::quiet_NaN());

}  // namespace ut::energy
