// The fast kernel for zones with one step per hour (the city's): eight zones side by side, one in each
// lane of every vector (structure of arrays), so that every operation of the hour — the right-hand
// side, the natural-convection corrections, the product, the set-point control — serves eight
// buildings at once and no zone-by-zone branches or look-ups remain.
// - Single precision (eight floats to an AVX register), the model and its inverses built in double.
//   Temperatures are held as differences from kReferenceC (the loads computed so) and each row's own
//   term of the product as t + (M_rr·C_r/dt − 1)·t, so that the rounding of the inverse does not drift
//   a heavy node's temperature; the year's sums are kept in double. Gaps to the double-precision reference: ~1e-6 of
//   annual figures, ~1e-5 K hourly (tests/energy holds them to ten times that; docs/VALIDATION.md).
// - The buildings of a site share the hour's wind class (ZoneModel::exteriorConvection), so the eight
//   lanes' inverses for a class are interleaved once: entry (column c, row r) of the eight is one vector.
// - Floor and ceiling convect by the direction their heat flows, which differs from lane to lane: the
//   interleaved inverse is the one with both flowing down, and a lane whose floor or ceiling convects
//   upwards is corrected by the Woodbury identity (a rank-two update on the two surfaces, one 2 × 2
//   system per lane) — the same inverse as the reference's, without a gather.
// - |dT|^(1/3) of the natural-convection correlation by a multiply-only iteration.
// - The hourly loads (LaneLoads.cpp) by the reference's formula (LoadFormula.h) for the eight lanes
//   at once: the facades' solar from the site's per-bin series, the schedules from each building
//   (ZoneModel::blockInputs) transposed to lanes a day at a time.
// Same network, loads and control as the reference (ZoneModel.cpp); tests/energy compares the two.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "ZoneLanes.h"

namespace ut::energy {

namespace lanes {
namespace {

// x^(-1/3) for eight x ≥ 1e-30 in single precision: a bit-level guess (a few per cent off; the integer
// division by three done in floating point) and two fourth-order steps y ← y·(1 + e/3 + 2e²/9 +
// 14e³/81), e = 1 − x·y³, to single-precision rounding.
__attribute__((always_inline)) inline Lanes inverseCubeRoots(Lanes x) {
    LaneMask bits;
    std::memcpy(&bits, &x, sizeof bits);
    const Lanes third = __builtin_convertvector(bits, Lanes) * (1.0f / 3.0f);
    bits = 0x54a2f1c0 - __builtin_convertvector(third, LaneMask);
    Lanes y;
    std::memcpy(&y, &bits, sizeof y);
    for (int i = 0; i < 2; ++i) {
        const Lanes e = 1.0f - x * (y * y * y);
        y = y + y * e * (1.0f / 3.0f + e * (2.0f / 9.0f + e * (14.0f / 81.0f)));
    }
    return y;
}

// Walton's natural convection (tarpConvection): coefficient · |dT|^(1/3), at least 0.1, from
// x = max(|dT|, 1e-30) and y = x^(-1/3). tarpConvection's 0.1 for |dT| < 1e-12 is the lower bound's:
// there |dT|^(1/3) < 1e-4. Coefficients by the sign of dT: the surface warmer or cooler than the air.
__attribute__((always_inline)) inline Lanes naturalConvection(Lanes dT, Lanes x, Lanes y, float warm, float cool) {
    const Lanes root = x * y * y;
    Lanes h = warm == cool ? warm * root : (dT > 0.0f ? splatL(warm) : splatL(cool)) * root;
    return h < 0.1f ? splatL(0.1f) : h;
}

// Walton's correlations as tarpConvection: vertical surfaces (walls, windows, internal mass), a
// floor (facing up: unstable when warmer than the air), a ceiling (facing down: unstable when cooler).
constexpr float kVertical = 1.31f, kUnstable = 9.482 / (7.238 - 1.0), kStable = 1.810 / (1.382 + 1.0);
constexpr float kWarmCoefficient[kMaxSurfaces] = {kVertical, kVertical, kVertical, kUnstable, kStable};
constexpr float kCoolCoefficient[kMaxSurfaces] = {kVertical, kVertical, kVertical, kStable, kUnstable};

constexpr int kFloorRow = 4, kCeilingRow = 5;  // setUp's row order: air, wall, window, mass, floor, roof

// The hour's lagged natural-convection corrections of a group's five room surfaces, into g.flow: the
// first phase of the hour, for every group before the second (the cube roots are long chains of
// dependent operations; independent groups one after another keep the core busy).
__attribute__((always_inline)) inline void convectionFlows(Group& g) {
    const float* k = g.constants.data();
    auto constant = [k](int c) __attribute__((always_inline)) { return loadL(k + c * kWidth); };
    const float* temp = g.temp.data();
    const Lanes tAir = loadL(temp);
    const Lanes tFloor = loadL(temp + kFloorRow * kWidth), tCeiling = loadL(temp + kCeilingRow * kWidth);
    const Lanes wallConv = constant(kWallConv);
    const Lanes inMatrix[kMaxSurfaces] = {wallConv, wallConv, wallConv,
                                          tFloor > tAir ? constant(kFloorUp) : constant(kFloorDown),
                                          tCeiling < tAir ? constant(kCeilingUp) : constant(kCeilingDown)};
#pragma GCC unroll 5
    for (int s = 0; s < kMaxSurfaces; ++s) {
        const Lanes dT = loadL(temp + (1 + s) * kWidth) - tAir;
        LaneMask bits;
        __builtin_memcpy(&bits, &dT, sizeof bits);
        bits &= 0x7fffffff;  // |dT|
        Lanes x;
        __builtin_memcpy(&x, &bits, sizeof bits);
        x = x < 1e-30f ? splatL(1e-30f) : x;
        const Lanes h = naturalConvection(dT, x, inverseCubeRoots(x), kWarmCoefficient[s], kCoolCoefficient[s]);
        storeL(g.flow.data() + s * kWidth, (h - inMatrix[s]) * constant(kArea0 + s) * dT);
    }
}

// A slot of Group::matrices: the inverse's state part as its upper triangle (the inverse of a
// symmetric matrix is symmetric: entry (c, r) for c ≤ r, column after column), then the other loaded
// columns (all rows each), then W and the diagonal terms (diagonalOffset). Vectors of kWidth.
constexpr int triangleIndex(int rows, int c, int r) {  // c ≤ r
    return c * rows - c * (c - 1) / 2 + (r - c);
}
constexpr int symmetricIndex(int rows, int a, int b) {
    return a <= b ? triangleIndex(rows, a, b) : triangleIndex(rows, b, a);
}
constexpr int triangleSize(int rows) {
    return rows * (rows + 1) / 2;
}
// After the triangle, the other columns and W (three vectors and one of padding): for each row,
// M_rr · capacity_r / dt − 1 (freeResponse).
constexpr int diagonalOffset(int rows, int columns) {
    return triangleSize(rows) + (columns - rows) * rows + 4;
}

// The hour's free response of one group with `Rows` state rows (all eight lanes padded to them):
// x = M·rhs with M the inverse for floor and ceiling heat flowing down, into g.x.
template <int Rows>
__attribute__((always_inline)) inline void freeResponse(Group& g, int hourIndex) {
    const int columns = g.columns;
    const float* row = g.dayRows.data() + static_cast<std::ptrdiff_t>(hourIndex) * g.rowLength;
    const float* tempStore = g.temp.data();
    Lanes t[Rows];
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r) t[r] = loadL(tempStore + r * kWidth);

    // Right-hand side: capacity / dt · temperature + loads, minus the convection corrections (b: the
    // loads and corrections alone).
    Lanes b[Rows], rhs[Rows];
    const float* capDt = g.capDt.data();
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r) b[r] = loadL(row + r * kWidth);
    Lanes airFlow = b[0];
#pragma GCC unroll 5
    for (int s = 0; s < kMaxSurfaces; ++s) {
        const Lanes flow = loadL(g.flow.data() + s * kWidth);
        b[1 + s] -= flow;
        airFlow += flow;  // the reference's order: air, then wall, window, mass, floor, roof
    }
    b[0] = airFlow;
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r) rhs[r] = loadL(capDt + r * kWidth) * t[r] + b[r];

    const float* m = g.current;
    const float* selfLessOne = m + diagonalOffset(Rows, columns) * kWidth;
    // On the diagonal, M_cc · capacity_c / dt · t_c as t_c + (M_cc · capacity_c / dt − 1) · t_c: the
    // product is close to t_c for a heavy node and, rounded to single precision, would move its
    // temperature a little every hour, always in the same direction.
    Lanes x[Rows];
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r) x[r] = t[r] + loadL(selfLessOne + r * kWidth) * t[r];
    // The state part from its triangle: each entry below the diagonal serves (c, r) and (r, c).
#pragma GCC unroll 16
    for (int c = 0; c < Rows; ++c) {
        const float* column = m + triangleIndex(Rows, c, c) * kWidth;
        x[c] += loadL(column) * b[c];
#pragma GCC unroll 16
        for (int r = c + 1; r < Rows; ++r) {
            const Lanes entry = loadL(column + (r - c) * kWidth);
            x[r] += entry * rhs[c];
            x[c] += entry * rhs[r];
        }
    }
    const float* column = m + triangleSize(Rows) * kWidth;
    for (int c = Rows; c < columns; ++c, column += Rows * kWidth) {
        const Lanes load = loadL(row + c * kWidth);
#pragma GCC unroll 16
        for (int r = 0; r < Rows; ++r) x[r] += loadL(column + r * kWidth) * load;
    }
    float* xStore = g.x.data();
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r) storeL(xStore + r * kWidth, x[r]);
}

// After a group's free response, the rest of its hour: the lanes' own inverses (Woodbury), ventilation
// and set-point control, and the hour's results.
template <int Rows>
__attribute__((always_inline)) inline void settle(Group& g, int hourIndex, bool ventilates, std::size_t hour,
                                                  Record record) {
    const int columns = g.columns;
    const float* drivers =
        g.dayRows.data() + static_cast<std::ptrdiff_t>(hourIndex) * g.rowLength + columns * kWidth;
    const float* k = g.constants.data();
    auto constant = [k](int c) __attribute__((always_inline)) { return loadL(k + c * kWidth); };
    float* tempStore = g.temp.data();
    const Lanes tAir = loadL(tempStore);
    const LaneMask floorUp = loadL(tempStore + kFloorRow * kWidth) > tAir;
    const LaneMask ceilingUp = loadL(tempStore + kCeilingRow * kWidth) < tAir;
    const float* m = g.current;
    const float* w = m + (triangleSize(Rows) + static_cast<std::ptrdiff_t>(columns - Rows) * Rows) * kWidth;
    auto entry = [m](int a, int b) __attribute__((always_inline)) { return loadL(m + symmetricIndex(Rows, a, b) * kWidth); };
    // Everything the lanes' scalars need comes from the air, floor and ceiling rows; the rows are then
    // updated in one pass (no row arrays live across the control).
    const float* xStore = g.x.data();
    const Lanes x0 = loadL(xStore), xFloor = loadL(xStore + kFloorRow * kWidth),
               xCeiling = loadL(xStore + kCeilingRow * kWidth);
    // Woodbury: the lanes whose floor or ceiling convects upwards, M' = M − V·S·Vᵀ with
    // S = (I + G·W)⁻¹·G, G = diag(g_floor, g_ceiling) for the surfaces that do (0 for the others),
    // V = M·U: the floor's and the ceiling's columns of M minus its air column, W = UᵀV.
    // Floor and ceiling convect by their heat flow: floor warmer than the air, ceiling cooler.
    const Lanes gF = floorUp ? constant(kFloorG) : Lanes{};
    const Lanes gC = ceilingUp ? constant(kCeilingG) : Lanes{};
    const Lanes wFF = loadL(w), wFC = loadL(w + kWidth), wCC = loadL(w + 2 * kWidth);
    const Lanes a = 1.0f + gF * wFF, d = 1.0f + gC * wCC, b = gF * wFC, e = gC * wFC;
    const Lanes inverseDet = 1.0f / (a * d - b * e);
    const Lanes sFF = inverseDet * d * gF, sFC = -(inverseDet * b * gC), sCF = -(inverseDet * e * gF),
               sCC = inverseDet * a * gC;
    const Lanes yF = xFloor - x0, yC = xCeiling - x0;
    const Lanes kF = sFF * yF + sFC * yC, kC = sCF * yF + sCC * yC;  // x' = x − V·(kF, kC)
    const Lanes air0 = entry(0, 0);
    const Lanes vF0 = entry(kFloorRow, 0) - air0, vC0 = entry(kCeilingRow, 0) - air0;
    const Lanes aF = sFF * vF0 + sFC * vC0, aC = sCF * vF0 + sCC * vC0;  // M'·e_air = M·e_air − V·(aF, aC)
    const Lanes airColumn0 = air0 - vF0 * aF - vC0 * aC;
    Lanes air = x0 - vF0 * kF - vC0 * kC;

    // Scheduled ventilation (Sherman–Morrison on the air node), then ideal heating or cooling; both
    // move every row along the air column: x'' = x' + M'·e_air · (kq − kv).
    Lanes airResponse = splatL(1.0f), kv{};
    if (ventilates) {
        Lanes gVent = loadL(drivers + kVentilation * kWidth);
        gVent = gVent > 0.0f ? gVent : Lanes{};  // as the reference: only lanes that ventilate
        airResponse = 1.0f / (1.0f + gVent * airColumn0);
        kv = gVent * air * airResponse;
        air -= airColumn0 * kv;
    }
    const Lanes airSelf = airColumn0 * airResponse;
    const Lanes heatingSetpoint = loadL(drivers + kHeatingSetpoint * kWidth);
    const Lanes coolingSetpoint = loadL(drivers + kCoolingSetpoint * kWidth);
    const LaneMask heat = (constant(kHeatingOn) > 0.5f) & (air < heatingSetpoint);
    const LaneMask cool = (constant(kCoolingOn) > 0.5f) & (air > coolingSetpoint) & ~heat;
    const Lanes toSetpoint = heat ? heatingSetpoint - air : cool ? coolingSetpoint - air : Lanes{};
    const Lanes q = (heat | cool) ? toSetpoint / airSelf : Lanes{};
    const Lanes alongAir = q * airResponse - kv;
    // Row r: x − vF·kF − vC·kC + (M_0r − vF·aF − vC·aC)·alongAir with vF = M_4r − M_0r, vC = M_5r − M_0r,
    // gathered by the entries of M it reads.
    const Lanes pF = kF + aF * alongAir, pC = kC + aC * alongAir;
    const Lanes byAir = alongAir + pF + pC;
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r)
        storeL(tempStore + r * kWidth, loadL(xStore + r * kWidth) + entry(0, r) * byAir - entry(kFloorRow, r) * pF -
                                           entry(kCeilingRow, r) * pC);
    if (record == Record::None) return;
    const Lanes heatingW = q > 0.0f ? q : Lanes{};
    const Lanes coolingW = q < 0.0f ? -q : Lanes{};
    const Lanes airAfter = loadL(tempStore);
    if (record == Record::Sink) {  // the day's sums and peaks when the sink takes it (dayTotals)
        float* out = g.dayOut.data() + static_cast<std::ptrdiff_t>(hourIndex) * kHourOutputs * kWidth;
        storeL(out + kOutHeating * kWidth, heatingW);
        storeL(out + kOutCooling * kWidth, coolingW);
        storeL(out + kOutAir * kWidth, airAfter + static_cast<float>(kReferenceC));
        storeL(out + kOutGains * kWidth, loadL(drivers + kGains * kWidth));
        return;
    }
    for (int l = 0; l < kWidth; ++l) {
        g.heatingW[l][hour] = heatingW[l];
        g.coolingW[l][hour] = coolingW[l];
        g.airTempC[l][hour] = airAfter[l] + kReferenceC;
    }
    // The year's sums in double: 8,760 hours of watts would lose digits in single precision.
    addToDoubles(g.heatingWh, heatingW);
    addToDoubles(g.coolingWh, coolingW);
    const Lanes peakHeating = loadL(g.peakHeatingW), peakCooling = loadL(g.peakCoolingW);
    storeL(g.peakHeatingW, peakHeating > heatingW ? peakHeating : heatingW);
    storeL(g.peakCoolingW, peakCooling > coolingW ? peakCooling : coolingW);
}

// A day kept for a sink: its heating and cooling into the year's sums (a day's in single precision,
// then in double) and peaks.
__attribute__((target_clones("arch=x86-64-v3", "default"))) void dayTotals(Group& g, int hours) {
    Lanes heating{}, cooling{}, peakHeating = loadL(g.peakHeatingW), peakCooling = loadL(g.peakCoolingW);
    for (int h = 0; h < hours; ++h) {
        const float* out = g.dayOut.data() + static_cast<std::ptrdiff_t>(h) * kHourOutputs * kWidth;
        const Lanes heatingW = loadL(out + kOutHeating * kWidth), coolingW = loadL(out + kOutCooling * kWidth);
        heating += heatingW;
        cooling += coolingW;
        peakHeating = peakHeating > heatingW ? peakHeating : heatingW;
        peakCooling = peakCooling > coolingW ? peakCooling : coolingW;
    }
    addToDoubles(g.heatingWh, heating);
    addToDoubles(g.coolingWh, cooling);
    storeL(g.peakHeatingW, peakHeating);
    storeL(g.peakCoolingW, peakCooling);
}

// Every group's hour, for the batch's row count. Built for AVX2 and plain x86-64 like stepZones.
__attribute__((target_clones("arch=x86-64-v3", "default"))) void stepGroups(Group* groups, int count, int rows,
                                                                            int hourIndex, bool ventilates,
                                                                            std::size_t hour, Record record) {
    switch (rows) {
#define UT_ENERGY_LANES(R)                                                                     \
    case R:                                                                                    \
        for (int i = 0; i < count; ++i) convectionFlows(groups[i]);                                   \
        for (int i = 0; i < count; ++i) {                                                             \
            freeResponse<R>(groups[i], hourIndex);                                                    \
            settle<R>(groups[i], hourIndex, ventilates, hour, record);                                \
        }                                                                                             \
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


}  // namespace
}  // namespace lanes

bool ZoneBatch::runLanes(std::vector<Zone>& zones, const SiteClimate& climate, std::size_t warmupHours,
                         std::vector<ZoneResult>& results, const ZoneHoursSink* sink) {
    using namespace lanes;
    int rows = kMinRows;
    for (const Zone& z : zones) rows = std::max(rows, static_cast<int>(z.rowNode.size()));
    if (rows > kMaxRows) return false;
    const std::size_t hours = climate.hours();
    const int groupCount = static_cast<int>((zones.size() + kWidth - 1) / kWidth);
    thread_local std::vector<Group> threadGroups;
    thread_local std::vector<double> scratchHours;  // the empty lanes' results
    std::vector<Group>& groups = threadGroups;
    groups.resize(static_cast<std::size_t>(groupCount));
    scratchHours.assign(hours, 0.0);
    for (int gi = 0; gi < groupCount; ++gi) {
        Group& g = groups[static_cast<std::size_t>(gi)];
        g.lanes = std::min<int>(kWidth, static_cast<int>(zones.size()) - gi * kWidth);
        int extra = 0;
        for (int l = 0; l < kWidth; ++l) {
            g.zone[l] = l < g.lanes ? gi * kWidth + l : -1;
            if (g.zone[l] < 0) continue;
            const Zone& z = zones[static_cast<std::size_t>(g.zone[l])];
            const int realRows = static_cast<int>(z.rowNode.size());
            int zoneExtra = 0;
            for (std::size_t c = static_cast<std::size_t>(realRows); c < z.columnNode.size(); ++c)
                zoneExtra += z.columnNode[c] >= 0 ? 1 : 0;
            extra = std::max(extra, zoneExtra);
        }
        g.columns = rows + extra;
        g.rowLength = (g.columns + kHourDrivers) * kWidth;
        g.capDt.assign(static_cast<std::size_t>(rows * kWidth), 0.0f);
        g.temp.assign(static_cast<std::size_t>(rows * kWidth), 0.0f);
        g.constants.assign(static_cast<std::size_t>(kConstants * kWidth), 0.0f);
        g.dayRows.assign(static_cast<std::size_t>(kDayHours * g.rowLength), 0.0f);
        if (sink) g.dayOut.assign(static_cast<std::size_t>(kDayHours * kHourOutputs * kWidth), 0.0f);
        g.flow.assign(kMaxSurfaces * kWidth, 0.0f);
        g.x.assign(static_cast<std::size_t>(rows * kWidth), 0.0f);
        g.classReady.fill(false);
        g.slotSize = static_cast<std::size_t>((diagonalOffset(rows, g.columns) + rows) * kWidth);
        g.matrices.assign(g.slotSize * ZoneBatch::kWindClasses, 0.0f);
        for (double* v : {g.heatingWh, g.coolingWh}) std::fill(v, v + kWidth, 0.0);
        for (float* v : {g.peakHeatingW, g.peakCoolingW}) std::fill(v, v + kWidth, 0.0f);
        for (int l = 0; l < kWidth; ++l) {
            float* constants = g.constants.data();
            auto set = [&](int c, double v) { constants[c * kWidth + l] = static_cast<float>(v); };
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
                g.capDt[static_cast<std::size_t>(row * kWidth + l)] = static_cast<float>(s.capDt[static_cast<std::size_t>(row)]);
                g.temp[static_cast<std::size_t>(row * kWidth + l)] = static_cast<float>(s.temp[static_cast<std::size_t>(row)] - kReferenceC);
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
        for (int l = g.lanes; l < kWidth; ++l) std::copy_n(g.targetColumn[0], kTargets, g.targetColumn[l]);
        // The lanes' load coefficients side by side (the empty lanes' zero: no loads).
        constexpr std::size_t kCoefficients = sizeof(LoadCoefficients<double>) / sizeof(double);
        static_assert(sizeof(LoadCoefficients<Lanes>) == kCoefficients * sizeof(Lanes));
        std::memset(&g.coefficients, 0, sizeof g.coefficients);
        g.coefficients.areaOrOne = splatL(1.0f);  // the empty lanes' radiant gains: 0 / 1, not 0 / 0
        for (int l = 0; l < g.lanes; ++l) {
            const Zone& z = zones[static_cast<std::size_t>(g.zone[l])];
            LoadCoefficients<double> c;
            z.model->loadCoefficients(z.loads, c, kReferenceC);
            double one[kCoefficients];
            std::memcpy(one, &c, sizeof one);
            Lanes all[kCoefficients];
            std::memcpy(all, &g.coefficients, sizeof all);
            for (std::size_t f = 0; f < kCoefficients; ++f) all[f][l] = static_cast<float>(one[f]);
            std::memcpy(&g.coefficients, all, sizeof all);
        }
        // Exterior convection per wind class, and the facades' areas per orientation bin.
        g.convectionA = g.convectionB = Lanes{};
        g.siteSolar = true;
        g.binCount = 0;
        for (int l = 0; l < g.lanes; ++l) {
            const Zone& z = zones[static_cast<std::size_t>(g.zone[l])];
            const SurfaceCoefficients& h = z.model->m_desc.coefficients;
            g.convectionA[l] = static_cast<float>(h.exteriorConvA);
            g.convectionB[l] = static_cast<float>(h.exteriorConvB * z.loads.windFactor * ZoneModel::kWindStepMs);
            g.siteSolar &= z.loads.cachedOptics;
        }
        if (g.siteSolar) {
            for (int l = 0; l < g.lanes; ++l) {
                for (const auto& areas : zones[static_cast<std::size_t>(g.zone[l])].loads.binAreas) {
                    int b = static_cast<int>(std::find(g.bins, g.bins + g.binCount, areas.bin) - g.bins);
                    if (b == g.binCount) {
                        g.bins[g.binCount++] = areas.bin;
                        g.binWall[b] = g.binWindow[b] = Lanes{};
                    }
                    g.binWall[b][l] = static_cast<float>(areas.wallM2);
                    g.binWindow[b][l] = static_cast<float>(areas.windowM2);
                }
            }
        }
    }

    // The interleaved inverse of a wind class for one group (built on first use).
    auto classMatrices = [&](Group& g, int windClass) -> const float* {
        float* m = g.matrices.data() + static_cast<std::size_t>(windClass) * g.slotSize;
        if (g.classReady[static_cast<std::size_t>(windClass)]) return m;
        g.classReady[static_cast<std::size_t>(windClass)] = true;
        float* w = m + static_cast<std::size_t>((triangleSize(rows) + (g.columns - rows) * rows) * kWidth);
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
                for (int r = c; r < realRows; ++r) m[triangleIndex(rows, c, r) * kWidth + l] = static_cast<float>(at(c, r));
            float* extra = m + triangleSize(rows) * kWidth;
            for (int c = realRows; c < s.columns; ++c) {
                if (z.columnNode[static_cast<std::size_t>(c)] < 0) continue;
                for (int r = 0; r < realRows; ++r) extra[((c - realRows) * rows + r) * kWidth + l] = static_cast<float>(at(c, r));
            }
            auto vFloor = [&](int r) { return at(kFloorRow, r) - at(0, r); };
            auto vCeiling = [&](int r) { return at(kCeilingRow, r) - at(0, r); };
            w[l] = static_cast<float>(vFloor(kFloorRow) - vFloor(0));
            w[kWidth + l] = static_cast<float>(vCeiling(kFloorRow) - vCeiling(0));
            w[2 * kWidth + l] = static_cast<float>(vCeiling(kCeilingRow) - vCeiling(0));
            float* selfLessOne = m + static_cast<std::size_t>(diagonalOffset(rows, g.columns) * kWidth);
            for (int r = 0; r < realRows; ++r)
                selfLessOne[r * kWidth + l] = static_cast<float>(at(r, r) * s.capDt[static_cast<std::size_t>(r)] - 1.0);
        }
        return m;
    };

    // The day's loads of every lane into its group's rows (column · kWidth + lane), drivers after.
    int windOfHour[kDayHours] = {};
    bool ventilatesAt[kDayHours] = {};
    std::size_t blockFirst = 0;
    int blockHours = 0;
    auto loadDay = [&](std::size_t hour) {
        blockHours = static_cast<int>(std::min<std::size_t>(kDayHours, hours - hour));
        blockFirst = hour;
        std::fill(ventilatesAt, ventilatesAt + kDayHours, false);
        static const InputBlock kNoInputs{};
        thread_local InputBlock laneInputs[kWidth];
        bool groupVentilates[kDayHours] = {};
        for (int i = 0; i < blockHours; ++i)  // the site's: the same for every zone
            windOfHour[i] = ZoneModel::windClassOf(climate.windSpeedMs[hour + static_cast<std::size_t>(i)]);
        for (Group& g : groups) {
            const int driversAt = g.columns * kWidth;
            if (g.sharedTargets) {
                const InputBlock* inputs[kWidth];
                for (int l = 0; l < kWidth; ++l) {
                    inputs[l] = &kNoInputs;
                    if (l >= g.lanes) continue;
                    Zone& z = zones[static_cast<std::size_t>(g.zone[l])];
                    const unsigned parts = ZoneModel::kScheduleInputs | (g.siteSolar ? 0u : ZoneModel::kSolarInputs);
                    z.model->blockInputs(z.loads, climate, *z.schedules, hour, blockHours, laneInputs[l], parts);
                    inputs[l] = &laneInputs[l];
                }
                layOutDay(inputs, g, climate, hour, blockHours, windOfHour, g.dayRows.data(), groupVentilates);
            } else {
                // Lanes whose targets differ (or share a node): their loads one by one, in double.
                for (int i = 0; i < blockHours; ++i) groupVentilates[i] = false;
                for (int l = 0; l < g.lanes; ++l) {
                    Zone& z = zones[static_cast<std::size_t>(g.zone[l])];
                    z.model->blockLoads(z.loads, climate, *z.schedules, hour, blockHours, z.block, kReferenceC);
                    if (sink)
                        z.model->blockInputs(z.loads, climate, *z.schedules, hour, blockHours, laneInputs[l],
                                             ZoneModel::kScheduleInputs);
                    const int* column = g.targetColumn[l];
                    for (int i = 0; i < blockHours; ++i) {
                        float* row = g.dayRows.data() + static_cast<std::size_t>(i * g.rowLength);
                        double sums[kMaxRows + kTargets] = {};
                        for (int t = 0; t < kTargets; ++t) sums[column[t]] += z.block.watts[t][i];
                        for (int t = 0; t < kTargets; ++t) row[column[t] * kWidth + l] = static_cast<float>(sums[column[t]]);
                        const ZoneModel::HourDrivers& d = z.block.drivers[i];
                        float* drivers = row + driversAt;
                        drivers[kHeatingSetpoint * kWidth + l] = static_cast<float>(d.heatingSetpointC - kReferenceC);
                        drivers[kCoolingSetpoint * kWidth + l] = static_cast<float>(d.coolingSetpointC - kReferenceC);
                        drivers[kVentilation * kWidth + l] = static_cast<float>(d.ventilationWK);
                        if (sink)
                            drivers[kGains * kWidth + l] =
                                static_cast<float>(laneInputs[l].series[InputBlock::Gains][i]);
                        groupVentilates[i] = groupVentilates[i] || d.ventilationWK > 0.0;
                    }
                }
            }
            for (int i = 0; i < blockHours; ++i) ventilatesAt[i] = ventilatesAt[i] || groupVentilates[i];
        }
    };

    const std::size_t warm = std::min(warmupHours, hours);
    for (std::size_t k = 0; k < warm + hours; ++k) {
        const std::size_t hour = k < warm ? hours - warm + k : k - warm;
        if (blockHours == 0 || hour < blockFirst || hour >= blockFirst + static_cast<std::size_t>(blockHours))
            loadDay(hour);
        const int hourIndex = static_cast<int>(hour - blockFirst);
        for (Group& g : groups) g.current = classMatrices(g, windOfHour[hourIndex]);
        const Record record = k < warm ? Record::None : sink ? Record::Sink : Record::Arrays;
        stepGroups(groups.data(), groupCount, rows, hourIndex, ventilatesAt[hourIndex], hour, record);
        if (record != Record::Sink || hourIndex + 1 < blockHours) continue;
        for (Group& g : groups) {
            dayTotals(g, blockHours);
            ZoneHours day;
            day.zones = g.lanes;
            day.zoneIndex = g.zone;
            day.firstHour = blockFirst;
            day.hours = blockHours;
            day.stride = kHourOutputs * kWidth;
            day.heatingW = g.dayOut.data() + kOutHeating * kWidth;
            day.coolingW = g.dayOut.data() + kOutCooling * kWidth;
            day.airTempC = g.dayOut.data() + kOutAir * kWidth;
            day.gainsW = g.dayOut.data() + kOutGains * kWidth;
            (*sink)(day);
        }
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
