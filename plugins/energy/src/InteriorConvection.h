#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace ut::energy {

// Walton (1983) natural convection, W/(m²K), for the surface-minus-air temperature difference dT.
// kind: 0 vertical, 1 floor (facing up), 2 ceiling (facing down). Shared by the zone kernels so that
// they compute the same coefficients.
inline double tarpConvection(int kind, double dT) {
    // |dT|^(1/3) by a bit-level first guess and three Newton steps (relative error < 1e-7): this runs
    // five times per sub-step for every building of a city.
    const double x = std::abs(dT);
    if (x < 1e-12) return 0.1;
    std::uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    bits = bits / 3 + 0x2A9F7893782DA1CEull;
    double c;
    std::memcpy(&c, &bits, sizeof c);
    c = c - (c * c * c - x) / (3.0 * c * c);
    c = c - (c * c * c - x) / (3.0 * c * c);
    c = c - (c * c * c - x) / (3.0 * c * c);
    double h;
    if (kind == 0) {
        h = 1.31 * c;
    } else {
        const bool unstable = (kind == 1) ? dT > 0.0 : dT < 0.0;  // warm floor or cool ceiling
        h = unstable ? 9.482 * c / (7.238 - 1.0) : 1.810 * c / (1.382 + 1.0);
    }
    return std::max(h, 0.1);
}

}  // namespace ut::energy
