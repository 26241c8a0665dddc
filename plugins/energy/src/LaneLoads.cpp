// The city's stepper's hourly loads, eight zones at a time (see layOutDay).
#include <algorithm>

#include "ZoneLanes.h"

namespace ut::energy::lanes {

namespace {

// v[k] = lane k of the eight vectors: their 8 × 8 transpose (pairs, then quadruples, then halves).
__attribute__((always_inline, flatten)) inline void transpose8(Lanes v[8]) {
    Lanes t[8], s[8];
#pragma GCC unroll 4
    for (int i = 0; i < 4; ++i) {
        t[2 * i] = __builtin_shufflevector(v[2 * i], v[2 * i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        t[2 * i + 1] = __builtin_shufflevector(v[2 * i], v[2 * i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
    }
#pragma GCC unroll 2
    for (int i = 0; i < 2; ++i) {  // s[4i + k]: from t[4i + k % 2] and t[4i + 2 + k % 2]
        s[4 * i] = __builtin_shufflevector(t[4 * i], t[4 * i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
        s[4 * i + 1] = __builtin_shufflevector(t[4 * i], t[4 * i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        s[4 * i + 2] = __builtin_shufflevector(t[4 * i + 1], t[4 * i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
        s[4 * i + 3] = __builtin_shufflevector(t[4 * i + 1], t[4 * i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
    }
#pragma GCC unroll 4
    for (int k = 0; k < 4; ++k) {
        v[k] = __builtin_shufflevector(s[k], s[4 + k], 0, 1, 2, 3, 8, 9, 10, 11);
        v[4 + k] = __builtin_shufflevector(s[k], s[4 + k], 4, 5, 6, 7, 12, 13, 14, 15);
    }
}

using Doubles8 = double __attribute__((vector_size(64)));

}  // namespace

using InputBlock = ZoneBatch::InputBlock;
using Series = InputBlock::Series;

// A day's loads and drivers of a group whose lanes share their target columns, into the day's rows:
// the lanes' own inputs (blockInputs, hours contiguous in double) rounded to single precision and
// transposed, eight hours at a time, to lanes; the facades' solar from the site's bins for all lanes
// at once where their glazing is the site's; then the hour's targets for all lanes at once by the
// reference's formula (LoadFormula.h). Sets, per hour, whether any lane ventilates.
__attribute__((target_clones("arch=x86-64-v3", "default"))) void layOutDay(
    const InputBlock* const* inputs, const Group& g, const SiteClimate& climate, std::size_t firstHour,
    int hours, const int* windClass, float* rows, bool* ventilates) {
    constexpr int kSeries = InputBlock::kSeries;
    constexpr Series kOwnSolar[] = {InputBlock::WallSun, InputBlock::TransmittedSun,
                                    InputBlock::TransmittedDiffuseSun, InputBlock::OuterSun,
                                    InputBlock::InnerSun};
    const auto reference = static_cast<float>(kReferenceC);
    const int* columns = g.targetColumn[0];
    const int rowLength = g.rowLength, driversAt = g.columns * kWidth;
    constexpr int kBinSolar = SiteClimate::kBinSolar;
    for (int i = 0; i < hours; i += kWidth) {
        const int chunk = std::min(kWidth, hours - i);
        Lanes byHour[kSeries][kWidth];  // [series][hour of the chunk]: the eight lanes
        auto transpose = [&](Series q) __attribute__((always_inline)) {
            if (chunk == kWidth) {
#pragma GCC unroll 8
                for (int l = 0; l < kWidth; ++l) {
                    Doubles8 d;
                    __builtin_memcpy(&d, inputs[l]->series[q] + i, sizeof d);
                    byHour[q][l] = __builtin_convertvector(d, Lanes);
                }
                transpose8(byHour[q]);
            } else {
                for (int k = 0; k < chunk; ++k)
                    for (int l = 0; l < kWidth; ++l)
                        byHour[q][k][l] = static_cast<float>(inputs[l]->series[q][i + k]);
            }
        };
        for (Series q : {InputBlock::Gains, InputBlock::Ventilation, InputBlock::HeatingSetpoint,
                         InputBlock::CoolingSetpoint})
            transpose(q);
        if (!g.siteSolar)
            for (Series q : kOwnSolar) transpose(q);
        for (int k = 0; k < chunk; ++k) {
            const std::size_t at = firstHour + static_cast<std::size_t>(i + k);
            auto series = [&](Series q) __attribute__((always_inline)) {
                return byHour[q][k];
            };
            Lanes wall{}, transmitted{}, transmittedDiffuse{}, outer{}, inner{};
            if (g.siteSolar) {
                for (int b = 0; b < g.binCount; ++b) {
                    const float* bin =
                        climate.binSolar.data() +
                        (static_cast<std::size_t>(g.bins[b]) * climate.hours() + at) * kBinSolar;
                    const Lanes window = g.binWindow[b];
                    wall += g.binWall[b] * bin[SiteClimate::kBinWall];
                    transmitted += window * bin[SiteClimate::kBinTransmitted];
                    transmittedDiffuse += window * bin[SiteClimate::kBinDiffuseTransmitted];
                    outer += window * bin[SiteClimate::kBinOuter];
                    inner += window * bin[SiteClimate::kBinInner];
                }
            } else {
                wall = series(InputBlock::WallSun);
                transmitted = series(InputBlock::TransmittedSun);
                transmittedDiffuse = series(InputBlock::TransmittedDiffuseSun);
                outer = series(InputBlock::OuterSun);
                inner = series(InputBlock::InnerSun);
            }
            const LoadInputs<Lanes> in{splatL(static_cast<float>(climate.dryBulbC[at] - kReferenceC)),
                                       splatL(static_cast<float>(climate.skyTemperatureC[at] - kReferenceC)),
                                       splatL(static_cast<float>(climate.horizontalTotalWm2[at])),
                                       g.convectionA + g.convectionB * static_cast<float>(windClass[i + k]),
                                       series(InputBlock::Gains),
                                       series(InputBlock::Ventilation),
                                       wall,
                                       transmitted,
                                       transmittedDiffuse,
                                       outer,
                                       inner};
            Lanes out[kTargets];
            loadTargets(g.coefficients, in, out);
            float* row = rows + (i + k) * rowLength;
#pragma GCC unroll 10
            for (int t = 0; t < kTargets; ++t) storeL(row + columns[t] * kWidth, out[t]);
            float* drivers = row + driversAt;
            storeL(drivers + kHeatingSetpoint * kWidth, series(InputBlock::HeatingSetpoint) - reference);
            storeL(drivers + kCoolingSetpoint * kWidth, series(InputBlock::CoolingSetpoint) - reference);
            const Lanes ventilation = series(InputBlock::Ventilation);
            storeL(drivers + kVentilation * kWidth, ventilation);
            storeL(drivers + kGains * kWidth, series(InputBlock::Gains));
            const LaneMask any = ventilation > 0.0f;
            ventilates[i + k] = (any[0] | any[1] | any[2] | any[3] | any[4] | any[5] | any[6] | any[7]) != 0;
        }
    }
}

}  // namespace ut::energy::lanes
