#include "ut/energy/Glazing.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ut::energy {

namespace {
struct PaneOptics {
    double t = 0.0, r = 0.0, a = 0.0;
};

// One pane, one polarisation: interface reflectance rho, internal transmittance ta.
PaneOptics pane(double rho, double ta) {
    const double denom = 1.0 - rho * rho * ta * ta;
    PaneOptics p;
    p.t = ta * (1.0 - rho) * (1.0 - rho) / denom;
    p.r = rho + rho * (1.0 - rho) * (1.0 - rho) * ta * ta / denom;
    p.a = 1.0 - p.t - p.r;
    return p;
}

// Identical panes stacked: transmittance, reflectance seen from outside, absorption in the first
// pane and in the rest. Adding-method for a stack of n panes.
GlazingOptics stack(const PaneOptics& p, int panes) {
    // Front (outside) properties of the growing stack; identical panes are symmetric.
    double t = p.t, r = p.r;
    double aOuter = p.a, aRest = 0.0;
    for (int i = 1; i < panes; ++i) {
        const double denom = 1.0 - r * p.r;  // stack's back reflectance equals r for a symmetric stack
        const double tNew = t * p.t / denom;
        const double rNew = r + t * t * p.r / denom;
        // Light reaching the new pane: t/denom; part reflected back re-enters the old stack.
        const double fluxOnNew = t / denom;
        const double backIntoStack = fluxOnNew * p.r;
        // Absorption of the back-travelling light in the old stack, split as the front split.
        const double aStackFront = aOuter + aRest;
        const double shareOuter = aStackFront > 0 ? aOuter / aStackFront : 0.0;
        const double aBack = 1.0 - t - r;  // stack's absorptance for light from behind (symmetric)
        aOuter += backIntoStack * aBack * shareOuter;
        aRest += backIntoStack * aBack * (1.0 - shareOuter) + fluxOnNew * p.a;
        t = tNew;
        r = rNew;
    }
    return {t, aOuter, aRest, r};
}
}  // namespace

double glazingResistanceEn673(int panes, double gapM, double glassThicknessM, double glassConductivityWmK,
                              double emissivity, double meanC) {
    const double tm = meanC + 273.15;
    // Air at 10 °C (EN 673 Table B.1): λ, μ, ρ, c_p.
    const double lambda = 2.496e-2, mu = 1.761e-5, rho = 1.232, cp = 1008.0;
    const double dT = 15.0;
    const double gr = 9.81 * gapM * gapM * gapM * dT * rho * rho / (tm * mu * mu);
    const double pr = mu * cp / lambda;
    const double nu = std::max(1.0, 0.035 * std::pow(gr * pr, 0.38));
    const double hGas = nu * lambda / gapM;
    const double hRad = 4.0 * 5.670374419e-8 * tm * tm * tm / (2.0 / emissivity - 1.0);
    const int gaps = std::max(0, panes - 1);
    return gaps / (hGas + hRad) + panes * glassThicknessM / glassConductivityWmK;
}

Glazing::Glazing(int panes, double paneTransmittanceNormal, double paneReflectanceNormal)
    : m_panes(std::max(1, panes)) {
    // Solve for interface reflectance rho and internal transmittance ta at normal incidence.
    double rho = 0.04, ta = 0.9;
    for (int it = 0; it < 200; ++it) {
        const PaneOptics p = pane(rho, ta);
        rho += 0.5 * (paneReflectanceNormal - p.r) / 2.0;
        ta += 0.5 * (paneTransmittanceNormal - p.t);
        rho = std::clamp(rho, 1e-4, 0.5);
        ta = std::clamp(ta, 1e-3, 1.0);
    }
    const double sq = std::sqrt(rho);
    m_refractiveIndex = (1.0 + sq) / (1.0 - sq);
    m_extinctionThickness = -std::log(ta);
    // Diffuse: 2 ∫ τ(θ) cosθ sinθ dθ.
    const int n = 180;
    GlazingOptics sum;
    for (int i = 0; i < n; ++i) {
        const double theta = (i + 0.5) * (std::numbers::pi / 2.0) / n;
        const double w = 2.0 * std::cos(theta) * std::sin(theta) * (std::numbers::pi / 2.0) / n;
        const GlazingOptics g = atIncidence(std::cos(theta));
        sum.transmittance += w * g.transmittance;
        sum.absorbedOuter += w * g.absorbedOuter;
        sum.absorbedInner += w * g.absorbedInner;
        sum.reflectance += w * g.reflectance;
    }
    m_diffuse = sum;
}

GlazingOptics Glazing::atIncidence(double cosIncidence) const {
    if (cosIncidence <= 1e-6) return {0.0, 0.0, 0.0, 1.0};
    const double c1 = std::min(1.0, cosIncidence);
    const double s1 = std::sqrt(std::max(0.0, 1.0 - c1 * c1));
    const double s2 = s1 / m_refractiveIndex;
    const double c2 = std::sqrt(1.0 - s2 * s2);
    const double n = m_refractiveIndex;
    double rs, rp;
    if (s1 < 1e-9) {
        rs = rp = std::pow((n - 1.0) / (n + 1.0), 2);
    } else {
        rs = std::pow((c1 - n * c2) / (c1 + n * c2), 2);
        rp = std::pow((n * c1 - c2) / (n * c1 + c2), 2);
    }
    const double ta = std::exp(-m_extinctionThickness / c2);
    const GlazingOptics s = stack(pane(rs, ta), m_panes);
    const GlazingOptics p = stack(pane(rp, ta), m_panes);
    return {(s.transmittance + p.transmittance) / 2, (s.absorbedOuter + p.absorbedOuter) / 2,
            (s.absorbedInner + p.absorbedInner) / 2, (s.reflectance + p.reflectance) / 2};
}

const Glazing& clearDoubleGlazing() {
    static const Glazing glazing(2, 0.86156, 0.07846);
    return glazing;
}

}  // namespace ut::energy
