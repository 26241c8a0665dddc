#include "ut/energy/Solar.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ut::energy {

namespace {
constexpr double kDeg = std::numbers::pi / 180.0;
}  // namespace

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
