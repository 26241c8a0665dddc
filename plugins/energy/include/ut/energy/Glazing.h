#pragma once

namespace ut::energy {

// Angular solar optics of a glazing of identical uncoated panes, from one pane's normal-incidence
// solar transmittance and reflectance: refractive index and extinction are fitted to them, then
// Fresnel reflection, Bouguer absorption and the inter-reflections between panes are followed per
// polarisation (Duffie & Beckman, "Solar Engineering of Thermal Processes", ch. 5).
struct GlazingOptics {
    double transmittance = 0.0;
    double absorbedOuter = 0.0;  // absorbed by the outermost pane, fraction of incident
    double absorbedInner = 0.0;  // absorbed by all the other panes together
    double reflectance = 0.0;
};

// Glass-to-glass thermal resistance of panes separated by air gaps, m²K/W, after EN 673: gap
// conductance = radiative 4σ·T_m³/(1/ε₁ + 1/ε₂ − 1) + conductive/convective Nu·λ/s (Nu from
// Gr·Pr at ΔT = 15 K, at least 1), at a mean gap temperature meanC, plus the glass itself.
double glazingResistanceEn673(int panes, double gapM, double glassThicknessM, double glassConductivityWmK,
                              double emissivity, double meanC = 10.0);

class Glazing {
public:
    Glazing() = default;
    Glazing(int panes, double paneTransmittanceNormal, double paneReflectanceNormal);

    GlazingOptics atIncidence(double cosIncidence) const;
    // Hemispherically averaged (isotropic diffuse), computed once.
    const GlazingOptics& diffuse() const { return m_diffuse; }
    int panes() const { return m_panes; }
    bool sameOptics(const Glazing& other) const {
        return m_panes == other.m_panes && m_refractiveIndex == other.m_refractiveIndex &&
               m_extinctionThickness == other.m_extinctionThickness;
    }

private:
    int m_panes = 2;
    double m_refractiveIndex = 1.526;
    double m_extinctionThickness = 0.0;  // K·L, 1
    GlazingOptics m_diffuse;
};

// Two BESTEST clear 3.175 mm panes (τ 0.86156, ρ 0.07846 each), fitted once: every zone's default window.
const Glazing& clearDoubleGlazing();

}  // namespace ut::energy
