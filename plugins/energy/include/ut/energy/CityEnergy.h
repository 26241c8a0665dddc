#pragma once

#include <atomic>
#include <functional>
#include <vector>

#include "ut/energy/ZoneModel.h"
#include "ut/geodata/BuildingTable.h"

namespace ut::energy {

struct CityEnergyParameters {
    double storeyHeightM = 3.0;
    double heatingSetpointC = 20.0;
    double coolingSetpointC = 26.0;
    double gridCo2TPerMWh = 0.4594;  // Korean grid, 2014–16 (emissions trading scheme)
    double heatingCo2TPerMWh =
        0.2183;  // city gas (LNG) 56.1 tCO2/TJ = 0.2020 per MWh of fuel, ÷ 0.925 boiler efficiency
    double coolingCop = 3.0;  // electricity per unit of cooling
    int threads = 2;
    // Rooftop PV: modules cover this fraction of each roof (tilted rows with spacing on flat roofs).
    double pvRoofCoverage = 0.35;
    double pvModuleKwPerM2 = 0.20;      // DC nameplate per m² of module (20 % efficient)
    double electricShareOfGains = 1.0;  // internal gains that are electricity (lighting, equipment)
    // When set, every building is simulated as this zone (validation projects: ASHRAE 140 cases).
    const ZoneDescription* referenceZone = nullptr;
    ZoneKernel kernel = ZoneKernel::Fast;  // the others are the reference (tests, benchmark anchor)
};

// The numerical settings of the city's zones (buildingZone): one implicit step per hour and massive
// layers in slices of up to 18 cm (one slice for the archetypes' concrete). tests/energy runs ASHRAE
// 140 cases 600 and 900 with them too (docs/VALIDATION.md).
inline constexpr int kCitySubstepsPerHour = 1;
inline constexpr double kCityMaxSliceM = 0.18;

// Inputs of one building: the archetype of its use and construction period, overridden by its
// attributes (u_wall, u_roof, u_floor, u_window, g_window, wwr, infiltration_ach,
// heating_setpoint_c, cooling_setpoint_c, internal_gains_w_m2).
struct BuildingEnergyInputs {
    double uWall = 0.5, uRoof = 0.4, uFloor = 0.5, uWindow = 2.8, gWindow = 0.6;
    double wwr = 0.3, infiltrationAch = 0.5, gainsWm2 = 5.0;
    double heatingSetpointC = 20.0, coolingSetpointC = 26.0;
    const char* period = "";
};

// Hourly schedules of a use for the year starting on 1 January 2026 (a Thursday): internal gains as a
// share of the use's peak, and set points (non-residential uses set heating back to 15 °C and stop
// cooling outside their hours). docs/energy-archetypes.md has the table.
ZoneSchedules schedulesFor(UseClass use, double heatingSetpointC, double coolingSetpointC, std::size_t hours);

BuildingEnergyInputs archetypeInputs(UseClass use, int yearBuilt, const AttributeList& attributes,
                                     const CityEnergyParameters& parameters);

// Per building (structure of arrays; NaN for rows not simulated: outlines drawn by their parts).
struct CityEnergyResult {
    std::size_t buildings = 0;
    std::vector<double> heatingKWh, coolingKWh, peakHeatingKW, peakCoolingKW, floorAreaM2;
    std::vector<double> pvKwDc, pvKWh, electricityKWh, selfSufficiency;  // electricity: gains + cooling / COP
    // Daily values, day-major (365 × buildings): energy per day and mean indoor air temperature.
    std::vector<double> dailyHeatingKWh, dailyCoolingKWh, dailyIndoorC, dailyPvKWh;
    std::size_t days = 0;
    // District sums per hour, kW.
    std::vector<double> districtHeatingKW, districtCoolingKW, districtPvKW, districtElectricityKW;
    // Share of the district's electricity met by its own PV hour by hour (no storage, no export credit).
    double districtSelfSufficiency() const;
};

// Simulates every building for the climate's year; canceled() is polled between buildings and
// progress(fraction done) is called, from the worker threads, as each of up to 64 units of buildings ends.
// pvAcWPerKwDc: hourly AC output of 1 kW DC of rooftop PV (pvWattsHourlyAcW), empty for none.
CityEnergyResult simulateCity(const BuildingTable& buildings, const SiteClimate& climate,
                              double siteElevationM, const CityEnergyParameters& parameters,
                              const std::vector<double>& pvAcWPerKwDc = {},
                              const std::function<bool()>& canceled = {},
                              const std::function<void(double)>& progress = {});

// The zone description the city model builds for one building (exposed for tests).
ZoneDescription buildingZone(const BuildingTable& buildings, std::size_t i,
                             const BuildingEnergyInputs& inputs, double siteElevationM,
                             double groundTemperatureC, double storeyHeightM);

}  // namespace ut::energy
