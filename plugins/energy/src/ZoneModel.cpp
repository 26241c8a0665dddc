#include "ut/energy/ZoneModel.h"

#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "InteriorConvection.h"
#include "LoadFormula.h"
#include "VectorMemory.h"

namespace ut::energy {

double Construction::resistanceM2KW() const {
    double r = 0.0;
    for (const Layer& layer : layers) r += layer.thicknessM / layer.conductivityWmK;
    return r;
}

void SiteClimate::precomputeBeamOptics(const Glazing& glazing) {
    beamGlazing = glazing;
    const std::size_t bins = verticalCosIncidence.size();
    for (auto* series : {&beamTransmittedWm2, &diffuseTransmittedWm2, &absorbedOuterWm2, &absorbedInnerWm2,
                         &verticalTotalWm2})
        series->assign(bins, std::vector<double>(hours()));
    const GlazingOptics& diffuse = glazing.diffuse();
    for (std::size_t b = 0; b < bins; ++b) {
        for (std::size_t h = 0; h < hours(); ++h) {
            const GlazingOptics optics = glazing.atIncidence(verticalCosIncidence[b][h]);
            const double beam = verticalBeamWm2[b][h], diffuseWm2 = verticalDiffuseWm2[b][h];
            beamTransmittedWm2[b][h] = beam * optics.transmittance;
            diffuseTransmittedWm2[b][h] = diffuseWm2 * diffuse.transmittance;
            absorbedOuterWm2[b][h] = beam * optics.absorbedOuter + diffuseWm2 * diffuse.absorbedOuter;
            absorbedInnerWm2[b][h] = beam * optics.absorbedInner + diffuseWm2 * diffuse.absorbedInner;
            verticalTotalWm2[b][h] = beam + diffuseWm2;
        }
    }
    binSolar.assign(hours() * bins * kBinSolar, 0.0f);
    for (std::size_t h = 0; h < hours(); ++h) {
        for (std::size_t b = 0; b < bins; ++b) {
            float* at = binSolar.data() + (b * hours() + h) * kBinSolar;
            at[kBinWall] = static_cast<float>(verticalTotalWm2[b][h]);
            at[kBinTransmitted] = static_cast<float>(beamTransmittedWm2[b][h]);
            at[kBinDiffuseTransmitted] = static_cast<float>(diffuseTransmittedWm2[b][h]);
            at[kBinOuter] = static_cast<float>(absorbedOuterWm2[b][h]);
            at[kBinInner] = static_cast<float>(absorbedInnerWm2[b][h]);
        }
    }
}

int SiteClimate::binOf(double azimuthDeg) {
    double a = std::fmod(azimuthDeg, 360.0);
    if (a < 0) a += 360.0;
    return static_cast<int>(std::lround(a / (360.0 / kOrientationBins))) % kOrientationBins;
}

namespace {
// Moist-free air at the site: density from the standard-atmosphere pressure at that elevation,
// at 20 °C; c_p = 1006 J/(kg K).
double airRhoCp(double elevationM) {
    const double pressurePa = 101325.0 * std::pow(1.0 - 2.25577e-5 * elevationM, 5.25588);
    const double rho = pressurePa / (287.055 * 293.15);
    return rho * 1006.0;
}
constexpr double kGroundContactWm2K = 1000.0;
const double kWallSkyShare = 0.5 * std::sqrt(0.5);  // ties a ground-side surface to the ground temperature
}  // namespace

ZoneModel::ZoneModel(const ZoneDescription& description) : m_desc(description) {
    m_airRhoCp = airRhoCp(m_desc.elevationM);
    m_dtS = 3600.0 / std::max(1, m_desc.substepsPerHour);
    // Exterior convection follows the hourly wind at the surfaces' mean height (power law from the
    // 10 m station value, exponent 0.14 for open country, as EnergyPlus does).
    m_windFactor = std::pow(std::max(m_desc.surfaceHeightM, 0.5) / 10.0, 0.14);
    build();
}

void ZoneModel::connect(int a, int b, double conductanceWK) {
    m_conductance(a, a) += conductanceWK;
    m_conductance(b, b) += conductanceWK;
    m_conductance(a, b) -= conductanceWK;
    m_conductance(b, a) -= conductanceWK;
}

int ZoneModel::addConstruction(const Construction& construction, double areaM2) {
    // Nodes: the outer surface, then one at every slice boundary, the last being the room side.
    const int first = static_cast<int>(m_capacityJK.size());
    m_capacityJK.push_back(0.0);
    for (const Layer& layer : construction.layers) {
        const bool massive = layer.densityKgM3 > 0.0 && layer.specificHeatJkgK > 0.0;
        const int slices =
            massive ? std::max(1, static_cast<int>(std::ceil(layer.thicknessM / m_desc.maxSliceM - 1e-9)))
                    : 1;
        const double dx = layer.thicknessM / slices;
        const double sliceCapacity = massive ? layer.densityKgM3 * layer.specificHeatJkgK * dx * areaM2 : 0.0;
        for (int s = 0; s < slices; ++s) {
            m_capacityJK.back() += sliceCapacity / 2.0;
            m_capacityJK.push_back(sliceCapacity / 2.0);
            m_chain.push_back(
                {static_cast<int>(m_capacityJK.size()) - 2, layer.conductivityWmK / dx * areaM2});
        }
    }
    return first;
}

void ZoneModel::build() {
    m_capacityJK = {m_airRhoCp * m_desc.volumeM3, 0.0};
    m_chain.clear();
    m_wallAreaM2 = 0.0;
    m_windowAreaM2 = 0.0;
    for (const Facade& f : m_desc.facades) {
        m_wallAreaM2 += f.wallAreaM2;
        m_windowAreaM2 += f.windowAreaM2;
    }
    auto addElement = [&](Element& e, const Construction& c, double area) {
        e.areaM2 = area;
        e.firstNode = addConstruction(c, area);
        e.innerNode = static_cast<int>(m_capacityJK.size()) - 1;
    };
    const Construction none;
    addElement(m_wall, m_wallAreaM2 > 0 ? m_desc.wall : none, std::max(m_wallAreaM2, 0.0));
    addElement(m_roof, m_desc.roofAreaM2 > 0 ? m_desc.roof : none, m_desc.roofAreaM2);
    addElement(m_floor, m_desc.groundFloorAreaM2 > 0 ? m_desc.groundFloor : none, m_desc.groundFloorAreaM2);
    addElement(m_mass, m_desc.internalMassAreaM2 > 0 ? m_desc.internalMass : none, m_desc.internalMassAreaM2);
    m_windowOuter = static_cast<int>(m_capacityJK.size());
    m_capacityJK.push_back(0.0);
    m_windowInner = m_windowOuter + 1;
    m_capacityJK.push_back(0.0);

    const int n = static_cast<int>(m_capacityJK.size());
    m_conductance = Eigen::MatrixXd::Zero(n, n);
    for (const auto& [node, g] : m_chain) connect(node, node + 1, g);

    const SurfaceCoefficients& h = m_desc.coefficients;
    // Interior long-wave exchange: Carroll's mean-radiant-temperature network. Each surface i links
    // to one radiant node with h_r·A_i·F_i, F_i = 1 / (1 − A_i·F_i / Σ A_j·F_j), which makes a
    // surface exchange with all the others (a surface does not see itself). Each facade's wall and
    // window count as surfaces of their own; the aggregated elements take the sum of their links.
    std::vector<double> areas;
    std::vector<int> owner;  // 0 wall, 1 roof, 2 floor, 3 mass, 4 window
    for (const Facade& f : m_desc.facades) {
        if (f.wallAreaM2 > 0) {
            areas.push_back(f.wallAreaM2);
            owner.push_back(0);
        }
        if (f.windowAreaM2 > 0) {
            areas.push_back(f.windowAreaM2);
            owner.push_back(4);
        }
    }
    if (m_roof.areaM2 > 0) {
        areas.push_back(m_roof.areaM2);
        owner.push_back(1);
    }
    if (m_floor.areaM2 > 0) {
        areas.push_back(m_floor.areaM2);
        owner.push_back(2);
    }
    if (m_mass.areaM2 > 0) {
        // Intermediate floors face many storeys: one surface per footprint-sized face.
        const int pieces =
            std::max(1, static_cast<int>(std::ceil(m_mass.areaM2 / std::max(m_roof.areaM2, 1.0))));
        for (int p = 0; p < pieces; ++p) {
            areas.push_back(m_mass.areaM2 / pieces);
            owner.push_back(3);
        }
    }
    std::vector<double> f(areas.size(), 1.0);
    for (int it = 0; it < 50 && areas.size() > 1; ++it) {
        double sum = 0.0;
        for (std::size_t i = 0; i < areas.size(); ++i) sum += areas[i] * f[i];
        double change = 0.0;
        for (std::size_t i = 0; i < areas.size(); ++i) {
            const double next = std::min(10.0, 1.0 / std::max(0.1, 1.0 - areas[i] * f[i] / sum));
            change = std::max(change, std::abs(next - f[i]));
            f[i] = next;
        }
        if (change < 1e-13) break;  // converged to rounding (in about ten rounds)
    }
    double radiative[5] = {0, 0, 0, 0, 0};
    for (std::size_t i = 0; i < areas.size(); ++i)
        radiative[owner[i]] += h.interiorRadiative * areas[i] * f[i];
    // Elements with no area keep their nodes; a tiny tie keeps the matrix regular.
    auto interior = [&](const Element& e, double conv, double radiativeWK) {
        const double a = std::max(e.areaM2, 1e-6);
        if (conv > 0) connect(e.innerNode, kAir, conv * a);
        connect(e.innerNode, kStar, std::max(radiativeWK, 1e-6));
    };
    interior(m_wall, h.interiorWallConv, radiative[0]);
    interior(m_roof, 0.0, radiative[1]);  // convection added per heat-flow direction
    interior(m_floor, 0.0, radiative[2]);
    interior(m_mass, h.interiorWallConv, radiative[3]);
    const double winA = std::max(m_windowAreaM2, 1e-6);
    connect(m_windowInner, kAir, h.interiorWallConv * winA);
    connect(m_windowInner, kStar, std::max(radiative[4], 1e-6));
    connect(m_windowInner, m_windowOuter, winA / std::max(m_desc.window.gapResistanceM2KW, 1e-4));
    // Infiltration to the outside air: a boundary conductance on the air node.
    m_conductance(kAir, kAir) += m_airRhoCp * m_desc.infiltrationAch * m_desc.volumeM3 / 3600.0;
    if (m_desc.groundFloorBoundary == OuterBoundary::Ground) {
        m_conductance(m_floor.firstNode, m_floor.firstNode) +=
            kGroundContactWm2K * std::max(m_floor.areaM2, 1e-6);
    } else if (m_desc.groundFloorBoundary == OuterBoundary::Outdoor) {
        m_conductance(m_floor.firstNode, m_floor.firstNode) +=
            (h.exteriorConvA) * std::max(m_floor.areaM2, 1e-6);
    }
    // Zero-area elements: tie their nodes to the air so the matrix stays regular.
    for (const Element* e : {&m_wall, &m_roof, &m_floor, &m_mass}) {
        if (e->areaM2 <= 0.0) {
            for (int i = e->firstNode; i <= e->innerNode; ++i) connect(i, kAir, 1e-6);
        }
    }
}

Eigen::MatrixXd ZoneModel::systemMatrix(int windClass, int floorUp, int ceilingUp) const {
    const SurfaceCoefficients& h = m_desc.coefficients;
    Eigen::MatrixXd m = m_conductance;
    const int n = static_cast<int>(m_capacityJK.size());
    for (int i = 0; i < n; ++i) m(i, i) += m_capacityJK[static_cast<std::size_t>(i)] / m_dtS;
    auto addConv = [&](int node, double g) {
        m(node, node) += g;
        m(kAir, kAir) += g;
        m(node, kAir) -= g;
        m(kAir, node) -= g;
    };
    addConv(m_floor.innerNode,
            (floorUp ? h.interiorFloorConvUp : h.interiorFloorConvDown) * std::max(m_floor.areaM2, 1e-6));
    addConv(m_roof.innerNode, (ceilingUp ? h.interiorCeilingConvUp : h.interiorCeilingConvDown) *
                                  std::max(m_roof.areaM2, 1e-6));
    addExterior(m, exteriorConvection(windClass));
    return m;
}

const Eigen::MatrixXd& ZoneModel::systemInverse(int windClass, int floorUp, int ceilingUp) {
    const std::size_t key = static_cast<std::size_t>(windClass * 4 + floorUp * 2 + ceilingUp);
    if (m_inverses.size() < key + 1) m_inverses.resize(static_cast<std::size_t>(kWindClasses * 4));
    if (m_inverses[key].size() == 0) m_inverses[key] = systemMatrix(windClass, floorUp, ceilingUp).inverse();
    return m_inverses[key];
}

void ZoneModel::addExterior(Eigen::MatrixXd& m, double hConvOut) const {
    const double hRad = m_desc.coefficients.exteriorRadiativePerEmissivity;
    m(m_wall.firstNode, m_wall.firstNode) +=
        (hConvOut + hRad * m_desc.wall.thermalEmissivityOut) * m_wall.areaM2;
    m(m_roof.firstNode, m_roof.firstNode) +=
        (hConvOut + hRad * m_desc.roof.thermalEmissivityOut) * m_roof.areaM2;
    m(m_windowOuter, m_windowOuter) +=
        (hConvOut + hRad * m_desc.window.thermalEmissivityOut) * m_windowAreaM2;
}

double ZoneModel::steadyStateUaWK() const {
    // Unit heat into the air node with every boundary at 0: T_air = 1 / UA. Interior convection of
    // floor and ceiling taken for heat flowing down through the floor and up through the ceiling.
    const SurfaceCoefficients& h = m_desc.coefficients;
    Eigen::MatrixXd m = m_conductance;
    auto addConv = [&](int node, double g) {
        m(node, node) += g;
        m(kAir, kAir) += g;
        m(node, kAir) -= g;
        m(kAir, node) -= g;
    };
    addConv(m_floor.innerNode, h.interiorFloorConvDown * std::max(m_floor.areaM2, 1e-6));
    addConv(m_roof.innerNode, h.interiorCeilingConvUp * std::max(m_roof.areaM2, 1e-6));
    addExterior(m, m_hConvOut);
    Eigen::VectorXd q = Eigen::VectorXd::Zero(m.rows());
    q(kAir) = 1.0;
    const Eigen::VectorXd t = m.partialPivLu().solve(q);
    return 1.0 / t(kAir);
}

ZoneModel::LoadConstants ZoneModel::prepareLoads(const SiteClimate& climate) {
    const std::size_t hours = climate.hours();
    const SurfaceCoefficients& h = m_desc.coefficients;
    LoadConstants k;
    k.windFactor = m_windFactor;
    k.hRadWall = h.exteriorRadiativePerEmissivity * m_desc.wall.thermalEmissivityOut;
    k.hRadRoof = h.exteriorRadiativePerEmissivity * m_desc.roof.thermalEmissivityOut;
    k.hRadWin = h.exteriorRadiativePerEmissivity * m_desc.window.thermalEmissivityOut;
    k.gFloorOut =
        m_desc.groundFloorBoundary == OuterBoundary::Outdoor ? h.exteriorConvA * m_floor.areaM2 : 0.0;
    // The year's mean wind, in four independent sums (one chain of 8,760 dependent additions per
    // building was 2 % of a city run).
    double windSum[4] = {0.0, 0.0, 0.0, 0.0};
    const double* wind = climate.windSpeedMs.data();
    std::size_t i = 0;
    for (; i + 4 <= hours; i += 4)
        for (int j = 0; j < 4; ++j) windSum[j] += wind[i + static_cast<std::size_t>(j)];
    for (; i < hours; ++i) windSum[0] += wind[i];
    const double meanWind = (windSum[0] + windSum[1] + windSum[2] + windSum[3]) * k.windFactor;
    m_hConvOut = h.exteriorConvA + h.exteriorConvB * meanWind / static_cast<double>(std::max<std::size_t>(1, hours));
    k.gInfiltration = m_airRhoCp * m_desc.infiltrationAch * m_desc.volumeM3 / 3600.0;
    k.gGround = kGroundContactWm2K * m_floor.areaM2;

    // Interior distribution of transmitted solar: the floor takes the first hit; what it reflects
    // goes diffusely to the other surfaces by area (a plane does not see itself), and what they
    // reflect is spread over all room surfaces by area; the windows lose their transmitted share.
    const Glazing& glazing = m_desc.window.glazing;
    k.diffuseOptics = glazing.diffuse();
    const GlazingOptics& diffuseOptics = k.diffuseOptics;
    k.cachedOptics = !climate.beamTransmittedWm2.empty() && climate.beamGlazing.sameOptics(glazing);
    const double floorAbs = m_floor.areaM2 > 0 ? m_desc.groundFloor.solarAbsorptanceIn : 0.0;
    k.floorAbsorptance = floorAbs;
    {
        // 0 wall, 1 roof, 2 floor, 3 mass, 4 window
        const double area[5] = {m_wall.areaM2, m_roof.areaM2, m_floor.areaM2, m_desc.internalMassAreaM2,
                                m_windowAreaM2};
        const double winAbs = diffuseOptics.absorbedOuter + diffuseOptics.absorbedInner;
        const double absorb[5] = {m_desc.wall.solarAbsorptanceIn, m_desc.roof.solarAbsorptanceIn,
                                  m_desc.groundFloor.solarAbsorptanceIn,
                                  m_desc.internalMass.solarAbsorptanceIn, winAbs};
        const double reflect[5] = {1 - absorb[0], 1 - absorb[1], 1 - absorb[2], 1 - absorb[3],
                                   1 - winAbs - diffuseOptics.transmittance};
        double total = 0.0, rBar = 0.0;
        for (int j = 0; j < 5; ++j) {
            total += area[j];
            rBar += area[j] * reflect[j];
        }
        double absorbed[5] = {0, 0, 0, 0, 0};
        if (total > 0) {
            rBar /= total;
            double secondBounce = 1.0;  // light leaving the first surfaces, per unit of `rest`
            if (floorAbs > 0) {
                const double others = total - area[2];
                secondBounce = 0.0;
                if (others > 0) {
                    for (int j = 0; j < 5; ++j) {
                        if (j == 2) continue;
                        absorbed[j] += area[j] / others * absorb[j];
                        secondBounce += area[j] / others * reflect[j];
                    }
                }
            }
            for (int j = 0; j < 5; ++j)
                absorbed[j] += secondBounce * area[j] * absorb[j] / (total * (1.0 - rBar));
        }
        k.reflected = {absorbed[0], absorbed[1], absorbed[2], absorbed[3], absorbed[4]};
        if (total > 0) {
            const double perUnit = 1.0 / (total * (1.0 - rBar));
            k.spread = {perUnit * area[0] * absorb[0], perUnit * area[1] * absorb[1],
                        perUnit * area[2] * absorb[2], perUnit * area[3] * absorb[3],
                        perUnit * area[4] * absorb[4]};
        }
    }
    k.interiorAreaM2 =
        m_wall.areaM2 + m_roof.areaM2 + m_floor.areaM2 + m_desc.internalMassAreaM2 + m_windowAreaM2;
    for (const Facade& f : m_desc.facades) {
        const int bin = SiteClimate::binOf(f.azimuthDeg);
        k.facadeBins.push_back(bin);
        auto same = std::find_if(k.binAreas.begin(), k.binAreas.end(),
                                 [bin](const LoadConstants::BinAreas& b) { return b.bin == bin; });
        if (same == k.binAreas.end()) same = k.binAreas.insert(k.binAreas.end(), {bin, 0.0, 0.0});
        same->wallM2 += f.wallAreaM2;
        same->windowM2 += f.windowAreaM2;
    }
    return k;
}

namespace {
// Four consecutive hours of a series (the hourly loops of blockInputs and blockLoads).
#pragma GCC diagnostic ignored "-Wpsabi"  // only inside this file
using HourVector = double __attribute__((vector_size(32)));
constexpr int kHourVector = 4;
}  // namespace

void ZoneModel::loadTargetNodes(int nodes[LoadBlock::kTargets]) const {
    const int order[LoadBlock::kTargets] = {
        kAir,          m_wall.innerNode, m_roof.innerNode, m_floor.innerNode, m_mass.innerNode,
        m_windowInner, m_wall.firstNode, m_roof.firstNode, m_windowOuter,     m_floor.firstNode};
    std::copy(order, order + LoadBlock::kTargets, nodes);
}

void ZoneModel::loadCoefficients(const LoadConstants& k, LoadCoefficients<double>& c, double originC) const {
    c.gInfiltration = k.gInfiltration;
    c.radiativeFraction = m_desc.radiativeFraction;
    c.convectiveFraction = 1.0 - m_desc.radiativeFraction;
    c.withArea = k.interiorAreaM2 > 0 ? 1.0 : 0.0;
    c.areaOrOne = k.interiorAreaM2 > 0 ? k.interiorAreaM2 : 1.0;
    c.wallA = m_wall.areaM2;
    c.roofA = m_roof.areaM2;
    c.floorA = m_floor.areaM2;
    c.massA = m_desc.internalMassAreaM2;
    c.windowA = m_windowAreaM2;
    c.reflectedWall = k.reflected.wall;
    c.reflectedRoof = k.reflected.roof;
    c.reflectedFloor = k.reflected.floor;
    c.reflectedMass = k.reflected.mass;
    c.reflectedWindow = k.reflected.window;
    c.spreadWall = k.spread.wall;
    c.spreadRoof = k.spread.roof;
    c.spreadFloor = k.spread.floor;
    c.spreadMass = k.spread.mass;
    c.spreadWindow = k.spread.window;
    c.floorAbsorptance = k.floorAbsorptance;
    // Branch-free forms of the reference's choices (× 1 and + 0 leave the values as they were):
    // without a floor, transmitted diffuse light goes with the rest.
    c.spreadDiffuse = k.floorAbsorptance > 0 ? 1.0 : 0.0;
    c.restDiffuse = 1.0 - c.spreadDiffuse;
    c.solarScale = m_desc.window.solarFactorScale;
    c.hRadWall = k.hRadWall;
    c.hRadRoof = k.hRadRoof;
    c.hRadWin = k.hRadWin;
    c.wallAbsOut = m_desc.wall.solarAbsorptanceOut;
    c.roofAbsOut = m_desc.roof.solarAbsorptanceOut;
    c.wallSkyShare = kWallSkyShare;
    c.wallAirShare = 1.0 - kWallSkyShare;
    c.floorOuterFixed =
        m_desc.groundFloorBoundary == OuterBoundary::Ground ? k.gGround * (m_desc.groundTemperatureC - originC) : 0.0;
    c.floorOuterPerOutdoorC = m_desc.groundFloorBoundary == OuterBoundary::Outdoor ? k.gFloorOut : 0.0;
}

__attribute__((target_clones("arch=x86-64-v3", "default"))) void ZoneModel::blockInputs(
    const LoadConstants& k, const SiteClimate& climate, const ZoneSchedules& schedules, std::size_t firstHour,
    int hours, InputBlock& block, unsigned parts) const {
    constexpr int kMax = InputBlock::kHours;
    const int count = std::clamp(hours, 0, kMax);
    const std::size_t h0 = firstHour;
    using S = InputBlock;
    const SurfaceCoefficients& h = m_desc.coefficients;
    const Glazing& glazing = m_desc.window.glazing;

    // Wind class (exterior convection), gains, set points, ventilation: loops over the hours with
    // everything they read in locals, so that they vectorise.
    if (parts & kWindInputs) {
        const double* wind = climate.windSpeedMs.data() + h0;
        const double convA = h.exteriorConvA, convB = h.exteriorConvB * k.windFactor * kWindStepMs;
        int* windClass = block.windClass;
        double* convection = block.series[S::ConvectionOut];
        for (int i = 0; i < count; ++i) {
            // The station's wind rounded to the nearest class and clamped to the classes (in
            // integers: floating-point comparisons would keep the loop from vectorising), the same
            // class for every building of the site; the convection as exteriorConvection(class).
            int c = static_cast<int>(wind[i] / kWindStepMs + 0.5);
            c = c < kWindClasses - 1 ? c : kWindClasses - 1;
            windClass[i] = c > 0 ? c : 0;
            convection[i] = convA + convB * windClass[i];
        }
    }
    if (parts & kScheduleInputs) {
        const double gainsW = m_desc.internalGainsW;
        double* gains = block.series[S::Gains];
        if (schedules.gainsFraction.empty()) {
            for (int i = 0; i < count; ++i) gains[i] = gainsW;
        } else {
            const double* fraction = schedules.gainsFraction.data() + h0;
            for (int i = 0; i < count; ++i) gains[i] = gainsW * fraction[i];
        }
        const double airRhoCp = m_airRhoCp;
        double* ventilation = block.series[S::Ventilation];
        if (schedules.ventilationM3h.empty()) {
            for (int i = 0; i < count; ++i) ventilation[i] = 0.0;
        } else {
            // Scheduled ventilation changes the air node's conductance to the outside; the kernels
            // correct the factorised system with the Sherman–Morrison formula instead of refactorising it.
            const double* flow = schedules.ventilationM3h.data() + h0;
            for (int i = 0; i < count; ++i) ventilation[i] = airRhoCp * flow[i] / 3600.0;
        }
        auto setpoints = [count, h0](const std::vector<double>& schedule, double fixed, double* out) {
            if (schedule.empty()) {
                std::fill(out, out + count, fixed);
                return;
            }
            // Four hours at a time: a day's copy is too short for a call to memcpy to pay.
            const double* from = schedule.data() + h0;
            int i = 0;
            for (; i + kHourVector <= count; i += kHourVector) storeVector(out + i, loadVector<HourVector>(from + i));
            for (; i < count; ++i) out[i] = from[i];
        };
        setpoints(schedules.heatingSetpointC, m_desc.heatingSetpointC, block.series[S::HeatingSetpoint]);
        setpoints(schedules.coolingSetpointC, m_desc.coolingSetpointC, block.series[S::CoolingSetpoint]);
    }

    if (!(parts & kSolarInputs)) return;
    // Solar on the facades, summed facade by facade in the facades' order.
    double* wallSun = block.series[S::WallSun];
    double* transmittedSun = block.series[S::TransmittedSun];
    double* transmittedDiffuseSun = block.series[S::TransmittedDiffuseSun];
    double* outerSun = block.series[S::OuterSun];
    double* innerSun = block.series[S::InnerSun];
    const GlazingOptics& diffuseOptics = k.diffuseOptics;
    const double tauD = diffuseOptics.transmittance, outerD = diffuseOptics.absorbedOuter,
                 innerD = diffuseOptics.absorbedInner;
    if (!k.cachedOptics) {
        // A glazing other than the site's: its optics per hour and facade.
        for (int i = 0; i < count; ++i)
            wallSun[i] = transmittedSun[i] = transmittedDiffuseSun[i] = outerSun[i] = innerSun[i] = 0.0;
        for (std::size_t fi = 0; fi < m_desc.facades.size(); ++fi) {
            const Facade& f = m_desc.facades[fi];
            const auto bin = static_cast<std::size_t>(k.facadeBins[fi]);
            const double* beam = climate.verticalBeamWm2[bin].data() + h0;
            const double* diffuse = climate.verticalDiffuseWm2[bin].data() + h0;
            for (int i = 0; i < count; ++i) wallSun[i] += f.wallAreaM2 * (beam[i] + diffuse[i]);
            if (f.windowAreaM2 <= 0) continue;
            for (int i = 0; i < count; ++i) {
                const GlazingOptics beamOptics =
                    glazing.atIncidence(climate.verticalCosIncidence[bin][h0 + static_cast<std::size_t>(i)]);
                transmittedSun[i] += f.windowAreaM2 * beam[i] * beamOptics.transmittance;
                transmittedDiffuseSun[i] += f.windowAreaM2 * diffuse[i] * tauD;
                outerSun[i] += f.windowAreaM2 * (beam[i] * beamOptics.absorbedOuter + diffuse[i] * outerD);
                innerSun[i] += f.windowAreaM2 * (beam[i] * beamOptics.absorbedInner + diffuse[i] * innerD);
            }
        }
        return;
    }
    // The site's glazing: what its windows take per orientation bin is cached; the facades' areas
    // summed per bin, the sums in registers over four hours at a time.
    constexpr int kBins = SiteClimate::kOrientationBins;
    const double *binWallSun[kBins], *binTransmitted[kBins], *binDiffuse[kBins], *binOuter[kBins], *binInner[kBins];
    double binWall[kBins], binWindow[kBins];
    const int binCount = static_cast<int>(k.binAreas.size());
    for (int b = 0; b < binCount; ++b) {
        const auto& areas = k.binAreas[static_cast<std::size_t>(b)];
        const auto bin = static_cast<std::size_t>(areas.bin);
        binWallSun[b] = climate.verticalTotalWm2[bin].data() + h0;
        binTransmitted[b] = climate.beamTransmittedWm2[bin].data() + h0;
        binDiffuse[b] = climate.diffuseTransmittedWm2[bin].data() + h0;
        binOuter[b] = climate.absorbedOuterWm2[bin].data() + h0;
        binInner[b] = climate.absorbedInnerWm2[bin].data() + h0;
        binWall[b] = areas.wallM2;
        binWindow[b] = areas.windowM2;
    }
    auto someHours = [&](auto zero, int i) __attribute__((always_inline)) {
        using V = decltype(zero);
        V wall = zero, transmitted = zero, transmittedDiffuse = zero, outer = zero, inner = zero;
        for (int b = 0; b < binCount; ++b) {
            const double area = binWindow[b];
            wall += binWall[b] * loadVector<V>(binWallSun[b] + i);
            transmitted += area * loadVector<V>(binTransmitted[b] + i);
            transmittedDiffuse += area * loadVector<V>(binDiffuse[b] + i);
            outer += area * loadVector<V>(binOuter[b] + i);
            inner += area * loadVector<V>(binInner[b] + i);
        }
        storeVector(wallSun + i, wall);
        storeVector(transmittedSun + i, transmitted);
        storeVector(transmittedDiffuseSun + i, transmittedDiffuse);
        storeVector(outerSun + i, outer);
        storeVector(innerSun + i, inner);
    };
    int i = 0;
    for (; i + kHourVector <= count; i += kHourVector) someHours(HourVector{}, i);
    for (; i < count; ++i) someHours(0.0, i);
}

__attribute__((target_clones("arch=x86-64-v3", "default"))) void ZoneModel::blockLoads(
    const LoadConstants& k, const SiteClimate& climate, const ZoneSchedules& schedules, std::size_t firstHour,
    int hours, LoadBlock& block, double originC) const {
    const int count = std::clamp(hours, 0, LoadBlock::kHours);
    block.firstHour = firstHour;
    block.hours = count;
    loadTargetNodes(block.node);
    InputBlock inputs;
    blockInputs(k, climate, schedules, firstHour, count, inputs);
    LoadCoefficients<double> c;
    loadCoefficients(k, c, originC);
    using S = InputBlock;
    for (int i = 0; i < count; ++i) {
        HourDrivers& d = block.drivers[i];
        d.windClass = inputs.windClass[i];
        d.heatingSetpointC = inputs.series[S::HeatingSetpoint][i];
        d.coolingSetpointC = inputs.series[S::CoolingSetpoint][i];
        d.ventilationWK = inputs.series[S::Ventilation][i];
    }
    const double* dryBulb = climate.dryBulbC.data() + firstHour;
    const double* sky = climate.skyTemperatureC.data() + firstHour;
    const double* horizontal = climate.horizontalTotalWm2.data() + firstHour;
    auto someHours = [&](auto zero, int i) __attribute__((always_inline)) {
        using V = decltype(zero);
        auto series = [&](int s) { return loadVector<V>(inputs.series[s] + i); };
        const LoadInputs<V> in{loadVector<V>(dryBulb + i) - originC, loadVector<V>(sky + i) - originC,
                               loadVector<V>(horizontal + i),   series(S::ConvectionOut),
                               series(S::Gains),               series(S::Ventilation),
                               series(S::WallSun),             series(S::TransmittedSun),
                               series(S::TransmittedDiffuseSun), series(S::OuterSun),
                               series(S::InnerSun)};
        V out[LoadBlock::kTargets];
        loadTargets(c, in, out);
        for (int t = 0; t < LoadBlock::kTargets; ++t) storeVector(&block.watts[t][i], out[t]);
    };
    int i = 0;
    for (; i + kHourVector <= count; i += kHourVector) someHours(HourVector{}, i);
    for (; i < count; ++i) someHours(0.0, i);
}

ZoneModel::HourDrivers ZoneModel::hourlyLoads(const LoadConstants& k, const SiteClimate& climate,
                                              const ZoneSchedules& schedules, std::size_t hour,
                                              double* b) const {
    LoadBlock block;
    blockLoads(k, climate, schedules, hour, 1, block);
    std::fill(b, b + nodeCount(), 0.0);
    for (int t = 0; t < LoadBlock::kTargets; ++t) b[block.node[t]] += block.watts[t][0];
    return block.drivers[0];
}

ZoneResult ZoneModel::simulateReference(const SiteClimate& climate, const ZoneSchedules& schedules,
                                        std::size_t warmupHours) {
    const std::size_t hours = climate.hours();
    const SurfaceCoefficients& h = m_desc.coefficients;
    ZoneResult result;
    result.heatingW.assign(hours, 0.0);
    result.coolingW.assign(hours, 0.0);
    result.airTempC.assign(hours, 0.0);
    const LoadConstants loads = prepareLoads(climate);
    result.uaWK = steadyStateUaWK();

    const int n = nodeCount();
    Eigen::VectorXd capDt(n);
    for (int i = 0; i < n; ++i) capDt(i) = m_capacityJK[static_cast<std::size_t>(i)] / m_dtS;
    Eigen::VectorXd temp = Eigen::VectorXd::Constant(n, m_desc.heatingSetpointC);
    const std::size_t warm = std::min(warmupHours, hours);
    const int substeps = std::max(1, m_desc.substepsPerHour);
    Eigen::VectorXd rhs(n), bHour(n);
    for (std::size_t k = 0; k < warm + hours; ++k) {
        const std::size_t hour = k < warm ? hours - warm + k : k - warm;
        const bool record = k >= warm;
        const HourDrivers drivers = hourlyLoads(loads, climate, schedules, hour, bHour.data());
        const int wind = drivers.windClass;
        const double heatSet = drivers.heatingSetpointC, coolSet = drivers.coolingSetpointC;
        const double gVent = drivers.ventilationWK;

        double heatJ = 0.0, coolJ = 0.0;
        for (int s = 0; s < substeps; ++s) {
            const int floorUp = temp(m_floor.innerNode) > temp(kAir) ? 1 : 0;
            const int ceilingUp = temp(m_roof.innerNode) < temp(kAir) ? 1 : 0;
            const Eigen::MatrixXd& inv = systemInverse(wind, floorUp, ceilingUp);
            rhs = capDt.cwiseProduct(temp) + bHour;
            if (h.interiorNaturalConvection) {
                const double hFloor = floorUp ? h.interiorFloorConvUp : h.interiorFloorConvDown;
                const double hCeiling = ceilingUp ? h.interiorCeilingConvUp : h.interiorCeilingConvDown;
                const struct {
                    int node;
                    double areaM2;
                    int kind;
                    double inMatrix;
                } surfaces[] = {{m_wall.innerNode, m_wall.areaM2, 0, h.interiorWallConv},
                                {m_windowInner, m_windowAreaM2, 0, h.interiorWallConv},
                                {m_mass.innerNode, m_mass.areaM2, 0, h.interiorWallConv},
                                {m_floor.innerNode, m_floor.areaM2, 1, hFloor},
                                {m_roof.innerNode, m_roof.areaM2, 2, hCeiling}};
                for (const auto& sf : surfaces) {
                    if (sf.areaM2 <= 0.0) continue;
                    const double dT = temp(sf.node) - temp(kAir);
                    const double flowW = (tarpConvection(sf.kind, dT) - sf.inMatrix) * sf.areaM2 * dT;
                    rhs(sf.node) -= flowW;
                    rhs(kAir) += flowW;
                }
            }
            if (m_desc.kernel == ZoneKernel::ScalarLoops) {
                for (int r = 0; r < n; ++r) {
                    double sum = 0.0;
                    for (int c = 0; c < n; ++c) sum += inv(r, c) * rhs(c);
                    temp(r) = sum;
                }
            } else {
                temp.noalias() = inv * rhs;
            }
            double airResponse = 1.0;  // scales the air column of the inverse
            if (gVent > 0.0) {
                airResponse = 1.0 / (1.0 + gVent * inv(kAir, kAir));
                temp -= (gVent * temp(kAir) * airResponse) * inv.col(kAir);
            }
            const double tAir = temp(kAir);
            const double airSelf = inv(kAir, kAir) * airResponse;
            double q = 0.0;
            if (m_desc.heatingOn && tAir < heatSet)
                q = (heatSet - tAir) / airSelf;
            else if (m_desc.coolingOn && tAir > coolSet)
                q = (coolSet - tAir) / airSelf;
            if (q != 0.0) {
                temp += (q * airResponse) * inv.col(kAir);
                if (q > 0)
                    heatJ += q * m_dtS;
                else
                    coolJ -= q * m_dtS;
            }
        }
        if (!record) continue;
        result.heatingW[hour] = heatJ / 3600.0;
        result.coolingW[hour] = coolJ / 3600.0;
        result.airTempC[hour] = temp(kAir);
        result.heatingKWh += heatJ / 3.6e6;
        result.coolingKWh += coolJ / 3.6e6;
        result.peakHeatingW = std::max(result.peakHeatingW, result.heatingW[hour]);
        result.peakCoolingW = std::max(result.peakCoolingW, result.coolingW[hour]);
    }
    return result;
}

}  // namespace ut::energy
