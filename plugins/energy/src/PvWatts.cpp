#include "ut/energy/PvWatts.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "ut/energy/Climate.h"
#include "ut/energy/Solar.h"

namespace ut::energy {

namespace {
double coverTransmittance(double incidenceRad) {
    constexpr double n = 1.526, kl = 0.002 * 4.0;
    const double refracted = std::asin(std::sin(incidenceRad) / n);
    if (incidenceRad < 1e-6) {
        const double r = std::pow((n - 1) / (n + 1), 2);
        return std::exp(-kl) * (1 - r);
    }
    const double rs = std::pow(std::sin(refracted - incidenceRad) / std::sin(refracted + incidenceRad), 2);
    const double rp = std::pow(std::tan(refracted - incidenceRad) / std::tan(refracted + incidenceRad), 2);
    return std::exp(-kl / std::cos(refracted)) * (1 - 0.5 * (rs + rp));
}
}  // namespace

double pvCoverTransmittanceRatio(double incidenceDeg) {
    if (incidenceDeg >= 90.0) return 0.0;
    return coverTransmittance(incidenceDeg * std::numbers::pi / 180.0) / coverTransmittance(0.0);
}

double pvCellTemperatureC(double poaWm2, double airC, double windMs) {
    const double moduleC = poaWm2 * std::exp(-3.56 - 0.075 * windMs) + airC;
    return moduleC + poaWm2 / 1000.0 * 3.0;
}

PvPower pvWattsPower(const PvSystem& system, double transmittedPoaWm2, double cellTempC) {
    PvPower p;
    if (transmittedPoaWm2 <= 0.0) return p;
    const double dc0W = system.dcKw * 1000.0;
    p.dcW = transmittedPoaWm2 / 1000.0 * dc0W * (1.0 + system.gammaPerC * (cellTempC - 25.0));
    p.dcW = std::max(0.0, p.dcW * (1.0 - system.lossesFraction));
    // Inverter (PVWatts v5): η = η_nom/η_ref · (−0.0162ζ − 0.0059/ζ + 0.9858), ζ = P_dc / P_dc0,inv.
    const double ac0W = dc0W / system.dcAcRatio;
    const double dcInv0W = ac0W / system.inverterEfficiency;
    const double zeta = p.dcW / dcInv0W;
    if (zeta <= 0.0) return p;
    const double eta = system.inverterEfficiency / 0.9637 * (-0.0162 * zeta - 0.0059 / zeta + 0.9858);
    p.acW = std::clamp(p.dcW * eta, 0.0, ac0W);
    return p;
}

std::vector<double> pvWattsHourlyAcW(const PvSystem& system, const sim::WeatherSeries& weather, int year) {
    const std::size_t hours = weather.hours();
    std::vector<double> ac(hours, 0.0);
    for (std::size_t h = 0; h < hours; ++h) {
        HorizontalIrradiance hz;
        hz.globalWm2 = weather.globalHorizontalWhM2[h];
        hz.directNormalWm2 = weather.directNormalWhM2[h];
        hz.diffuseWm2 = weather.diffuseHorizontalWhM2[h];
        hz.albedo = system.albedo;
        hz.extraterrestrialNormalWm2 = extraterrestrialNormalWm2(static_cast<int>(h / 24) + 1);
        if (hz.globalWm2 <= 0.0 && hz.diffuseWm2 <= 0.0) continue;
        const SunPosition sun = sunForHour(weather, h, year);
        if (sun.zenithDeg >= 90.0) hz.directNormalWm2 = 0.0;
        const PlaneIrradiance poa = perezPlaneIrradiance(system.tiltDeg, system.azimuthDeg, sun, hz);
        const double incidenceDeg =
            std::acos(std::clamp(poa.cosIncidence, -1.0, 1.0)) * 180.0 / std::numbers::pi;
        const double transmitted =
            poa.totalWm2() - (1.0 - pvCoverTransmittanceRatio(incidenceDeg)) * poa.beamWm2;
        const double cellC = pvCellTemperatureC(poa.totalWm2(), weather.dryBulbC[h], weather.windSpeedMs[h]);
        ac[h] = pvWattsPower(system, transmitted, cellC).acW;
    }
    return ac;
}

}  // namespace ut::energy
