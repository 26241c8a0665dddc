#include <QtTest>
#include <cmath>
#include <random>

#include "TestSupport.h"
#include "ut/energy/CityEnergy.h"
#include "ut/geodata/VectorLoader.h"
#include "ut/retrofit/RetrofitEngine.h"
#include "ut/sim/EpwReader.h"
#include "ut/sim/PluginRegistry.h"
#include "ut/sim/SimulationRunner.h"

using namespace ut;
using namespace ut::retrofit;

namespace {
// Constant outdoor and sky temperature, no sun, no wind: steady state.
energy::SiteClimate constantClimate(double outdoorC, std::size_t hours) {
    energy::SiteClimate c;
    c.dryBulbC.assign(hours, outdoorC);
    c.skyTemperatureC.assign(hours, outdoorC);
    c.windSpeedMs.assign(hours, 0.0);
    c.horizontalTotalWm2.assign(hours, 0.0);
    const auto bins = static_cast<std::size_t>(energy::SiteClimate::kOrientationBins);
    c.verticalBeamWm2.assign(bins, std::vector<double>(hours, 0.0));
    c.verticalDiffuseWm2.assign(bins, std::vector<double>(hours, 0.0));
    c.verticalCosIncidence.assign(bins, std::vector<double>(hours, 0.0));
    return c;
}

// A BESTEST-like box: 8 × 6 m, 2.7 m high, one storey, housing of 1975, no internal gains.
BuildingTable box(int yearBuilt, AttributeList extra = {}) {
    BuildingTable t;
    BuildingDraft d;
    d.id = "box";
    d.outerRings = {{{0.0, 0.0}, {8.0, 0.0}, {8.0, 6.0}, {0.0, 6.0}}};
    d.heightM = 2.7;
    d.heightSource = HeightSource::Attribute;
    d.useClass = UseClass::Residential;
    d.yearBuilt = yearBuilt;
    d.attributes = {{"internal_gains_w_m2", "0"}};
    d.attributes.insert(d.attributes.end(), extra.begin(), extra.end());
    t.add(d);
    return t;
}

Catalogue catalogue() {
    auto c = parseCatalogue(defaultCatalogueJson());
    if (!c.ok()) qFatal("%s", c.error().c_str());
    return c.value();
}

std::size_t optionIndex(const Catalogue& c, const std::string& id) {
    for (std::size_t o = 0; o < c.optionCount(); ++o) {
        if (c.optionId(o) == id) return o;
    }
    qFatal("no option %s", id.c_str());
}

const BuildingOption* find(const Evaluation& ev, std::size_t building, std::size_t option) {
    for (const BuildingOption& o : ev.options) {
        if (o.building == building && o.option == option) return &o;
    }
    return nullptr;
}

BuildingOption opt(std::uint32_t building, std::uint32_t option, double cost, double co2) {
    BuildingOption o;
    o.building = building;
    o.option = option;
    o.investmentKrw = cost;
    o.co2SavingT = co2;
    return o;
}

// Brute force: the most CO2 within the budget, at most one option per building.
double bruteForceCo2(const std::vector<BuildingOption>& options, std::size_t rows, double budget) {
    std::vector<std::vector<const BuildingOption*>> per(rows);
    for (const BuildingOption& o : options) per[o.building].push_back(&o);
    double best = 0.0;
    std::function<void(std::size_t, double, double)> go = [&](std::size_t b, double cost, double co2) {
        if (cost > budget) return;
        if (b == rows) {
            best = std::max(best, co2);
            return;
        }
        go(b + 1, cost, co2);
        for (const BuildingOption* o : per[b]) go(b + 1, cost + o->investmentKrw, co2 + o->co2SavingT);
    };
    go(0, 0.0, 0.0);
    return best;
}

// Brute force: the least investment saving at least need of value (+inf: out of reach), with the
// value of an option given by valueOf.
double bruteForceCover(const std::vector<BuildingOption>& options, std::size_t rows, double need,
                       const std::function<double(const BuildingOption&)>& valueOf) {
    std::vector<std::vector<const BuildingOption*>> per(rows);
    for (const BuildingOption& o : options) per[o.building].push_back(&o);
    double best = std::numeric_limits<double>::infinity();
    std::function<void(std::size_t, double, double)> go = [&](std::size_t b, double cost, double value) {
        if (b == rows) {
            if (value >= need - 1e-9) best = std::min(best, cost);
            return;
        }
        go(b + 1, cost, value);
        for (const BuildingOption* o : per[b]) {
            if (valueOf(*o) > 0.0) go(b + 1, cost + o->investmentKrw, value + valueOf(*o));
        }
    };
    go(0, 0.0, 0.0);
    return best;
}

// Dynamic programme over whole-KRW budgets (integer costs): the most CO2, one option per building.
double dynamicProgrammeCo2(const std::vector<BuildingOption>& options, std::size_t rows, int budget) {
    std::vector<std::vector<const BuildingOption*>> per(rows);
    for (const BuildingOption& o : options) per[o.building].push_back(&o);
    std::vector<double> best(static_cast<std::size_t>(budget) + 1, 0.0);
    for (const auto& list : per) {
        std::vector<double> next = best;
        for (int c = 0; c <= budget; ++c) {
            for (const BuildingOption* o : list) {
                const int k = static_cast<int>(std::lround(o->investmentKrw));
                if (k <= c) next[static_cast<std::size_t>(c)] = std::max(next[static_cast<std::size_t>(c)],
                                                                         best[static_cast<std::size_t>(c - k)] + o->co2SavingT);
            }
        }
        best = std::move(next);
    }
    return best.back();
}
}  // namespace

class RetrofitTest : public QObject {
    Q_OBJECT
private slots:
    void catalogueParsesAndRefusesBadInput() {
        const Catalogue c = catalogue();
        QCOMPARE(c.measures.size(), std::size_t{8});
        QVERIFY(c.packages.size() >= 3);
        QCOMPARE(c.optionCount(), c.measures.size() + c.packages.size());
        QVERIFY(!parseCatalogue("{").ok());
        QVERIFY(!parseCatalogue(R"({"measures":[{"id":"x","set":{"u_door":1},"quantity":"floor_area_m2",
            "unit_cost_krw":1,"lifetime_years":10}]})")
                     .ok());
        QVERIFY(!parseCatalogue(R"({"measures":[{"id":"x","set":{"u_wall":0.2},"quantity":"floor_area_m2",
            "unit_cost_krw":1,"lifetime_years":10}],"packages":[{"id":"p","measures":["y"]}]})")
                     .ok());
    }

    // Steady state at 0 °C outside and 20 °C inside, a pre-1980 box (infiltration 1.0 ach, U_wall 1.5).
    // Airtightness to 0.3 ach saves ρ·c_p·V·Δn·ΔT·8760 h exactly (the air node has no film):
    // ρ = 101325 / (287.055 · 293.15) = 1.2041 kg/m³, c_p = 1006 J/kgK → 0.33647 Wh/m³K.
    // Wall insulation to U 0.17 saves less than the nominal ΔU·A·ΔT·h: the heater is convective and
    // the engine's interior films (natural convection, radiant exchange with the cold windows) are
    // weaker than the nominal 0.13 m²K/W the U-values include, so the old wall loses less than
    // U·A·ΔT; its saving must still be a large share of the nominal one.
    void measuresSaveUaDeltaTHours() {
        const energy::SiteClimate climate = constantClimate(0.0, 8760);
        const BuildingTable t = box(1975);
        energy::CityEnergyParameters p;
        p.threads = 1;
        const Catalogue c = catalogue();
        EvaluationSettings s;
        s.representativesPerGroup = 0;
        const Evaluation ev = evaluateRetrofits(t, climate, 0.0, p, {}, c, Economics{}, s);
        const double eff = Economics{}.boilerEfficiency;
        const energy::BuildingEnergyInputs in = energy::archetypeInputs(UseClass::Residential, 1975, {}, p);
        QCOMPARE(in.uWall, 1.5);
        QCOMPARE(in.infiltrationAch, 1.0);

        const BuildingOption* airtight = find(ev, 0, optionIndex(c, "airtight"));
        QVERIFY(airtight);
        const double volumeM3 = 8.0 * 6.0 * 2.7;
        const double expectedAirKWh = 0.33647 * volumeM3 * (1.0 - 0.3) * 20.0 * 8760.0 / 1000.0;  // 5348 kWh
        const double savedAirKWh = airtight->gasSavingKWh * eff;
        qInfo("airtightness: saved %.0f kWh of heat, ρc·V·Δn·ΔT·h = %.0f kWh", savedAirKWh, expectedAirKWh);
        QVERIFY2(std::abs(savedAirKWh / expectedAirKWh - 1.0) < 0.01, qPrintable(QString::number(savedAirKWh)));
        QCOMPARE(airtight->investmentKrw, 25000.0 * 48.0);

        const BuildingOption* wall = find(ev, 0, optionIndex(c, "wall"));
        QVERIFY(wall);
        const double wallAreaM2 = 2.0 * (8.0 + 6.0) * 2.7 * (1.0 - in.wwr);
        const double nominalKWh = (1.5 - 0.17) * wallAreaM2 * 20.0 * 8760.0 / 1000.0;  // 12,331 kWh
        const double savedWallKWh = wall->gasSavingKWh * eff;
        qInfo("wall: saved %.0f kWh of heat, nominal ΔU·A·ΔT·h = %.0f kWh", savedWallKWh, nominalKWh);
        QVERIFY2(savedWallKWh < nominalKWh && savedWallKWh > 0.4 * nominalKWh,
                 qPrintable(QString::number(savedWallKWh)));
        QVERIFY(std::abs(wall->electricitySavingKWh) < 1e-6);
        QCOMPARE(wall->investmentKrw, 120000.0 * wallAreaM2);
    }

    // The retrofit gives exactly the savings of the energy engine run on the modified building.
    void savingsEqualEngineOnModifiedBuilding() {
        const energy::SiteClimate climate = constantClimate(-2.0, 8760);
        const BuildingTable t = box(1985);
        energy::CityEnergyParameters p;
        p.threads = 1;
        const Catalogue c = catalogue();
        EvaluationSettings s;
        s.representativesPerGroup = 0;
        const Evaluation ev = evaluateRetrofits(t, climate, 0.0, p, {}, c, Economics{}, s);
        const BuildingOption* envelope = find(ev, 0, optionIndex(c, "envelope"));
        QVERIFY(envelope);
        const BuildingTable modified = box(1985, {{"u_wall", "0.17"}, {"u_roof", "0.15"}, {"u_window", "1.2"},
                                                  {"g_window", "0.45"}, {"infiltration_ach", "0.3"}});
        const auto before = energy::simulateCity(t, climate, 0.0, p);
        const auto after = energy::simulateCity(modified, climate, 0.0, p);
        const double heatSaved = before.heatingKWh[0] - after.heatingKWh[0];
        QVERIFY(heatSaved > 0.0);
        QVERIFY(std::abs(envelope->gasSavingKWh * Economics{}.boilerEfficiency - heatSaved) < 1e-6 * heatSaved);
        const double co2 = heatSaved * p.heatingCo2TPerMWh / 1000.0 +
                           (before.electricityKWh[0] - after.electricityKWh[0]) * p.gridCo2TPerMWh / 1000.0;
        QVERIFY(std::abs(envelope->co2SavingT - co2) < 1e-9);
    }

    // Representatives: buildings of one group that were not simulated save what the representative
    // saved per unit of the measure's cost (per m² of wall …); close to simulating each of them.
    void representativesScaleCloseToExact() {
        BuildingTable t;
        for (int k = 0; k < 6; ++k) {
            BuildingDraft d;
            d.id = std::string(1, static_cast<char>('a' + k));
            const double w = 6.0 + 3.0 * k, depth = 8.0 + 2.0 * (k % 3), x0 = 100.0 * k;
            d.outerRings = {{{x0, 0.0}, {x0 + w, 0.0}, {x0 + w, depth}, {x0, depth}}};
            d.heightM = 6.0;
            d.heightSource = HeightSource::Attribute;
            d.useClass = UseClass::Residential;
            d.yearBuilt = 1975;
            t.add(d);
        }
        const energy::SiteClimate climate = constantClimate(2.0, 8760);
        energy::CityEnergyParameters p;
        p.threads = 1;
        const Catalogue c = catalogue();
        EvaluationSettings exactSettings, repSettings;
        exactSettings.representativesPerGroup = 0;
        repSettings.representativesPerGroup = 1;
        const Evaluation exact = evaluateRetrofits(t, climate, 0.0, p, {}, c, Economics{}, exactSettings);
        const Evaluation reps = evaluateRetrofits(t, climate, 0.0, p, {}, c, Economics{}, repSettings);
        QVERIFY(reps.simulatedVariants < exact.simulatedVariants);
        // A baseline handed over gives the same evaluation as one simulated inside.
        energy::CityEnergyResult given = energy::simulateCity(t, climate, 0.0, p);
        const Evaluation handed = evaluateRetrofits(t, climate, 0.0, p, {}, c, Economics{}, repSettings, {}, &given);
        QCOMPARE(handed.options.size(), reps.options.size());
        for (std::size_t k = 0; k < reps.options.size(); ++k)
            QCOMPARE(handed.options[k].co2SavingT, reps.options[k].co2SavingT);
        QCOMPARE(reps.options.size(), exact.options.size());
        // Single measures scale by their own area; a package by its cost-weighted blend of areas (looser).
        for (const char* id : {"wall", "roof", "windows", "airtight", "envelope"}) {
            const double tolerance = std::string(id) == "envelope" ? 0.2 : 0.15;
            for (std::size_t b = 0; b < t.size(); ++b) {
                const BuildingOption* e = find(exact, b, optionIndex(c, id));
                const BuildingOption* r = find(reps, b, optionIndex(c, id));
                QVERIFY(e && r);
                QVERIFY2(std::abs(r->co2SavingT / e->co2SavingT - 1.0) < tolerance,
                         qPrintable(QStringLiteral("%1 building %2: %3 t vs %4 t exact")
                                        .arg(id).arg(b).arg(r->co2SavingT).arg(e->co2SavingT)));
            }
        }
    }

    void economicsByHand() {
        QVERIFY(std::abs(capitalRecoveryFactor(0.05, 20.0) - 0.0802426) < 1e-6);
        QVERIFY(std::abs(capitalRecoveryFactor(0.0, 20.0) - 0.05) < 1e-12);
        QCOMPARE(simplePaybackYears(1.0e6, 1.0e5), 10.0);
        QVERIFY(std::isinf(simplePaybackYears(1.0e6, 0.0)));

        // A heat pump (SCOP 3.0, 1.3 M KRW/kW, 15 years) for a building with 10 MWh of heat.
        const Catalogue c = catalogue();
        const std::size_t hp = optionIndex(c, "heat_pump");
        BuildingEnergy b0;
        b0.heatingKWh = 10000.0;
        b0.electricityKWh = 3000.0;
        b0.peakHeatingKw = 5.0;
        std::vector<double> q(7, 0.0);
        q[static_cast<std::size_t>(Quantity::PeakHeatingKw)] = 5.0;
        energy::CityEnergyParameters p;
        Economics e;
        e.discountRate = 0.05;
        const BuildingOption o = evaluateOption(c, hp, b0, b0, q, p, e);
        QVERIFY(std::abs(o.gasSavingKWh - 10000.0 / 0.925) < 1e-6);
        QVERIFY(std::abs(o.electricitySavingKWh + 10000.0 / 3.0) < 1e-6);
        const double co2 = 10.0 * 0.2183 - 10.0 / 3.0 * 0.4594;  // 0.6517 t
        QVERIFY(std::abs(o.co2SavingT - co2) < 1e-9);
        const double bill = 10000.0 / 0.925 * 80.0 - 10000.0 / 3.0 * 150.0;  // 364,865 KRW
        QVERIFY(std::abs(o.costSavingKrw - bill) < 1e-6);
        QCOMPARE(o.investmentKrw, 6.5e6);
        QVERIFY(std::abs(o.paybackYears - 6.5e6 / bill) < 1e-9);
        const double crf15 = 0.05 / (1.0 - std::pow(1.05, -15.0));  // 0.096342
        QVERIFY(std::abs(o.annualisedCostKrw - 6.5e6 * crf15) < 1e-3);
        QVERIFY(std::abs(o.npvKrw - (bill / crf15 - 6.5e6)) < 1e-3);
        const double energy = 10000.0 / 0.925 - 10000.0 / 3.0;  // final energy saved, kWh
        QVERIFY(std::abs(o.costOfConservedEnergyKrwPerKWh - 6.5e6 * crf15 / energy) < 1e-6);
        // Escalating prices: Σ 1.02^(t−1) / 1.05^t over 15 years, summed by hand below.
        double pv = 0.0;
        for (int t = 1; t <= 15; ++t) pv += std::pow(1.02, t - 1) / std::pow(1.05, t);
        QVERIFY(std::abs(presentValueFactor(0.05, 0.02, 15.0) - pv) < 1e-12);
        QVERIFY(std::abs(presentValueFactor(0.05, 0.0, 15.0) - 1.0 / crf15) < 1e-12);
        e.priceEscalation = 0.02;
        QVERIFY(std::abs(evaluateOption(c, hp, b0, b0, q, p, e).npvKrw - (bill * pv - 6.5e6)) < 1e-3);
        QVERIFY(std::abs(o.abatementCostKrwPerT - (6.5e6 * crf15 - bill) / co2) < 1e-3);
    }

    void applicabilityRules() {
        const Catalogue c = catalogue();
        energy::CityEnergyParameters p;
        const auto measure = [&c](const std::string& id) -> const Measure& {
            return c.measures[optionIndex(c, id)];
        };
        const auto in = [&p](UseClass use, int year, AttributeList a = {}) {
            return energy::archetypeInputs(use, year, a, p);
        };
        QVERIFY(measureApplies(measure("wall"), UseClass::Residential, 1985, in(UseClass::Residential, 1985)));
        QVERIFY(!measureApplies(measure("wall"), UseClass::Residential, 2015, in(UseClass::Residential, 2015)));
        QVERIFY(!measureApplies(measure("wall"), UseClass::Residential, 1985,
                                in(UseClass::Residential, 1985, {{"u_wall", "0.18"}})));  // already insulated
        QVERIFY(!measureApplies(measure("lighting"), UseClass::Residential, 1985, in(UseClass::Residential, 1985)));
        QVERIFY(measureApplies(measure("lighting"), UseClass::Office, 2020, in(UseClass::Office, 2020)));
        QVERIFY(!measureApplies(measure("heat_pump"), UseClass::Warehouse, 1985, in(UseClass::Warehouse, 1985)));
        // Unknown year: counts as 1995.
        QCOMPARE(effectiveYear(0), 1995);
        QVERIFY(measureApplies(measure("wall"), UseClass::Residential, 0, in(UseClass::Residential, 0)));

        // Through the evaluation: a 2018 building gets no envelope measure, nor a package holding one.
        const energy::SiteClimate climate = constantClimate(0.0, 8760);
        const BuildingTable recent = box(2018);
        EvaluationSettings s;
        s.representativesPerGroup = 0;
        const Evaluation ev = evaluateRetrofits(recent, climate, 0.0, p, {}, c, Economics{}, s);
        QVERIFY(!find(ev, 0, optionIndex(c, "wall")));
        QVERIFY(!find(ev, 0, optionIndex(c, "envelope")));
        QVERIFY(!find(ev, 0, optionIndex(c, "lighting")));
        QVERIFY(find(ev, 0, optionIndex(c, "heat_pump")));
        // Not selected: nothing evaluated.
        s.selected = {0};
        QVERIFY(evaluateRetrofits(recent, climate, 0.0, p, {}, c, Economics{}, s).options.empty());
    }

    void planPicksByCostEffectivenessWithinBudget() {
        // Three buildings, one option each: C (0.8 t per KRW) then A (0.5), B (0.2) left out.
        const std::vector<BuildingOption> options = {opt(0, 0, 10, 5), opt(1, 0, 10, 2), opt(2, 0, 10, 8)};
        const Plan greedy = planRetrofits(options, 3, 20.0, 0.0, 0);
        QVERIFY(!greedy.exact);
        QCOMPARE(greedy.optionOfBuilding, (std::vector<int>{0, -1, 2}));
        QCOMPARE(greedy.investmentKrw, 20.0);
        QCOMPARE(greedy.co2SavingT, 13.0);
        QCOMPARE(greedy.buildings, std::size_t{2});
        // A CO2 target stops the plan once reached.
        const Plan target = planRetrofits(options, 3, std::numeric_limits<double>::infinity(), 7.0, 0);
        QCOMPARE(target.optionOfBuilding, (std::vector<int>{-1, -1, 2}));
        // Upgrades along a building's hull: the cheap option first, then the step to the bigger one.
        const std::vector<BuildingOption> two = {opt(0, 0, 10, 6), opt(0, 1, 30, 10), opt(1, 0, 10, 3)};
        QCOMPARE(planRetrofits(two, 2, 20.0, 0.0, 0).optionOfBuilding, (std::vector<int>{0, 2}));
        QCOMPARE(planRetrofits(two, 2, 40.0, 0.0, 0).optionOfBuilding, (std::vector<int>{1, 2}));
        // Exact enumeration finds the better plan the greedy misses at 30: the big option alone.
        QCOMPARE(planRetrofits(two, 2, 30.0).optionOfBuilding, (std::vector<int>{1, -1}));
    }

    void planNeverExceedsBudgetAndExactMatchesBruteForce() {
        std::mt19937 rng(8);
        std::uniform_real_distribution<double> cost(1.0, 100.0), co2(0.1, 10.0);
        double greedyShare = 0.0;
        for (int trial = 0; trial < 200; ++trial) {
            const std::size_t rows = 1 + static_cast<std::size_t>(trial % 6);
            std::vector<BuildingOption> options;
            for (std::size_t b = 0; b < rows; ++b) {
                for (std::uint32_t o = 0; o < 1 + static_cast<std::uint32_t>((trial + b) % 3); ++o)
                    options.push_back(opt(static_cast<std::uint32_t>(b), o, cost(rng), co2(rng)));
            }
            const double budget = 20.0 + cost(rng) * static_cast<double>(rows) / 2.0;
            const Plan greedy = planRetrofits(options, rows, budget, 0.0, 0);
            const Plan exact = planRetrofits(options, rows, budget);
            QVERIFY(exact.exact);
            QVERIFY(greedy.investmentKrw <= budget + 1e-9);
            QVERIFY(exact.investmentKrw <= budget + 1e-9);
            const double brute = bruteForceCo2(options, rows, budget);
            QVERIFY2(std::abs(exact.co2SavingT - brute) < 1e-9, qPrintable(QString::number(trial)));
            QVERIFY(greedy.co2SavingT <= brute + 1e-9);
            greedyShare += brute > 0 ? greedy.co2SavingT / brute : 1.0;
        }
        qInfo("greedy reaches %.1f %% of the optimum on average", greedyShare / 2.0);
        QVERIFY(greedyShare / 200.0 > 0.8);
    }

    void targetsCostTheLeastThatReachesThem() {
        std::mt19937 rng(2045);
        std::uniform_real_distribution<double> cost(1.0, 100.0), co2(0.1, 10.0), kwh(0.0, 20000.0);
        const auto co2Of = [](const BuildingOption& o) { return o.co2SavingT; };
        int reached = 0;
        for (int trial = 0; trial < 150; ++trial) {
            const std::size_t rows = 1 + static_cast<std::size_t>(trial % 7);
            std::vector<BuildingOption> options;
            for (std::size_t b = 0; b < rows; ++b) {
                for (std::uint32_t o = 0; o < 1 + static_cast<std::uint32_t>((trial + b) % 4); ++o) {
                    BuildingOption x = opt(static_cast<std::uint32_t>(b), o, cost(rng), co2(rng));
                    x.pvKWh = (o % 2 == 1) ? kwh(rng) : 0.0;
                    x.electricitySavingKWh = x.pvKWh + kwh(rng) / 4.0 - 2000.0;  // demand may rise (heat pump)
                    options.push_back(x);
                }
            }
            // CO2 target: exact = brute force; the greedy reaches it too, at no less cost.
            const double t = co2(rng) * static_cast<double>(rows) * 0.6;
            const double brute = bruteForceCover(options, rows, t, co2Of);
            const Plan exact = planRetrofits(options, rows, std::numeric_limits<double>::infinity(), t);
            const Plan greedy = planRetrofits(options, rows, std::numeric_limits<double>::infinity(), t, 0);
            QCOMPARE(exact.targetReachable, std::isfinite(brute));
            QCOMPARE(greedy.targetReachable, std::isfinite(brute));
            if (std::isfinite(brute)) {
                ++reached;
                QVERIFY(exact.exact);
                QVERIFY(exact.targetMet && greedy.targetMet);
                QVERIFY2(std::abs(exact.investmentKrw - brute) < 1e-9, qPrintable(QString::number(trial)));
                QVERIFY(std::abs(exact.targetCostKrw - brute) < 1e-9);
                QVERIFY(greedy.investmentKrw >= brute - 1e-9);
                QVERIFY(exact.co2SavingT >= t - 1e-9);
                // A budget below the target's cost: not met, the most CO2 the budget buys instead.
                const double budget = brute * 0.7;
                const Plan short_ = planRetrofits(options, rows, budget, t);
                QVERIFY(!short_.targetMet && short_.targetReachable);
                QVERIFY(short_.investmentKrw <= budget + 1e-9);
                QVERIFY(std::abs(short_.co2SavingT - bruteForceCo2(options, rows, budget)) < 1e-9);
                QVERIFY(std::abs(short_.targetCostKrw - brute) < 1e-9);
            } else {
                QVERIFY(!exact.targetMet);
                QVERIFY(std::isinf(exact.targetCostKrw));
                // Out of reach without a budget: every building does what helps most.
                double most = 0.0;
                std::vector<double> per(rows, 0.0);
                for (const BuildingOption& o : options) per[o.building] = std::max(per[o.building], o.co2SavingT);
                for (double v : per) most += v;
                QVERIFY(std::abs(exact.co2SavingT - most) < 1e-9);
            }
            // Self-sufficiency: PV ≥ share × demand after the plan.
            PlanRequest request;
            request.target = PlanTarget::SelfSufficiency;
            request.selfSufficiencyTarget = 0.2;
            request.demandKWh = 30000.0 * static_cast<double>(rows);
            const auto gapOf = [&](const BuildingOption& o) {
                return (o.pvKWh + 0.2 * o.demandReductionKWh()) / 1000.0;
            };
            const double need = 0.2 * request.demandKWh / 1000.0;
            const double bruteShare = bruteForceCover(options, rows, need, gapOf);
            const Plan ss = planRetrofits(options, rows, request);
            QCOMPARE(ss.targetReachable, std::isfinite(bruteShare));
            QCOMPARE(ss.targetMet, std::isfinite(bruteShare));
            if (std::isfinite(bruteShare)) {
                QVERIFY2(std::abs(ss.investmentKrw - bruteShare) < 1e-9, qPrintable(QString::number(trial)));
                QVERIFY(ss.selfSufficiencyAfter >= 0.2 - 1e-9);
                double pv = 0.0, reduction = 0.0;
                for (int k : ss.optionOfBuilding) {
                    if (k < 0) continue;
                    pv += options[static_cast<std::size_t>(k)].pvKWh;
                    reduction += options[static_cast<std::size_t>(k)].demandReductionKWh();
                }
                QVERIFY(std::abs(ss.selfSufficiencyAfter - pv / (request.demandKWh - reduction)) < 1e-12);
            }
        }
        QVERIFY(reached > 50);
    }

    void exactMatchesDynamicProgrammeOnMidSizeCases() {
        // 40–80 buildings × 8 options, whole-KRW costs: branch and bound = DP over the budget.
        std::mt19937 rng(88);
        std::uniform_int_distribution<int> cost(1, 60);
        std::uniform_real_distribution<double> co2(0.1, 10.0);
        for (int trial = 0; trial < 12; ++trial) {
            const std::size_t rows = 40 + static_cast<std::size_t>(trial) * 4;
            std::vector<BuildingOption> options;
            for (std::size_t b = 0; b < rows; ++b) {
                for (std::uint32_t o = 0; o < 8; ++o)
                    options.push_back(opt(static_cast<std::uint32_t>(b), o, cost(rng), co2(rng)));
            }
            const int budget = 5 * static_cast<int>(rows);
            const Plan exact = planRetrofits(options, rows, budget);
            const Plan greedy = planRetrofits(options, rows, budget, 0.0, 0);
            QVERIFY2(exact.exact, qPrintable(QString::number(trial)));
            QVERIFY(exact.investmentKrw <= budget + 1e-9);
            const double dp = dynamicProgrammeCo2(options, rows, budget);
            QVERIFY2(std::abs(exact.co2SavingT - dp) < 1e-7, qPrintable(QStringLiteral("%1: %2 vs %3").arg(trial).arg(exact.co2SavingT).arg(dp)));
            QVERIFY(greedy.co2SavingT <= dp + 1e-9);
        }
    }

    void pluginRunsOnTheFixtureCity() {
        CityModel city;
        auto report = VectorLoader::load(
            test::sourcePath(QStringLiteral("tests/data/fixture_buildings_5186.geojson")).toStdString(), {}, city);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        sim::PluginRegistry registry;
        registry.scan({QStringLiteral(UT_RETROFIT_PLUGIN_DIR)});
        const sim::PluginRecord* record = registry.find(QStringLiteral("retrofit"));
        QVERIFY2(record, qPrintable(registry.problems().join('\n')));
        auto simulation = registry.create(QStringLiteral("retrofit"));
        QVERIFY(simulation.ok());
        sim::SimulationContext context;
        context.city = &city;
        QVariantMap given;
        given.insert(QStringLiteral("budget_mkrw"), 100.0);
        given.insert(QStringLiteral("representatives_per_group"), 0);
        context.parameters = record->metadata.resolveParameters(given).value();
        auto incheon =
            sim::readEpw(test::sourcePath(QStringLiteral("data/demo/KOR_Inchon.471120_IWEC.epw")).toStdString());
        QVERIFY(incheon.ok());
        context.weather = &incheon.value();
        Feedback feedback;
        auto results = sim::runSimulation(record->metadata, *simulation.value(), context, feedback);
        QVERIFY2(results.ok(), results.ok() ? "" : results.error().c_str());
        const sim::ResultSet& r = results.value();
        const sim::Field* best = r.field("retrofit.best_measure");
        QVERIFY(best);
        QVERIFY(!best->categories.empty());
        QCOMPARE(best->categories.back(), std::string("none"));
        const sim::Field* planCost = r.field("retrofit.plan_cost_mkrw");
        QVERIFY(planCost && r.field("retrofit.payback_years") && r.field("retrofit.co2_saving_t"));
        double sum = 0.0;
        for (double v : planCost->values) {
            if (std::isfinite(v)) sum += v;
        }
        const double total = r.kpi("retrofit.investment_krw")->value / 1e6;
        QVERIFY(total > 0.0);
        QVERIFY(total <= 100.0 + 1e-9);
        QVERIFY(std::abs(sum - total) < 1e-6);
        QVERIFY(r.kpi("retrofit.co2_reduction_t")->value > 0.0);
        QVERIFY(r.kpi("retrofit.buildings_retrofitted")->value >= 1.0);
        QVERIFY(r.kpi("retrofit.co2_reduction_t")->value <= r.kpi("retrofit.potential_co2_saving_t")->value + 1e-9);

        // A bad filter is a user error.
        given.insert(QStringLiteral("where"), QStringLiteral("height >"));
        context.parameters = record->metadata.resolveParameters(given).value();
        auto again = registry.create(QStringLiteral("retrofit"));
        QVERIFY(!sim::runSimulation(record->metadata, *again.value(), context, feedback).ok());
    }
};

QTEST_GUILESS_MAIN(RetrofitTest)
#include "test_retrofit.moc"
