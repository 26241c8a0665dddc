#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <functional>
#include <vector>

#include "ut/energy/Glazing.h"

namespace ut::energy {

// One material layer; densityKgM3 = 0 makes it a pure thermal resistance (no heat capacity).
struct Layer {
    double thicknessM = 0.0;
    double conductivityWmK = 1.0;
    double densityKgM3 = 0.0;
    double specificHeatJkgK = 0.0;
};

// Layers listed from the outside to the room.
struct Construction {
    std::vector<Layer> layers;
    double solarAbsorptanceOut = 0.6;
    double thermalEmissivityOut = 0.9;
    double solarAbsorptanceIn = 0.6;

    double resistanceM2KW() const;  // layers only, without surface films
};

enum class OuterBoundary { Outdoor, Ground, Adiabatic };

struct Window {
    Glazing glazing = clearDoubleGlazing();  // BESTEST clear 3.175 mm panes
    double gapResistanceM2KW = 0.1588;       // glass-to-glass: panes and gaps
    double solarFactorScale =
        1.0;  // coatings, frames, fixed shading: multiplies transmitted and absorbed solar
    double thermalEmissivityOut = 0.84;
    double solarReflectanceInside = 0.0;  // set from the glazing's diffuse optics when 0
};

// A facade orientation: opaque wall and window areas that face one azimuth.
struct Facade {
    double azimuthDeg = 180.0;  // outward normal, clockwise from north
    double wallAreaM2 = 0.0;    // opaque part
    double windowAreaM2 = 0.0;
};

// Surface heat-transfer coefficients, W/(m²K). Interior convection follows the direction the
// heat flows (EN ISO 6946 / ISO 52016-1 values by default); interior long-wave exchange goes through
// a radiant star node with hRadiative per m² of each surface; exterior convection is
// hConvA + hConvB·wind (ISO 6946 Annex C: 4 + 4v), long-wave to sky and ground is linearised.
struct SurfaceCoefficients {
    double interiorWallConv = 2.5;
    double interiorFloorConvUp = 5.0;      // floor warmer than the air
    double interiorFloorConvDown = 0.7;    // floor cooler than the air
    double interiorCeilingConvUp = 5.0;    // ceiling cooler than the air (heat flows up)
    double interiorCeilingConvDown = 0.7;  // ceiling warmer than the air
    double interiorRadiative = 5.13;       // 4σT³·ε-like, at 20 °C and ε ≈ 0.9
    // Interior convection from the surface-to-air temperature difference (Walton's TARP natural
    // convection correlations, as EnergyPlus uses them) instead of the fixed values above; the
    // difference to the fixed value is lagged by one substep.
    bool interiorNaturalConvection = true;
    double exteriorConvA = 4.0;
    double exteriorConvB = 4.0;
    double exteriorRadiativePerEmissivity = 5.1;  // 4σT³ at about 7 °C
};

// How ZoneModel::simulate steps the network. All three give the same results (to about 1e-9
// relative; tests/energy checks 1e-6 on archetype buildings over a year):
// - Fast: per-mode inverses by Gauss–Jordan, packed and multiplied with SIMD vectors, zones stepped in
//   batches so that independent buildings fill the pipeline (ZoneBatch.cpp);
// - Eigen: the reference, Eigen's inverse and matrix–vector product (ZoneModel.cpp);
// - ScalarLoops: the reference with the product as plain loops (benchmark anchor).
enum class ZoneKernel { Fast, Eigen, ScalarLoops };

// One thermal zone. Walls of one construction are aggregated over orientations: the network is
// linear and the star node sees only area-weighted surface temperatures, so this is exact for
// the conduction and only the per-orientation solar inputs are summed.
struct ZoneDescription {
    double floorAreaM2 = 48.0;  // conditioned floor area (all storeys)
    double volumeM3 = 129.6;
    double elevationM = 0.0;       // site elevation, sets the air density
    double surfaceHeightM = 1.35;  // mean height of the exterior surfaces above ground, for the wind
    std::vector<Facade> facades;
    Construction wall;
    double roofAreaM2 = 48.0;
    Construction roof;
    double groundFloorAreaM2 = 48.0;
    Construction groundFloor;
    OuterBoundary groundFloorBoundary = OuterBoundary::Ground;
    double groundTemperatureC = 10.0;
    double internalMassAreaM2 = 0.0;  // e.g. intermediate floors, both faces counted
    Construction internalMass;        // half the thickness, adiabatic at its mid-plane
    Window window;
    double infiltrationAch = 0.5;
    double internalGainsW = 200.0;  // constant part; multiplied by gainsSchedule[hour] when given
    double radiativeFraction = 0.6;
    double heatingSetpointC = 20.0;
    double coolingSetpointC = 27.0;
    bool heatingOn = true;
    bool coolingOn = true;
    SurfaceCoefficients coefficients;
    int substepsPerHour = 4;
    double maxSliceM = 0.025;  // thickness of the finite-difference slices in massive layers
    ZoneKernel kernel = ZoneKernel::Fast;
};

// Hourly boundary conditions shared by every zone at one site; irradiance per orientation bin.
struct SiteClimate {
    std::vector<double> dryBulbC;
    std::vector<double> skyTemperatureC;
    std::vector<double> windSpeedMs;  // finite, ≥ 0 and < 999 (buildSiteClimate cleans the file's)
    // Orientation bins: kOrientationBins equally spaced azimuths starting at north.
    static constexpr int kOrientationBins = 16;
    // [bin][hour]: beam and diffuse (sky + ground) on the vertical plane, cosine of incidence.
    std::vector<std::vector<double>> verticalBeamWm2;
    std::vector<std::vector<double>> verticalDiffuseWm2;
    std::vector<std::vector<double>> verticalCosIncidence;
    std::vector<double> horizontalTotalWm2;  // roof (tilt 0)
    // What a window of one glazing takes, per bin and hour, computed once for a city (optional):
    // zones whose glazing has the same optics read these instead of evaluating the Fresnel model
    // every hour. W/m² of window, [bin][hour]: beam transmitted, diffuse transmitted, absorbed in the
    // outer and inner panes (beam and diffuse); beam and diffuse on a wall: verticalTotalWm2.
    Glazing beamGlazing;
    std::vector<std::vector<double>> beamTransmittedWm2, diffuseTransmittedWm2, absorbedOuterWm2, absorbedInnerWm2,
        verticalTotalWm2;
    // The same five per bin and hour in single precision, [bin][hour][kBinSolar], for the city's
    // stepper (a group of buildings reads the few bins it faces, hour after hour).
    enum BinSolar { kBinWall, kBinTransmitted, kBinDiffuseTransmitted, kBinOuter, kBinInner, kBinSolar };
    std::vector<float> binSolar;
    void precomputeBeamOptics(const Glazing& glazing);
    std::size_t hours() const { return dryBulbC.size(); }
    static int binOf(double azimuthDeg);
    static double azimuthOfBin(int bin) { return 360.0 * bin / kOrientationBins; }
};

struct ZoneSchedules {
    std::vector<double> gainsFraction;     // × internalGainsW, per hour; empty: 1
    std::vector<double> heatingSetpointC;  // per hour; empty: the description's
    std::vector<double> coolingSetpointC;
    std::vector<double> ventilationM3h;  // extra outdoor air (e.g. night ventilation), per hour; empty: none
};

template <class C>
struct LoadCoefficients;  // LoadFormula.h (the engine's sources)

// A day (or the part of one in the year) of up to eight zones that stepped side by side, as the
// city's stepper produces them: hour after hour, a row of kWidth values each, one per zone (lanes
// from `zones` on are padding). For callers that sum over zones or hours (simulateBatch's sink).
struct ZoneHours {
    static constexpr int kWidth = 8;
    int zones = 0;
    const int* zoneIndex = nullptr;  // the zones' places in the batch
    std::size_t firstHour = 0;
    int hours = 0;
    int stride = kWidth;  // floats from one hour's row to the next's
    const float* heatingW = nullptr;  // the first hour's row
    const float* coolingW = nullptr;
    const float* airTempC = nullptr;
    const float* gainsW = nullptr;  // the hour's internal gains
};
using ZoneHoursSink = std::function<void(const ZoneHours&)>;

struct ZoneResult {
    std::vector<double> heatingW;  // hourly mean ideal heating delivered to the air
    std::vector<double> coolingW;  // hourly mean sensible cooling (positive)
    std::vector<double> airTempC;  // at the end of each hour
    double heatingKWh = 0.0;
    double coolingKWh = 0.0;
    double peakHeatingW = 0.0;
    double peakCoolingW = 0.0;
    double uaWK = 0.0;  // steady-state transmission + infiltration conductance air-to-outside
};

// An hourly multi-node thermal network per zone (ISO 52016-1 style: finite-difference nodes in
// each construction, air node, interior long-wave exchange, implicit time steps) with ideal
// convective heating and cooling to the air set points.
class ZoneModel {
public:
    explicit ZoneModel(const ZoneDescription& description);

    // Runs the year (8760 or any number of hours) with `warmupHours` taken from the end of the climate first.
    ZoneResult simulate(const SiteClimate& climate, const ZoneSchedules& schedules = {},
                        std::size_t warmupHours = 720);
    // Runs several zones through the same year on the fast kernel, hour by hour with the zones inside
    // (independent zones keep the pipeline full); each result equals simulate()'s for that zone.
    // schedules[i] belongs to models[i] (nullptr: none).
    static std::vector<ZoneResult> simulateBatch(std::vector<ZoneModel>& models, const SiteClimate& climate,
                                                 const std::vector<const ZoneSchedules*>& schedules,
                                                 std::size_t warmupHours = 720);
    // The same into `results` (resized; its arrays are reused when it is passed again). With a sink,
    // zones that step side by side give it their hours a day at a time instead, and their results'
    // hourly arrays are left empty (the annual figures are set either way).
    static void simulateBatch(std::vector<ZoneModel>& models, const SiteClimate& climate,
                              const std::vector<const ZoneSchedules*>& schedules, std::size_t warmupHours,
                              std::vector<ZoneResult>& results, const ZoneHoursSink* sink = nullptr);

    int nodeCount() const { return static_cast<int>(m_capacityJK.size()); }
    // Air-to-outside conductance (transmission + infiltration) with the exterior convection of the
    // last simulate() (still air before), floor heat flowing down and ceiling heat flowing up.
    double steadyStateUaWK() const;

private:
    friend class ZoneBatch;  // the fast kernel (ZoneBatch.cpp)

    // Per-simulation constants of the hourly loads: solar distribution in the room, facade bins,
    // exterior coefficients. Shared by the kernels so that they see the same loads.
    struct LoadConstants {
        double windFactor = 1.0;
        double hRadWall = 0.0, hRadRoof = 0.0, hRadWin = 0.0;
        double gFloorOut = 0.0, gInfiltration = 0.0, gGround = 0.0;
        GlazingOptics diffuseOptics;
        bool cachedOptics = false;
        double floorAbsorptance = 0.0;
        struct Share {
            double wall = 0, roof = 0, floor = 0, mass = 0, window = 0;
        } reflected, spread;  // per unit reflected by the floor; per unit of diffuse light entering
        double interiorAreaM2 = 0.0;
        std::vector<int> facadeBins;
        // The facades' wall and window areas summed per orientation bin, bins in order of first use.
        struct BinAreas {
            int bin = 0;
            double wallM2 = 0.0, windowM2 = 0.0;
        };
        std::vector<BinAreas> binAreas;
    };
    // What one hour sets besides the load vector.
    struct HourDrivers {
        int windClass = 0;
        double heatingSetpointC = 20.0, coolingSetpointC = 27.0;
        double ventilationWK = 0.0;  // scheduled extra outdoor air, conductance on the air node
    };
    // Called once before stepping: sets the mean exterior convection (for the UA) and the constants.
    LoadConstants prepareLoads(const SiteClimate& climate);
    // The heat sources and boundary terms of up to kHours consecutive hours, hour by hour at the ten
    // nodes that take them (blockInputs, then LoadFormula.h four hours at a time).
    struct LoadBlock {
        static constexpr int kHours = 24;
        enum Target {
            Air,
            WallInner,
            RoofInner,
            FloorInner,
            MassInner,
            WindowInner,
            WallOuter,
            RoofOuter,
            WindowOuter,
            FloorOuter,
            kTargets
        };
        std::size_t firstHour = 0;
        int hours = 0;
        int node[kTargets] = {};
        double watts[kTargets][kHours] = {};
        HourDrivers drivers[kHours];
        bool holds(std::size_t hour) const {
            return hour >= firstHour && hour < firstHour + static_cast<std::size_t>(hours);
        }
    };
    // originC: the temperature the loads' boundary temperatures are measured from (the steppers may
    // hold temperatures as differences from one; the loads then drop the conductances' share of it).
    void blockLoads(const LoadConstants& k, const SiteClimate& climate, const ZoneSchedules& schedules,
                    std::size_t firstHour, int hours, LoadBlock& block, double originC = 0.0) const;
    // A building's own inputs to the hourly loads (LoadFormula.h), kHours at a time: the facades' solar
    // sums, gains, scheduled ventilation, exterior convection, set points; the site's wind class.
    struct InputBlock {
        static constexpr int kHours = LoadBlock::kHours;
        enum Series {
            WallSun,
            TransmittedSun,
            TransmittedDiffuseSun,
            OuterSun,
            InnerSun,
            Gains,
            Ventilation,
            ConvectionOut,
            HeatingSetpoint,
            CoolingSetpoint,
            kSeries
        };
        int windClass[kHours] = {};
        double series[kSeries][kHours] = {};
    };
    // parts: which series to fill (the stepper side by side takes the wind and, for the site's
    // glazing, the solar from the site).
    enum InputParts : unsigned { kScheduleInputs = 1, kSolarInputs = 2, kWindInputs = 4, kAllInputs = 7 };
    void blockInputs(const LoadConstants& k, const SiteClimate& climate, const ZoneSchedules& schedules,
                     std::size_t firstHour, int hours, InputBlock& block, unsigned parts = kAllInputs) const;
    // The station's wind in a class (exteriorConvection): rounded to the nearest, within the classes.
    static int windClassOf(double windMs) {
        const int c = static_cast<int>(windMs / kWindStepMs + 0.5);
        return c < 0 ? 0 : c < kWindClasses - 1 ? c : kWindClasses - 1;
    }
    void loadCoefficients(const LoadConstants& k, LoadCoefficients<double>& out, double originC = 0.0) const;
    // The load targets' nodes in LoadBlock::Target order.
    void loadTargetNodes(int nodes[LoadBlock::kTargets]) const;
    // Writes one hour's heat sources and boundary terms into b (nodeCount() entries, zeroed here).
    HourDrivers hourlyLoads(const LoadConstants& k, const SiteClimate& climate,
                            const ZoneSchedules& schedules, std::size_t hour, double* b) const;
    // The implicit step's matrix (conductances + capacities / dt) in one wind class and convection state.
    Eigen::MatrixXd systemMatrix(int windClass, int floorUp, int ceilingUp) const;
    ZoneResult simulateReference(const SiteClimate& climate, const ZoneSchedules& schedules,
                                 std::size_t warmupHours);

    struct Element {
        int firstNode = 0;  // outer surface node
        int innerNode = 0;  // room-side surface node
        double areaM2 = 0.0;
    };
    int addConstruction(const Construction& construction, double areaM2);
    void connect(int a, int b, double conductanceWK);
    void build();
    const Eigen::MatrixXd& systemInverse(int windClass, int floorUp, int ceilingUp);
    void addExterior(Eigen::MatrixXd& m, double hConvOut) const;
    // Exterior convection in a wind class: the class is the station's (10 m) wind in kWindStepMs
    // steps, the same for every building of a site, so that zones stepped side by side share it;
    // each building scales it to its surfaces' height.
    double exteriorConvection(int windClass) const {
        return m_desc.coefficients.exteriorConvA +
               m_desc.coefficients.exteriorConvB * m_windFactor * windClass * kWindStepMs;
    }
    static constexpr double kWindStepMs = 1.0;
    static constexpr int kWindClasses = 16;

    ZoneDescription m_desc;
    double m_airRhoCp = 1200.0;
    double m_windFactor = 1.0;  // wind at the surfaces' mean height per wind at the station
    std::vector<double> m_capacityJK;
    std::vector<std::pair<int, double>> m_chain;  // (node, conductance to node + 1) through constructions
    Eigen::MatrixXd m_conductance;                // without the direction-dependent interior convection
    Element m_wall, m_roof, m_floor, m_mass;
    int m_windowOuter = -1, m_windowInner = -1;
    double m_windowAreaM2 = 0.0, m_wallAreaM2 = 0.0;
    static constexpr int kAir = 0;
    static constexpr int kStar = 1;
    double m_dtS = 900.0;
    double m_hConvOut = 4.0;                  // mean exterior convection of the last simulate(), for the UA
    std::vector<Eigen::MatrixXd> m_inverses;  // by wind class, floor and ceiling heat-flow direction
};

}  // namespace ut::energy
