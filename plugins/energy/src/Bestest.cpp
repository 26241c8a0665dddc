#include "ut/energy/Bestest.h"

namespace ut::energy {

namespace {
constexpr Layer kPlasterboardWall{0.012, 0.160, 950.0, 840.0};
constexpr Layer kFiberglassWall{0.066, 0.040, 12.0, 840.0};
constexpr Layer kWoodSiding{0.009, 0.140, 530.0, 900.0};
constexpr Layer kPlasterboardRoof{0.010, 0.160, 950.0, 840.0};
constexpr Layer kFiberglassRoof{0.1118, 0.040, 12.0, 840.0};
constexpr Layer kRoofDeck{0.019, 0.140, 530.0, 900.0};
constexpr Layer kTimberFlooring{0.025, 0.140, 650.0, 1200.0};
constexpr Layer kFloorInsulationR25{25.075 * 0.04, 0.040, 0.0, 0.0};  // R = 25.075 m²K/W, no mass
constexpr Layer kConcreteBlock{0.100, 0.510, 1400.0, 1000.0};
constexpr Layer kFoamInsulation{0.0615, 0.040, 10.0, 1400.0};
constexpr Layer kConcreteSlab{0.080, 1.130, 1400.0, 1000.0};

ZoneDescription box(double siteElevationM) {
    ZoneDescription z;
    z.floorAreaM2 = 48.0;
    z.volumeM3 = 129.6;
    z.elevationM = siteElevationM;
    z.facades = {{180.0, 8.0 * 2.7 - 12.0, 12.0},
                 {0.0, 8.0 * 2.7, 0.0},
                 {90.0, 6.0 * 2.7, 0.0},
                 {270.0, 6.0 * 2.7, 0.0}};
    z.roofAreaM2 = 48.0;
    z.roof.layers = {kRoofDeck, kFiberglassRoof, kPlasterboardRoof};
    z.groundFloorAreaM2 = 48.0;
    z.groundFloorBoundary = OuterBoundary::Ground;
    z.groundTemperatureC = 10.0;
    // Two 3.175 mm clear panes (k = 1.06, ε = 0.84) with a 13 mm air gap.
    z.window.gapResistanceM2KW = glazingResistanceEn673(2, 0.013, 0.003175, 1.06, 0.84);
    z.infiltrationAch = 0.5;
    z.internalGainsW = 200.0;
    z.radiativeFraction = 0.6;
    z.heatingSetpointC = 20.0;
    z.coolingSetpointC = 27.0;
    return z;
}
}  // namespace

ZoneDescription bestestCase600(double siteElevationM) {
    ZoneDescription z = box(siteElevationM);
    z.wall.layers = {kWoodSiding, kFiberglassWall, kPlasterboardWall};
    z.groundFloor.layers = {kFloorInsulationR25, kTimberFlooring};
    return z;
}

ZoneDescription bestestCase900(double siteElevationM) {
    ZoneDescription z = box(siteElevationM);
    z.wall.layers = {kWoodSiding, kFoamInsulation, kConcreteBlock};
    z.groundFloor.layers = {kFloorInsulationR25, kConcreteSlab};
    return z;
}

bool bestestCase(int caseNumber, double siteElevationM, BestestCase& out) {
    const int base = caseNumber / 100 * 100;
    if (base != 600 && base != 900) return false;
    out = {};
    out.zone = base == 600 ? bestestCase600(siteElevationM) : bestestCase900(siteElevationM);
    switch (caseNumber % 100) {
        case 0:
            return true;
        case 20:
            out.zone.facades = {{180.0, 8.0 * 2.7, 0.0},
                                {0.0, 8.0 * 2.7, 0.0},
                                {90.0, 6.0 * 2.7 - 6.0, 6.0},
                                {270.0, 6.0 * 2.7 - 6.0, 6.0}};
            return true;
        case 40:
            out.schedules.heatingSetpointC.resize(8760);
            for (std::size_t h = 0; h < 8760; ++h) {
                const std::size_t hourOfDay = h % 24;
                out.schedules.heatingSetpointC[h] = hourOfDay >= 23 || hourOfDay < 7 ? 10.0 : 20.0;
            }
            return true;
        case 50:
            // Night ventilation: 1703.16 m³/h from 18:00 to 07:00, no heating, cooling above 27 °C
            // only from 07:00 to 18:00.
            out.zone.heatingOn = false;
            out.schedules.coolingSetpointC.resize(8760);
            out.schedules.ventilationM3h.resize(8760);
            for (std::size_t h = 0; h < 8760; ++h) {
                const std::size_t hourOfDay = h % 24;
                const bool day = hourOfDay >= 7 && hourOfDay < 18;
                out.schedules.coolingSetpointC[h] = day ? 27.0 : 1000.0;
                out.schedules.ventilationM3h[h] = day ? 0.0 : 1703.16;
            }
            return true;
        case 85:
            out.zone.coolingSetpointC = 20.0;
            return true;
        default:
            return false;
    }
}

}  // namespace ut::energy
