#include "ut/energy/Solar.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ut::energy {

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

PlaneIrradiance perezPlaneIrradiance(double tiltDeg, double surfaceAzimuthDeg, const SunPosition& sun,
                                     const HorizontalIrradiance& horizontal) {
    // Perez, Ineichen, Seals, Michalsky, Stewart (1990), Solar Energy 44(5):271–289, Table 6
    // ("all sites composite"): F11 F12 F13 F21 F22 F23 per clearness bin.
    static constexpr double kF[8][6] = {
        {-0.0083117, 0.5877285, -0.0620636, -0.0596012, 0.0721249, -0.0220216},
        {0.1299457, 0.6825954, -0.1513752, -0.0189325, 0.0659650, -0.0288748},
        {0.3296958, 0.4868735, -0.2210958, 0.0554140, -0.0639588, -0.0260542},
        {0.5682053, 0.1874525, -0.2951290, 0.1088631, -0.1519229, -0.0139754},
        {0.8730280, -0.3920403, -0.3616149, 0.2255647, -0.4620442, 0.0012448},
        {1.1326077, -1.2367284, -0.4118494, 0.2877813, -0.8230357, 0.0558651},
        {1.0601591, -1.5999137, -0.3589221, 0.2642124, -1.1272340, 0.1310694},
        {0.6777470, -0.3272588, -0.2504286, 0.1561313, -1.3765031, 0.2506212}};
    static constexpr double kEpsilonUpper[7] = {1.065, 1.230, 1.500, 1.950, 2.800, 4.500, 6.200};

    PlaneIrradiance out;
    const double tilt = tiltDeg * kDeg;
    const double zenith = sun.zenithDeg * kDeg;
    const double cosZ = std::cos(zenith);
    const double cosTilt = std::cos(tilt);
    out.groundWm2 = horizontal.globalWm2 * horizontal.albedo * (1.0 - cosTilt) / 2.0;
    const double dhi = std::max(0.0, horizontal.diffuseWm2);
    const double dni = std::max(0.0, horizontal.directNormalWm2);
    if (dhi <= 0.0 && dni <= 0.0) return out;

    double cosInc = 0.0;
    if (cosZ > 0.0) {
        cosInc = cosZ * cosTilt +
                 std::sin(zenith) * std::sin(tilt) * std::cos((sun.azimuthDeg - surfaceAzimuthDeg) * kDeg);
        cosInc = std::max(0.0, cosInc);
        out.beamWm2 = dni * cosInc;
        out.cosIncidence = cosInc;
    }
    if (dhi <= 0.0) return out;

    const double zenithDeg = std::min(sun.zenithDeg, 90.0);
    const double kappa = 1.041;  // for zenith in radians
    const double zr = zenithDeg * kDeg;
    const double epsilon = ((dhi + dni) / dhi + kappa * zr * zr * zr) / (1.0 + kappa * zr * zr * zr);
    // Kasten & Young (1989) relative air mass.
    const double airMass =
        1.0 / (std::cos(zr) + 0.50572 * std::pow(std::max(96.07995 - zenithDeg, 0.1), -1.6364));
    const double delta = dhi * airMass / std::max(horizontal.extraterrestrialNormalWm2, 1.0);
    int bin = 0;
    while (bin < 7 && epsilon >= kEpsilonUpper[bin]) ++bin;
    const double* f = kF[bin];
    const double f1 = std::max(0.0, f[0] + f[1] * delta + f[2] * zr);
    const double f2 = f[3] + f[4] * delta + f[5] * zr;
    const double a = cosInc;
    const double b = std::max(std::cos(85.0 * kDeg), cosZ);
    out.skyDiffuseWm2 =
        std::max(0.0, dhi * ((1.0 - f1) * (1.0 + cosTilt) / 2.0 + f1 * a / b + f2 * std::sin(tilt)));
    return out;
}

}  // namespace ut::energy
