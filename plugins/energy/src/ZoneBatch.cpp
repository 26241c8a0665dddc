// The fast kernel of ZoneModel (ZoneKernel::Fast): the same network, loads and control as the
// reference in ZoneModel.cpp, stepped differently.
// - Each convection state's inverse (wind class × floor and ceiling heat-flow direction) comes from
//   an in-place Gauss–Jordan elimination (the matrix is a symmetric, diagonally dominant M-matrix: no
//   pivoting needed) into rows padded to whole SIMD vectors; the inverse is symmetric, so row c
//   serves as column c and the product is a sum of contiguous columns scaled by one rhs entry each.
// - Zones run in batches, hour outside and zones inside, phase by phase (convection, product,
//   control), so that the out-of-order core overlaps independent zones: one zone's step is a chain
//   of dependent operations (surface temperatures → convection → product → set-point control).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "InteriorConvection.h"
#include "ut/energy/ZoneModel.h"

namespace ut::energy {

namespace {

constexpr int kLanes = 4;  // rows are padded to a multiple of this (one AVX register of doubles)

// Four doubles: one AVX register, or two SSE2 registers in the plain x86-64 build. Only used inside
// this file, so the ABI note about passing them without AVX does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"
using Vec4 = double __attribute__((vector_size(32)));

// out = inverse · x for `columns` packed columns of 4·Blocks doubles: column-scaled vector sums
// kept in registers. Up to three blocks (the archetype buildings' 12 state rows), even and odd
// columns go to separate sums, halving the chain of dependent additions; more blocks would not fit
// the SSE2 build's 16 registers twice.
template <int Blocks>
__attribute__((always_inline)) inline void multiplyPacked(const double* inverse, int columns, const double* x,
                                                          double* out) {
    constexpr int kChains = Blocks <= 3 ? 2 : 1;
    Vec4 sum[kChains][Blocks] = {};
    int c = 0;
    for (; c + kChains <= columns; c += kChains) {
        for (int k = 0; k < kChains; ++k) {
            const double* column = inverse + (c + k) * Blocks * kLanes;
            const double xc = x[c + k];
            for (int b = 0; b < Blocks; ++b) {
                Vec4 v;
                __builtin_memcpy(&v, column + b * kLanes, sizeof v);
                sum[k][b] += v * xc;
            }
        }
    }
    for (; c < columns; ++c) {
        const double* column = inverse + c * Blocks * kLanes;
        for (int b = 0; b < Blocks; ++b) {
            Vec4 v;
            __builtin_memcpy(&v, column + b * kLanes, sizeof v);
            sum[0][b] += v * x[c];
        }
    }
    for (int k = 1; k < kChains; ++k)
        for (int b = 0; b < Blocks; ++b) sum[0][b] += sum[k][b];
    __builtin_memcpy(out, sum[0], sizeof sum[0]);
}

// Built twice, for x86-64-v3 (AVX2, FMA) and plain x86-64, chosen when the program loads: the build
// takes no -march, so the same binary runs on any x86-64 and uses AVX2 where there is one.
__attribute__((target_clones("arch=x86-64-v3", "default"))) void multiply(const double* inverse, int n,
                                                                          int rows, const double* x,
                                                                          double* out) {
    switch (rows / kLanes) {
        case 1:
            return multiplyPacked<1>(inverse, n, x, out);
        case 2:
            return multiplyPacked<2>(inverse, n, x, out);
        case 3:
            return multiplyPacked<3>(inverse, n, x, out);
        case 4:
            return multiplyPacked<4>(inverse, n, x, out);
        case 5:
            return multiplyPacked<5>(inverse, n, x, out);
        case 6:
            return multiplyPacked<6>(inverse, n, x, out);
        case 7:
            return multiplyPacked<7>(inverse, n, x, out);
        case 8:
            return multiplyPacked<8>(inverse, n, x, out);
        case 9:
            return multiplyPacked<9>(inverse, n, x, out);
        case 10:
            return multiplyPacked<10>(inverse, n, x, out);
        default:
            std::fill(out, out + rows, 0.0);
            for (int c = 0; c < n; ++c)
                for (int r = 0; r < rows; ++r) out[r] += inverse[c * rows + r] * x[c];
    }
}

// The lagged natural-convection correction of up to five room surfaces (unused lanes have zero
// area): flow = (h_TARP(dT) − h in the matrix) · area · dT, with h_TARP = coefficient · |dT|^(1/3)
// (at least 0.1; 0.1 for |dT| < 1e-12), as tarpConvection. The cube root starts from the same
// bit-level guess and takes two Halley steps (cubic convergence: from a few per cent to about 1e-13),
// in lanes the compiler vectorises, where tarpConvection takes three dependent Newton divisions.
struct SurfaceConvection {
    static constexpr int kSurfaces = 8;
    double dT[kSurfaces] = {}, inMatrix[kSurfaces] = {}, area[kSurfaces] = {};
    double coefficientWarm[kSurfaces] = {},
           coefficientCool[kSurfaces] = {};  // surface warmer / cooler than the air
    double flow[kSurfaces] = {};
};

__attribute__((target_clones("arch=x86-64-v3", "default"))) void convectionCorrections(SurfaceConvection& s) {
    constexpr int n = SurfaceConvection::kSurfaces;
    double guess[n];
    for (int k = 0; k < n; ++k) {
        const double x = std::max(std::abs(s.dT[k]), 1e-300);
        std::uint64_t bits;
        __builtin_memcpy(&bits, &x, sizeof bits);
        bits = bits / 3 + 0x2A9F7893782DA1CEull;
        __builtin_memcpy(&guess[k], &bits, sizeof bits);
    }
    using Mask = long long __attribute__((vector_size(32)));
    const Vec4 minimum = {0.1, 0.1, 0.1, 0.1};
    for (int k = 0; k < n; k += kLanes) {
        Vec4 dT, c, warm, cool, inMatrix, area;
        __builtin_memcpy(&dT, s.dT + k, sizeof dT);
        __builtin_memcpy(&c, guess + k, sizeof c);
        __builtin_memcpy(&warm, s.coefficientWarm + k, sizeof warm);
        __builtin_memcpy(&cool, s.coefficientCool + k, sizeof cool);
        __builtin_memcpy(&inMatrix, s.inMatrix + k, sizeof inMatrix);
        __builtin_memcpy(&area, s.area + k, sizeof area);
        const Vec4 x = dT < 0.0 ? -dT : dT;
        Vec4 c3 = c * c * c;
        c = c * (c3 + 2.0 * x) / (2.0 * c3 + x);
        c3 = c * c * c;
        c = c * (c3 + 2.0 * x) / (2.0 * c3 + x);
        const Vec4 coefficient = dT > 0.0 ? warm : cool;
        Vec4 h = coefficient * c;
        h = h < minimum ? minimum : h;
        const Mask tiny = x < 1e-12;
        h = tiny ? minimum : h;
        const Vec4 flow = (h - inMatrix) * area * dT;
        __builtin_memcpy(s.flow + k, &flow, sizeof flow);
    }
}

// In-place Gauss–Jordan inversion of the n × n matrix in `a` (rows of `stride` doubles); built
// for AVX2 too, like the product.
__attribute__((target_clones("arch=x86-64-v3", "default"))) void invertInPlace(double* a, int n, int stride) {
    for (int k = 0; k < n; ++k) {
        double* rowK = a + k * stride;
        const double pivot = 1.0 / rowK[k];
        rowK[k] = 1.0;
        for (int j = 0; j < n; ++j) rowK[j] *= pivot;
        for (int i = 0; i < n; ++i) {
            if (i == k) continue;
            double* rowI = a + i * stride;
            const double f = rowI[k];
            if (f == 0.0) continue;
            rowI[k] = 0.0;
            for (int j = 0; j < n; ++j) rowI[j] -= f * rowK[j];
        }
    }
}

}  // namespace

class ZoneBatch {
public:
    static void run(const std::vector<ZoneModel*>& models, const SiteClimate& climate,
                    const std::vector<const ZoneSchedules*>& schedules, std::size_t warmupHours,
                    std::vector<ZoneResult>& results);

private:
    static constexpr int kModes = ZoneModel::kWindClasses * 4;
    struct Surface {
        int row = 0;  // of its node in the packed state (and right-hand side)
        double areaM2 = 0.0;
        int kind = 0;  // as tarpConvection
    };
    // One zone's stepping state; arrays are padded to whole vectors.
    struct Zone {
        ZoneModel* model = nullptr;
        const ZoneSchedules* schedules = nullptr;
        ZoneModel::LoadConstants loads;
        ZoneModel::LoadBlock block;  // the loads of the current day (or part of it)
        int columnOfTarget[ZoneModel::LoadBlock::kTargets] = {};
        // Packed system: only the nodes the next step reads are state rows (those with heat capacity,
        // the air, the room-side surfaces), only the nodes that can have a nonzero right-hand side
        // are columns (heat capacity or a load); the star node and massless interfaces drop out.
        // Both lists are in node order, so the air node (0) is row 0 and column 0.
        int n = 0, rows = 0, columns = 0, substeps = 1;  // rows: state rows padded to kLanes
        double dtS = 3600.0;
        std::vector<int> rowNode, columnNode;  // columnNode: -1 for padding
        std::vector<double> capDtOfColumn;
        int floorRow = 0, roofRow = 0;
        std::vector<double> temp, loadsNow, rhs, scratch;  // loadsNow: by column
        std::vector<double> inverses;  // slots of `columns` packed columns of `rows` doubles
        std::array<int, kModes> slotOfMode{};
        std::array<Surface, 5> surfaces{};
        SurfaceConvection convection;
        int surfaceCount = 0;
        const double* inverse = nullptr;  // of the current sub-step
        ZoneModel::HourDrivers drivers;
        double heatJ = 0.0, coolJ = 0.0;
    };
    static void setUp(Zone& z, ZoneModel& model, const ZoneSchedules* schedules, const SiteClimate& climate);
    static const double* inverseFor(Zone& z, int windClass, int floorUp, int ceilingUp);
    static void prepareStep(Zone& z);
    static void finishStep(Zone& z);
};

void ZoneBatch::setUp(Zone& z, ZoneModel& model, const ZoneSchedules* schedules, const SiteClimate& climate) {
    z.model = &model;
    z.schedules = schedules;
    z.loads = model.prepareLoads(climate);
    z.n = model.nodeCount();
    z.rows = (z.n + kLanes - 1) / kLanes * kLanes;
    z.substeps = std::max(1, model.m_desc.substepsPerHour);
    z.dtS = model.m_dtS;
    std::vector<char> isRow(static_cast<std::size_t>(z.n), 0), isColumn(static_cast<std::size_t>(z.n), 0);
    for (int i = 0; i < z.n; ++i) {
        const bool capacitive = model.m_capacityJK[static_cast<std::size_t>(i)] > 0.0;
        isRow[static_cast<std::size_t>(i)] = capacitive;
        isColumn[static_cast<std::size_t>(i)] = capacitive;
    }
    for (int node : {ZoneModel::kAir, model.m_wall.innerNode, model.m_roof.innerNode, model.m_floor.innerNode,
                     model.m_mass.innerNode, model.m_windowInner}) {
        isRow[static_cast<std::size_t>(node)] = 1;
        isColumn[static_cast<std::size_t>(node)] = 1;
    }
    for (int node :
         {model.m_wall.firstNode, model.m_roof.firstNode, model.m_floor.firstNode, model.m_windowOuter})
        isColumn[static_cast<std::size_t>(node)] = 1;  // exterior boundary terms
    std::vector<int> rowOfNode(static_cast<std::size_t>(z.n), 0);
    z.rows = 0;
    for (int i = 0; i < z.n; ++i) {
        if (isRow[static_cast<std::size_t>(i)]) rowOfNode[static_cast<std::size_t>(i)] = z.rows++;
    }
    z.rowNode.assign(static_cast<std::size_t>(z.rows), 0);
    for (int i = 0; i < z.n; ++i) {
        if (isRow[static_cast<std::size_t>(i)])
            z.rowNode[static_cast<std::size_t>(rowOfNode[static_cast<std::size_t>(i)])] = i;
    }
    z.rows = (z.rows + kLanes - 1) / kLanes * kLanes;
    // Columns: the state rows' nodes first, in row order (so that row i and column i are the same
    // node and the right-hand side is capacity · temperature + load, element by element), then the
    // other loaded nodes, then zero columns up to the padded row count.
    z.columnNode = z.rowNode;
    z.columnNode.resize(static_cast<std::size_t>(z.rows), -1);
    for (int i = 0; i < z.n; ++i) {
        if (isColumn[static_cast<std::size_t>(i)] && !isRow[static_cast<std::size_t>(i)])
            z.columnNode.push_back(i);
    }
    z.capDtOfColumn.assign(z.columnNode.size(), 0.0);
    for (std::size_t c = 0; c < z.rowNode.size(); ++c)
        z.capDtOfColumn[c] = model.m_capacityJK[static_cast<std::size_t>(z.rowNode[c])] / z.dtS;
    z.columns = static_cast<int>(z.columnNode.size());
    z.block.hours = 0;
    model.blockLoads(z.loads, climate, ZoneSchedules{}, 0, 0, z.block);  // sets the target nodes
    for (int t = 0; t < ZoneModel::LoadBlock::kTargets; ++t) {
        const auto it = std::find(z.columnNode.begin(), z.columnNode.end(), z.block.node[t]);
        z.columnOfTarget[t] = static_cast<int>(it - z.columnNode.begin());
    }
    z.floorRow = rowOfNode[static_cast<std::size_t>(model.m_floor.innerNode)];
    z.roofRow = rowOfNode[static_cast<std::size_t>(model.m_roof.innerNode)];
    z.temp.assign(static_cast<std::size_t>(z.rows), model.m_desc.heatingSetpointC);
    z.loadsNow.assign(static_cast<std::size_t>(z.columns), 0.0);
    z.rhs.assign(static_cast<std::size_t>(z.columns), 0.0);
    z.scratch.assign(static_cast<std::size_t>(z.n * z.n), 0.0);
    z.inverses.clear();
    z.slotOfMode.fill(-1);
    z.surfaceCount = 0;
    if (model.m_desc.coefficients.interiorNaturalConvection) {
        // The reference's order: wall, window, mass, floor, roof.
        const struct {
            int node;
            double areaM2;
            int kind;
        } all[] = {{model.m_wall.innerNode, model.m_wall.areaM2, 0},
                   {model.m_windowInner, model.m_windowAreaM2, 0},
                   {model.m_mass.innerNode, model.m_mass.areaM2, 0},
                   {model.m_floor.innerNode, model.m_floor.areaM2, 1},
                   {model.m_roof.innerNode, model.m_roof.areaM2, 2}};
        for (const auto& s : all) {
            if (s.areaM2 <= 0.0) continue;
            const auto node = static_cast<std::size_t>(s.node);
            const auto k = static_cast<std::size_t>(z.surfaceCount++);
            z.surfaces[k] = {rowOfNode[node], s.areaM2, s.kind};
            // Walton's correlations: h = coefficient · |dT|^(1/3), the coefficient by the sign of dT.
            constexpr double vertical = 1.31, unstable = 9.482 / (7.238 - 1.0),
                             stable = 1.810 / (1.382 + 1.0);
            z.convection.area[k] = s.areaM2;
            z.convection.coefficientWarm[k] = s.kind == 0 ? vertical : s.kind == 1 ? unstable : stable;
            z.convection.coefficientCool[k] = s.kind == 0 ? vertical : s.kind == 1 ? stable : unstable;
        }
    }
}

const double* ZoneBatch::inverseFor(Zone& z, int windClass, int floorUp, int ceilingUp) {
    const int mode = windClass * 4 + floorUp * 2 + ceilingUp;
    int& slot = z.slotOfMode[static_cast<std::size_t>(mode)];
    const std::size_t size = static_cast<std::size_t>(z.columns) * static_cast<std::size_t>(z.rows);
    if (slot < 0) {
        slot = static_cast<int>(z.inverses.size() / size);
        z.inverses.resize(z.inverses.size() + size, 0.0);
        double* packed = z.inverses.data() + static_cast<std::size_t>(slot) * size;
        const Eigen::MatrixXd m = z.model->systemMatrix(windClass, floorUp, ceilingUp);
        double* a = z.scratch.data();
        for (int r = 0; r < z.n; ++r)
            for (int c = 0; c < z.n; ++c) a[r * z.n + c] = m(r, c);
        invertInPlace(a, z.n, z.n);
        for (int c = 0; c < z.columns; ++c) {
            const int node = z.columnNode[static_cast<std::size_t>(c)];
            if (node < 0) continue;
            for (std::size_t r = 0; r < z.rowNode.size(); ++r)
                packed[c * z.rows + static_cast<int>(r)] = a[z.rowNode[r] * z.n + node];
        }
    }
    return z.inverses.data() + static_cast<std::size_t>(slot) * size;
}

// Convection state, the inverse that goes with it, and the right-hand side with the lagged
// natural-convection correction (as in the reference).
void ZoneBatch::prepareStep(Zone& z) {
    const ZoneModel& m = *z.model;
    const SurfaceCoefficients& h = m.m_desc.coefficients;
    double* temp = z.temp.data();
    const double tAir = temp[0];
    const int floorUp = temp[z.floorRow] > tAir ? 1 : 0;
    const int ceilingUp = temp[z.roofRow] < tAir ? 1 : 0;
    z.inverse = inverseFor(z, z.drivers.windClass, floorUp, ceilingUp);
    double* rhs = z.rhs.data();
    const double* capDt = z.capDtOfColumn.data();
    const double* loads = z.loadsNow.data();
    for (int c = 0; c < z.rows; ++c) rhs[c] = capDt[c] * temp[c] + loads[c];
    for (int c = z.rows; c < z.columns; ++c) rhs[c] = loads[c];
    if (z.surfaceCount == 0) return;
    SurfaceConvection& sc = z.convection;
    const double hFloor = floorUp ? h.interiorFloorConvUp : h.interiorFloorConvDown;
    const double hCeiling = ceilingUp ? h.interiorCeilingConvUp : h.interiorCeilingConvDown;
    const double inMatrix[3] = {h.interiorWallConv, hFloor, hCeiling};
    for (int k = 0; k < z.surfaceCount; ++k) {
        const Surface& s = z.surfaces[static_cast<std::size_t>(k)];
        sc.dT[k] = temp[s.row] - tAir;
        sc.inMatrix[k] = inMatrix[s.kind];
    }
    convectionCorrections(sc);
    for (int k = 0; k < z.surfaceCount; ++k) {
        rhs[z.surfaces[static_cast<std::size_t>(k)].row] -= sc.flow[k];
        rhs[0] += sc.flow[k];
    }
}

// Scheduled ventilation (Sherman–Morrison on the air node) and ideal heating or cooling to the set
// points, after the product.
void ZoneBatch::finishStep(Zone& z) {
    const ZoneModel& m = *z.model;
    constexpr int air = 0;  // row and column of the air node
    const double* airColumn = z.inverse;
    double* temp = z.temp.data();
    const double gVent = z.drivers.ventilationWK;
    double airResponse = 1.0;
    if (gVent > 0.0) {
        airResponse = 1.0 / (1.0 + gVent * airColumn[air]);
        const double k = gVent * temp[air] * airResponse;
        for (int i = 0; i < z.rows; ++i) temp[i] -= airColumn[i] * k;
    }
    const double tAir = temp[air];
    const double airSelf = airColumn[air] * airResponse;
    double q = 0.0;
    if (m.m_desc.heatingOn && tAir < z.drivers.heatingSetpointC)
        q = (z.drivers.heatingSetpointC - tAir) / airSelf;
    else if (m.m_desc.coolingOn && tAir > z.drivers.coolingSetpointC)
        q = (z.drivers.coolingSetpointC - tAir) / airSelf;
    if (q != 0.0) {
        const double k = q * airResponse;
        for (int i = 0; i < z.rows; ++i) temp[i] += airColumn[i] * k;
        if (q > 0)
            z.heatJ += q * z.dtS;
        else
            z.coolJ -= q * z.dtS;
    }
}

void ZoneBatch::run(const std::vector<ZoneModel*>& models, const SiteClimate& climate,
                    const std::vector<const ZoneSchedules*>& schedules, std::size_t warmupHours,
                    std::vector<ZoneResult>& results) {
    const std::size_t hours = climate.hours();
    const ZoneSchedules none;
    // The stepping state is kept per thread between calls: a city runs batch after batch, and
    // fresh arrays for each would cost page faults for every building.
    thread_local std::vector<Zone> zones;
    zones.resize(models.size());
    results.resize(models.size());
    int maxSubsteps = 1;
    for (std::size_t i = 0; i < models.size(); ++i) {
        const ZoneSchedules* s = i < schedules.size() && schedules[i] ? schedules[i] : &none;
        setUp(zones[i], *models[i], s, climate);
        maxSubsteps = std::max(maxSubsteps, zones[i].substeps);
        ZoneResult& r = results[i];
        r.heatingKWh = r.coolingKWh = r.peakHeatingW = r.peakCoolingW = 0.0;
        r.heatingW.assign(hours, 0.0);
        r.coolingW.assign(hours, 0.0);
        r.airTempC.assign(hours, 0.0);
        r.uaWK = models[i]->steadyStateUaWK();
    }
    const std::size_t warm = std::min(warmupHours, hours);
    for (std::size_t k = 0; k < warm + hours; ++k) {
        const std::size_t hour = k < warm ? hours - warm + k : k - warm;
        for (Zone& z : zones) {
            if (!z.block.holds(hour)) {
                const int blockHours =
                    static_cast<int>(std::min<std::size_t>(ZoneModel::LoadBlock::kHours, hours - hour));
                z.model->blockLoads(z.loads, climate, *z.schedules, hour, blockHours, z.block);
            }
            const auto i = static_cast<std::size_t>(hour - z.block.firstHour);
            z.drivers = z.block.drivers[i];
            std::fill(z.loadsNow.begin(), z.loadsNow.end(), 0.0);
            for (int t = 0; t < ZoneModel::LoadBlock::kTargets; ++t)
                z.loadsNow[static_cast<std::size_t>(z.columnOfTarget[t])] += z.block.watts[t][i];
            z.heatJ = 0.0;
            z.coolJ = 0.0;
        }
        for (int s = 0; s < maxSubsteps; ++s) {
            for (Zone& z : zones) {
                if (s < z.substeps) prepareStep(z);
            }
            for (Zone& z : zones) {
                if (s < z.substeps) multiply(z.inverse, z.columns, z.rows, z.rhs.data(), z.temp.data());
            }
            for (Zone& z : zones) {
                if (s < z.substeps) finishStep(z);
            }
        }
        if (k < warm) continue;
        for (std::size_t i = 0; i < zones.size(); ++i) {
            const Zone& z = zones[i];
            ZoneResult& r = results[i];
            r.heatingW[hour] = z.heatJ / 3600.0;
            r.coolingW[hour] = z.coolJ / 3600.0;
            r.airTempC[hour] = z.temp[0];
            r.heatingKWh += z.heatJ / 3.6e6;
            r.coolingKWh += z.coolJ / 3.6e6;
            r.peakHeatingW = std::max(r.peakHeatingW, r.heatingW[hour]);
            r.peakCoolingW = std::max(r.peakCoolingW, r.coolingW[hour]);
        }
    }
}

void ZoneModel::simulateBatch(std::vector<ZoneModel>& models, const SiteClimate& climate,
                              const std::vector<const ZoneSchedules*>& schedules, std::size_t warmupHours,
                              std::vector<ZoneResult>& results) {
    std::vector<ZoneModel*> pointers;
    for (ZoneModel& m : models) pointers.push_back(&m);
    ZoneBatch::run(pointers, climate, schedules, warmupHours, results);
}

std::vector<ZoneResult> ZoneModel::simulateBatch(std::vector<ZoneModel>& models, const SiteClimate& climate,
                                                 const std::vector<const ZoneSchedules*>& schedules,
                                                 std::size_t warmupHours) {
    std::vector<ZoneResult> results;
    simulateBatch(models, climate, schedules, warmupHours, results);
    return results;
}

ZoneResult ZoneModel::simulate(const SiteClimate& climate, const ZoneSchedules& schedules,
                               std::size_t warmupHours) {
    if (m_desc.kernel != ZoneKernel::Fast) return simulateReference(climate, schedules, warmupHours);
    std::vector<ZoneResult> results;
    ZoneBatch::run({this}, climate, {&schedules}, warmupHours, results);
    return std::move(results.front());
}

}  // namespace ut::energy
