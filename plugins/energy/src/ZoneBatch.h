// The fast kernel's stepping state, shared by its two steppers: ZoneBatch.cpp (zones one after
// another, any number of sub-steps) and ZoneLanes.cpp (eight zones in the lanes of every vector, one
// step per hour: the city). Private to the energy engine.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "VectorMemory.h"
#include "ut/energy/ZoneModel.h"

namespace ut::energy {

constexpr int kLanes = 4;        // rows are padded to a multiple of this (one AVX register of doubles)
constexpr int kModes = 64;       // wind classes × floor and ceiling heat-flow direction
constexpr int kMaxSurfaces = 5;  // room surfaces with a natural-convection correction
// An hour's drivers after its loads in the day's rows: ZoneModel::HourDrivers copied as it is (loadDay
// checks the layout), the wind class an int in the first slot's low bytes.
enum Driver { kDriverWind, kDriverHeating, kDriverCooling, kDriverVentilation, kDrivers };

// Four doubles: one AVX register, or two SSE2 registers in the plain x86-64 build. Only used inside
// the kernels' files, so the ABI note about passing them without AVX does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"
using Vec4 = double __attribute__((vector_size(32)));
using Mask4 = long long __attribute__((vector_size(32)));
using Words8 = unsigned __attribute__((vector_size(32)));  // the same 32 bytes as 32-bit words

__attribute__((always_inline)) inline Vec4 load4(const double* p) { return loadVector<Vec4>(p); }
__attribute__((always_inline)) inline void store4(double* p, const Vec4& v) { storeVector(p, v); }
constexpr int padded(int n) {
    return (n + kLanes - 1) / kLanes * kLanes;
}

// What stepZones reads and writes for one zone; vectors are padded to whole Vec4.
struct StepState {
    int rows = 0;     // state rows (padded): temperatures the next step reads
    int columns = 0;  // packed columns: the rows' nodes first, then loaded boundary nodes
    int stride = 0;   // columns padded: length of rhs and of a row of loads
    int substeps = 1;
    double dtS = 3600.0;
    std::vector<double> temp, capDt, rhs;  // temp, capDt: rows; rhs: stride
    // The day's hour rows (loadDay): the loads by column (stride), then the hour's drivers (kDrivers).
    const double* dayRows = nullptr;
    int rowLength = 0;
    const double* driversNow = nullptr;  // this hour's drivers (set by the step's first phase)
    const double* inverse = nullptr;       // of the current sub-step: `columns` columns of `rows`
    std::vector<double> inverses;          // slots of rows × columns
    std::size_t slotSize = 0;
    std::array<int, kModes> slotOfMode{};
    const double* (*missingInverse)(void* owner, int mode) = nullptr;  // packs one, sets its slot
    void* owner = nullptr;
    int floorRow = 0, roofRow = 0;
    bool heatingOn = true, coolingOn = true;
    double heatJ = 0.0, coolJ = 0.0;
    // Natural convection: five lanes from firstLane on, the surfaces in the reference's order (wall,
    // window, mass, floor, roof), rows 1–5; a surface without area or natural convection has a zero
    // area lane (no flow).
    int firstLane = 0;
    double floorConv[2] = {}, ceilingConv[2] = {};  // in the matrix: heat flowing down, up
};

class ZoneBatch {
public:
    static void run(const std::vector<ZoneModel*>& models, const SiteClimate& climate,
                    const std::vector<const ZoneSchedules*>& schedules, std::size_t warmupHours,
                    std::vector<ZoneResult>& results, const ZoneHoursSink* sink = nullptr);
    static constexpr int kLoadTargets = ZoneModel::LoadBlock::kTargets;
    static constexpr int kDayHours = ZoneModel::LoadBlock::kHours;
    static constexpr int kWindClasses = ZoneModel::kWindClasses;
    using InputBlock = ZoneModel::InputBlock;  // for ZoneLanes.cpp's helpers

private:
    static_assert(ZoneModel::kWindClasses * 4 == kModes);
    using LoadBlock = ZoneModel::LoadBlock;
    // One zone: its model and loads beside its stepping state.
    struct Zone {
        ZoneModel* model = nullptr;
        const ZoneSchedules* schedules = nullptr;
        StepState* state = nullptr;
        ZoneModel::LoadConstants loads;
        LoadBlock block;  // the loads of the current day (or part of it)
        int columnOfTarget[LoadBlock::kTargets] = {};
        bool distinctTargets = true;  // no two load targets on one node (elements without area share one)
        // Packed system: only the nodes the next step reads are state rows (those with heat capacity,
        // the air, the room-side surfaces), only the nodes that can have a nonzero right-hand side
        // are columns (heat capacity or a load); the star node and massless interfaces drop out.
        // Rows: the air (row 0) and the five room surfaces (rows 1–5) first, then node order; the
        // columns are the rows' nodes in the same order, then the other loaded nodes.
        int n = 0;
        std::vector<int> rowNode, columnNode;  // columnNode: -1 for padding
        std::vector<double> scratch;  // the full inverse of baseClass's "both down" matrix, n × n
        int baseClass = -1;
        std::vector<double> dayLoads;  // the block's hours: loads in column order (stride), drivers
    };
    static void setUp(Zone& z, StepState& s, ZoneModel& model, const ZoneSchedules* schedules,
                      const SiteClimate& climate);
    static const double* packInverse(void* zone, int mode);
    static void shermanMorrison(double* packed, const StepState& s, int surfaceRow, double g);
    static void exteriorWoodbury(const Zone& z, StepState& s, int windClass, double* packed);
    static void loadDay(Zone& z, const SiteClimate& climate, std::size_t hour);
    // Zones with one step per hour, eight side by side in the lanes of every vector (ZoneLanes.cpp);
    // false (nothing done) for zones with more state rows than it has steps for.
    // With a sink, the hours go to it a day at a time instead of into the results' arrays.
    static bool runLanes(std::vector<Zone>& zones, const SiteClimate& climate, std::size_t warmupHours,
                         std::vector<ZoneResult>& results, const ZoneHoursSink* sink);
};

}  // namespace ut::energy
