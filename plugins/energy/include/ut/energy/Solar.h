#pragma once

#include <vector>

#include "ut/sim/SunPosition.h"

namespace ut::energy {

// Sun position and extraterrestrial irradiance live in sim, shared by every simulation and the viewport.
using sim::extraterrestrialNormalWm2;
using sim::SunPosition;
using sim::sunPosition;

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
