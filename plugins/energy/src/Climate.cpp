#include "ut/energy/Climate.h"

#include <algorithm>
#include <cmath>

namespace ut::energy {

namespace {
constexpr double kSigma = 5.670374419e-8;
}

SunPosition sunForHour(const sim::WeatherSeries& weather, std::size_t hour, int year) {
    const auto& st = weather.station;
    const int day = static_cast<int>(hour / 24) + 1;
    const double start = static_cast<double>(hour % 24);
    const SunPosition mid =
        sunPosition(year, day, start + 0.5, st.latitudeDeg, st.longitudeDeg, st.timeZoneHours);
    if (mid.zenithDeg < 90.0) {
        const SunPosition a =
            sunPosition(year, day, start, st.latitudeDeg, st.longitudeDeg, st.timeZoneHours);
        const SunPosition b =
            sunPosition(year, day, start + 1.0, st.latitudeDeg, st.longitudeDeg, st.timeZoneHours);
        if (a.zenithDeg < 90.0 && b.zenithDeg < 90.0) return mid;
    }
    // Sunrise or sunset within the hour: find the sunlit part by bisection on the horizon crossing.
    const SunPosition a = sunPosition(year, day, start, st.latitudeDeg, st.longitudeDeg, st.timeZoneHours);
    const SunPosition b =
        sunPosition(year, day, start + 1.0, st.latitudeDeg, st.longitudeDeg, st.timeZoneHours);
    const bool upA = a.zenithDeg < 90.0, upB = b.zenithDeg < 90.0;
    if (upA == upB) return mid;  // down all hour (or up all hour)
    double lo = start, hi = start + 1.0;
    for (int i = 0; i < 30; ++i) {
        const double m = (lo + hi) / 2;
        const bool up =
            sunPosition(year, day, m, st.latitudeDeg, st.longitudeDeg, st.timeZoneHours).zenithDeg < 90.0;
        if (up == upA)
            lo = m;
        else
            hi = m;
    }
    const double crossing = (lo + hi) / 2;
    const double middle = upA ? (start + crossing) / 2 : (crossing + start + 1.0) / 2;
    return sunPosition(year, day, middle, st.latitudeDeg, st.longitudeDeg, st.timeZoneHours);
}

SiteClimate buildSiteClimate(const sim::WeatherSeries& weather, int year, double groundAlbedo) {
    const std::size_t hours = weather.hours();
    SiteClimate c;
    c.dryBulbC = weather.dryBulbC;
    // Wind outside [0, 999) m/s (999: the EPW's "missing"; not a number) counts as calm.
    c.windSpeedMs = weather.windSpeedMs;
    for (double& w : c.windSpeedMs) w = w >= 0.0 && w < 999.0 ? w : 0.0;
    c.skyTemperatureC.assign(hours, 0.0);
    c.horizontalTotalWm2.assign(hours, 0.0);
    const auto bins = static_cast<std::size_t>(SiteClimate::kOrientationBins);
    c.verticalBeamWm2.assign(bins, std::vector<double>(hours, 0.0));
    c.verticalDiffuseWm2.assign(bins, std::vector<double>(hours, 0.0));
    c.verticalCosIncidence.assign(bins, std::vector<double>(hours, 0.0));
    for (std::size_t h = 0; h < hours; ++h) {
        const double ir =
            h < weather.horizontalInfraredWhM2.size() ? weather.horizontalInfraredWhM2[h] : std::nan("");
        if (std::isfinite(ir)) {
            c.skyTemperatureC[h] = std::pow(ir / kSigma, 0.25) - 273.15;
        } else {
            const double tdp = weather.dewPointC[h] / 100.0;
            const double emissivity = std::clamp(0.711 + 0.56 * tdp + 0.73 * tdp * tdp, 0.3, 1.0);
            c.skyTemperatureC[h] = std::pow(emissivity, 0.25) * (weather.dryBulbC[h] + 273.15) - 273.15;
        }
        HorizontalIrradiance hz;
        hz.globalWm2 = weather.globalHorizontalWhM2[h];
        hz.directNormalWm2 = weather.directNormalWhM2[h];
        hz.diffuseWm2 = weather.diffuseHorizontalWhM2[h];
        const int day = static_cast<int>(h / 24) + 1;
        hz.extraterrestrialNormalWm2 = extraterrestrialNormalWm2(day);
        const double fileAlbedo = h < weather.albedo.size() ? weather.albedo[h] : std::nan("");
        hz.albedo = std::isfinite(groundAlbedo) ? groundAlbedo : std::isfinite(fileAlbedo) ? fileAlbedo : 0.2;
        if (hz.globalWm2 <= 0.0 && hz.diffuseWm2 <= 0.0 && hz.directNormalWm2 <= 0.0) continue;
        const SunPosition sun = sunForHour(weather, h, year);
        if (sun.zenithDeg >= 90.0) hz.directNormalWm2 = 0.0;
        c.horizontalTotalWm2[h] = perezPlaneIrradiance(0.0, 180.0, sun, hz).totalWm2();
        for (std::size_t b = 0; b < bins; ++b) {
            const PlaneIrradiance p =
                perezPlaneIrradiance(90.0, SiteClimate::azimuthOfBin(static_cast<int>(b)), sun, hz);
            c.verticalBeamWm2[b][h] = p.beamWm2;
            c.verticalDiffuseWm2[b][h] = p.diffuseWm2();
            c.verticalCosIncidence[b][h] = p.cosIncidence;
        }
    }
    return c;
}

}  // namespace ut::energy
