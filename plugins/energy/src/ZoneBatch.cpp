// The fast kernel of ZoneModel (ZoneKernel::Fast): the same network, loads and control as the
// reference in ZoneModel.cpp, stepped differently.
// - Each convection state's inverse (wind class × floor and ceiling heat-flow direction), packed into
//   rows padded to whole SIMD vectors: the zone's first wind class by an in-place Gauss–Jordan
//   elimination (the matrix is a symmetric, diagonally dominant M-matrix: no pivoting needed), the
//   other classes by a Woodbury update of it, the floor's and ceiling's upward flow by Sherman–Morrison
//   updates. The inverse is symmetric, so row c serves as column c and the product is a sum of
//   contiguous columns scaled by one rhs entry each.
// - Zones run in batches, hour outside and zones inside. One sub-step of the whole batch is one call
//   (stepZones, built for AVX2 and for plain x86-64), phase by phase, so that the out-of-order core
//   overlaps independent zones: one zone's step is a chain of dependent operations (surface
//   temperatures → convection → product → set-point control). The natural-convection corrections of
//   all the batch's room surfaces are one array of lanes (structure of arrays across the zones).
// - A day's loads are laid out hour by hour in the packed column order, so that an hour's right-hand
//   side is capacity · temperature + that hour's row, a few vector operations; the hour's drivers
//   follow the loads in the row.
// - The air and the five room surfaces are rows 0–5 of every zone, so the convection's differences and
//   flows are vector operations.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "ZoneBatch.h"

namespace ut::energy {

namespace {

// The lagged natural-convection correction of every room surface of a batch, one lane each (unused
// lanes have zero area): flow = (h_TARP(dT) − h in the matrix) · area · dT, with
// h_TARP = coefficient · |dT|^(1/3) (at least 0.1; 0.1 for |dT| < 1e-12), as tarpConvection.
struct ConvectionLanes {
    int count = 0;                                             // padded
    std::vector<double> dT, area, warm, cool, inMatrix, flow;  // warm / cool: surface warmer / cooler
    void resize(int lanes) {
        count = padded(lanes);
        for (auto* v : {&dT, &area, &warm, &cool, &inMatrix, &flow})
            v->assign(static_cast<std::size_t>(count), 0.0);
    }
};

// The cube root starts from tarpConvection's bit-level guess, here computed on each 32-bit half so
// that it vectorises (dropping the carries between the halves moves the guess by less than 2^-19,
// against its error of a few per cent), and takes two Halley steps (cubic convergence: to about
// 1e-13), where tarpConvection takes three dependent Newton divisions.
__attribute__((always_inline)) inline void convectionCorrections(ConvectionLanes& s) {
    const Vec4 minimum = {0.1, 0.1, 0.1, 0.1};
    const Vec4 smallest = {1e-300, 1e-300, 1e-300, 1e-300};
    const Words8 magic = {0x782DA1CEu, 0x2A9F7893u, 0x782DA1CEu, 0x2A9F7893u,
                          0x782DA1CEu, 0x2A9F7893u, 0x782DA1CEu, 0x2A9F7893u};
    // The arrays in locals: the flows' stores cannot then make the compiler reload them every vector.
    const double* __restrict dTs = s.dT.data();
    const double* __restrict warm = s.warm.data();
    const double* __restrict cool = s.cool.data();
    const double* __restrict inMatrix = s.inMatrix.data();
    const double* __restrict area = s.area.data();
    double* __restrict flow = s.flow.data();
    const int count = s.count;
    for (int k = 0; k < count; k += kLanes) {
        const Vec4 dT = load4(dTs + k);
        const Vec4 x = dT < 0.0 ? -dT : dT;
        const Vec4 positive = x < smallest ? smallest : x;
        Words8 words;
        __builtin_memcpy(&words, &positive, sizeof words);
        words = words / 3u + magic;
        Vec4 c;
        __builtin_memcpy(&c, &words, sizeof c);
        Vec4 c3 = c * c * c;
        c = c * (c3 + 2.0 * x) / (2.0 * c3 + x);
        c3 = c * c * c;
        c = c * (c3 + 2.0 * x) / (2.0 * c3 + x);
        const Vec4 coefficient = dT > 0.0 ? load4(warm + k) : load4(cool + k);
        Vec4 h = coefficient * c;
        h = h < minimum ? minimum : h;
        const Mask4 tiny = x < 1e-12;
        h = tiny ? minimum : h;
        store4(flow + k, (h - load4(inMatrix + k)) * load4(area + k) * dT);
    }
}

// out = inverse · x for `columns` packed columns of 4·Blocks doubles: column-scaled vector sums
// kept in registers, with independent sums for interleaved columns to shorten the chain of
// dependent additions (as many as fit AVX2's 16 registers; the plain x86-64 build, two SSE2
// registers per vector, spills some of them for 16 rows).
template <int Blocks>
__attribute__((always_inline)) inline void multiplyPacked(const double* inverse, int columns, const double* x,
                                                          double* out) {
    constexpr int kChains = Blocks == 1 ? 4 : Blocks <= 4 ? 2 : 1;
    Vec4 sum[kChains][Blocks];
#pragma GCC unroll 8
    for (int k = 0; k < kChains; ++k)
#pragma GCC unroll 16
        for (int b = 0; b < Blocks; ++b) sum[k][b] = Vec4{};
    int c = 0;
    for (; c + kChains <= columns; c += kChains) {
#pragma GCC unroll 8
        for (int k = 0; k < kChains; ++k) {
            const double* column = inverse + (c + k) * Blocks * kLanes;
            const double xc = x[c + k];
#pragma GCC unroll 16
            for (int b = 0; b < Blocks; ++b) sum[k][b] += load4(column + b * kLanes) * xc;
        }
    }
    for (; c < columns; ++c) {
        const double* column = inverse + c * Blocks * kLanes;
#pragma GCC unroll 16
        for (int b = 0; b < Blocks; ++b) sum[0][b] += load4(column + b * kLanes) * x[c];
    }
#pragma GCC unroll 8
    for (int k = 1; k < kChains; ++k)
#pragma GCC unroll 16
        for (int b = 0; b < Blocks; ++b) sum[0][b] += sum[k][b];
#pragma GCC unroll 16
    for (int b = 0; b < Blocks; ++b) store4(out + b * kLanes, sum[0][b]);
}

__attribute__((always_inline)) inline void multiply(const double* inverse, int columns, int rows,
                                                    const double* x, double* out) {
    switch (rows / kLanes) {
        case 1:
            return multiplyPacked<1>(inverse, columns, x, out);
        case 2:
            return multiplyPacked<2>(inverse, columns, x, out);
        case 3:
            return multiplyPacked<3>(inverse, columns, x, out);
        case 4:
            return multiplyPacked<4>(inverse, columns, x, out);
        case 5:
            return multiplyPacked<5>(inverse, columns, x, out);
        case 6:
            return multiplyPacked<6>(inverse, columns, x, out);
        case 7:
            return multiplyPacked<7>(inverse, columns, x, out);
        case 8:
            return multiplyPacked<8>(inverse, columns, x, out);
        default:
            std::fill(out, out + rows, 0.0);
            for (int c = 0; c < columns; ++c)
                for (int r = 0; r < rows; ++r) out[r] += inverse[c * rows + r] * x[c];
    }
}

// Scheduled ventilation (Sherman–Morrison on the air node) and ideal heating or cooling to the set
// points, after the product.
__attribute__((always_inline)) inline void control(StepState& z) {
    constexpr int air = 0;  // row and column of the air node
    const double* airColumn = z.inverse;
    double* temp = z.temp.data();
    const int rows = z.rows;
    const double* drivers = z.driversNow;
    const double gVent = drivers[kDriverVentilation];
    double airResponse = 1.0;
    if (gVent > 0.0) {
        airResponse = 1.0 / (1.0 + gVent * airColumn[air]);
        const double k = gVent * temp[air] * airResponse;
#pragma GCC unroll 8
        for (int i = 0; i < rows; i += kLanes) store4(temp + i, load4(temp + i) - load4(airColumn + i) * k);
    }
    const double tAir = temp[air];
    const double airSelf = airColumn[air] * airResponse;
    double q = 0.0;
    const double heatingSetpointC = drivers[kDriverHeating], coolingSetpointC = drivers[kDriverCooling];
    if (z.heatingOn && tAir < heatingSetpointC)
        q = (heatingSetpointC - tAir) / airSelf;
    else if (z.coolingOn && tAir > coolingSetpointC)
        q = (coolingSetpointC - tAir) / airSelf;
    if (q != 0.0) {
        const double k = q * airResponse;
#pragma GCC unroll 8
        for (int i = 0; i < rows; i += kLanes) store4(temp + i, load4(temp + i) + load4(airColumn + i) * k);
        if (q > 0)
            z.heatJ += q * z.dtS;
        else
            z.coolJ -= q * z.dtS;
    }
}

// One sub-step of every zone of a batch that has that many sub-steps, phase by phase. Built twice, for
// x86-64-v3 (AVX2, FMA) and plain x86-64, chosen when the program loads: the build takes no -march,
// so the same binary runs on any x86-64 and uses AVX2 where there is one.
__attribute__((target_clones("arch=x86-64-v3", "default"))) void stepZones(StepState* zones, int count,
                                                                           ConvectionLanes& lanes,
                                                                           int substep, int hourIndex) {
    constexpr int kFloorLane = 3, kRoofLane = 4;
    constexpr int kFloorRow = 1 + kFloorLane, kRoofRow = 1 + kRoofLane;  // setUp's row order
    // Convection state and its inverse; right-hand side; surface-to-air temperature differences.
    for (int zi = 0; zi < count; ++zi) {
        StepState& z = zones[zi];
        if (substep >= z.substeps) continue;
        const double* temp = z.temp.data();
        const int rows = z.rows, stride = z.stride;
        const double* loads = z.dayRows + static_cast<std::ptrdiff_t>(hourIndex) * z.rowLength;
        const double* drivers = loads + stride;
        z.driversNow = drivers;
        const double tAir = temp[0];
        const int floorUp = temp[kFloorRow] > tAir ? 1 : 0;
        const int ceilingUp = temp[kRoofRow] < tAir ? 1 : 0;
        int windClass;
        __builtin_memcpy(&windClass, drivers + kDriverWind, sizeof windClass);
        const int mode = windClass * 4 + floorUp * 2 + ceilingUp;
        const int slot = z.slotOfMode[static_cast<std::size_t>(mode)];
        z.inverse = slot >= 0 ? z.inverses.data() + static_cast<std::size_t>(slot) * z.slotSize
                              : z.missingInverse(z.owner, mode);
        double* rhs = z.rhs.data();
        const double* capDt = z.capDt.data();
        for (int c = 0; c < rows; c += kLanes) store4(rhs + c, load4(capDt + c) * load4(temp + c) + load4(loads + c));
        for (int c = rows; c < stride; c += kLanes) store4(rhs + c, load4(loads + c));
        double* dT = lanes.dT.data() + z.firstLane;
        double* inMatrix = lanes.inMatrix.data() + z.firstLane;
        // The surfaces are rows 1–5 (setUp): two vector-wide differences. A surface without area or
        // without natural convection has a zero area lane, so its flow is zero whatever dT is.
        store4(dT, load4(temp + 1) - tAir);
        dT[4] = temp[kRoofRow] - tAir;
        inMatrix[kFloorLane] = z.floorConv[floorUp];
        inMatrix[kRoofLane] = z.ceilingConv[ceilingUp];
    }
    convectionCorrections(lanes);
    // Flows into the right-hand side, the product, then ventilation and set-point control, zone by zone.
    for (int zi = 0; zi < count; ++zi) {
        StepState& z = zones[zi];
        if (substep >= z.substeps) continue;
        double* rhs = z.rhs.data();
        const double* flow = lanes.flow.data() + z.firstLane;
        const Vec4 flow4 = load4(flow);
        store4(rhs + 1, load4(rhs + 1) - flow4);
        rhs[kRoofRow] -= flow[4];
        rhs[0] = rhs[0] + flow4[0] + flow4[1] + flow4[2] + flow4[3] + flow[4];  // the reference's order
        multiply(z.inverse, z.columns, z.rows, rhs, z.temp.data());
        control(z);
    }
}

// In-place Gauss–Jordan inversion of the n × n matrix in `a` (rows of `stride` doubles); built
// for AVX2 too, like the step.
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

void ZoneBatch::setUp(Zone& z, StepState& s, ZoneModel& model, const ZoneSchedules* schedules,
                      const SiteClimate& climate) {
    z.model = &model;
    z.schedules = schedules;
    z.state = &s;
    z.loads = model.prepareLoads(climate);
    z.n = model.nodeCount();
    s.substeps = std::max(1, model.m_desc.substepsPerHour);
    s.dtS = model.m_dtS;
    s.heatJ = s.coolJ = 0.0;
    s.heatingOn = model.m_desc.heatingOn;
    s.coolingOn = model.m_desc.coolingOn;
    const auto n = static_cast<std::size_t>(z.n);
    std::vector<char> isRow(n, 0), isColumn(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const bool capacitive = model.m_capacityJK[i] > 0.0;
        isRow[i] = capacitive;
        isColumn[i] = capacitive;
    }
    for (int node : {ZoneModel::kAir, model.m_wall.innerNode, model.m_roof.innerNode, model.m_floor.innerNode,
                     model.m_mass.innerNode, model.m_windowInner}) {
        isRow.at(static_cast<std::size_t>(node)) = 1;
        isColumn.at(static_cast<std::size_t>(node)) = 1;
    }
    for (int node :
         {model.m_wall.firstNode, model.m_roof.firstNode, model.m_floor.firstNode, model.m_windowOuter})
        isColumn.at(static_cast<std::size_t>(node)) = 1;  // exterior boundary terms
    // Rows: the air and the five room surfaces first, in the lanes' order (kSurfaceRow: rows 1–5,
    // always distinct nodes: every element has its own), then the other state nodes in node order.
    const int fixedNodes[1 + kMaxSurfaces] = {ZoneModel::kAir,       model.m_wall.innerNode,
                                              model.m_windowInner,   model.m_mass.innerNode,
                                              model.m_floor.innerNode, model.m_roof.innerNode};
    std::vector<int> rowOfNode(n, 0);
    z.rowNode.clear();
    for (int node : fixedNodes) {
        rowOfNode[static_cast<std::size_t>(node)] = static_cast<int>(z.rowNode.size());
        z.rowNode.push_back(node);
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (isRow[i] && std::find(std::begin(fixedNodes), std::end(fixedNodes), static_cast<int>(i)) ==
                            std::end(fixedNodes)) {
            rowOfNode[i] = static_cast<int>(z.rowNode.size());
            z.rowNode.push_back(static_cast<int>(i));
        }
    }
    const int rows = static_cast<int>(z.rowNode.size());
    s.rows = padded(rows);
    // Columns: the state rows' nodes first, in row order (so that row i and column i are the same
    // node and the right-hand side is capacity · temperature + load, element by element), then the
    // other loaded nodes (the first in the padding rows, whose capacity and temperature are zero),
    // then zero columns up to the padded row count.
    z.columnNode = z.rowNode;
    for (std::size_t i = 0; i < n; ++i) {
        if (isColumn[i] && !isRow[i]) z.columnNode.push_back(static_cast<int>(i));
    }
    if (z.columnNode.size() < static_cast<std::size_t>(s.rows))
        z.columnNode.resize(static_cast<std::size_t>(s.rows), -1);
    s.columns = static_cast<int>(z.columnNode.size());
    s.stride = padded(s.columns);
    s.capDt.assign(static_cast<std::size_t>(s.rows), 0.0);
    for (std::size_t r = 0; r < z.rowNode.size(); ++r)
        s.capDt[r] = model.m_capacityJK[static_cast<std::size_t>(z.rowNode[r])] / s.dtS;
    z.block.hours = 0;
    model.blockLoads(z.loads, climate, ZoneSchedules{}, 0, 0, z.block);  // sets the target nodes
    for (int t = 0; t < LoadBlock::kTargets; ++t) {
        const auto it = std::find(z.columnNode.begin(), z.columnNode.end(), z.block.node[t]);
        z.columnOfTarget[t] = static_cast<int>(it - z.columnNode.begin());
    }
    z.distinctTargets = true;
    for (int t = 0; t < LoadBlock::kTargets; ++t)
        for (int u = 0; u < t; ++u) z.distinctTargets &= z.columnOfTarget[t] != z.columnOfTarget[u];
    s.rowLength = s.stride + kDrivers;
    z.dayLoads.assign(static_cast<std::size_t>(LoadBlock::kHours * s.rowLength), 0.0);
    s.dayRows = z.dayLoads.data();
    s.floorRow = rowOfNode[static_cast<std::size_t>(model.m_floor.innerNode)];
    s.roofRow = rowOfNode[static_cast<std::size_t>(model.m_roof.innerNode)];
    s.temp.assign(static_cast<std::size_t>(s.rows), model.m_desc.heatingSetpointC);
    s.rhs.assign(static_cast<std::size_t>(s.stride), 0.0);
    z.scratch.assign(n * n, 0.0);
    z.baseClass = -1;
    s.inverses.clear();
    s.slotSize = static_cast<std::size_t>(s.columns) * static_cast<std::size_t>(s.rows);
    s.slotOfMode.fill(-1);
    s.missingInverse = &ZoneBatch::packInverse;
    s.owner = &z;
    const SurfaceCoefficients& h = model.m_desc.coefficients;
    s.floorConv[0] = h.interiorFloorConvDown;
    s.floorConv[1] = h.interiorFloorConvUp;
    s.ceilingConv[0] = h.interiorCeilingConvDown;
    s.ceilingConv[1] = h.interiorCeilingConvUp;
}

// The packed inverse of one mode. Gauss–Jordan for the wind class with floor and ceiling heat
// flowing down; the other three states differ from it by the interior convection between the air and
// the floor or the ceiling, g·(e_surface − e_air)(e_surface − e_air)ᵀ, so they are Sherman–Morrison
// updates of it (one per changed surface). Both nodes are state rows and columns, so the packed
// inverse holds every entry the update reads.
const double* ZoneBatch::packInverse(void* zone, int mode) {
    Zone& z = *static_cast<Zone*>(zone);
    StepState& s = *z.state;
    const int windClass = mode / 4, floorUp = (mode / 2) % 2, ceilingUp = mode % 2;
    const int baseMode = windClass * 4;
    if (mode != baseMode && s.slotOfMode[static_cast<std::size_t>(baseMode)] < 0) packInverse(zone, baseMode);
    int& slot = s.slotOfMode[static_cast<std::size_t>(mode)];
    slot = static_cast<int>(s.inverses.size() / s.slotSize);
    s.inverses.resize(s.inverses.size() + s.slotSize, 0.0);
    double* packed = s.inverses.data() + static_cast<std::size_t>(slot) * s.slotSize;
    if (mode != baseMode) {
        const double* base =
            s.inverses.data() +
            static_cast<std::size_t>(s.slotOfMode[static_cast<std::size_t>(baseMode)]) * s.slotSize;
        std::copy(base, base + s.slotSize, packed);
        const ZoneModel& m = *z.model;
        const SurfaceCoefficients& h = m.m_desc.coefficients;
        if (floorUp)
            shermanMorrison(
                packed, s, s.floorRow,
                (h.interiorFloorConvUp - h.interiorFloorConvDown) * std::max(m.m_floor.areaM2, 1e-6));
        if (ceilingUp)
            shermanMorrison(
                packed, s, s.roofRow,
                (h.interiorCeilingConvUp - h.interiorCeilingConvDown) * std::max(m.m_roof.areaM2, 1e-6));
        return packed;
    }
    double* a = z.scratch.data();
    if (z.baseClass >= 0) {
        exteriorWoodbury(z, s, windClass, packed);
        return packed;
    }
    const Eigen::MatrixXd matrix = z.model->systemMatrix(windClass, floorUp, ceilingUp);
    for (int r = 0; r < z.n; ++r)
        for (int c = 0; c < z.n; ++c) a[r * z.n + c] = matrix(r, c);
    invertInPlace(a, z.n, z.n);
    z.baseClass = windClass;
    for (int c = 0; c < s.columns; ++c) {
        const int node = z.columnNode[static_cast<std::size_t>(c)];
        if (node < 0) continue;
        for (std::size_t r = 0; r < z.rowNode.size(); ++r)
            packed[c * s.rows + static_cast<int>(r)] = a[z.rowNode[r] * z.n + node];
    }
    return packed;
}

// The packed "both down" inverse of another wind class from the full one of z.baseClass: the classes
// differ only by the exterior convection on the wall's, the roof's and the windows' outer surface
// nodes, A_k = A + U·D·Uᵀ (D: the change of each surface's conductance), so by the Woodbury identity
// A_k⁻¹ = A⁻¹ − P·(I + D·Q)⁻¹·D·Pᵀ with P = A⁻¹U and Q = UᵀA⁻¹U — rank three instead of a new
// inversion.
void ZoneBatch::exteriorWoodbury(const Zone& z, StepState& s, int windClass, double* packed) {
    const ZoneModel& m = *z.model;
    const int n = z.n;
    const double* a = z.scratch.data();
    const int nodes[3] = {m.m_wall.firstNode, m.m_roof.firstNode, m.m_windowOuter};
    const double areas[3] = {m.m_wall.areaM2, m.m_roof.areaM2, m.m_windowAreaM2};
    const double dh = m.exteriorConvection(windClass) - m.exteriorConvection(z.baseClass);
    double d[3], iq[3][3];  // D, then I + D·Q
    for (int i = 0; i < 3; ++i) {
        d[i] = dh * areas[i];
        for (int j = 0; j < 3; ++j) iq[i][j] = (i == j ? 1.0 : 0.0) + d[i] * a[nodes[i] * n + nodes[j]];
    }
    // S = (I + D·Q)⁻¹·D by Cramer's rule on the 3 × 3 system.
    const double c00 = iq[1][1] * iq[2][2] - iq[1][2] * iq[2][1], c01 = iq[1][2] * iq[2][0] - iq[1][0] * iq[2][2],
                 c02 = iq[1][0] * iq[2][1] - iq[1][1] * iq[2][0];
    const double det = iq[0][0] * c00 + iq[0][1] * c01 + iq[0][2] * c02;
    const double inverse[3][3] = {
        {c00 / det, (iq[0][2] * iq[2][1] - iq[0][1] * iq[2][2]) / det, (iq[0][1] * iq[1][2] - iq[0][2] * iq[1][1]) / det},
        {c01 / det, (iq[0][0] * iq[2][2] - iq[0][2] * iq[2][0]) / det, (iq[0][2] * iq[1][0] - iq[0][0] * iq[1][2]) / det},
        {c02 / det, (iq[0][1] * iq[2][0] - iq[0][0] * iq[2][1]) / det, (iq[0][0] * iq[1][1] - iq[0][1] * iq[1][0]) / det}};
    double sd[3][3];
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) sd[i][j] = inverse[i][j] * d[j];
    const int rows = static_cast<int>(z.rowNode.size());
    for (int c = 0; c < s.columns; ++c) {
        const int node = z.columnNode[static_cast<std::size_t>(c)];
        if (node < 0) continue;
        double pc[3];  // (S·Pᵀ)[·, node]
        for (int i = 0; i < 3; ++i)
            pc[i] = sd[i][0] * a[node * n + nodes[0]] + sd[i][1] * a[node * n + nodes[1]] + sd[i][2] * a[node * n + nodes[2]];
        for (int r = 0; r < rows; ++r) {
            const double* pr = a + z.rowNode[static_cast<std::size_t>(r)] * n;
            packed[c * s.rows + r] =
                pr[node] - (pr[nodes[0]] * pc[0] + pr[nodes[1]] * pc[1] + pr[nodes[2]] * pc[2]);
        }
    }
}

// packed ← inverse of (A + g·u·uᵀ), u = e_surface − e_air, from packed = A⁻¹ (symmetric):
// A⁻¹ − g·(A⁻¹u)(uᵀA⁻¹) / (1 + g·uᵀA⁻¹u). The air is row and column 0.
void ZoneBatch::shermanMorrison(double* packed, const StepState& s, int surfaceRow, double g) {
    const int rows = s.rows, columns = s.columns;
    std::vector<double> v(static_cast<std::size_t>(rows)), w(static_cast<std::size_t>(columns));
    for (int r = 0; r < rows; ++r) v[static_cast<std::size_t>(r)] = packed[surfaceRow * rows + r] - packed[r];
    for (int c = 0; c < columns; ++c)
        w[static_cast<std::size_t>(c)] = packed[c * rows + surfaceRow] - packed[c * rows];
    const double uAu = w[static_cast<std::size_t>(surfaceRow)] - w[0];
    const double scale = g / (1.0 + g * uAu);
    for (int c = 0; c < columns; ++c) {
        const double wc = scale * w[static_cast<std::size_t>(c)];
        for (int r = 0; r < rows; ++r) packed[c * rows + r] -= v[static_cast<std::size_t>(r)] * wc;
    }
}

// The loads of the day (or the rest of the year) from `hour` on, into the packed column order.
void ZoneBatch::loadDay(Zone& z, const SiteClimate& climate, std::size_t hour) {
    const int blockHours = static_cast<int>(std::min<std::size_t>(LoadBlock::kHours, climate.hours() - hour));
    z.model->blockLoads(z.loads, climate, *z.schedules, hour, blockHours, z.block);
    const int stride = z.state->stride, rowLength = z.state->rowLength;
    double* rows = z.dayLoads.data();
    using Drivers = ZoneModel::HourDrivers;
    static_assert(sizeof(Drivers) == kDrivers * sizeof(double) && offsetof(Drivers, windClass) == 0 &&
                  offsetof(Drivers, heatingSetpointC) == kDriverHeating * sizeof(double) &&
                  offsetof(Drivers, coolingSetpointC) == kDriverCooling * sizeof(double) &&
                  offsetof(Drivers, ventilationWK) == kDriverVentilation * sizeof(double));
    auto drivers = [&](double* row, int i) {
        std::memcpy(row + stride, &z.block.drivers[i], sizeof(Drivers));
    };
    if (z.distinctTargets) {
        // Hour by hour, the ten targets' values to their columns (all ten columns in registers).
        int column[LoadBlock::kTargets];
        std::copy_n(z.columnOfTarget, LoadBlock::kTargets, column);
        for (int i = 0; i < blockHours; ++i, rows += rowLength) {
#pragma GCC unroll 10
            for (int t = 0; t < LoadBlock::kTargets; ++t) rows[column[t]] = z.block.watts[t][i];
            drivers(rows, i);
        }
        return;
    }
    for (int i = 0; i < blockHours; ++i) {
        double* row = rows + static_cast<std::size_t>(i * rowLength);
        for (int t = 0; t < LoadBlock::kTargets; ++t) row[z.columnOfTarget[t]] = 0.0;
        for (int t = 0; t < LoadBlock::kTargets; ++t) row[z.columnOfTarget[t]] += z.block.watts[t][i];
        drivers(row, i);
    }
}

void ZoneBatch::run(const std::vector<ZoneModel*>& models, const SiteClimate& climate,
                    const std::vector<const ZoneSchedules*>& schedules, std::size_t warmupHours,
                    std::vector<ZoneResult>& results, const ZoneHoursSink* sink) {
    const std::size_t hours = climate.hours();
    const ZoneSchedules none;
    // The stepping state is kept per thread between calls: a city runs batch after batch, and
    // fresh arrays for each would cost page faults for every building.
    thread_local std::vector<Zone> threadZones;
    thread_local std::vector<StepState> threadStates;
    thread_local ConvectionLanes threadLanes;
    std::vector<Zone>& zones = threadZones;  // one thread-local lookup, not one per use
    std::vector<StepState>& states = threadStates;
    ConvectionLanes& lanes = threadLanes;
    zones.resize(models.size());
    states.resize(models.size());
    results.resize(models.size());
    int maxSubsteps = 1;
    for (std::size_t i = 0; i < models.size(); ++i) {
        const ZoneSchedules* s = i < schedules.size() && schedules[i] ? schedules[i] : &none;
        setUp(zones[i], states[i], *models[i], s, climate);
        maxSubsteps = std::max(maxSubsteps, states[i].substeps);
        states[i].firstLane = static_cast<int>(i) * kMaxSurfaces;
        results[i].uaWK = models[i]->steadyStateUaWK();
    }
    // Every hour is written once after the warm-up (unless a sink takes the hours instead).
    auto hourlyArrays = [&](std::size_t size) {
        for (ZoneResult& r : results) {
            r.heatingW.resize(size);
            r.coolingW.resize(size);
            r.airTempC.resize(size);
        }
    };
    hourlyArrays(sink ? 0 : hours);
    if (!zones.empty() && maxSubsteps == 1 && runLanes(zones, climate, warmupHours, results, sink)) return;
    hourlyArrays(hours);
    lanes.resize(static_cast<int>(models.size()) * kMaxSurfaces);
    for (std::size_t i = 0; i < models.size(); ++i) {
        const ZoneModel& m = *models[i];
        const SurfaceCoefficients& h = m.m_desc.coefficients;
        // Walton's correlations: h = coefficient · |dT|^(1/3), the coefficient by the sign of dT.
        constexpr double vertical = 1.31, unstable = 9.482 / (7.238 - 1.0), stable = 1.810 / (1.382 + 1.0);
        const double areas[kMaxSurfaces] = {m.m_wall.areaM2, m.m_windowAreaM2, m.m_mass.areaM2,
                                            m.m_floor.areaM2, m.m_roof.areaM2};
        const int kinds[kMaxSurfaces] = {0, 0, 0, 1, 2};  // vertical, floor, ceiling
        for (int k = 0; k < kMaxSurfaces; ++k) {
            const auto l = static_cast<std::size_t>(states[i].firstLane + k);
            lanes.area[l] = h.interiorNaturalConvection && areas[k] > 0.0 ? areas[k] : 0.0;
            lanes.warm[l] = kinds[k] == 0 ? vertical : kinds[k] == 1 ? unstable : stable;
            lanes.cool[l] = kinds[k] == 0 ? vertical : kinds[k] == 1 ? stable : unstable;
            lanes.inMatrix[l] = h.interiorWallConv;
        }
    }
    if (zones.empty()) return;
    const std::size_t warm = std::min(warmupHours, hours);
    const int count = static_cast<int>(models.size());
    struct Annual {
        double heatingWh = 0.0, coolingWh = 0.0, peakHeatingW = 0.0, peakCoolingW = 0.0;
    };
    std::vector<Annual> annual(models.size());
    for (std::size_t k = 0; k < warm + hours; ++k) {
        const std::size_t hour = k < warm ? hours - warm + k : k - warm;
        // Every zone's day block starts at the same hour (all are loaded together), so one zone tells
        // when the next day is due and which row of it is this hour.
        if (!zones.front().block.holds(hour)) {
            for (Zone& z : zones) loadDay(z, climate, hour);
        }
        const int hourIndex = static_cast<int>(hour - zones.front().block.firstHour);
        for (int s = 0; s < maxSubsteps; ++s) stepZones(states.data(), count, lanes, s, hourIndex);
        if (k < warm) {
            for (StepState& s : states) s.heatJ = s.coolJ = 0.0;
            continue;
        }
        for (std::size_t i = 0; i < states.size(); ++i) {
            StepState& s = states[i];
            ZoneResult& r = results[i];
            const double heatingW = s.heatJ / 3600.0, coolingW = s.coolJ / 3600.0;
            r.heatingW[hour] = heatingW;
            r.coolingW[hour] = coolingW;
            r.airTempC[hour] = s.temp[0];
            s.heatJ = s.coolJ = 0.0;  // the next hour's sums
            // The annual sums and peaks as the hours are written (hour order, as a pass after the
            // year would add them; the hours are not read back).
            Annual& a = annual[i];
            a.heatingWh += heatingW;
            a.coolingWh += coolingW;
            a.peakHeatingW = std::max(a.peakHeatingW, heatingW);
            a.peakCoolingW = std::max(a.peakCoolingW, coolingW);
        }
    }
    for (std::size_t i = 0; i < results.size(); ++i) {
        ZoneResult& r = results[i];
        const Annual& a = annual[i];
        r.heatingKWh = a.heatingWh / 1000.0;
        r.coolingKWh = a.coolingWh / 1000.0;
        r.peakHeatingW = a.peakHeatingW;
        r.peakCoolingW = a.peakCoolingW;
    }
}

void ZoneModel::simulateBatch(std::vector<ZoneModel>& models, const SiteClimate& climate,
                              const std::vector<const ZoneSchedules*>& schedules, std::size_t warmupHours,
                              std::vector<ZoneResult>& results, const ZoneHoursSink* sink) {
    std::vector<ZoneModel*> pointers;
    for (ZoneModel& m : models) pointers.push_back(&m);
    ZoneBatch::run(pointers, climate, schedules, warmupHours, results, sink);
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
