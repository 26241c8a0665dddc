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

#include "InteriorConvection.h"
#include "ut/energy/ZoneModel.h"

namespace ut::energy {

namespace {

constexpr int kLanes = 4;  // rows are padded to a multiple of this (one AVX register of doubles)

// out = inverse · x for a symmetric inverse stored as n padded rows of Rows doubles (row c serves
// as column c). Plain loops with a fixed row count: the compiler keeps the sums in vector registers.
template <int Rows>
__attribute__((always_inline)) inline void multiplyPacked(const double* inverse, int n, const double* x,
                                                           double* out) {
    double sum[Rows] = {};
    for (int c = 0; c < n; ++c) {
        const double* column = inverse + c * Rows;
        const double xc = x[c];
        for (int r = 0; r < Rows; ++r) sum[r] += column[r] * xc;
    }
    for (int r = 0; r < Rows; ++r) out[r] = sum[r];
}

// Built twice, for x86-64-v3 (AVX2, FMA) and plain x86-64, chosen when the program loads: the build
// takes no -march, so the same binary runs on any x86-64 and uses AVX2 where there is one.
__attribute__((target_clones("arch=x86-64-v3", "default"))) void multiply(const double* inverse, int n,
                                                                           int rows, const double* x,
                                                                           double* out) {
    switch (rows) {
        case 4: return multiplyPacked<4>(inverse, n, x, out);
        case 8: return multiplyPacked<8>(inverse, n, x, out);
        case 12: return multiplyPacked<12>(inverse, n, x, out);
        case 16: return multiplyPacked<16>(inverse, n, x, out);
        case 20: return multiplyPacked<20>(inverse, n, x, out);
        case 24: return multiplyPacked<24>(inverse, n, x, out);
        case 28: return multiplyPacked<28>(inverse, n, x, out);
        case 32: return multiplyPacked<32>(inverse, n, x, out);
        case 36: return multiplyPacked<36>(inverse, n, x, out);
        case 40: return multiplyPacked<40>(inverse, n, x, out);
        default:
            std::fill(out, out + rows, 0.0);
            for (int c = 0; c < n; ++c)
                for (int r = 0; r < rows; ++r) out[r] += inverse[c * rows + r] * x[c];
    }
}

// In-place Gauss–Jordan inversion of the n × n matrix in `a` (rows of `stride` doubles).
void invertInPlace(double* a, int n, int stride) {
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
    static std::vector<ZoneResult> run(const std::vector<ZoneModel*>& models, const SiteClimate& climate,
                                       const std::vector<const ZoneSchedules*>& schedules,
                                       std::size_t warmupHours);

private:
    static constexpr int kModes = ZoneModel::kWindClasses * 4;
    struct Surface {
        int node = 0;
        double areaM2 = 0.0;
        int kind = 0;  // as tarpConvection
    };
    // One zone's stepping state; arrays are padded to whole vectors.
    struct Zone {
        ZoneModel* model = nullptr;
        const ZoneSchedules* schedules = nullptr;
        ZoneModel::LoadConstants loads;
        int n = 0, rows = 0, substeps = 1;  // nodes; rows: nodes padded
        double dtS = 3600.0;
        std::vector<double> temp, capDt, loadsNow, rhs;
        std::vector<double> inverses;  // slots of n padded rows
        std::array<int, kModes> slotOfMode{};
        std::array<Surface, 5> surfaces{};
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
    const auto padded = static_cast<std::size_t>(z.rows);
    z.temp.assign(padded, 0.0);
    std::fill(z.temp.begin(), z.temp.begin() + z.n, model.m_desc.heatingSetpointC);
    z.capDt.assign(padded, 0.0);
    for (int i = 0; i < z.n; ++i) z.capDt[static_cast<std::size_t>(i)] = model.m_capacityJK[static_cast<std::size_t>(i)] / z.dtS;
    z.loadsNow.assign(padded, 0.0);
    z.rhs.assign(padded, 0.0);
    z.inverses.clear();
    z.slotOfMode.fill(-1);
    z.surfaceCount = 0;
    if (model.m_desc.coefficients.interiorNaturalConvection) {
        // The reference's order: wall, window, mass, floor, roof.
        const Surface all[] = {{model.m_wall.innerNode, model.m_wall.areaM2, 0},
                               {model.m_windowInner, model.m_windowAreaM2, 0},
                               {model.m_mass.innerNode, model.m_mass.areaM2, 0},
                               {model.m_floor.innerNode, model.m_floor.areaM2, 1},
                               {model.m_roof.innerNode, model.m_roof.areaM2, 2}};
        for (const Surface& s : all) {
            if (s.areaM2 > 0.0) z.surfaces[static_cast<std::size_t>(z.surfaceCount++)] = s;
        }
    }
}

const double* ZoneBatch::inverseFor(Zone& z, int windClass, int floorUp, int ceilingUp) {
    const int mode = windClass * 4 + floorUp * 2 + ceilingUp;
    int& slot = z.slotOfMode[static_cast<std::size_t>(mode)];
    const std::size_t size = static_cast<std::size_t>(z.n) * static_cast<std::size_t>(z.rows);
    if (slot < 0) {
        slot = static_cast<int>(z.inverses.size() / size);
        z.inverses.resize(z.inverses.size() + size, 0.0);
        double* a = z.inverses.data() + static_cast<std::size_t>(slot) * size;
        const Eigen::MatrixXd m = z.model->systemMatrix(windClass, floorUp, ceilingUp);
        const int stride = z.rows;
        for (int r = 0; r < z.n; ++r)
            for (int c = 0; c < z.n; ++c) a[r * stride + c] = m(r, c);
        invertInPlace(a, z.n, stride);
    }
    return z.inverses.data() + static_cast<std::size_t>(slot) * size;
}

// Convection state, the inverse that goes with it, and the right-hand side with the lagged
// natural-convection correction (as in the reference).
void ZoneBatch::prepareStep(Zone& z) {
    const ZoneModel& m = *z.model;
    const SurfaceCoefficients& h = m.m_desc.coefficients;
    double* temp = z.temp.data();
    const double tAir = temp[ZoneModel::kAir];
    const int floorUp = temp[m.m_floor.innerNode] > tAir ? 1 : 0;
    const int ceilingUp = temp[m.m_roof.innerNode] < tAir ? 1 : 0;
    z.inverse = inverseFor(z, z.drivers.windClass, floorUp, ceilingUp);
    double* rhs = z.rhs.data();
    const double* capDt = z.capDt.data();
    const double* loadsNow = z.loadsNow.data();
    for (int i = 0; i < z.rows; ++i) rhs[i] = capDt[i] * temp[i] + loadsNow[i];
    const double hFloor = floorUp ? h.interiorFloorConvUp : h.interiorFloorConvDown;
    const double hCeiling = ceilingUp ? h.interiorCeilingConvUp : h.interiorCeilingConvDown;
    const double inMatrix[3] = {h.interiorWallConv, hFloor, hCeiling};
    double flows[5];
    for (int k = 0; k < z.surfaceCount; ++k) {
        const Surface& s = z.surfaces[static_cast<std::size_t>(k)];
        const double dT = temp[s.node] - tAir;
        flows[k] = (tarpConvection(s.kind, dT) - inMatrix[s.kind]) * s.areaM2 * dT;
    }
    for (int k = 0; k < z.surfaceCount; ++k) {
        rhs[z.surfaces[static_cast<std::size_t>(k)].node] -= flows[k];
        rhs[ZoneModel::kAir] += flows[k];
    }
}

// Scheduled ventilation (Sherman–Morrison on the air node) and ideal heating or cooling to the set
// points, after the product.
void ZoneBatch::finishStep(Zone& z) {
    const ZoneModel& m = *z.model;
    constexpr int air = ZoneModel::kAir;
    const int stride = z.rows;
    const double* airColumn = z.inverse + air * stride;
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

std::vector<ZoneResult> ZoneBatch::run(const std::vector<ZoneModel*>& models, const SiteClimate& climate,
                                       const std::vector<const ZoneSchedules*>& schedules,
                                       std::size_t warmupHours) {
    const std::size_t hours = climate.hours();
    const ZoneSchedules none;
    std::vector<Zone> zones(models.size());
    std::vector<ZoneResult> results(models.size());
    int maxSubsteps = 1;
    for (std::size_t i = 0; i < models.size(); ++i) {
        const ZoneSchedules* s = i < schedules.size() && schedules[i] ? schedules[i] : &none;
        setUp(zones[i], *models[i], s, climate);
        maxSubsteps = std::max(maxSubsteps, zones[i].substeps);
        ZoneResult& r = results[i];
        r.heatingW.assign(hours, 0.0);
        r.coolingW.assign(hours, 0.0);
        r.airTempC.assign(hours, 0.0);
        r.uaWK = models[i]->steadyStateUaWK();
    }
    const std::size_t warm = std::min(warmupHours, hours);
    for (std::size_t k = 0; k < warm + hours; ++k) {
        const std::size_t hour = k < warm ? hours - warm + k : k - warm;
        for (Zone& z : zones) {
            z.drivers = z.model->hourlyLoads(z.loads, climate, *z.schedules, hour, z.loadsNow.data());
            z.heatJ = 0.0;
            z.coolJ = 0.0;
        }
        for (int s = 0; s < maxSubsteps; ++s) {
            for (Zone& z : zones) {
                if (s < z.substeps) prepareStep(z);
            }
            for (Zone& z : zones) {
                if (s < z.substeps) multiply(z.inverse, z.n, z.rows, z.rhs.data(), z.temp.data());
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
            r.airTempC[hour] = z.temp[ZoneModel::kAir];
            r.heatingKWh += z.heatJ / 3.6e6;
            r.coolingKWh += z.coolJ / 3.6e6;
            r.peakHeatingW = std::max(r.peakHeatingW, r.heatingW[hour]);
            r.peakCoolingW = std::max(r.peakCoolingW, r.coolingW[hour]);
        }
    }
    return results;
}

std::vector<ZoneResult> ZoneModel::simulateBatch(std::vector<ZoneModel>& models, const SiteClimate& climate,
                                                 const std::vector<const ZoneSchedules*>& schedules,
                                                 std::size_t warmupHours) {
    std::vector<ZoneModel*> pointers;
    for (ZoneModel& m : models) pointers.push_back(&m);
    return ZoneBatch::run(pointers, climate, schedules, warmupHours);
}

ZoneResult ZoneModel::simulate(const SiteClimate& climate, const ZoneSchedules& schedules,
                               std::size_t warmupHours) {
    if (m_desc.kernel != ZoneKernel::Fast) return simulateReference(climate, schedules, warmupHours);
    return std::move(ZoneBatch::run({this}, climate, {&schedules}, warmupHours).front());
}

}  // namespace ut::energy
