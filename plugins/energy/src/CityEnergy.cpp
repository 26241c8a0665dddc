#include "ut/energy/CityEnergy.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <string>
#include <thread>

#include "CityDaySums.h"

namespace ut::energy {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Central-region (중부) maximum U-values, W/(m²K), of the Korean building energy-saving design
// standard by revision; see docs/energy-archetypes.md for the sources and their caveats.
struct Period {
    int fromYear;
    const char* name;
    double uWall, uRoof, uFloor, uWindow, ach;
};
constexpr Period kPeriods[] = {
    {0, "before 1980 (no insulation rule)", 1.50, 1.20, 1.20, 5.0, 1.0},
    {1980, "1980 (first insulation rule)", 0.67, 0.58, 1.00, 3.8, 0.9},
    {1987, "1987 revision", 0.58, 0.41, 0.58, 3.8, 0.8},
    {2001, "2001 revision", 0.47, 0.29, 0.41, 3.4, 0.7},
    {2010, "2010 revision", 0.36, 0.20, 0.30, 2.4, 0.6},
    {2013, "2013 revision", 0.27, 0.18, 0.23, 2.1, 0.5},
    {2016, "2016 revision", 0.21, 0.15, 0.18, 1.5, 0.5},
    {2018, "2018 revision", 0.17, 0.15, 0.17, 1.2, 0.5},
};

// Occupancy by use: peak internal gains (people, lighting, equipment) while occupied, the share
// left outside those hours, and whether heating sets back to 15 °C and cooling stops then.
struct UseProfile {
    double peakWm2;
    int openHour, closeHour;  // occupied from openHour to closeHour (local time)
    bool weekends;            // occupied on Saturdays and Sundays too
    double unoccupiedFraction;
    bool setback;
};

UseProfile profileFor(UseClass use) {
    switch (use) {
        case UseClass::Residential:
            return {6.0, 0, 24, true, 1.0, false};  // hourly shape below
        case UseClass::Office:
            return {25.0, 8, 19, false, 0.1, true};
        case UseClass::Retail:
            return {30.0, 10, 22, true, 0.1, true};
        case UseClass::Education:
            return {20.0, 8, 17, false, 0.1, true};
        case UseClass::Health:
            return {20.0, 7, 20, true, 0.6, false};
        case UseClass::Industrial:
            return {15.0, 7, 19, false, 0.2, true};
        case UseClass::Warehouse:
            return {5.0, 7, 19, false, 0.2, true};
        case UseClass::Other:
            return {12.0, 9, 18, false, 0.1, true};
    }
    return {12.0, 9, 18, false, 0.1, true};
}

double gainsWm2For(UseClass use) {
    return profileFor(use).peakWm2;
}

}  // namespace

ZoneSchedules schedulesFor(UseClass use, double heatingSetpointC, double coolingSetpointC,
                           std::size_t hours) {
    // Residential: asleep, morning, out, evening (share of the peak).
    static constexpr double kResidential[24] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.6, 0.8, 0.8, 0.4, 0.4, 0.4,
                                                0.4, 0.4, 0.4, 0.4, 0.4, 0.6, 1.0, 1.0, 1.0, 1.0, 0.8, 0.6};
    const UseProfile p = profileFor(use);
    ZoneSchedules s;
    s.gainsFraction.resize(hours);
    s.heatingSetpointC.resize(hours);
    s.coolingSetpointC.resize(hours);
    for (std::size_t h = 0; h < hours; ++h) {
        const int hourOfDay = static_cast<int>(h % 24);
        const int weekday = static_cast<int>((3 + h / 24) % 7);  // 0 Monday … 6 Sunday
        const bool open = (p.weekends || weekday < 5) && hourOfDay >= p.openHour && hourOfDay < p.closeHour;
        s.gainsFraction[h] = use == UseClass::Residential ? kResidential[hourOfDay]
                             : open                       ? 1.0
                                                          : p.unoccupiedFraction;
        s.heatingSetpointC[h] = open || !p.setback ? heatingSetpointC : std::min(heatingSetpointC, 15.0);
        s.coolingSetpointC[h] = open || !p.setback ? coolingSetpointC : std::max(coolingSetpointC, 35.0);
    }
    return s;
}

namespace {

double wwrFor(UseClass use) {
    switch (use) {
        case UseClass::Residential:
            return 0.30;
        case UseClass::Office:
            return 0.45;
        case UseClass::Retail:
            return 0.40;
        case UseClass::Education:
            return 0.35;
        case UseClass::Health:
            return 0.35;
        case UseClass::Industrial:
            return 0.15;
        case UseClass::Warehouse:
            return 0.10;
        case UseClass::Other:
            return 0.30;
    }
    return 0.3;
}

bool attributeNumber(const AttributeList& attributes, const char* key, double& value) {
    for (const auto& [k, v] : attributes) {
        if (k != key) continue;
        try {
            std::size_t used = 0;
            const double parsed = std::stod(v, &used);
            if (used == 0 || !std::isfinite(parsed)) return false;
            value = parsed;
            return true;
        } catch (...) {
            return false;
        }
    }
    return false;
}

// An insulated concrete construction reaching uTarget (films included): concrete mass layer on the
// room side of the wall (Korean apartments insulate inside, but the mass of the intermediate floors
// dominates) or under the roof insulation.
Construction insulatedConcrete(double uTarget, double concreteM, double filmsM2KW, bool massInside) {
    const Layer concrete{concreteM, 1.6, 2300.0, 880.0};
    const double rConcrete = concreteM / concrete.conductivityWmK;
    const double rInsulation = std::max(0.01, 1.0 / std::max(uTarget, 0.05) - filmsM2KW - rConcrete);
    const Layer insulation{rInsulation * 0.035, 0.035, 0.0, 0.0};  // its heat capacity is negligible
    Construction c;
    c.layers =
        massInside ? std::vector<Layer>{insulation, concrete} : std::vector<Layer>{concrete, insulation};
    return c;
}

}  // namespace

BuildingEnergyInputs archetypeInputs(UseClass use, int yearBuilt, const AttributeList& attributes,
                                     const CityEnergyParameters& parameters) {
    BuildingEnergyInputs in;
    const int year = yearBuilt > 0 ? yearBuilt : 1995;  // unknown: the 1990s stock, the largest cohort
    const Period* period = &kPeriods[0];
    for (const Period& p : kPeriods) {
        if (year >= p.fromYear) period = &p;
    }
    in.period = period->name;
    in.uWall = period->uWall;
    in.uRoof = period->uRoof;
    in.uFloor = period->uFloor;
    in.uWindow = period->uWindow;
    in.gWindow = in.uWindow >= 4.5 ? 0.85 : 0.65;
    in.infiltrationAch = period->ach;
    in.gainsWm2 = gainsWm2For(use);
    in.wwr = wwrFor(use);
    in.heatingSetpointC = parameters.heatingSetpointC;
    in.coolingSetpointC = parameters.coolingSetpointC;
    attributeNumber(attributes, "u_wall", in.uWall);
    attributeNumber(attributes, "u_roof", in.uRoof);
    attributeNumber(attributes, "u_floor", in.uFloor);
    attributeNumber(attributes, "u_window", in.uWindow);
    attributeNumber(attributes, "g_window", in.gWindow);
    attributeNumber(attributes, "wwr", in.wwr);
    attributeNumber(attributes, "infiltration_ach", in.infiltrationAch);
    attributeNumber(attributes, "internal_gains_w_m2", in.gainsWm2);
    attributeNumber(attributes, "heating_setpoint_c", in.heatingSetpointC);
    attributeNumber(attributes, "cooling_setpoint_c", in.coolingSetpointC);
    in.wwr = std::clamp(in.wwr, 0.0, 0.95);
    return in;
}

ZoneDescription buildingZone(const BuildingTable& buildings, std::size_t i,
                             const BuildingEnergyInputs& inputs, double siteElevationM,
                             double groundTemperatureC, double storeyHeightM) {
    ZoneDescription z;
    // Storeys from a floor-count attribute where there is one (a scenario may have changed it), else
    // from the height. Without a measured height, the storeys also set the height.
    double levels = 0.0;
    for (const char* key : {"building:levels", "levels", "GRND_FLR", "floors"}) {
        if (attributeNumber(buildings.attributes(i), key, levels) && levels >= 1.0) break;
        levels = 0.0;
    }
    double heightM = std::max(buildings.heightM(i) - buildings.minHeightM(i), 2.5);
    if (levels >= 1.0 && buildings.heightSource(i) != HeightSource::Attribute)
        heightM = levels * storeyHeightM;
    const double footprintM2 = std::max(buildings.footprintAreaM2(i), 1.0);
    const int floors = levels >= 1.0 ? static_cast<int>(std::lround(levels))
                                     : std::max(1, static_cast<int>(std::lround(heightM / storeyHeightM)));
    z.floorAreaM2 = footprintM2 * floors;
    z.volumeM3 = footprintM2 * heightM;
    z.elevationM = siteElevationM;
    z.surfaceHeightM = std::max(1.0, heightM / 2.0);
    // Facades from the footprint's edges (outer rings counter-clockwise, holes clockwise: the
    // outward normal of edge (dx, dy) is (dy, -dx) for both).
    std::vector<Facade> bins(static_cast<std::size_t>(SiteClimate::kOrientationBins));
    for (int b = 0; b < SiteClimate::kOrientationBins; ++b)
        bins[static_cast<std::size_t>(b)].azimuthDeg = SiteClimate::azimuthOfBin(b);
    for (std::uint32_t r = buildings.ringBegin(i); r < buildings.ringEnd(i); ++r) {
        const auto ring = buildings.ring(r);
        for (std::size_t v = 0; v < ring.size(); ++v) {
            const Eigen::Vector2d d = ring[(v + 1) % ring.size()] - ring[v];
            const double length = d.norm();
            if (length < 1e-6) continue;
            const double azimuth = std::atan2(d.y(), -d.x()) * 180.0 / 3.14159265358979323846;
            Facade& f = bins[static_cast<std::size_t>(SiteClimate::binOf(azimuth))];
            const double area = length * heightM;
            f.windowAreaM2 += area * inputs.wwr;
            f.wallAreaM2 += area * (1.0 - inputs.wwr);
        }
    }
    for (const Facade& f : bins) {
        if (f.wallAreaM2 + f.windowAreaM2 > 0) z.facades.push_back(f);
    }
    const double filmsWall = 0.13 + 0.04, filmsRoof = 0.10 + 0.04, filmsFloor = 0.17;
    z.wall = insulatedConcrete(inputs.uWall, 0.18, filmsWall, true);
    z.roofAreaM2 = footprintM2;
    z.roof = insulatedConcrete(inputs.uRoof, 0.15, filmsRoof, false);
    z.groundFloorAreaM2 = footprintM2;
    z.groundFloor = insulatedConcrete(inputs.uFloor, 0.15, filmsFloor, true);
    z.groundFloorBoundary = OuterBoundary::Ground;
    z.groundTemperatureC = groundTemperatureC;
    z.internalMassAreaM2 = 2.0 * footprintM2 * (floors - 1);
    z.internalMass.layers = {Layer{0.10, 1.6, 2300.0, 880.0}};  // half of a 0.2 m slab per face
    // Window: clear double glazing (g ≈ 0.78 at normal incidence) scaled to g; the glass-to-glass
    // resistance gives the U-value with nominal films (interior 7.7, exterior 25 W/m²K).
    z.window.solarFactorScale = inputs.gWindow / 0.78;
    z.window.gapResistanceM2KW =
        std::max(0.005, 1.0 / std::max(inputs.uWindow, 0.3) - 1.0 / 7.7 - 1.0 / 25.0);
    z.infiltrationAch = inputs.infiltrationAch;
    z.internalGainsW = inputs.gainsWm2 * z.floorAreaM2;
    z.radiativeFraction = 0.5;
    z.heatingSetpointC = inputs.heatingSetpointC;
    z.coolingSetpointC = inputs.coolingSetpointC;
    // Checked: 4 substeps change the demo district totals by < 0.1 %.
    z.substepsPerHour = kCitySubstepsPerHour;
    z.coefficients.interiorNaturalConvection = true;
    z.maxSliceM = kCityMaxSliceM;
    return z;
}

CityEnergyResult simulateCity(const BuildingTable& buildings, const SiteClimate& climate,
                              double siteElevationM, const CityEnergyParameters& parameters,
                              const std::vector<double>& pvAcWPerKwDc,
                              const std::function<bool()>& canceled,
                              const std::function<void(double)>& progress) {
    const std::size_t n = buildings.size();
    const std::size_t hours = climate.hours();
    CityEnergyResult out;
    out.buildings = n;
    out.days = hours / 24;
    out.heatingKWh.assign(n, kNaN);
    out.coolingKWh.assign(n, kNaN);
    out.peakHeatingKW.assign(n, kNaN);
    out.peakCoolingKW.assign(n, kNaN);
    out.floorAreaM2.assign(n, kNaN);
    out.pvKwDc.assign(n, kNaN);
    out.pvKWh.assign(n, kNaN);
    out.electricityKWh.assign(n, kNaN);
    out.selfSufficiency.assign(n, kNaN);
    const bool withPv = pvAcWPerKwDc.size() >= hours;
    {
        // The daily fields are days × buildings (1.2 GB for 100,000 buildings): filled on two threads.
        // An allocation failure on either thread reaches the caller as it did on one.
        std::exception_ptr failed;
        auto firstHalf = [&] {
            try {
                out.dailyPvKWh.assign(out.days * n, kNaN);
                out.dailyHeatingKWh.assign(out.days * n, kNaN);
            } catch (...) {
                failed = std::current_exception();
            }
        };
        std::thread second;
        if (parameters.threads > 1) {
            second = std::thread(firstHalf);
        } else {
            firstHalf();
        }
        try {
            out.dailyCoolingKWh.assign(out.days * n, kNaN);
            out.dailyIndoorC.assign(out.days * n, kNaN);
        } catch (...) {
            if (second.joinable()) second.join();
            throw;
        }
        if (second.joinable()) second.join();
        if (failed) std::rethrow_exception(failed);
    }
    double meanOutdoorC = 0.0;
    for (double t : climate.dryBulbC) meanOutdoorC += t;
    meanOutdoorC /= std::max<std::size_t>(1, hours);

    const ZoneSchedules noSchedules;
    std::vector<ZoneSchedules> useSchedules;
    for (int u = 0; u <= static_cast<int>(UseClass::Other); ++u) {
        useSchedules.push_back(schedulesFor(static_cast<UseClass>(u), parameters.heatingSetpointC,
                                            parameters.coolingSetpointC, hours));
    }
    // Work goes out in units of consecutive buildings, a fixed number of them whatever the thread
    // count; each unit keeps its own district sums, added in unit order at the end, so the result
    // does not depend on the threads. Within a unit, zones run in batches of kBatch (ZoneBatch.cpp).
    constexpr std::size_t kUnits = 64, kBatch = 16;
    const std::size_t unitSize = std::max<std::size_t>(8, (n + kUnits - 1) / kUnits);
    const std::size_t units = (n + unitSize - 1) / unitSize;
    struct DistrictSums {
        std::vector<double> heat, cool, pv, elec;
    };
    std::vector<DistrictSums> unitSums(units);
    std::atomic<std::size_t> nextUnit{0}, unitsDone{0};
    std::atomic<bool> stop{false};

    struct Pending {
        std::size_t row;
        ZoneDescription zone;
        const ZoneSchedules* schedules;
        ZoneSchedules own;
    };
    auto pvKwDcOf = [&](const ZoneDescription& zone) {
        return withPv ? zone.roofAreaM2 * parameters.pvRoofCoverage * parameters.pvModuleKwPerM2 : 0.0;
    };
    // A building's year of PV, electricity and self-consumption, summed day by day by the sink.
    struct YearSums {
        double pvKWh = 0.0, elecKWh = 0.0, selfKWh = 0.0;
    };
    // The hours of buildings that stepped side by side, a day of eight at a time (ZoneHours).
    auto sumDays = [&](const ZoneHours& day, const std::vector<Pending>& batch, DistrictSums& sums,
                       std::vector<YearSums>& years) {
        BuildingDays b;
        b.electricPerCoolingW = static_cast<float>(1.0 / 1000.0 / parameters.coolingCop);
        b.pvAcWPerKwDc = withPv ? pvAcWPerKwDc.data() : nullptr;
        b.districtHeatKw = sums.heat.data();
        b.districtCoolKw = sums.cool.data();
        b.districtPvKw = sums.pv.data();
        b.districtElecKw = sums.elec.data();
        for (int l = 0; l < day.zones; ++l) {
            const Pending& p = batch[static_cast<std::size_t>(day.zoneIndex[l])];
            b.kwDc[l] = static_cast<float>(pvKwDcOf(p.zone));
            b.electricPerGainsW[l] = static_cast<float>(parameters.electricShareOfGains / 1000.0);
        }
        const DaySums s = sumDay(day, b);
        const std::size_t d = day.firstHour / 24;
        for (int l = 0; l < day.zones; ++l) {
            const auto zone = static_cast<std::size_t>(day.zoneIndex[l]);
            YearSums& year = years[zone];
            year.pvKWh += s.pvKWh[l];
            year.elecKWh += s.elecKWh[l];
            year.selfKWh += s.selfKWh[l];
            if (d >= out.days) continue;
            const std::size_t at = d * n + batch[zone].row;
            out.dailyHeatingKWh[at] = s.heatWh[l] / 1000.0;
            out.dailyCoolingKWh[at] = s.coolWh[l] / 1000.0;
            out.dailyIndoorC[at] = s.tempSum[l] / 24.0;
            if (withPv) out.dailyPvKWh[at] = s.pvKWh[l];
        }
    };
    // A building's annual figures; for one whose hours are in its result's arrays (the reference
    // kernel, or a zone the stepper side by side does not take), also its daily, district and PV sums.
    auto finish = [&](const Pending& p, const ZoneResult& r, DistrictSums& sums, const YearSums& summedByDays) {
        const std::size_t i = p.row;
        const ZoneDescription& zone = p.zone;
        const ZoneSchedules* schedules = p.schedules;
        out.heatingKWh[i] = r.heatingKWh;
        out.coolingKWh[i] = r.coolingKWh;
        out.peakHeatingKW[i] = r.peakHeatingW / 1000.0;
        out.peakCoolingKW[i] = r.peakCoolingW / 1000.0;
        out.floorAreaM2[i] = zone.floorAreaM2;
        const double kwDc = pvKwDcOf(zone);
        if (r.heatingW.empty()) {  // the sink had the hours
            out.pvKwDc[i] = kwDc;
            out.pvKWh[i] = summedByDays.pvKWh;
            out.electricityKWh[i] = summedByDays.elecKWh;
            out.selfSufficiency[i] = summedByDays.elecKWh > 0 ? summedByDays.selfKWh / summedByDays.elecKWh : 0.0;
            return;
        }
        const double baseElectricKw = zone.internalGainsW * parameters.electricShareOfGains / 1000.0;
        const double* heatingW = r.heatingW.data();
        const double* coolingW = r.coolingW.data();
        const double* airTempC = r.airTempC.data();
        const double* gainsFraction =
            schedules->gainsFraction.empty() ? nullptr : schedules->gainsFraction.data();
        double* sumHeat = sums.heat.data();
        double* sumCool = sums.cool.data();
        double* sumPv = sums.pv.data();
        double* sumElec = sums.elec.data();
        const double coolingCop = parameters.coolingCop;
        // Element by element over the year first (these loops vectorise), then the running sums in
        // hour order (they do not, and keep their order).
        thread_local std::vector<double> pvBuffer, elecBuffer;
        pvBuffer.resize(hours);
        elecBuffer.resize(hours);
        double* pvKw = pvBuffer.data();
        double* elecKw = elecBuffer.data();
        for (std::size_t hh = 0; hh < hours; ++hh) {
            sumHeat[hh] += heatingW[hh] / 1000.0;
            sumCool[hh] += coolingW[hh] / 1000.0;
        }
        if (withPv) {
            for (std::size_t hh = 0; hh < hours; ++hh) pvKw[hh] = kwDc * pvAcWPerKwDc[hh] / 1000.0;
        } else {
            std::fill(pvKw, pvKw + hours, 0.0);
        }
        if (gainsFraction) {
            for (std::size_t hh = 0; hh < hours; ++hh)
                elecKw[hh] = baseElectricKw * gainsFraction[hh] + coolingW[hh] / 1000.0 / coolingCop;
        } else {
            for (std::size_t hh = 0; hh < hours; ++hh)
                elecKw[hh] = baseElectricKw + coolingW[hh] / 1000.0 / coolingCop;
        }
        for (std::size_t hh = 0; hh < hours; ++hh) {
            sumPv[hh] += pvKw[hh];
            sumElec[hh] += elecKw[hh];
        }
        double pvKWh = 0.0, elecKWh = 0.0, selfKWh = 0.0;
        // Day by day (and the hours after the last whole day): each day's sums over its hours, then the
        // year's as the sum of the days (short, independent chains of additions).
        for (std::size_t d = 0; d * 24 < hours; ++d) {
            const std::size_t first = d * 24, last = std::min(hours, first + 24);
            double heat = 0, cool = 0, temp = 0, pvDay = 0.0, elecDay = 0.0, selfDay = 0.0;
            for (std::size_t hh = first; hh < last; ++hh) {
                heat += heatingW[hh];
                cool += coolingW[hh];
                temp += airTempC[hh];
                pvDay += pvKw[hh];
                elecDay += elecKw[hh];
                selfDay += std::min(pvKw[hh], elecKw[hh]);
            }
            pvKWh += pvDay;
            elecKWh += elecDay;
            selfKWh += selfDay;
            if (d >= out.days) continue;
            out.dailyHeatingKWh[d * n + i] = heat / 1000.0;
            out.dailyCoolingKWh[d * n + i] = cool / 1000.0;
            out.dailyIndoorC[d * n + i] = temp / 24.0;
            if (withPv) out.dailyPvKWh[d * n + i] = pvDay;
        }
        out.pvKwDc[i] = kwDc;
        out.pvKWh[i] = pvKWh;
        out.electricityKWh[i] = elecKWh;
        out.selfSufficiency[i] = elecKWh > 0 ? selfKWh / elecKWh : 0.0;
    };
    auto worker = [&]() {
        std::vector<Pending> batch;
        std::vector<ZoneModel> models;
        std::vector<const ZoneSchedules*> batchSchedules;
        std::vector<ZoneResult> results;
        std::vector<YearSums> years;
        const std::size_t warmup = parameters.referenceZone ? 720 : 168;
        while (!stop) {
            const std::size_t unit = nextUnit.fetch_add(1);
            if (unit >= units) return;
            DistrictSums& sums = unitSums[unit];
            sums.heat.assign(hours, 0.0);
            sums.cool.assign(hours, 0.0);
            sums.pv.assign(hours, 0.0);
            sums.elec.assign(hours, 0.0);
            const std::size_t end = std::min(n, (unit + 1) * unitSize);
            for (std::size_t i = unit * unitSize; i < end;) {
                batch.clear();
                for (; i < end && batch.size() < kBatch; ++i) {
                    if (buildings.hasParts(i)) continue;
                    const BuildingEnergyInputs inputs = archetypeInputs(
                        buildings.useClass(i), buildings.yearBuilt(i), buildings.attributes(i), parameters);
                    Pending p{i,
                              parameters.referenceZone ? *parameters.referenceZone
                                                       : buildingZone(buildings, i, inputs, siteElevationM,
                                                                      meanOutdoorC, parameters.storeyHeightM),
                              &noSchedules,
                              {}};
                    p.zone.kernel = parameters.kernel;
                    if (!parameters.referenceZone) {
                        const bool ownSetpoints = inputs.heatingSetpointC != parameters.heatingSetpointC ||
                                                  inputs.coolingSetpointC != parameters.coolingSetpointC;
                        if (ownSetpoints) {
                            p.own = schedulesFor(buildings.useClass(i), inputs.heatingSetpointC,
                                                 inputs.coolingSetpointC, hours);
                            p.schedules = nullptr;  // set to &own once the batch stops moving
                        } else {
                            p.schedules = &useSchedules[static_cast<std::size_t>(buildings.useClass(i))];
                        }
                    }
                    batch.push_back(std::move(p));
                }
                if (batch.empty()) continue;
                if (canceled && canceled()) {
                    stop = true;
                    return;
                }
                models.clear();
                batchSchedules.clear();
                for (Pending& p : batch) {
                    if (!p.schedules) p.schedules = &p.own;
                    models.emplace_back(p.zone);
                    batchSchedules.push_back(p.schedules);
                }
                years.assign(batch.size(), YearSums{});
                if (parameters.kernel == ZoneKernel::Fast) {
                    const ZoneHoursSink sink = [&](const ZoneHours& day) { sumDays(day, batch, sums, years); };
                    ZoneModel::simulateBatch(models, climate, batchSchedules, warmup, results, &sink);
                } else {
                    results.clear();
                    for (std::size_t b = 0; b < models.size(); ++b)
                        results.push_back(models[b].simulate(climate, *batchSchedules[b], warmup));
                }
                for (std::size_t b = 0; b < batch.size(); ++b) finish(batch[b], results[b], sums, years[b]);
            }
            const std::size_t done = unitsDone.fetch_add(1) + 1;
            if (progress) progress(static_cast<double>(done) / static_cast<double>(units));
        }
    };
    const int threadCount = std::max(1, parameters.threads);
    std::vector<std::thread> pool;
    for (int t = 1; t < threadCount; ++t) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
    out.districtHeatingKW.assign(hours, 0.0);
    out.districtCoolingKW.assign(hours, 0.0);
    out.districtPvKW.assign(hours, 0.0);
    out.districtElectricityKW.assign(hours, 0.0);
    for (const DistrictSums& sums : unitSums) {
        if (sums.heat.empty()) continue;  // canceled before this unit
        for (std::size_t hh = 0; hh < hours; ++hh) {
            out.districtPvKW[hh] += sums.pv[hh];
            out.districtElectricityKW[hh] += sums.elec[hh];
            out.districtHeatingKW[hh] += sums.heat[hh];
            out.districtCoolingKW[hh] += sums.cool[hh];
        }
    }
    return out;
}

double CityEnergyResult::districtSelfSufficiency() const {
    double own = 0.0, total = 0.0;
    for (std::size_t h = 0; h < districtElectricityKW.size(); ++h) {
        own += std::min(districtPvKW[h], districtElectricityKW[h]);
        total += districtElectricityKW[h];
    }
    return total > 0 ? own / total : 0.0;
}

}  // namespace ut::energy
