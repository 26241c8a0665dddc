// The city's stepper side by side (ZoneLanes.cpp) and its loads (LaneLoads.cpp): the lane types and a
// group of eight zones. Private to the energy engine.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "LoadFormula.h"
#include "ZoneBatch.h"

namespace ut::energy::lanes {

// Eight floats: one AVX register (two SSE registers in the plain x86-64 build), a zone in each lane.
constexpr int kWidth = 8;
static_assert(ZoneHours::kWidth == kWidth);
using Lanes = float __attribute__((vector_size(32)));
using LaneMask = int __attribute__((vector_size(32)));
using Floats4 = float __attribute__((vector_size(16)));

__attribute__((always_inline)) inline Lanes loadL(const float* p) { return loadVector<Lanes>(p); }
__attribute__((always_inline)) inline void storeL(float* p, const Lanes& v) { storeVector(p, v); }
__attribute__((always_inline)) inline Lanes splatL(float v) {
    return Lanes{v, v, v, v, v, v, v, v};
}
// sums[0..7] += v, in double.
__attribute__((always_inline)) inline void addToDoubles(double* sums, const Lanes& v) {
    const Floats4 low = __builtin_shufflevector(v, v, 0, 1, 2, 3),
                  high = __builtin_shufflevector(v, v, 4, 5, 6, 7);
    store4(sums, load4(sums) + __builtin_convertvector(low, Vec4));
    store4(sums + 4, load4(sums + 4) + __builtin_convertvector(high, Vec4));
}

constexpr int kMinRows = 6, kMaxRows = 16;  // air and five room surfaces at least
constexpr int kTargets = ZoneBatch::kLoadTargets;
constexpr int kDayHours = ZoneBatch::kDayHours;
// Per-lane constants, one vector each.
enum Constant {
    kArea0,  // five surfaces' areas with natural convection (0: none), wall, window, mass, floor, roof
    kWallConv = kArea0 + kMaxSurfaces,  // in the matrix: walls, windows, internal mass
    kFloorDown,
    kFloorUp,
    kCeilingDown,
    kCeilingUp,
    kFloorG,    // (up − down) · floor area: the floor's rank-one change of the matrix
    kCeilingG,  // the same for the ceiling
    kHeatingOn,
    kCoolingOn,
    kConstants
};
// After an hour's loads in its row: heating and cooling set points, ventilation and internal gains
// (for a sink), a vector each.
enum HourDriver { kHeatingSetpoint, kCoolingSetpoint, kVentilation, kGains, kHourDrivers };
// What a sink gets per hour (Group::dayOut), a vector each.
enum HourOutput { kOutHeating, kOutCooling, kOutAir, kOutGains, kHourOutputs };
// How settle() keeps the hour: not at all (warm-up), in the zones' hourly arrays, or for a sink.
enum class Record { None, Arrays, Sink };

// Floats from a 32-byte boundary on, so that no vector load straddles two cache lines.
class AlignedFloats {
public:
    AlignedFloats() = default;
    AlignedFloats(AlignedFloats&&) noexcept = default;  // the buffer moves with its aligned pointer
    AlignedFloats& operator=(AlignedFloats&&) noexcept = default;
    AlignedFloats(const AlignedFloats&) = delete;  // a copy's pointer would point into the original
    AlignedFloats& operator=(const AlignedFloats&) = delete;
    void assign(std::size_t count, float value) {
        m_storage.assign(count + kWidth, value);
        const auto address = reinterpret_cast<std::uintptr_t>(m_storage.data());
        m_data = m_storage.data() + (static_cast<std::size_t>(-address) % 32) / sizeof(float);
    }
    float* data() { return m_data; }
    const float* data() const { return m_data; }
    float& operator[](std::size_t i) { return m_data[i]; }

private:
    std::vector<float> m_storage;
    float* m_data = nullptr;
};

// Eight zones of a batch (fewer in the last group: the empty lanes have zero matrices, loads and
// areas, and neither heat nor cool).
struct Group {
    int lanes = 0;
    int zone[kWidth] = {-1, -1, -1, -1, -1, -1, -1, -1};
    int columns = 0;    // the rows' nodes, then the other loaded nodes of any lane
    int rowLength = 0;  // floats per hour of the day's rows: columns · kWidth loads, then the drivers
    int targetColumn[kWidth][kTargets] = {};
    bool distinctTargets[kWidth] = {true, true, true, true, true, true, true, true};
    bool sharedTargets = true;             // every lane's targets in the same, distinct columns (layOutDay)
    LoadCoefficients<Lanes> coefficients;  // the lanes' (layOutDay)
    Lanes convectionA, convectionB;        // exterior convection: A + B · wind class
    // With every lane's glazing the site's: the facades' solar from the site's bins (SiteClimate::
    // binSolar), the lanes' wall and window areas facing each bin the group uses.
    bool siteSolar = false;
    int binCount = 0;
    int bins[SiteClimate::kOrientationBins] = {};
    Lanes binWall[SiteClimate::kOrientationBins], binWindow[SiteClimate::kOrientationBins];
    AlignedFloats capDt, temp;  // rows · kWidth
    AlignedFloats constants;    // kConstants · kWidth
    // Per wind class (triangleIndex): the inverse M and W = UᵀV (ff, fc, cc; settle()).
    // Slots for every class, filled on first use.
    std::array<bool, ZoneBatch::kWindClasses> classReady{};
    AlignedFloats matrices;
    std::size_t slotSize = 0;
    const float* current = nullptr;  // this hour's class
    AlignedFloats flow;              // this hour's convection corrections (convectionFlows): 5 · kWidth
    AlignedFloats x;                 // this hour's free response (freeResponse): rows · kWidth
    AlignedFloats dayRows;
    AlignedFloats dayOut;           // the day's hours for a sink: kHourOutputs · kWidth per hour
    double* heatingW[kWidth] = {};  // the lanes' hourly results (the empty lanes': scratch)
    double* coolingW[kWidth] = {};
    double* airTempC[kWidth] = {};
    alignas(32) double heatingWh[kWidth] = {};
    alignas(32) double coolingWh[kWidth] = {};
    alignas(32) float peakHeatingW[kWidth] = {};
    alignas(32) float peakCoolingW[kWidth] = {};
};

// The lanes hold temperatures as differences from this, and their loads take the outdoor, sky and
// ground temperatures as differences from it (ZoneModel::loadCoefficients' origin): the network is
// linear and its conductances to those boundaries are the only ones the origin moves. Single
// precision resolves 20 °C to 2e-6 K, and the rounding of the inverse's entries moves a temperature
// in proportion to its size.
constexpr double kReferenceC = 20.0;

// A day's loads and drivers of a group whose lanes share their target columns, into the day's rows
// (LaneLoads.cpp). inputs[l]: lane l's own inputs; windClass: the site's, per hour of the day.
void layOutDay(const ZoneBatch::InputBlock* const* inputs, const Group& g, const SiteClimate& climate,
               std::size_t firstHour, int hours, const int* windClass, float* rows, bool* ventilates);

}  // namespace ut::energy::lanes
