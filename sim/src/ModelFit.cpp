#include "ut/sim/ModelFit.h"

#include <algorithm>
#include <cmath>

namespace ut::sim {

PairedValues pairByTime(std::span<const TimedValue> measured, std::span<const TimedValue> simulated,
                        std::int64_t toleranceMs) {
    PairedValues paired;
    const auto earlier = [](const TimedValue& step, std::int64_t time) { return step.timeMs < time; };
    for (const TimedValue& measurement : measured) {
        if (std::isnan(measurement.value)) continue;
        auto after = std::lower_bound(simulated.begin(), simulated.end(), measurement.timeMs, earlier);
        const TimedValue* nearest = nullptr;
        std::int64_t distance = 0;
        if (after != simulated.end()) {
            nearest = &*after;
            distance = after->timeMs - measurement.timeMs;
        }
        if (after != simulated.begin()) {
            const TimedValue& before = *(after - 1);
            if (!nearest || measurement.timeMs - before.timeMs < distance) {
                nearest = &before;
                distance = measurement.timeMs - before.timeMs;
            }
        }
        if (!nearest || distance > toleranceMs || std::isnan(nearest->value)) continue;
        paired.timesMs.push_back(measurement.timeMs);
        paired.measured.push_back(measurement.value);
        paired.simulated.push_back(nearest->value);
    }
    return paired;
}

std::optional<CalibrationFit> calibrationFit(std::span<const double> measured,
                                             std::span<const double> simulated, int parameters) {
    const std::size_t n = measured.size();
    if (n != simulated.size() || parameters < 0 || n <= static_cast<std::size_t>(parameters))
        return std::nullopt;
    double sumMeasured = 0.0, sumError = 0.0, sumSquaredError = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double error = measured[i] - simulated[i];
        sumMeasured += measured[i];
        sumError += error;
        sumSquaredError += error * error;
    }
    CalibrationFit fit;
    fit.count = n;
    fit.measuredMean = sumMeasured / static_cast<double>(n);
    if (fit.measuredMean == 0.0) return std::nullopt;
    const double degreesOfFreedom = static_cast<double>(n - static_cast<std::size_t>(parameters));
    fit.cvRmsePercent = 100.0 * std::sqrt(sumSquaredError / degreesOfFreedom) / fit.measuredMean;
    fit.nmbePercent = 100.0 * sumError / (degreesOfFreedom * fit.measuredMean);
    return fit;
}

Guideline14Limits guideline14Limits(DataInterval interval) {
    return interval == DataInterval::Hourly ? Guideline14Limits{30.0, 10.0} : Guideline14Limits{15.0, 5.0};
}

bool meetsGuideline14(const CalibrationFit& fit, DataInterval interval) {
    const Guideline14Limits limits = guideline14Limits(interval);
    return fit.cvRmsePercent <= limits.cvRmsePercent && std::abs(fit.nmbePercent) <= limits.nmbePercent;
}

double geh(double modelled, double counted) {
    const double total = modelled + counted;
    if (total <= 0.0) return 0.0;
    const double difference = modelled - counted;
    return std::sqrt(2.0 * difference * difference / total);
}

GehSummary gehSummary(std::span<const double> counted, std::span<const double> modelled) {
    GehSummary summary;
    const std::size_t n = std::min(counted.size(), modelled.size());
    for (std::size_t i = 0; i < n; ++i) {
        const double value = geh(modelled[i], counted[i]);
        ++summary.count;
        if (value < 5.0) ++summary.belowFive;
        summary.maximum = std::max(summary.maximum, value);
    }
    if (summary.count > 0)
        summary.shareBelowFive = static_cast<double>(summary.belowFive) / static_cast<double>(summary.count);
    summary.acceptable = summary.count > 0 && summary.shareBelowFive >= 0.85;
    return summary;
}

}  // namespace ut::sim
