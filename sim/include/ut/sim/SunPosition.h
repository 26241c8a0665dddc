#pragma once

namespace ut::sim {

// Sun position from the NOAA solar calculator equations (Meeus, "Astronomical Algorithms"),
// without atmospheric refraction. Angles in degrees; azimuth clockwise from north.
struct SunPosition {
    double zenithDeg = 90.0;
    double azimuthDeg = 180.0;
};

// localStandardHour: hours since local midnight (standard time, no daylight saving), may be fractional.
SunPosition sunPosition(int year, int dayOfYear, double localStandardHour, double latitudeDeg, double longitudeDeg,
                        double timeZoneHours);

// Extraterrestrial normal irradiance (Spencer 1971), W/m².
double extraterrestrialNormalWm2(int dayOfYear);

}  // namespace ut::sim
