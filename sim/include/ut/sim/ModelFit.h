#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace ut::sim {

// Measured versus simulated: ASHRAE Guideline 14-2014 calibration statistics for meters and the
// GEH statistic for traffic counts (docs/sensors.md gives the formulas and their sources).

struct TimedValue {
    std::int64_t timeMs = 0;  // milliseconds since 1970-01-01T00:00:00Z
    double value = 0.0;
};

// Measurements and model values at the same times, in the measurements' order.
struct PairedValues {
    std::vector<std::int64_t> timesMs;
    std::vector<double> measured;
    std::vector<double> simulated;
};

// Pairs each measurement with the model step nearest in time, when that step is within
// `toleranceMs` (0: the same instant). `simulated` must be in time order; NaN values are skipped.
PairedValues pairByTime(std::span<const TimedValue> measured, std::span<const TimedValue> simulated,
                        std::int64_t toleranceMs = 0);

struct CalibrationFit {
    std::size_t count = 0;
    double measuredMean = 0.0;
    // 100 · sqrt(Σ(m − s)² / (n − p)) / mean(m)
    double cvRmsePercent = 0.0;
    // 100 · Σ(m − s) / ((n − p) · mean(m)); positive when the model under-predicts.
    double nmbePercent = 0.0;
};

// nullopt when the lengths differ, n ≤ p or the measured mean is 0.
std::optional<CalibrationFit> calibrationFit(std::span<const double> measured,
                                             std::span<const double> simulated, int parameters = 1);

enum class DataInterval { Hourly, Monthly };

struct Guideline14Limits {
    double cvRmsePercent;
    double nmbePercent;  // |NMBE| at most this
};
// Calibrated-simulation limits: hourly 30 % / ±10 %, monthly 15 % / ±5 %.
Guideline14Limits guideline14Limits(DataInterval interval);
bool meetsGuideline14(const CalibrationFit& fit, DataInterval interval);

// GEH = sqrt(2 (M − C)² / (M + C)) for hourly flows M (model) and C (count); 0 when both are 0.
double geh(double modelled, double counted);

struct GehSummary {
    std::size_t count = 0;
    std::size_t belowFive = 0;
    double shareBelowFive = 0.0;
    double maximum = 0.0;
    bool acceptable = false;  // GEH < 5 for at least 85 % of the counts
};
GehSummary gehSummary(std::span<const double> counted, std::span<const double> modelled);

}  // namespace ut::sim
