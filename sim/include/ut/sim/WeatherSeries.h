#pragma once

#include <string>
#include <vector>

namespace ut::sim {

struct WeatherStation {
    std::string name;
    std::string country;
    std::string wmo;
    double latitudeDeg = 0.0;
    double longitudeDeg = 0.0;
    double timeZoneHours = 0.0;
    double elevationM = 0.0;
};

// One typical year of hourly weather (8760 values per column, hour 1 = 00:00–01:00 local
// standard time on 1 January). Irradiances are hourly sums in Wh/m².
struct WeatherSeries {
    WeatherStation station;
    std::vector<double> dryBulbC;
    std::vector<double> dewPointC;
    std::vector<double> relativeHumidityPct;
    std::vector<double> globalHorizontalWhM2;
    std::vector<double> directNormalWhM2;
    std::vector<double> diffuseHorizontalWhM2;
    std::vector<double> windSpeedMs;
    // Horizontal infrared radiation from the sky (EPW field 13), Wh/m²; NaN where the file marks it missing.
    std::vector<double> horizontalInfraredWhM2;
    // Ground solar reflectance (EPW field 33); NaN where missing.
    std::vector<double> albedo;

    std::size_t hours() const { return dryBulbC.size(); }
};

}  // namespace ut::sim
