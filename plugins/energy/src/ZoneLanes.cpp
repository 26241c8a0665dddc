// The fast kernel for zones with one step per hour (the city's): four zones side by side, one in each
// lane of every vector (structure of arrays), so that every operation of the hour — the right-hand
// side, the natural-convection corrections, the product, the set-point control — serves four
// buildings at once and no zone-by-zone branches or look-ups remain.
// - The buildings of a site share the hour's wind class (ZoneModel::exteriorConvection), so the four
//   lanes' inverses for a class are interleaved once: entry (column c, row r) of the four is one vector.
// - Floor and ceiling convect by the direction their heat flows, which differs from lane to lane: the
//   interleaved inverse is the one with both flowing down, and a lane whose floor or ceiling convects
//   upwards is corrected by the Woodbury identity (a rank-two update on the two surfaces, one 2 × 2
//   system per lane) — the same inverse as the reference's, without a gather.
// - |dT|^(1/3) of the natural-convection correlation in single precision, eight at a time, by a
//   multiply-only iteration, refined by one Newton step in double.
// Same network, loads and control as the reference (ZoneModel.cpp); tests/energy compares the two.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "ZoneBatch.h"

namespace ut::energy {

namespace {

using Floats4 = float __attribute__((vector_size(16)));
using Floats8 = float __attribute__((vector_size(32)));
using Ints8 = int __attribute__((vector_size(32)));

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
// After an hour's loads in its row: heating and cooling set points and ventilation, a vector each.
enum HourDriver { kHeatingSetpoint, kCoolingSetpoint, kVentilation, kHourDrivers };

// Doubles from a 32-byte boundary on, so that no vector load straddles two cache lines.
class AlignedDoubles {
public:
    AlignedDoubles() = default;
    AlignedDoubles(AlignedDoubles&&) noexcept = default;  // the buffer moves with its aligned pointer
    AlignedDoubles& operator=(AlignedDoubles&&) noexcept = default;
    AlignedDoubles(const AlignedDoubles&) = delete;  // a copy's pointer would point into the original
    AlignedDoubles& operator=(const AlignedDoubles&) = delete;
    void assign(std::size_t count, double value) {
        m_storage.assign(count + kLanes, value);
        const auto address = reinterpret_cast<std::uintptr_t>(m_storage.data());
        m_data = m_storage.data() + (static_cast<std::size_t>(-address) % 32) / sizeof(double);
    }
    double* data() { return m_data; }
    const double* data() const { return m_data; }
    double& operator[](std::size_t i) { return m_data[i]; }

private:
    std::vector<double> m_storage;
    double* m_data = nullptr;
};

// Four zones of a batch (fewer in the last group: the empty lanes have zero matrices, loads and
// areas, and neither heat nor cool).
struct Group {
    int lanes = 0;
    int zone[kLanes] = {-1, -1, -1, -1};
    int columns = 0;    // the rows' nodes, then the other loaded nodes of any lane
    int rowLength = 0;  // doubles per hour of the day's rows: columns · kLanes loads, then the drivers
    int targetColumn[kLanes][kTargets] = {};
    bool distinctTargets[kLanes] = {true, true, true, true};
    bool sharedTargets = true;  // every lane's targets in the same, distinct columns (layOutLoads)
    AlignedDoubles capDt, temp;  // rows · kLanes
    AlignedDoubles constants;    // kConstants · kLanes
    // Per wind class (triangleIndex): the inverse M and W = UᵀV (ff, fc, cc; settle()).
    // Slots for every class, filled on first use.
    std::array<bool, ZoneBatch::kWindClasses> classReady{};
    AlignedDoubles matrices;
    std::size_t slotSize = 0;
    const double* current = nullptr;  // this hour's class
    AlignedDoubles flow;              // this hour's convection corrections (convectionFlows): 5 · kLanes
    AlignedDoubles x;                 // this hour's free response (freeResponse): rows · kLanes
    AlignedDoubles dayRows;
    double* heatingW[kLanes] = {};  // the lanes' hourly results (the empty lanes': scratch)
    double* coolingW[kLanes] = {};
    double* airTempC[kLanes] = {};
    double heatingWh[kLanes] = {}, coolingWh[kLanes] = {}, peakHeatingW[kLanes] = {}, peakCoolingW[kLanes] = {};
};

__attribute__((always_inline)) inline Vec4 splat(double v) {
    return Vec4{v, v, v, v};
}

// x^(-1/3) for eight x ≥ 1e-30 in single precision: a bit-level guess (a few per cent off; the integer
// division by three done in floating point) and two fourth-order steps y ← y·(1 + e/3 + 2e²/9 +
// 14e³/81), e = 1 − x·y³, to single-precision rounding.
__attribute__((always_inline)) inline Floats8 inverseCubeRoots(Floats8 x) {
    Ints8 bits;
    std::memcpy(&bits, &x, sizeof bits);
    const Floats8 third = __builtin_convertvector(bits, Floats8) * (1.0f / 3.0f);
    bits = 0x54a2f1c0 - __builtin_convertvector(third, Ints8);
    Floats8 y;
    std::memcpy(&y, &bits, sizeof y);
    for (int i = 0; i < 2; ++i) {
        const Floats8 e = 1.0f - x * (y * y * y);
        y = y + y * e * (1.0f / 3.0f + e * (2.0f / 9.0f + e * (14.0f / 81.0f)));
    }
    return y;
}

// Walton's natural convection (tarpConvection): coefficient · |dT|^(1/3), at least 0.1, from
// x = max(|dT|, 1e-30) and y ≈ x^(-1/3) to single precision, refined by one Newton step in double
// (y ← y + y·(1 − x·y³)/3, to rounding). tarpConvection's 0.1 for |dT| < 1e-12 is the lower bound's:
// there |dT|^(1/3) < 1e-4. Coefficients by the sign of dT: the surface warmer or cooler than the air.
__attribute__((always_inline)) inline Vec4 naturalConvection(Vec4 dT, Vec4 x, Vec4 y, double warm, double cool) {
    y = y + y * (1.0 - x * (y * y * y)) * (1.0 / 3.0);
    const Vec4 root = x * y * y;
    Vec4 h = warm == cool ? warm * root : (dT > 0.0 ? splat(warm) : splat(cool)) * root;
    return h < 0.1 ? splat(0.1) : h;
}

// Walton's correlations as tarpConvection: vertical surfaces (walls, windows, internal mass), a
// floor (facing up: unstable when warmer than the air), a ceiling (facing down: unstable when cooler).
constexpr double kVertical = 1.31, kUnstable = 9.482 / (7.238 - 1.0), kStable = 1.810 / (1.382 + 1.0);
constexpr double kWarmCoefficient[kMaxSurfaces] = {kVertical, kVertical, kVertical, kUnstable, kStable};
constexpr double kCoolCoefficient[kMaxSurfaces] = {kVertical, kVertical, kVertical, kStable, kUnstable};

constexpr int kFloorRow = 4, kCeilingRow = 5;  // setUp's row order: air, wall, window, mass, floor, roof

// The hour's lagged natural-convection corrections of a group's five room surfaces, into g.flow: the
// first phase of the hour, for every group before the second (the cube roots are long chains of
// dependent operations; independent groups one after another keep the core busy).
__attribute__((always_inline)) inline void convectionFlows(Group& g) {
    const double* k = g.constants.data();
    auto constant = [k](int c) { return load4(k + c * kLanes); };
    const double* temp = g.temp.data();
    const Vec4 tAir = load4(temp);
    const Vec4 tFloor = load4(temp + kFloorRow * kLanes), tCeiling = load4(temp + kCeilingRow * kLanes);
    const Vec4 wallConv = constant(kWallConv);
    const Vec4 inMatrix[kMaxSurfaces] = {wallConv, wallConv, wallConv,
                                         tFloor > tAir ? constant(kFloorUp) : constant(kFloorDown),
                                         tCeiling < tAir ? constant(kCeilingUp) : constant(kCeilingDown)};
    // The five surfaces' |dT|^(-1/3) two to a single-precision vector, then refined in double.
    Vec4 dT[kMaxSurfaces], x[kMaxSurfaces];
    Floats4 xf[kMaxSurfaces + 1];
#pragma GCC unroll 5
    for (int s = 0; s < kMaxSurfaces; ++s) {
        dT[s] = load4(temp + (1 + s) * kLanes) - tAir;
        Mask4 bits;
        __builtin_memcpy(&bits, &dT[s], sizeof bits);
        bits &= 0x7fffffffffffffffLL;  // |dT|
        __builtin_memcpy(&x[s], &bits, sizeof bits);
        x[s] = x[s] < 1e-30 ? splat(1e-30) : x[s];
        xf[s] = __builtin_convertvector(x[s], Floats4);
    }
    xf[kMaxSurfaces] = xf[0];
    Floats4 rootf[kMaxSurfaces + 1];
#pragma GCC unroll 3
    for (int s = 0; s < kMaxSurfaces; s += 2) {
        const Floats8 roots = inverseCubeRoots(__builtin_shufflevector(xf[s], xf[s + 1], 0, 1, 2, 3, 4, 5, 6, 7));
        rootf[s] = __builtin_shufflevector(roots, roots, 0, 1, 2, 3);
        rootf[s + 1] = __builtin_shufflevector(roots, roots, 4, 5, 6, 7);
    }
#pragma GCC unroll 5
    for (int s = 0; s < kMaxSurfaces; ++s) {
        const Vec4 h = naturalConvection(dT[s], x[s], __builtin_convertvector(rootf[s], Vec4),
                                         kWarmCoefficient[s], kCoolCoefficient[s]);
        store4(g.flow.data() + s * kLanes, (h - inMatrix[s]) * constant(kArea0 + s) * dT[s]);
    }
}

// A slot of Group::matrices: the inverse's state part as its upper triangle (the inverse of a
// symmetric matrix is symmetric: entry (c, r) for c ≤ r, column after column), then the other loaded
// columns (all rows each), then W. Vectors of kLanes.
constexpr int triangleIndex(int rows, int c, int r) {  // c ≤ r
    return c * rows - c * (c - 1) / 2 + (r - c);
}
constexpr int symmetricIndex(int rows, int a, int b) {
    return a <= b ? triangleIndex(rows, a, b) : triangleIndex(rows, b, a);
}
constexpr int triangleSize(int rows) {
    return rows * (rows + 1) / 2;
}

// The hour's free response of one group with `Rows` state rows (all four lanes padded to them):
// x = M·rhs with M the inverse for floor and ceiling heat flowing down, into g.x.
template <int Rows>
__attribute__((always_inline)) inline void freeResponse(Group& g, int hourIndex) {
    const int columns = g.columns;
    const double* row = g.dayRows.data() + static_cast<std::ptrdiff_t>(hourIndex) * g.rowLength;
    const double* tempStore = g.temp.data();
    Vec4 t[Rows];
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r) t[r] = load4(tempStore + r * kLanes);

    // Right-hand side: capacity / dt · temperature + loads, minus the convection corrections.
    Vec4 rhs[Rows];
    const double* capDt = g.capDt.data();
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r) rhs[r] = load4(capDt + r * kLanes) * t[r] + load4(row + r * kLanes);
    Vec4 airFlow = rhs[0];
#pragma GCC unroll 5
    for (int s = 0; s < kMaxSurfaces; ++s) {
        const Vec4 flow = load4(g.flow.data() + s * kLanes);
        rhs[1 + s] -= flow;
        airFlow += flow;  // the reference's order: air, then wall, window, mass, floor, roof
    }
    rhs[0] = airFlow;

    const double* m = g.current;
    Vec4 x[Rows];
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r) x[r] = Vec4{};
    // The state part from its triangle: each entry below the diagonal serves (c, r) and (r, c).
#pragma GCC unroll 16
    for (int c = 0; c < Rows; ++c) {
        const double* column = m + triangleIndex(Rows, c, c) * kLanes;
        x[c] += load4(column) * rhs[c];
#pragma GCC unroll 16
        for (int r = c + 1; r < Rows; ++r) {
            const Vec4 entry = load4(column + (r - c) * kLanes);
            x[r] += entry * rhs[c];
            x[c] += entry * rhs[r];
        }
    }
    const double* column = m + triangleSize(Rows) * kLanes;
    for (int c = Rows; c < columns; ++c, column += Rows * kLanes) {
        const Vec4 b = load4(row + c * kLanes);
#pragma GCC unroll 16
        for (int r = 0; r < Rows; ++r) x[r] += load4(column + r * kLanes) * b;
    }
    double* xStore = g.x.data();
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r) store4(xStore + r * kLanes, x[r]);
}

// The hour's second phase, after every group's free response: the lanes' own inverses (Woodbury),
// ventilation and set-point control, and the hour's results.
template <int Rows>
__attribute__((always_inline)) inline void settle(Group& g, int hourIndex, bool ventilates, std::size_t hour,
                                                  bool record) {
    const int columns = g.columns;
    const double* drivers =
        g.dayRows.data() + static_cast<std::ptrdiff_t>(hourIndex) * g.rowLength + columns * kLanes;
    const double* k = g.constants.data();
    auto constant = [k](int c) { return load4(k + c * kLanes); };
    double* tempStore = g.temp.data();
    const Vec4 tAir = load4(tempStore);
    const Mask4 floorUp = load4(tempStore + kFloorRow * kLanes) > tAir;
    const Mask4 ceilingUp = load4(tempStore + kCeilingRow * kLanes) < tAir;
    const double* m = g.current;
    const double* w = m + (triangleSize(Rows) + static_cast<std::ptrdiff_t>(columns - Rows) * Rows) * kLanes;
    auto entry = [m](int a, int b) { return load4(m + symmetricIndex(Rows, a, b) * kLanes); };
    // Everything the lanes' scalars need comes from the air, floor and ceiling rows; the rows are then
    // updated in one pass (no row arrays live across the control).
    const double* xStore = g.x.data();
    const Vec4 x0 = load4(xStore), xFloor = load4(xStore + kFloorRow * kLanes),
               xCeiling = load4(xStore + kCeilingRow * kLanes);
    // Woodbury: the lanes whose floor or ceiling convects upwards, M' = M − V·S·Vᵀ with
    // S = (I + G·W)⁻¹·G, G = diag(g_floor, g_ceiling) for the surfaces that do (0 for the others),
    // V = M·U: the floor's and the ceiling's columns of M minus its air column, W = UᵀV.
    // Floor and ceiling convect by their heat flow: floor warmer than the air, ceiling cooler.
    const Vec4 gF = floorUp ? constant(kFloorG) : Vec4{};
    const Vec4 gC = ceilingUp ? constant(kCeilingG) : Vec4{};
    const Vec4 wFF = load4(w), wFC = load4(w + kLanes), wCC = load4(w + 2 * kLanes);
    const Vec4 a = 1.0 + gF * wFF, d = 1.0 + gC * wCC, b = gF * wFC, e = gC * wFC;
    const Vec4 inverseDet = 1.0 / (a * d - b * e);
    const Vec4 sFF = inverseDet * d * gF, sFC = -(inverseDet * b * gC), sCF = -(inverseDet * e * gF),
               sCC = inverseDet * a * gC;
    const Vec4 yF = xFloor - x0, yC = xCeiling - x0;
    const Vec4 kF = sFF * yF + sFC * yC, kC = sCF * yF + sCC * yC;  // x' = x − V·(kF, kC)
    const Vec4 air0 = entry(0, 0);
    const Vec4 vF0 = entry(kFloorRow, 0) - air0, vC0 = entry(kCeilingRow, 0) - air0;
    const Vec4 aF = sFF * vF0 + sFC * vC0, aC = sCF * vF0 + sCC * vC0;  // M'·e_air = M·e_air − V·(aF, aC)
    const Vec4 airColumn0 = air0 - vF0 * aF - vC0 * aC;
    Vec4 air = x0 - vF0 * kF - vC0 * kC;

    // Scheduled ventilation (Sherman–Morrison on the air node), then ideal heating or cooling; both
    // move every row along the air column: x'' = x' + M'·e_air · (kq − kv).
    Vec4 airResponse = splat(1.0), kv{};
    if (ventilates) {
        Vec4 gVent = load4(drivers + kVentilation * kLanes);
        gVent = gVent > 0.0 ? gVent : Vec4{};  // as the reference: only lanes that ventilate
        airResponse = 1.0 / (1.0 + gVent * airColumn0);
        kv = gVent * air * airResponse;
        air -= airColumn0 * kv;
    }
    const Vec4 airSelf = airColumn0 * airResponse;
    const Vec4 heatingSetpoint = load4(drivers + kHeatingSetpoint * kLanes);
    const Vec4 coolingSetpoint = load4(drivers + kCoolingSetpoint * kLanes);
    const Mask4 heat = (constant(kHeatingOn) > 0.5) & (air < heatingSetpoint);
    const Mask4 cool = (constant(kCoolingOn) > 0.5) & (air > coolingSetpoint) & ~heat;
    const Vec4 toSetpoint = heat ? heatingSetpoint - air : cool ? coolingSetpoint - air : Vec4{};
    const Vec4 q = (heat | cool) ? toSetpoint / airSelf : Vec4{};
    const Vec4 alongAir = q * airResponse - kv;
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r) {
        const Vec4 airR = entry(0, r);
        const Vec4 vF = entry(kFloorRow, r) - airR, vC = entry(kCeilingRow, r) - airR;
        const Vec4 column = airR - vF * aF - vC * aC;
        store4(tempStore + r * kLanes, load4(xStore + r * kLanes) - vF * kF - vC * kC + column * alongAir);
    }
    if (!record) return;
    const Vec4 heatingW = q > 0.0 ? q : Vec4{};
    const Vec4 coolingW = q < 0.0 ? -q : Vec4{};
    const Vec4 airAfter = load4(tempStore);
    for (int l = 0; l < kLanes; ++l) {
        g.heatingW[l][hour] = heatingW[l];
        g.coolingW[l][hour] = coolingW[l];
        g.airTempC[l][hour] = airAfter[l];
    }
    store4(g.heatingWh, load4(g.heatingWh) + heatingW);
    store4(g.coolingWh, load4(g.coolingWh) + coolingW);
    const Vec4 peakHeating = load4(g.peakHeatingW), peakCooling = load4(g.peakCoolingW);
    store4(g.peakHeatingW, peakHeating > heatingW ? peakHeating : heatingW);
    store4(g.peakCoolingW, peakCooling > coolingW ? peakCooling : coolingW);
}

// Every group's hour, for the batch's row count. Built for AVX2 and plain x86-64 like stepZones.
__attribute__((target_clones("arch=x86-64-v3", "default"))) void stepGroups(Group* groups, int count, int rows,
                                                                            int hourIndex, bool ventilates,
                                                                            std::size_t hour, bool record) {
    switch (rows) {
#define UT_ENERGY_LANES(R)                                                                     \
    case R:                                                                                    \
        for (int i = 0; i < count; ++i) convectionFlows(groups[i]);                                   \
        for (int i = 0; i < count; ++i) freeResponse<R>(groups[i], hourIndex);                        \
        for (int i = 0; i < count; ++i) settle<R>(groups[i], hourIndex, ventilates, hour, record);    \
        return;
        UT_ENERGY_LANES(6)
        UT_ENERGY_LANES(7)
        UT_ENERGY_LANES(8)
        UT_ENERGY_LANES(9)
        UT_ENERGY_LANES(10)
        UT_ENERGY_LANES(11)
        UT_ENERGY_LANES(12)
        UT_ENERGY_LANES(13)
        UT_ENERGY_LANES(14)
        UT_ENERGY_LANES(15)
        UT_ENERGY_LANES(16)
#undef UT_ENERGY_LANES
        default:
            return;
    }
}
static_assert(kMinRows == 6 && kMaxRows == 16, "stepGroups instantiates these row counts");

// out[k] = lane k of a, b, c, d: four vectors of four as their 4 × 4 transpose.
__attribute__((always_inline, flatten)) inline void transpose4(const Vec4& a, const Vec4& b, const Vec4& c, const Vec4& d,
                                                      Vec4 out[4]) {
    const Vec4 ab02 = __builtin_shufflevector(a, b, 0, 4, 2, 6), ab13 = __builtin_shufflevector(a, b, 1, 5, 3, 7);
    const Vec4 cd02 = __builtin_shufflevector(c, d, 0, 4, 2, 6), cd13 = __builtin_shufflevector(c, d, 1, 5, 3, 7);
    out[0] = __builtin_shufflevector(ab02, cd02, 0, 1, 4, 5);
    out[1] = __builtin_shufflevector(ab13, cd13, 0, 1, 4, 5);
    out[2] = __builtin_shufflevector(ab02, cd02, 2, 3, 6, 7);
    out[3] = __builtin_shufflevector(ab13, cd13, 2, 3, 6, 7);
}

// A day's loads of a group whose lanes share their target columns, into the day's rows: per target,
// four hours of the four lanes (each lane's hours contiguous) transposed to four rows of lanes.
// watts[l]: lane l's LoadBlock::watts (targets of kDayHours hours each).
__attribute__((target_clones("arch=x86-64-v3", "default"))) void layOutLoads(const double* const* watts,
                                                                             int hours, const int* columns,
                                                                             double* rows, int rowLength) {
    for (int t = 0; t < kTargets; ++t) {
        const double* w0 = watts[0] + t * kDayHours;
        const double* w1 = watts[1] + t * kDayHours;
        const double* w2 = watts[2] + t * kDayHours;
        const double* w3 = watts[3] + t * kDayHours;
        double* out = rows + columns[t] * kLanes;
        int i = 0;
        for (; i + kLanes <= hours; i += kLanes) {
            Vec4 hour[4];
            transpose4(load4(w0 + i), load4(w1 + i), load4(w2 + i), load4(w3 + i), hour);
#pragma GCC unroll 4
            for (int k = 0; k < kLanes; ++k) store4(out + (i + k) * rowLength, hour[k]);
        }
        for (; i < hours; ++i) store4(out + i * rowLength, Vec4{w0[i], w1[i], w2[i], w3[i]});
    }
}

// A day's set points and ventilation of a group's four lanes into the rows' drivers (at `drivers`
// in each row), and whether any lane ventilates in each hour. drivers[l]: lane l's
// LoadBlock::drivers, four 8-byte slots each (wind class, heating, cooling, ventilation; ZoneBatch.cpp
// checks the layout): lane l's hour is one vector, four lanes' hour a 4 × 4 transpose.
__attribute__((target_clones("arch=x86-64-v3", "default"))) void layOutDrivers(const double* const* drivers,
                                                                               int hours, double* rows,
                                                                               int rowLength, bool* ventilates) {
    for (int i = 0; i < hours; ++i) {
        Vec4 slots[4];  // wind class (unused), heating, cooling, ventilation: a lane each
        transpose4(load4(drivers[0] + i * kLanes), load4(drivers[1] + i * kLanes), load4(drivers[2] + i * kLanes),
                   load4(drivers[3] + i * kLanes), slots);
        double* row = rows + i * rowLength;
        store4(row + kHeatingSetpoint * kLanes, slots[1]);
        store4(row + kCoolingSetpoint * kLanes, slots[2]);
        store4(row + kVentilation * kLanes, slots[3]);
        const Mask4 any = slots[3] > 0.0;
        ventilates[i] = (any[0] | any[1] | any[2] | any[3]) != 0;
    }
}

}  // namespace

bool ZoneBatch::runLanes(std::vector<Zone>& zones, const SiteClimate& climate, std::size_t warmupHours,
                         std::vector<ZoneResult>& results) {
    int rows = kMinRows;
    for (const Zone& z : zones) rows = std::max(rows, static_cast<int>(z.rowNode.size()));
    if (rows > kMaxRows) return false;
    const std::size_t hours = climate.hours();
    const int groupCount = static_cast<int>((zones.size() + kLanes - 1) / kLanes);
    thread_local std::vector<Group> threadGroups;
    thread_local std::vector<double> scratchHours;  // the empty lanes' results
    std::vector<Group>& groups = threadGroups;
    groups.resize(static_cast<std::size_t>(groupCount));
    scratchHours.assign(hours, 0.0);
    for (int gi = 0; gi < groupCount; ++gi) {
        Group& g = groups[static_cast<std::size_t>(gi)];
        g.lanes = std::min<int>(kLanes, static_cast<int>(zones.size()) - gi * kLanes);
        int extra = 0;
        for (int l = 0; l < kLanes; ++l) {
            g.zone[l] = l < g.lanes ? gi * kLanes + l : -1;
            if (g.zone[l] < 0) continue;
            const Zone& z = zones[static_cast<std::size_t>(g.zone[l])];
            const int realRows = static_cast<int>(z.rowNode.size());
            int zoneExtra = 0;
            for (std::size_t c = static_cast<std::size_t>(realRows); c < z.columnNode.size(); ++c)
                zoneExtra += z.columnNode[c] >= 0 ? 1 : 0;
            extra = std::max(extra, zoneExtra);
        }
        g.columns = rows + extra;
        g.rowLength = (g.columns + kHourDrivers) * kLanes;
        g.capDt.assign(static_cast<std::size_t>(rows * kLanes), 0.0);
        g.temp.assign(static_cast<std::size_t>(rows * kLanes), 0.0);
        g.constants.assign(static_cast<std::size_t>(kConstants * kLanes), 0.0);
        g.dayRows.assign(static_cast<std::size_t>(kDayHours * g.rowLength), 0.0);
        g.flow.assign(kMaxSurfaces * kLanes, 0.0);
        g.x.assign(static_cast<std::size_t>(rows * kLanes), 0.0);
        g.classReady.fill(false);
        g.slotSize = static_cast<std::size_t>((triangleSize(rows) + (g.columns - rows) * rows + 4) * kLanes);
        g.matrices.assign(g.slotSize * ZoneBatch::kWindClasses, 0.0);
        for (double* v : {g.heatingWh, g.coolingWh, g.peakHeatingW, g.peakCoolingW}) std::fill(v, v + kLanes, 0.0);
        for (int l = 0; l < kLanes; ++l) {
            double* constants = g.constants.data();
            auto set = [&](int c, double v) { constants[c * kLanes + l] = v; };
            if (g.zone[l] < 0) {
                g.heatingW[l] = g.coolingW[l] = g.airTempC[l] = scratchHours.data();
                set(kWallConv, 1.0);
                continue;
            }
            const auto zi = static_cast<std::size_t>(g.zone[l]);
            Zone& z = zones[zi];
            const StepState& s = *z.state;
            const ZoneModel& model = *z.model;
            ZoneResult& r = results[zi];
            g.heatingW[l] = r.heatingW.data();
            g.coolingW[l] = r.coolingW.data();
            g.airTempC[l] = r.airTempC.data();
            const int realRows = static_cast<int>(z.rowNode.size());
            for (int row = 0; row < realRows; ++row) {
                g.capDt[static_cast<std::size_t>(row * kLanes + l)] = s.capDt[static_cast<std::size_t>(row)];
                g.temp[static_cast<std::size_t>(row * kLanes + l)] = s.temp[static_cast<std::size_t>(row)];
            }
            for (int t = 0; t < kTargets; ++t) {
                const int c = z.columnOfTarget[t];
                g.targetColumn[l][t] = c < realRows ? c : rows + (c - realRows);
            }
            g.distinctTargets[l] = z.distinctTargets;
            const SurfaceCoefficients& h = model.m_desc.coefficients;
            const double areas[kMaxSurfaces] = {model.m_wall.areaM2, model.m_windowAreaM2, model.m_mass.areaM2,
                                                model.m_floor.areaM2, model.m_roof.areaM2};
            for (int sf = 0; sf < kMaxSurfaces; ++sf)
                set(kArea0 + sf, h.interiorNaturalConvection && areas[sf] > 0.0 ? areas[sf] : 0.0);
            set(kWallConv, h.interiorWallConv);
            set(kFloorDown, h.interiorFloorConvDown);
            set(kFloorUp, h.interiorFloorConvUp);
            set(kCeilingDown, h.interiorCeilingConvDown);
            set(kCeilingUp, h.interiorCeilingConvUp);
            set(kFloorG, (h.interiorFloorConvUp - h.interiorFloorConvDown) * std::max(model.m_floor.areaM2, 1e-6));
            set(kCeilingG,
                (h.interiorCeilingConvUp - h.interiorCeilingConvDown) * std::max(model.m_roof.areaM2, 1e-6));
            set(kHeatingOn, s.heatingOn ? 1.0 : 0.0);
            set(kCoolingOn, s.coolingOn ? 1.0 : 0.0);
        }
        g.sharedTargets = true;
        for (int l = 0; l < g.lanes; ++l) {
            g.sharedTargets &= g.distinctTargets[l];
            for (int t = 0; t < kTargets; ++t) g.sharedTargets &= g.targetColumn[l][t] == g.targetColumn[0][t];
        }
        // Empty lanes: the shared columns, zero loads.
        for (int l = g.lanes; l < kLanes; ++l) std::copy_n(g.targetColumn[0], kTargets, g.targetColumn[l]);
    }

    // The interleaved inverse of a wind class for one group (built on first use).
    auto classMatrices = [&](Group& g, int windClass) -> const double* {
        double* m = g.matrices.data() + static_cast<std::size_t>(windClass) * g.slotSize;
        if (g.classReady[static_cast<std::size_t>(windClass)]) return m;
        g.classReady[static_cast<std::size_t>(windClass)] = true;
        double* w = m + static_cast<std::size_t>((triangleSize(rows) + (g.columns - rows) * rows) * kLanes);
        for (int l = 0; l < g.lanes; ++l) {
            Zone& z = zones[static_cast<std::size_t>(g.zone[l])];
            const StepState& s = *z.state;
            const int mode = windClass * 4;  // floor and ceiling heat flowing down
            const int existing = s.slotOfMode[static_cast<std::size_t>(mode)];
            const double* packed = existing >= 0
                                       ? s.inverses.data() + static_cast<std::size_t>(existing) * s.slotSize
                                       : packInverse(&z, mode);
            auto at = [&](int c, int r) { return packed[c * s.rows + r]; };  // column c, row r
            const int realRows = static_cast<int>(z.rowNode.size());
            for (int c = 0; c < realRows; ++c)
                for (int r = c; r < realRows; ++r) m[triangleIndex(rows, c, r) * kLanes + l] = at(c, r);
            double* extra = m + triangleSize(rows) * kLanes;
            for (int c = realRows; c < s.columns; ++c) {
                if (z.columnNode[static_cast<std::size_t>(c)] < 0) continue;
                for (int r = 0; r < realRows; ++r) extra[((c - realRows) * rows + r) * kLanes + l] = at(c, r);
            }
            auto vFloor = [&](int r) { return at(kFloorRow, r) - at(0, r); };
            auto vCeiling = [&](int r) { return at(kCeilingRow, r) - at(0, r); };
            w[l] = vFloor(kFloorRow) - vFloor(0);
            w[kLanes + l] = vCeiling(kFloorRow) - vCeiling(0);
            w[2 * kLanes + l] = vCeiling(kCeilingRow) - vCeiling(0);
        }
        return m;
    };

    // The day's loads of every lane into its group's rows (column · kLanes + lane), drivers after.
    int windOfHour[kDayHours] = {};
    bool ventilatesAt[kDayHours] = {};
    std::size_t blockFirst = 0;
    int blockHours = 0;
    auto loadDay = [&](std::size_t hour) {
        blockHours = static_cast<int>(std::min<std::size_t>(kDayHours, hours - hour));
        blockFirst = hour;
        std::fill(ventilatesAt, ventilatesAt + kDayHours, false);
        static_assert(sizeof(ZoneModel::HourDrivers) == kLanes * sizeof(double));  // layOutDrivers
        static const ZoneModel::LoadBlock kNoLoads{};
        bool groupVentilates[kDayHours] = {};
        for (Group& g : groups) {
            const double* watts[kLanes] = {};
            const double* drivers[kLanes] = {};
            for (int l = 0; l < kLanes; ++l) {
                const ZoneModel::LoadBlock* block = &kNoLoads;
                if (l < g.lanes) {
                    Zone& z = zones[static_cast<std::size_t>(g.zone[l])];
                    z.model->blockLoads(z.loads, climate, *z.schedules, hour, blockHours, z.block);
                    block = &z.block;
                }
                watts[l] = &block->watts[0][0];
                drivers[l] = reinterpret_cast<const double*>(block->drivers);
                if (g.sharedTargets || l >= g.lanes) continue;
                const int* column = g.targetColumn[l];
                for (int i = 0; i < blockHours; ++i) {
                    double* row = g.dayRows.data() + static_cast<std::size_t>(i * g.rowLength);
                    for (int t = 0; t < kTargets; ++t) row[column[t] * kLanes + l] = 0.0;
                    for (int t = 0; t < kTargets; ++t) row[column[t] * kLanes + l] += block->watts[t][i];
                }
            }
            if (g.sharedTargets) layOutLoads(watts, blockHours, g.targetColumn[0], g.dayRows.data(), g.rowLength);
            layOutDrivers(drivers, blockHours, g.dayRows.data() + g.columns * kLanes, g.rowLength, groupVentilates);
            for (int i = 0; i < blockHours; ++i) ventilatesAt[i] = ventilatesAt[i] || groupVentilates[i];
        }
        const Zone& first = zones.front();  // the wind class is the site's: the same in every zone
        for (int i = 0; i < blockHours; ++i) windOfHour[i] = first.block.drivers[i].windClass;
    };

    const std::size_t warm = std::min(warmupHours, hours);
    for (std::size_t k = 0; k < warm + hours; ++k) {
        const std::size_t hour = k < warm ? hours - warm + k : k - warm;
        if (blockHours == 0 || hour < blockFirst || hour >= blockFirst + static_cast<std::size_t>(blockHours))
            loadDay(hour);
        const int hourIndex = static_cast<int>(hour - blockFirst);
        for (Group& g : groups) g.current = classMatrices(g, windOfHour[hourIndex]);
        stepGroups(groups.data(), groupCount, rows, hourIndex, ventilatesAt[hourIndex], hour, k >= warm);
    }
    for (const Group& g : groups) {
        for (int l = 0; l < g.lanes; ++l) {
            ZoneResult& r = results[static_cast<std::size_t>(g.zone[l])];
            r.heatingKWh = g.heatingWh[l] / 1000.0;
            r.coolingKWh = g.coolingWh[l] / 1000.0;
            r.peakHeatingW = g.peakHeatingW[l];
            r.peakCoolingW = g.peakCoolingW[l];
        }
    }
    return true;
}

}  // namespace ut::energy
