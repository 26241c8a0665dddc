#include "CityDaySums.h"

#include "VectorMemory.h"

namespace ut::energy {

namespace {
using Floats4 = float __attribute__((vector_size(16)));

__attribute__((always_inline)) inline float sum8(Floats8 v) {
    Floats4 s = __builtin_shufflevector(v, v, 0, 1, 2, 3) + __builtin_shufflevector(v, v, 4, 5, 6, 7);
    s += __builtin_shufflevector(s, s, 2, 3, 0, 1);
    s += __builtin_shufflevector(s, s, 1, 0, 3, 2);
    return s[0];
}

}  // namespace

__attribute__((target_clones("arch=x86-64-v3", "default"))) DaySums sumDay(const ZoneHours& day,
                                                                           const BuildingDays& b) {
    DaySums sums;
    for (int h = 0; h < day.hours; ++h) {
        const std::size_t hour = day.firstHour + static_cast<std::size_t>(h);
        const std::ptrdiff_t at = static_cast<std::ptrdiff_t>(h) * day.stride;
        const Floats8 heating = loadVector<Floats8>(day.heatingW + at), cooling = loadVector<Floats8>(day.coolingW + at);
        const float pvAc = b.pvAcWPerKwDc ? static_cast<float>(b.pvAcWPerKwDc[hour] / 1000.0) : 0.0f;
        const Floats8 pv = b.kwDc * pvAc;
        const Floats8 elec = b.electricPerGainsW * loadVector<Floats8>(day.gainsW + at) + cooling * b.electricPerCoolingW;
        sums.heatWh += heating;
        sums.coolWh += cooling;
        sums.tempSum += loadVector<Floats8>(day.airTempC + at);
        sums.pvKWh += pv;
        sums.elecKWh += elec;
        sums.selfKWh += pv < elec ? pv : elec;
        b.districtHeatKw[hour] += sum8(heating) / 1000.0;
        b.districtCoolKw[hour] += sum8(cooling) / 1000.0;
        b.districtPvKw[hour] += sum8(pv);
        b.districtElecKw[hour] += sum8(elec);
    }
    return sums;
}

}  // namespace ut::energy
