#include <QtTest>
#include <cmath>
#include <limits>
#include <mutex>

#include "TestSupport.h"
#include "ut/energy/Bestest.h"
#include "ut/energy/CityEnergy.h"
#include "ut/energy/Climate.h"
#include "ut/energy/Glazing.h"
#include "ut/energy/PvWatts.h"
#include "ut/energy/Solar.h"
#include "ut/energy/ZoneModel.h"
#include "ut/geodata/VectorLoader.h"
#include "ut/sim/EpwReader.h"
#include "ut/sim/PluginRegistry.h"
#include "ut/sim/SimulationRunner.h"

using namespace ut;
using namespace ut::energy;

namespace {
// The city's zones step in single precision (ZoneLanes.cpp): their largest gaps to the double-precision
// reference allowed here, ten times or more what the tests measure (docs/VALIDATION.md).
constexpr double kSingleAnnual = 2e-5;  // annual and peak figures, relative
constexpr double kSingleDaily = 1e-3;   // daily or hourly energy, relative to at least 1 kWh or 1 kW
constexpr double kSingleKelvin = 1e-4;  // temperatures, K
constexpr double kSingleHourly = 1e-5;  // hourly heating or cooling, relative to the year's peak

const sim::WeatherSeries& denver() {
    static const sim::WeatherSeries weather = [] {
        auto w = sim::readEpw(
            test::sourcePath(QStringLiteral("validation/bestest/725650TYCST.epw")).toStdString());
        if (!w) qFatal("%s", w.error().c_str());
        return w.value();
    }();
    return weather;
}

// A climate with constant outdoor and sky temperature, no sun and no wind.
SiteClimate constantClimate(double outdoorC, std::size_t hours) {
    SiteClimate c;
    c.dryBulbC.assign(hours, outdoorC);
    c.skyTemperatureC.assign(hours, outdoorC);
    c.windSpeedMs.assign(hours, 0.0);
    c.horizontalTotalWm2.assign(hours, 0.0);
    const auto bins = static_cast<std::size_t>(SiteClimate::kOrientationBins);
    c.verticalBeamWm2.assign(bins, std::vector<double>(hours, 0.0));
    c.verticalDiffuseWm2.assign(bins, std::vector<double>(hours, 0.0));
    c.verticalCosIncidence.assign(bins, std::vector<double>(hours, 0.0));
    return c;
}

// ASHRAE 140-2020 acceptance ranges as given in issue 6, MWh/yr.
struct Range {
    double lo, hi;
};
void verifyInRange(const QByteArray& what, double valueMWh, Range r) {
    qInfo("%s: %.3f MWh (range %.3f … %.3f)", what.constData(), valueMWh, r.lo, r.hi);
    QVERIFY2(valueMWh >= r.lo && valueMWh <= r.hi,
             qPrintable(
                 QStringLiteral("%1 = %2 MWh outside %3 … %4").arg(what).arg(valueMWh).arg(r.lo).arg(r.hi)));
}
}  // namespace

class EnergyTest : public QObject {
    Q_OBJECT
private slots:
    // Reda & Andreas (2004), NREL/TP-560-34302, the SPA example: 17 October 2003, 12:30:30 MST
    // (UTC−7), 39.742476 N, 105.1786 W → topocentric zenith 50.11162°, azimuth 194.34024°. The
    // published zenith includes about 0.016° of refraction, which this model leaves out.
    void sunPositionMatchesSpaExample() {
        const SunPosition sun = sunPosition(2003, 290, 12.5 + 30.0 / 3600.0, 39.742476, -105.1786, -7.0);
        QVERIFY2(std::abs(sun.zenithDeg - 50.11162) < 0.03,
                 qPrintable(QString::number(sun.zenithDeg, 'f', 5)));
        QVERIFY2(std::abs(sun.azimuthDeg - 194.34024) < 0.03,
                 qPrintable(QString::number(sun.azimuthDeg, 'f', 5)));
    }

    // On a horizontal plane the Perez model must give back beam·cos z + diffuse (its horizon band
    // vanishes and the circumsolar term reduces to the isotropic one).
    void perezOnHorizontalGivesGlobal() {
        const SunPosition sun{40.0, 170.0};
        HorizontalIrradiance h;
        h.directNormalWm2 = 700.0;
        h.diffuseWm2 = 120.0;
        h.globalWm2 = 700.0 * std::cos(40.0 * M_PI / 180.0) + 120.0;
        const PlaneIrradiance p = perezPlaneIrradiance(0.0, 180.0, sun, h);
        QVERIFY(std::abs(p.totalWm2() - h.globalWm2) < 1e-6);
        // A vertical south plane sees ground reflection albedo·GHI/2.
        const PlaneIrradiance v = perezPlaneIrradiance(90.0, 180.0, sun, h);
        QVERIFY(std::abs(v.groundWm2 - 0.2 * h.globalWm2 / 2.0) < 1e-9);
        QVERIFY(v.beamWm2 > 0.0);
    }

    // Two identical panes: τ = τ₁²/(1 − ρ₁²) at normal incidence (hand calculation with the
    // BESTEST pane, τ₁ = 0.86156, ρ₁ = 0.07846).
    // Wind the EPW marks missing (999) or that is not a number counts as calm; the rest passes as it is.
    void siteClimateCleansTheWind() {
        sim::WeatherSeries weather = denver();
        weather.windSpeedMs[0] = 999.0;
        weather.windSpeedMs[1] = std::numeric_limits<double>::infinity();
        weather.windSpeedMs[2] = std::numeric_limits<double>::quiet_NaN();
        weather.windSpeedMs[3] = -1.0;
        weather.windSpeedMs[4] = 21.5;
        const SiteClimate climate = buildSiteClimate(weather, 2026, 0.2);
        QCOMPARE(climate.windSpeedMs[0], 0.0);
        QCOMPARE(climate.windSpeedMs[1], 0.0);
        QCOMPARE(climate.windSpeedMs[2], 0.0);
        QCOMPARE(climate.windSpeedMs[3], 0.0);
        QCOMPARE(climate.windSpeedMs[4], 21.5);
        QCOMPARE(climate.windSpeedMs[5], denver().windSpeedMs[5]);
    }

    void doubleGlazingAtNormalIncidence() {
        const Glazing single(1, 0.86156, 0.07846);
        QVERIFY(std::abs(single.atIncidence(1.0).transmittance - 0.86156) < 1e-4);
        QVERIFY(std::abs(single.atIncidence(1.0).reflectance - 0.07846) < 1e-4);
        const Glazing pair(2, 0.86156, 0.07846);
        const double expected = 0.86156 * 0.86156 / (1.0 - 0.07846 * 0.07846);
        QVERIFY(std::abs(pair.atIncidence(1.0).transmittance - expected) < 1e-4);
        QVERIFY(pair.atIncidence(0.2).transmittance < pair.atIncidence(0.9).transmittance);
    }

    // No sun, no gains, constant outdoor temperature: the heating settles at UA·ΔT, with UA from
    // the series resistances (interior convection, layers, exterior convection + long-wave) of a
    // box whose surfaces all share one construction and one film, plus the infiltration.
    void steadyStateHeatingIsUaTimesDeltaT() {
        ZoneDescription z;
        z.facades = {{0.0, 30.0, 0.0}, {90.0, 20.0, 0.0}, {180.0, 30.0, 0.0}, {270.0, 20.0, 0.0}};
        z.wall.layers = {Layer{0.15, 1.6, 2300.0, 880.0}, Layer{0.08, 0.035, 30.0, 1400.0}};
        z.roof = z.wall;
        z.roofAreaM2 = 60.0;
        z.groundFloorAreaM2 = 0.0;
        z.volumeM3 = 180.0;
        z.internalGainsW = 0.0;
        z.infiltrationAch = 0.5;
        z.coolingOn = false;
        auto& h = z.coefficients;
        h.interiorNaturalConvection = false;  // fixed films, as the hand calculation
        h.interiorCeilingConvUp = h.interiorCeilingConvDown = h.interiorWallConv;
        const double rSeries = 1.0 / h.interiorWallConv + 0.15 / 1.6 + 0.08 / 0.035 +
                               1.0 / (h.exteriorConvA + h.exteriorRadiativePerEmissivity * 0.9);
        const double rhoCp = 101325.0 / (287.055 * 293.15) * 1006.0;
        const double uaHand = (100.0 + 60.0) / rSeries + rhoCp * 0.5 * 180.0 / 3600.0;
        ZoneModel model(z);
        const ZoneResult r = model.simulate(constantClimate(0.0, 24 * 60), {}, 0);
        QVERIFY2(std::abs(r.heatingW.back() - uaHand * 20.0) < 1e-3 * uaHand * 20.0,
                 qPrintable(
                     QStringLiteral("%1 W against UA·ΔT = %2 W").arg(r.heatingW.back()).arg(uaHand * 20.0)));
        QVERIFY(std::abs(model.steadyStateUaWK() - uaHand) < 1e-3 * uaHand);
        // Free floating with convective gains G: T_air − T_out = G / UA.
        z.heatingOn = false;
        z.internalGainsW = 500.0;
        z.radiativeFraction = 0.0;
        ZoneModel floating(z);
        const ZoneResult f = floating.simulate(constantClimate(5.0, 24 * 60), {}, 0);
        QVERIFY(std::abs(f.airTempC.back() - (5.0 + 500.0 / uaHand)) < 1e-3);
    }

    // ASHRAE Standard 140-2020, Section 5.2, cases 600 and 900 with 725650TYCST.epw. Ranges from
    // issue 6; the example results of the six reference programs are in docs/VALIDATION.md.
    void bestest600() {
        const SiteClimate climate =
            buildSiteClimate(denver(), 2026, 0.2);  // the standard's ground reflectance
        ZoneModel model(bestestCase600(denver().station.elevationM));
        const ZoneResult r = model.simulate(climate);
        qInfo("600 peaks: heating %.3f kW, cooling %.3f kW", r.peakHeatingW / 1000.0,
              r.peakCoolingW / 1000.0);
        verifyInRange("600 heating", r.heatingKWh / 1000.0, {3.75, 4.98});
        verifyInRange("600 cooling", r.coolingKWh / 1000.0, {5.00, 6.83});
    }

    void bestest900() {
        const SiteClimate climate =
            buildSiteClimate(denver(), 2026, 0.2);  // the standard's ground reflectance
        ZoneModel model(bestestCase900(denver().station.elevationM));
        const ZoneResult r = model.simulate(climate);
        qInfo("900 peaks: heating %.3f kW, cooling %.3f kW", r.peakHeatingW / 1000.0,
              r.peakCoolingW / 1000.0);
        verifyInRange("900 heating", r.heatingKWh / 1000.0, {1.04, 2.28});
        verifyInRange("900 cooling", r.coolingKWh / 1000.0, {2.35, 2.60});
    }

    // The city's zones step once an hour with massive layers in slices of up to 18 cm
    // (kCitySubstepsPerHour, kCityMaxSliceM): cases 600 and 900 with those settings must stay inside
    // the acceptance ranges too (docs/VALIDATION.md has the numbers beside the fine settings').
    void bestestWithCityNumerics() {
        const SiteClimate climate = buildSiteClimate(denver(), 2026, 0.2);
        for (int caseNumber : {600, 900}) {
            BestestCase c;
            QVERIFY(bestestCase(caseNumber, denver().station.elevationM, c));
            c.zone.substepsPerHour = kCitySubstepsPerHour;
            c.zone.maxSliceM = kCityMaxSliceM;
            const ZoneResult r = ZoneModel(c.zone).simulate(climate, c.schedules);
            const QByteArray name = QByteArray::number(caseNumber) + " (city numerics)";
            const bool light = caseNumber == 600;
            verifyInRange(name + " heating", r.heatingKWh / 1000.0,
                          light ? Range{3.75, 4.98} : Range{1.04, 2.28});
            verifyInRange(name + " cooling", r.coolingKWh / 1000.0,
                          light ? Range{5.00, 6.83} : Range{2.35, 2.60});
        }
        // The other cases with the city's numerics, for docs/VALIDATION.md (their ranges are checked at
        // the fine settings in bestestMoreCases).
        for (int caseNumber : {620, 640, 650, 685, 920, 940, 950, 985}) {
            BestestCase c;
            QVERIFY(bestestCase(caseNumber, denver().station.elevationM, c));
            c.zone.substepsPerHour = kCitySubstepsPerHour;
            c.zone.maxSliceM = kCityMaxSliceM;
            const ZoneResult r = ZoneModel(c.zone).simulate(climate, c.schedules);
            QVERIFY(r.heatingKWh >= 0.0 && r.coolingKWh > 0.0);
            qInfo("%d (city numerics): heating %.3f MWh, cooling %.3f MWh", caseNumber, r.heatingKWh / 1000.0,
                  r.coolingKWh / 1000.0);
        }
    }

    // PVWatts v5 DC/AC chain against hand-computed hours (Dobos 2014, eqs. for DC with γ and the
    // inverter curve): 4 kWdc, DC/AC 1.2, η_nom 0.96, losses 14.08 %, γ = −0.47 %/K.
    void pvWattsChainMatchesHandComputedHours() {
        PvSystem system;
        system.dcKw = 4.0;
        // 800 W/m², cell 45 °C: P_dc = 0.8·4000·(1 − 0.0047·20)·(1 − 0.1408) = 2490.99 W;
        // ζ = 2490.99 / (3333.33 / 0.96) = 0.717406; η = 0.96/0.9637·(−0.0162ζ − 0.0059/ζ + 0.9858)
        // = 0.962245; P_ac = 2396.95 W.
        const PvPower p = pvWattsPower(system, 800.0, 45.0);
        QVERIFY(std::abs(p.dcW - 2490.99) < 0.01);
        QVERIFY(std::abs(p.acW - 2396.95) < 0.01);
        // 1100 W/m², cell 35 °C: P_dc = 3602.80 W, above the 3333.33 W AC rating → clipped.
        const PvPower clipped = pvWattsPower(system, 1100.0, 35.0);
        QVERIFY(std::abs(clipped.dcW - 3602.80) < 0.01);
        QVERIFY(std::abs(clipped.acW - 4000.0 / 1.2) < 1e-9);
        QCOMPARE(pvWattsPower(system, 0.0, 20.0).acW, 0.0);
        // Cover: no loss at normal incidence, none at all at grazing incidence.
        QVERIFY(std::abs(pvCoverTransmittanceRatio(0.0) - 1.0) < 1e-12);
        QVERIFY(pvCoverTransmittanceRatio(60.0) > 0.9 && pvCoverTransmittanceRatio(85.0) < 0.5);
    }

    // Sanity band of issue 6 for Korean yields, 1,150–1,400 kWh/kWp/yr, with the Gwangju typical
    // year (GHI ≈ 1,411 kWh/m²) and a south-facing 30° array.
    void pvYieldInKoreanBand() {
        auto gwangju = sim::readEpw(
            QStringLiteral("/work/shared/data/weather/KOR_Kwangju.471560_IWEC.epw").toStdString());
        if (!gwangju) QSKIP("the Gwangju weather file is not available on this machine");
        PvSystem system;
        system.tiltDeg = 30.0;
        double kWh = 0.0;
        for (double w : pvWattsHourlyAcW(system, gwangju.value())) kWh += w / 1000.0;
        qInfo("Gwangju PV yield: %.0f kWh/kWp", kWh);
        QVERIFY2(kWh > 1150.0 && kWh < 1400.0, qPrintable(QString::number(kWh)));
    }

    // More ASHRAE 140-2020 cases against the spread (min – max) of the six reference programs'
    // example results (Annex B8, Tables B8-1/B8-2; docs/VALIDATION.md).
    void bestestMoreCases_data() {
        QTest::addColumn<int>("caseNumber");
        QTest::addColumn<double>("heatLo");
        QTest::addColumn<double>("heatHi");
        QTest::addColumn<double>("coolLo");
        QTest::addColumn<double>("coolHi");
        QTest::newRow("620") << 620 << 4.0936 << 4.7190 << 3.8407 << 4.4040;
        QTest::newRow("640") << 640 << 2.4032 << 2.6820 << 5.2370 << 5.8926;
        QTest::newRow("650") << 650 << 0.0 << 0.0 << 4.1860 << 4.9451;
        QTest::newRow("685") << 685 << 4.5320 << 5.0422 << 8.2380 << 9.1300;
        QTest::newRow("920") << 920 << 2.9561 << 3.6067 << 2.5489 << 3.1280;
        QTest::newRow("940") << 940 << 0.8632 << 1.3890 << 2.2035 << 2.6130;
        QTest::newRow("950") << 950 << 0.0 << 0.0 << 0.5860 << 0.7069;
        QTest::newRow("985") << 985 << 2.1202 << 2.8010 << 5.8800 << 7.2730;
    }

    void bestestMoreCases() {
        QFETCH(int, caseNumber);
        QFETCH(double, heatLo);
        QFETCH(double, heatHi);
        QFETCH(double, coolLo);
        QFETCH(double, coolHi);
        static const SiteClimate climate = buildSiteClimate(denver(), 2026, 0.2);
        BestestCase c;
        QVERIFY(bestestCase(caseNumber, denver().station.elevationM, c));
        ZoneModel model(c.zone);
        const ZoneResult r = model.simulate(climate, c.schedules);
        const QByteArray name = QByteArray::number(caseNumber);
        if (caseNumber == 640)
            QEXPECT_FAIL("640", "known gap: set-back heating above the programs' spread (docs/VALIDATION.md)",
                         Continue);
        verifyInRange(name + " heating", r.heatingKWh / 1000.0, {heatLo, heatHi});
        if (caseNumber == 640 || caseNumber == 650 || caseNumber == 685 || caseNumber == 950) {
            QEXPECT_FAIL("", "known gap: cooling above the programs' spread (docs/VALIDATION.md)", Continue);
        }
        verifyInRange(name + " cooling", r.coolingKWh / 1000.0, {coolLo, coolHi});
    }

    // The fast kernel (ZoneBatch.cpp: packed Gauss–Jordan inverses, zones in batches, threads) against
    // the Eigen reference: archetype buildings of several uses, periods, shapes and set points over
    // a year of Incheon weather, every building's annual and peak figures and daily values within the
    // single-precision limits above; and the ASHRAE 140 cases with night ventilation and set-back, zone
    // by zone (sub-stepped: double precision throughout, 1e-6).
    void fastKernelMatchesReference() {
        auto incheon = sim::readEpw(
            test::sourcePath(QStringLiteral("data/demo/KOR_Inchon.471120_IWEC.epw")).toStdString());
        QVERIFY(incheon.ok());
        SiteClimate climate = buildSiteClimate(incheon.value());
        climate.precomputeBeamOptics(Window{}.glazing);
        BuildingTable table;
        const UseClass uses[] = {UseClass::Residential, UseClass::Office, UseClass::Retail, UseClass::Health,
                                 UseClass::Warehouse};
        for (int i = 0; i < 11; ++i) {
            BuildingDraft d;
            d.id = std::to_string(i);
            const double x = 100.0 * i, w = 8.0 + 3.0 * i, h = 30.0 - 2.0 * i;
            if (i % 3 == 2) {  // an L-shaped footprint: six facades, one of them off the axes
                d.outerRings = {{{x, 0}, {x + w, 0}, {x + w, 6}, {x + 10, 9}, {x + 10, h}, {x, h}}};
            } else {
                d.outerRings = {{{x, 0}, {x + w, 0}, {x + w, h}, {x, h}}};
            }
            d.heightM = 3.0 * (1 + (i * 7) % 25);
            d.useClass = uses[i % 5];
            d.yearBuilt = 1970 + 5 * i;
            if (i == 4) d.attributes = {{"heating_setpoint_c", "18"}, {"cooling_setpoint_c", "27"}};
            if (i == 7) d.attributes = {{"wwr", "0.8"}, {"u_window", "5.5"}};
            table.add(std::move(d));
        }
        auto relativeGap = [](double a, double b) { return std::abs(a - b) / std::max(1e-3, std::abs(b)); };
        CityEnergyParameters reference;
        reference.kernel = ZoneKernel::Eigen;
        reference.threads = 1;
        PvSystem pv;
        pv.dcKw = 1.0;
        const std::vector<double> pvAcW = pvWattsHourlyAcW(pv, incheon.value());
        const CityEnergyResult ref = simulateCity(table, climate, 0.0, reference, pvAcW);
        CityEnergyResult oneThread;
        for (int threads : {1, 2}) {
            CityEnergyParameters fastParameters;
            fastParameters.threads = threads;
            std::mutex progressMutex;
            std::vector<double> progress;  // called from the worker threads as units of buildings end
            const CityEnergyResult fast =
                simulateCity(table, climate, 0.0, fastParameters, pvAcW, {}, [&](double fraction) {
                    const std::lock_guard lock(progressMutex);
                    progress.push_back(fraction);
                });
            QCOMPARE(progress.size(), std::size_t{2});  // 11 buildings: two units of up to 8
            QCOMPARE(*std::max_element(progress.begin(), progress.end()), 1.0);
            QVERIFY(*std::min_element(progress.begin(), progress.end()) == 0.5);
            double annual = 0.0, daily = 0.0, indoorK = 0.0, district = 0.0;
            for (std::size_t i = 0; i < table.size(); ++i) {
                QVERIFY(ref.heatingKWh[i] > 0.0);
                using Field = std::vector<double> CityEnergyResult::*;
                QVERIFY(ref.pvKWh[i] > 0.0);
                for (Field field : {&CityEnergyResult::heatingKWh, &CityEnergyResult::coolingKWh,
                                    &CityEnergyResult::peakHeatingKW, &CityEnergyResult::peakCoolingKW,
                                    &CityEnergyResult::electricityKWh, &CityEnergyResult::pvKWh,
                                    &CityEnergyResult::selfSufficiency, &CityEnergyResult::floorAreaM2})
                    annual = std::max(annual, relativeGap((fast.*field)[i], (ref.*field)[i]));
            }
            for (std::size_t k = 0; k < ref.dailyHeatingKWh.size(); ++k) {
                daily = std::max(daily, std::abs(fast.dailyHeatingKWh[k] - ref.dailyHeatingKWh[k]) /
                                            std::max(1.0, std::abs(ref.dailyHeatingKWh[k])));
                indoorK = std::max(indoorK, std::abs(fast.dailyIndoorC[k] - ref.dailyIndoorC[k]));
                for (const std::vector<double> CityEnergyResult::*field :
                     {&CityEnergyResult::dailyCoolingKWh, &CityEnergyResult::dailyPvKWh})
                    daily = std::max(daily, std::abs((fast.*field)[k] - (ref.*field)[k]) /
                                                std::max(1.0, std::abs((ref.*field)[k])));
            }
            for (std::size_t h = 0; h < ref.districtHeatingKW.size(); ++h) {
                for (const std::vector<double> CityEnergyResult::*field :
                     {&CityEnergyResult::districtHeatingKW, &CityEnergyResult::districtCoolingKW,
                      &CityEnergyResult::districtPvKW, &CityEnergyResult::districtElectricityKW})
                    district = std::max(district, std::abs((fast.*field)[h] - (ref.*field)[h]) /
                                                      std::max(1.0, std::abs((ref.*field)[h])));
            }
            qInfo("fast kernel, %d thread(s), largest gaps to the reference: annual and peak figures, PV, "
                  "electricity and self-sufficiency %.1e (relative), daily heating, cooling and PV %.1e (of at "
                  "least 1 kWh), daily indoor %.1e K, district hourly heating, cooling, PV and electricity %.1e "
                  "(of at least 1 kW)",
                  threads, annual, daily, indoorK, district);
            QVERIFY2(annual < kSingleAnnual, qPrintable(QString::number(annual)));
            QVERIFY2(daily < kSingleDaily, qPrintable(QString::number(daily)));
            QVERIFY2(indoorK < kSingleKelvin, qPrintable(QString::number(indoorK)));
            QVERIFY2(district < kSingleDaily, qPrintable(QString::number(district)));
            // The same to the last bit on any number of threads (fixed units, summed in unit order).
            if (threads == 1) {
                oneThread = fast;
            } else {
                QVERIFY(fast.districtHeatingKW == oneThread.districtHeatingKW);
                QVERIFY(fast.districtElectricityKW == oneThread.districtElectricityKW);
                QVERIFY(fast.heatingKWh == oneThread.heatingKWh);
                QVERIFY(fast.selfSufficiency == oneThread.selfSufficiency);
            }
        }
        static const SiteClimate denverClimate = buildSiteClimate(denver(), 2026, 0.2);
        for (int caseNumber : {600, 900, 640, 650, 950}) {
            BestestCase c;
            QVERIFY(bestestCase(caseNumber, denver().station.elevationM, c));
            c.zone.kernel = ZoneKernel::Eigen;
            const ZoneResult r = ZoneModel(c.zone).simulate(denverClimate, c.schedules);
            c.zone.kernel = ZoneKernel::Fast;
            const ZoneResult f = ZoneModel(c.zone).simulate(denverClimate, c.schedules);
            QVERIFY2(relativeGap(f.heatingKWh, r.heatingKWh) < 1e-6, qPrintable(QString::number(caseNumber)));
            QVERIFY2(relativeGap(f.coolingKWh, r.coolingKWh) < 1e-6, qPrintable(QString::number(caseNumber)));
            QVERIFY(relativeGap(f.peakHeatingW, r.peakHeatingW) < 1e-6);
            QVERIFY(relativeGap(f.peakCoolingW, r.peakCoolingW) < 1e-6);
        }
        // One step per hour (the city's numerics): the zones run eight to a vector in single precision
        // (ZoneLanes.cpp), here five BESTEST cases of different sizes side by side (three lanes empty)
        // with set-back, night ventilation and cooling only; each against its own reference.
        std::vector<ZoneModel> batch;
        std::vector<BestestCase> cases;
        for (int caseNumber : {600, 900, 640, 650, 950}) {
            BestestCase c;
            QVERIFY(bestestCase(caseNumber, denver().station.elevationM, c));
            c.zone.substepsPerHour = kCitySubstepsPerHour;
            c.zone.maxSliceM = kCityMaxSliceM;
            cases.push_back(c);
        }
        std::vector<const ZoneSchedules*> schedules;
        for (const BestestCase& c : cases) {
            batch.emplace_back(c.zone);
            schedules.push_back(&c.schedules);
        }
        const std::vector<ZoneResult> lanes = ZoneModel::simulateBatch(batch, denverClimate, schedules);
        for (std::size_t i = 0; i < cases.size(); ++i) {
            BestestCase c = cases[i];
            c.zone.kernel = ZoneKernel::Eigen;
            const ZoneResult r = ZoneModel(c.zone).simulate(denverClimate, c.schedules);
            const ZoneResult& f = lanes[i];
            const QByteArray which = QByteArray::number(static_cast<int>(i));
            const double annual = std::max({relativeGap(f.heatingKWh, r.heatingKWh),
                                            relativeGap(f.coolingKWh, r.coolingKWh),
                                            relativeGap(f.peakHeatingW, r.peakHeatingW),
                                            relativeGap(f.peakCoolingW, r.peakCoolingW)});
            double hourlyK = 0.0;
            for (std::size_t h = 0; h < r.airTempC.size(); ++h)
                hourlyK = std::max(hourlyK, std::abs(f.airTempC[h] - r.airTempC[h]));
            qInfo("lanes, zone %d: annual and peak gap %.1e, hourly air %.1e K", static_cast<int>(i), annual, hourlyK);
            QVERIFY2(annual < kSingleAnnual, which);
            QVERIFY2(hourlyK < kSingleKelvin, which);
        }
        // Four lanes of one construction (their loads laid out together by transposes, four lanes empty): 600, its set-back
        // and night-ventilation variants, and 600 without cooling; hour by hour against the reference.
        std::vector<BestestCase> family;
        for (int caseNumber : {600, 640, 650, 600}) {
            BestestCase c;
            QVERIFY(bestestCase(caseNumber, denver().station.elevationM, c));
            c.zone.substepsPerHour = kCitySubstepsPerHour;
            c.zone.maxSliceM = kCityMaxSliceM;
            family.push_back(c);
        }
        family.back().zone.coolingOn = false;
        std::vector<ZoneModel> familyModels;
        std::vector<const ZoneSchedules*> familySchedules;
        for (const BestestCase& c : family) {
            familyModels.emplace_back(c.zone);
            familySchedules.push_back(&c.schedules);
        }
        const std::vector<ZoneResult> familyLanes =
            ZoneModel::simulateBatch(familyModels, denverClimate, familySchedules);
        for (std::size_t i = 0; i < family.size(); ++i) {
            BestestCase c = family[i];
            c.zone.kernel = ZoneKernel::Eigen;
            const ZoneResult r = ZoneModel(c.zone).simulate(denverClimate, c.schedules);
            const ZoneResult& f = familyLanes[i];
            const QByteArray which = "family " + QByteArray::number(static_cast<int>(i));
            QVERIFY2(relativeGap(f.heatingKWh, r.heatingKWh) < kSingleAnnual, which);
            QVERIFY2(relativeGap(f.coolingKWh, r.coolingKWh) < kSingleAnnual || r.coolingKWh == f.coolingKWh, which);
            double hourlyK = 0.0, hourly = 0.0;
            for (std::size_t h = 0; h < r.airTempC.size(); ++h) {
                hourlyK = std::max(hourlyK, std::abs(f.airTempC[h] - r.airTempC[h]));
                hourly = std::max(hourly, std::abs(f.heatingW[h] - r.heatingW[h]) / std::max(1.0, r.peakHeatingW));
                hourly = std::max(hourly, std::abs(f.coolingW[h] - r.coolingW[h]) / std::max(1.0, r.peakCoolingW));
            }
            qInfo("lanes, %s: hourly air %.1e K, hourly loads %.1e of the peak", which.constData(), hourlyK, hourly);
            QVERIFY2(hourlyK < kSingleKelvin, which);
            QVERIFY2(hourly < kSingleHourly, which);
        }
        QCOMPARE(familyLanes.back().coolingKWh, 0.0);
        // A climate that ends five hours into a day (the lanes take the inputs of a last block shorter
        // than their eight hours one by one): the family again, hour by hour against the reference.
        sim::WeatherSeries shortWeather = denver();
        for (std::vector<double>* series :
             {&shortWeather.dryBulbC, &shortWeather.dewPointC, &shortWeather.relativeHumidityPct,
              &shortWeather.globalHorizontalWhM2, &shortWeather.directNormalWhM2, &shortWeather.diffuseHorizontalWhM2,
              &shortWeather.windSpeedMs, &shortWeather.horizontalInfraredWhM2, &shortWeather.albedo})
            if (!series->empty()) series->resize(40 * 24 + 5);
        const SiteClimate shortClimate = buildSiteClimate(shortWeather, 2026, 0.2);
        const std::vector<ZoneResult> shortLanes = ZoneModel::simulateBatch(familyModels, shortClimate, familySchedules);
        for (std::size_t i = 0; i < family.size(); ++i) {
            BestestCase c = family[i];
            c.zone.kernel = ZoneKernel::Eigen;
            const ZoneResult r = ZoneModel(c.zone).simulate(shortClimate, c.schedules);
            QCOMPARE(shortLanes[i].airTempC.size(), std::size_t{40 * 24 + 5});
            double hourlyK = 0.0;
            for (std::size_t h = 0; h < r.airTempC.size(); ++h)
                hourlyK = std::max(hourlyK, std::abs(shortLanes[i].airTempC[h] - r.airTempC[h]));
            QVERIFY2(hourlyK < kSingleKelvin, QByteArray::number(hourlyK));
        }
        // Elements without area share one node between their targets (here a zone without a ground
        // floor beside a full one): the lanes lay such a zone's loads out one by one.
        BestestCase noFloor;
        QVERIFY(bestestCase(600, denver().station.elevationM, noFloor));
        noFloor.zone.substepsPerHour = 1;
        noFloor.zone.maxSliceM = kCityMaxSliceM;
        noFloor.zone.groundFloorAreaM2 = 0.0;
        std::vector<ZoneModel> mixed{ZoneModel(noFloor.zone), ZoneModel(family.front().zone)};
        const std::vector<ZoneResult> mixedLanes =
            ZoneModel::simulateBatch(mixed, denverClimate, {&noFloor.schedules, &family.front().schedules});
        noFloor.zone.kernel = ZoneKernel::Eigen;
        const ZoneResult noFloorReference = ZoneModel(noFloor.zone).simulate(denverClimate, noFloor.schedules);
        QVERIFY(noFloorReference.heatingKWh > 0.0);
        QVERIFY(relativeGap(mixedLanes[0].heatingKWh, noFloorReference.heatingKWh) < kSingleAnnual);
        QVERIFY(relativeGap(mixedLanes[0].coolingKWh, noFloorReference.coolingKWh) < kSingleAnnual);
        // The full zone beside it takes the same path (loads summed per node in double, then rounded),
        // not the shared-columns one (the formula in single precision): both close to the reference.
        QVERIFY(relativeGap(mixedLanes[1].heatingKWh, familyLanes.front().heatingKWh) < kSingleAnnual);
        // A sink takes the hours instead (ZoneHours, a day of a lane group at a time): twelve zones in
        // two lane groups, the second with the floorless zone (its loads laid out one by one), on the
        // climate that ends five hours into a day; each zone's hours against its reference.
        {
            std::vector<BestestCase> twelve;
            for (std::size_t i = 0; i < 12; ++i) twelve.push_back(i == 10 ? noFloor : family[i % 4]);
            twelve[10].zone.internalGainsW = 350.0;  // its own gains: not the first group's
            std::vector<ZoneModel> models;
            std::vector<const ZoneSchedules*> twelveSchedules;
            for (BestestCase& c : twelve) {
                c.zone.kernel = ZoneKernel::Fast;
                models.emplace_back(c.zone);
                twelveSchedules.push_back(&c.schedules);
            }
            const std::size_t hours = shortClimate.hours();
            const double nan = std::numeric_limits<double>::quiet_NaN();
            std::vector<std::vector<double>> heating(12, std::vector<double>(hours, nan)), cooling = heating,
                                                                                      air = heating, gains = heating;
            int days = 0, twice = 0;
            const ZoneHoursSink sink = [&](const ZoneHours& day) {
                ++days;
                for (int h = 0; h < day.hours; ++h) {
                    for (int l = 0; l < day.zones; ++l) {
                        const auto zone = static_cast<std::size_t>(day.zoneIndex[l]);
                        const std::size_t at = day.firstHour + static_cast<std::size_t>(h);
                        twice += std::isnan(heating[zone][at]) ? 0 : 1;
                        const std::ptrdiff_t row = static_cast<std::ptrdiff_t>(h) * day.stride + l;
                        heating[zone][at] = day.heatingW[row];
                        cooling[zone][at] = day.coolingW[row];
                        air[zone][at] = day.airTempC[row];
                        gains[zone][at] = day.gainsW[row];
                    }
                }
            };
            std::vector<ZoneResult> results;
            ZoneModel::simulateBatch(models, shortClimate, twelveSchedules, 720, results, &sink);
            QCOMPARE(days, 2 * 41);  // each group: 40 whole days and the last five hours
            QCOMPARE(twice, 0);
            for (std::size_t z = 0; z < twelve.size(); ++z) {
                BestestCase c = twelve[z];
                c.zone.kernel = ZoneKernel::Eigen;
                const ZoneResult r = ZoneModel(c.zone).simulate(shortClimate, c.schedules);
                const ZoneResult& f = results[z];
                QVERIFY(f.heatingW.empty() && f.airTempC.empty());
                QVERIFY(relativeGap(f.heatingKWh, r.heatingKWh) < kSingleAnnual);
                QVERIFY(relativeGap(f.peakCoolingW, r.peakCoolingW) < kSingleAnnual || r.peakCoolingW == 0.0);
                double hourlyK = 0.0, hourly = 0.0, gainsGap = 0.0;
                for (std::size_t h = 0; h < hours; ++h) {
                    hourlyK = std::max(hourlyK, std::abs(air[z][h] - r.airTempC[h]));
                    hourly = std::max(hourly, std::abs(heating[z][h] - r.heatingW[h]) / std::max(1.0, r.peakHeatingW));
                    hourly = std::max(hourly, std::abs(cooling[z][h] - r.coolingW[h]) / std::max(1.0, r.peakCoolingW));
                    gainsGap = std::max(gainsGap, std::abs(gains[z][h] - c.zone.internalGainsW));
                }
                const QByteArray which = "sink, zone " + QByteArray::number(static_cast<int>(z));
                QVERIFY2(hourlyK < kSingleKelvin, which + " " + QByteArray::number(hourlyK));
                QVERIFY2(hourly < kSingleHourly, which + " " + QByteArray::number(hourly));
                QVERIFY2(gainsGap < 1e-3, which);
            }
        }
        // One step per hour with ASHRAE 140's own thin slices: more state rows than the lanes have steps
        // for, so these zones go one after another (ZoneBatch.cpp) — still the reference's results.
        BestestCase thin;
        QVERIFY(bestestCase(900, denver().station.elevationM, thin));
        thin.zone.substepsPerHour = 1;
        std::vector<ZoneModel> thinBatch{ZoneModel(thin.zone), ZoneModel(thin.zone)};
        const std::vector<ZoneResult> thinResults =
            ZoneModel::simulateBatch(thinBatch, denverClimate, {&thin.schedules, &thin.schedules});
        thin.zone.kernel = ZoneKernel::Eigen;
        const ZoneResult thinReference = ZoneModel(thin.zone).simulate(denverClimate, thin.schedules);
        for (const ZoneResult& f : thinResults) {
            QVERIFY(relativeGap(f.heatingKWh, thinReference.heatingKWh) < 1e-6);
            QVERIFY(relativeGap(f.coolingKWh, thinReference.coolingKWh) < 1e-6);
        }
    }

    void officeSchedulesFollowTheCalendar() {
        const ZoneSchedules office = schedulesFor(UseClass::Office, 20.0, 26.0, 8760);
        const std::size_t monday10 = 4 * 24 + 10, saturday10 = 2 * 24 + 10,
                          monday3 = 4 * 24 + 3;  // 5 and 3 Jan 2026
        QCOMPARE(office.gainsFraction[monday10], 1.0);
        QCOMPARE(office.heatingSetpointC[monday10], 20.0);
        QCOMPARE(office.gainsFraction[saturday10], 0.1);
        QCOMPARE(office.heatingSetpointC[monday3], 15.0);
        const ZoneSchedules home = schedulesFor(UseClass::Residential, 20.0, 26.0, 8760);
        QCOMPARE(home.heatingSetpointC[monday3], 20.0);
    }

    void archetypesFollowPeriodAndAttributes() {
        const CityEnergyParameters p;
        const BuildingEnergyInputs old = archetypeInputs(UseClass::Residential, 1975, {}, p);
        const BuildingEnergyInputs recent = archetypeInputs(UseClass::Residential, 2019, {}, p);
        QVERIFY(old.uWall > recent.uWall);
        QVERIFY(old.uWindow > recent.uWindow);
        const BuildingEnergyInputs given =
            archetypeInputs(UseClass::Office, 1975, {{"u_wall", "0.25"}, {"wwr", "0.6"}}, p);
        QCOMPARE(given.uWall, 0.25);
        QCOMPARE(given.wwr, 0.6);
    }

    void pluginRunsOnTheFixtureCity() {
        CityModel city;
        auto report = VectorLoader::load(
            test::sourcePath(QStringLiteral("tests/data/fixture_buildings_5186.geojson")).toStdString(), {},
            city);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        sim::PluginRegistry registry;
        registry.scan({QStringLiteral(UT_ENERGY_PLUGIN_DIR)});
        const sim::PluginRecord* record = registry.find(QStringLiteral("energy"));
        QVERIFY2(record, qPrintable(registry.problems().join('\n')));
        auto simulation = registry.create(QStringLiteral("energy"));
        QVERIFY(simulation.ok());
        sim::SimulationContext context;
        context.city = &city;
        context.parameters = record->metadata.resolveParameters({}).value();
        auto incheon = sim::readEpw(
            test::sourcePath(QStringLiteral("data/demo/KOR_Inchon.471120_IWEC.epw")).toStdString());
        QVERIFY(incheon.ok());
        context.weather = &incheon.value();
        Feedback feedback;
        auto results = sim::runSimulation(record->metadata, *simulation.value(), context, feedback);
        QVERIFY2(results.ok(), results.ok() ? "" : results.error().c_str());
        const sim::Field* heating = results.value().field("energy.heating_kw");
        QVERIFY(heating);
        QCOMPARE(heating->time.steps, std::size_t{365});
        QVERIFY(results.value().kpi("energy.heating_mwh")->value > 0.0);
        QVERIFY(results.value().kpi("energy.co2_t")->value > 0.0);
        QVERIFY(results.value().kpi("energy.pv_mwh")->value > 0.0);
        const double selfSufficiency = results.value().kpi("energy.self_sufficiency")->value;
        QVERIFY(selfSufficiency > 0.0 && selfSufficiency <= 1.0);
    }
};

QTEST_GUILESS_MAIN(EnergyTest)
#include "test_energy.moc"
