#pragma once

#include <vector>

#include "ut/sim/WeatherSeries.h"

namespace ut::energy {

// PVWatts version 5 (Dobos 2014, NREL/TP-6A20-62641): plane-of-array irradiance (Perez), cover
// angle-of-incidence loss on the beam, cell temperature, DC power with a temperature coefficient,
// system losses, and the PVWatts inverter curve clipped at the AC rating.
struct PvSystem {
    double dcKw = 1.0;  // nameplate DC at 1000 W/m², 25 °C
    double tiltDeg = 20.0;
    double azimuthDeg = 180.0;       // clockwise from north
    double lossesFraction = 0.1408;  // PVWatts default system losses
    double dcAcRatio = 1.2;
    double inverterEfficiency = 0.96;
    double gammaPerC = -0.0047;  // standard module
    double albedo = 0.2;
};

// One hour's DC and AC from transmitted plane-of-array irradiance and cell temperature.
struct PvPower {
    double dcW = 0.0;
    double acW = 0.0;
};
PvPower pvWattsPower(const PvSystem& system, double transmittedPoaWm2, double cellTempC);

// Cover transmittance relative to normal incidence (glass n = 1.526, K·L = 0.008), as PVWatts v5.
double pvCoverTransmittanceRatio(double incidenceDeg);

// Cell temperature: Sandia module temperature model (King et al. 2004) for glass/cell/polymer
// modules on an open rack (a = −3.56, b = −0.075, ΔT = 3 K) — a stand-in for the Fuentes model of
// PVWatts v5, which this does not implement.
double pvCellTemperatureC(double poaWm2, double airC, double windMs);

// Hourly AC output (W) of the system over the weather year.
std::vector<double> pvWattsHourlyAcW(const PvSystem& system, const sim::WeatherSeries& weather,
                                     int year = 2026);

}  // namespace ut::energy
