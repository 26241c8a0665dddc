#include "ut/sim/SunPosition.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ut::sim {

namespace {
constexpr double kDeg = std::numbers::pi / 180.0;

double julianDay(int year, int dayOfYear, double utcHour) {
    // Days from 1970-01-01 to 1 January of `year` (proleptic Gregorian; H. Hinnant's days_from_civil).
    const int y = year - 1;  // months Jan/Feb count in the previous March-based year
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = 306;  // 1 January is day 306 of the March-based year
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const double daysSinceEpoch = era * 146097.0 + doe - 719468.0;
    return 2440587.5 + daysSinceEpoch + (dayOfYear - 1) + utcHour / 24.0;
}
}  // namespace

SunPosition sunPosition(int year, int dayOfYear, double localStandardHour, double latitudeDeg,
                        double longitudeDeg, double timeZoneHours) {
    const double utcHour = localStandardHour - timeZoneHours;
    const double jd = julianDay(year, dayOfYear, utcHour);
    const double t = (jd - 2451545.0) / 36525.0;  // Julian centuries since J2000.0

    const double meanLongDeg = std::fmod(280.46646 + t * (36000.76983 + t * 0.0003032), 360.0);
    const double meanAnomDeg = 357.52911 + t * (35999.05029 - 0.0001537 * t);
    const double eccentricity = 0.016708634 - t * (0.000042037 + 0.0000001267 * t);
    const double m = meanAnomDeg * kDeg;
    const double centerDeg = std::sin(m) * (1.914602 - t * (0.004817 + 0.000014 * t)) +
                             std::sin(2 * m) * (0.019993 - 0.000101 * t) + std::sin(3 * m) * 0.000289;
    const double trueLongDeg = meanLongDeg + centerDeg;
    const double omegaDeg = 125.04 - 1934.136 * t;
    const double appLongDeg = trueLongDeg - 0.00569 - 0.00478 * std::sin(omegaDeg * kDeg);
    const double meanObliqDeg =
        23.0 + (26.0 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60.0) / 60.0;
    const double obliqDeg = meanObliqDeg + 0.00256 * std::cos(omegaDeg * kDeg);
    const double declination = std::asin(std::sin(obliqDeg * kDeg) * std::sin(appLongDeg * kDeg));

    const double yy = std::pow(std::tan(obliqDeg * kDeg / 2.0), 2);
    const double l0 = meanLongDeg * kDeg;
    const double eqTimeMin =
        4.0 / kDeg *
        (yy * std::sin(2 * l0) - 2 * eccentricity * std::sin(m) +
         4 * eccentricity * yy * std::sin(m) * std::cos(2 * l0) - 0.5 * yy * yy * std::sin(4 * l0) -
         1.25 * eccentricity * eccentricity * std::sin(2 * m));

    const double trueSolarMin = std::fmod(
        localStandardHour * 60.0 + eqTimeMin + 4.0 * longitudeDeg - 60.0 * timeZoneHours + 1440.0 * 4,
        1440.0);
    double hourAngleDeg = trueSolarMin / 4.0 - 180.0;
    if (hourAngleDeg < -180.0) hourAngleDeg += 360.0;
    const double lat = latitudeDeg * kDeg;
    const double h = hourAngleDeg * kDeg;
    const double cosZenith = std::clamp(
        std::sin(lat) * std::sin(declination) + std::cos(lat) * std::cos(declination) * std::cos(h), -1.0,
        1.0);
    const double zenith = std::acos(cosZenith);
    SunPosition sun;
    sun.zenithDeg = zenith / kDeg;
    const double sinZenith = std::sin(zenith);
    if (sinZenith < 1e-9) {
        sun.azimuthDeg = 180.0;
        return sun;
    }
    const double cosAz = std::clamp(
        (std::sin(lat) * cosZenith - std::sin(declination)) / (std::cos(lat) * sinZenith), -1.0, 1.0);
    const double azFromSouthDeg =
        std::acos(cosAz) / kDeg;  // NOAA: measured from north after the sign flip below
    sun.azimuthDeg = hourAngleDeg > 0.0 ? std::fmod(azFromSouthDeg + 180.0, 360.0)
                                        : std::fmod(540.0 - azFromSouthDeg, 360.0);
    return sun;
}

double extraterrestrialNormalWm2(int dayOfYear) {
    const double b = 2.0 * std::numbers::pi * (dayOfYear - 1) / 365.0;
    return 1367.0 * (1.00011 + 0.034221 * std::cos(b) + 0.00128 * std::sin(b) + 0.000719 * std::cos(2 * b) +
                     0.000077 * std::sin(2 * b));
}

}  // namespace ut::sim
