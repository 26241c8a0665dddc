#pragma once

#include <vector>

namespace ut::energy {

// Sun position from the NOAA solar calculator equations (Meeus, "Astronomical Algorithms"),
// without atmospheric refraction. Angles in degrees; azimuth clockwise from north.
struct SunPosition {
    double zenithDeg = 90.0;
    double azimuthDeg = 180.0;
};

// localStandardHour: hours since local midnight (standard time, no daylight saving), may be fractional.
SunPosition sunPosition(int year, int dayOfYear, double localStandardHour, double latitudeDeg,
                        double longitudeDeg, double timeZoneHours);

// Extraterrestrial normal irradiance (Spencer 1971), W/m².
double extraterrestrialNormalWm2(int dayOfYear);

// Irradiance on a plane: beam, sky diffuse (Perez 1990 all-sites composite) and ground-reflected.
struct PlaneIrradiance {
    double beamWm2 = 0.0;
    double skyDiffuseWm2 = 0.0;
    double groundWm2 = 0.0;
    double cosIncidence = 0.0;  // of the beam, 0 when the sun is behind the plane or below the horizon
    double totalWm2() const { return beamWm2 + skyDiffuseWm2 + groundWm2; }
    double diffuseWm2() const { return skyDiffuseWm2 + groundWm2; }
};

struct HorizontalIrradiance {
    double globalWm2 = 0.0;
    double directNormalWm2 = 0.0;
    double diffuseWm2 = 0.0;
    double extraterrestrialNormalWm2 = 1367.0;
    double albedo = 0.2;
};

// tiltDeg: 0 horizontal facing up, 90 vertical; surfaceAzimuthDeg clockwise from north (180 = south).
PlaneIrradiance perezPlaneIrradiance(double tiltDeg, double surfaceAzimuthDeg, const SunPosition& sun,
                                     const HorizontalIrradiance& horizontal);

}  // namespace ut::energy
