// urbantwin-bench retrofit [--buildings N] [--representatives R] [--budget-mkrw B]: the retrofit
// plugin's engine on a synthetic district (docs/BENCHMARKS.md), beside the anchor of the same run:
// the energy engine's plain baseline simulation of the same buildings.
#include <QJsonObject>
#include <cmath>
#include <cstdio>
#include <random>

#include "BenchSupport.h"
#include "ut/energy/CityEnergy.h"
#include "ut/energy/Climate.h"
#include "ut/energy/PvWatts.h"
#include "ut/retrofit/RetrofitEngine.h"
#include "ut/sim/EpwReader.h"

namespace ut::bench {

namespace {
// Rectangular footprints 10–40 m a side, 1–30 storeys, housing/office/retail, built 1960–2022 (fixed
// seed), on a 60 m grid.
BuildingTable syntheticDistrict(std::size_t n) {
    BuildingTable table;
    std::mt19937 random(8);
    std::uniform_real_distribution<double> side(10.0, 40.0), storeys(1.0, 30.0), year(1960.0, 2022.0);
    const UseClass uses[] = {UseClass::Residential, UseClass::Residential, UseClass::Office, UseClass::Retail};
    const auto perRow = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(n))));
    for (std::size_t i = 0; i < n; ++i) {
        BuildingDraft d;
        d.id = std::to_string(i);
        const double x = 60.0 * static_cast<double>(i % perRow), y = 60.0 * static_cast<double>(i / perRow);
        const double w = side(random), h = side(random);
        d.outerRings = {{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}};
        d.heightM = 3.0 * std::round(storeys(random));
        d.heightSource = HeightSource::Attribute;
        d.useClass = uses[i % 4];
        d.yearBuilt = static_cast<int>(year(random));
        table.add(std::move(d));
    }
    return table;
}
}  // namespace

int benchRetrofit(const QStringList& arguments) {
    std::size_t buildings = 100000;
    int representatives = 2;
    double budgetMkrw = 100000.0;
    for (int i = 0; i + 1 < arguments.size(); ++i) {
        if (arguments[i] == QStringLiteral("--buildings")) buildings = arguments[i + 1].toULongLong();
        if (arguments[i] == QStringLiteral("--representatives")) representatives = arguments[i + 1].toInt();
        if (arguments[i] == QStringLiteral("--budget-mkrw")) budgetMkrw = arguments[i + 1].toDouble();
    }
    auto weather = sim::readEpw(UT_SOURCE_DIR "/data/demo/KOR_Inchon.471120_IWEC.epw");
    if (!weather) return failed(weather.error());
    auto catalogue = retrofit::parseCatalogue(retrofit::defaultCatalogueJson());
    if (!catalogue) return failed(catalogue.error());
    const BuildingTable city = syntheticDistrict(buildings);

    // As the plugin does: climate, PV per kWp, the baseline (the anchor), then options and plan.
    auto start = Clock::now();
    energy::SiteClimate climate = energy::buildSiteClimate(weather.value());
    climate.dryBulbC.resize(8760);
    climate.precomputeBeamOptics(energy::Window{}.glazing);
    energy::PvSystem pv;
    pv.dcKw = 1.0;
    const std::vector<double> pvAcW = energy::pvWattsHourlyAcW(pv, weather.value());
    const double climateSeconds = secondsSince(start);
    energy::CityEnergyParameters parameters;
    start = Clock::now();
    energy::CityEnergyResult baseline =
        energy::simulateCity(city, climate, weather.value().station.elevationM, parameters, pvAcW);
    const double baselineSeconds = secondsSince(start);

    retrofit::EvaluationSettings settings;
    settings.representativesPerGroup = representatives;
    start = Clock::now();
    const retrofit::Evaluation evaluation =
        retrofit::evaluateRetrofits(city, climate, weather.value().station.elevationM, parameters, pvAcW,
                                    catalogue.value(), retrofit::Economics{}, settings, {}, &baseline);
    const double evaluateSeconds = secondsSince(start);
    start = Clock::now();
    const retrofit::Plan plan = retrofit::planRetrofits(evaluation.options, city.size(), budgetMkrw * 1e6);
    const double planSeconds = secondsSince(start);
    retrofit::PlanRequest target;
    target.target = retrofit::PlanTarget::Co2;
    target.co2TargetT = plan.co2SavingT * 1.5;
    start = Clock::now();
    const retrofit::Plan targeted = retrofit::planRetrofits(evaluation.options, city.size(), target);
    const double targetSeconds = secondsSince(start);

    QJsonObject line;
    line["area"] = "retrofit";
    line["buildings"] = static_cast<qint64>(buildings);
    line["options_in_catalogue"] = static_cast<qint64>(catalogue.value().optionCount());
    line["options_evaluated"] = static_cast<qint64>(evaluation.options.size());
    line["representatives_per_group"] = representatives;
    line["simulated_variants"] = static_cast<qint64>(evaluation.simulatedVariants);
    line["climate_s"] = climateSeconds;
    line["anchor"] = "energy_baseline_simulateCity";
    line["anchor_s"] = baselineSeconds;
    line["evaluate_s"] = evaluateSeconds;
    line["plan_budget_s"] = planSeconds;
    line["plan_target_s"] = targetSeconds;
    line["retrofit_beyond_baseline_s"] = evaluateSeconds + planSeconds;
    line["total_s"] = climateSeconds + baselineSeconds + evaluateSeconds + planSeconds;
    line["evaluate_over_anchor"] = evaluateSeconds / baselineSeconds;
    line["plan_buildings"] = static_cast<qint64>(plan.buildings);
    line["plan_co2_t"] = plan.co2SavingT;
    line["plan_exact"] = plan.exact;
    line["target_met"] = targeted.targetMet;
    line["target_cost_mkrw"] = targeted.targetCostKrw / 1e6;
    line["rss_mib"] = residentMiB();
    printLine(line);
    return 0;
}

}  // namespace ut::bench
