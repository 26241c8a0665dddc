#pragma once

#include "ut/energy/ZoneModel.h"

namespace ut::energy {

// ASHRAE Standard 140 (Section 5.2) cases as zone descriptions: 8 × 6 × 2.7 m box, two 3 × 2 m
// south windows (12 m²), 200 W continuous internal gains (60 % radiative), 0.5 ach, heating
// below 20 °C and cooling above 27 °C, solar absorptance 0.6 and emissivity 0.9 inside and out,
// floor on R-25 insulation. 600: lightweight walls and floor; 900: concrete block walls and
// concrete slab floor. Materials as in the standard's Tables 7-1 and 7-2 (and the BESTEST-GSR
// EnergyPlus input of case 600).
ZoneDescription bestestCase600(double siteElevationM);
ZoneDescription bestestCase900(double siteElevationM);

// Variants built on 600 and 900: 620/920 (6 m² windows east and west instead of south),
// 640/940 (heating set back to 10 °C from 23:00 to 07:00), 650/950 (night ventilation, no heating,
// daytime cooling only), 685/985 (heating and cooling both at
// 20 °C). Returns false for a case number it does not know.
struct BestestCase {
    ZoneDescription zone;
    ZoneSchedules schedules;
};
bool bestestCase(int caseNumber, double siteElevationM, BestestCase& out);

}  // namespace ut::energy
