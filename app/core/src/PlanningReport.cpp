#include "ut/app/PlanningReport.h"

#include <QDateTime>
#include <QLocale>
#include <cmath>

#include "ut/app/RetrofitPlan.h"

namespace ut::app {

ReportContent PlanningReport::content(const LoadedProject& loaded, const ReportedRun* run, const sim::PluginRegistry& registry,
                                      const QString& version) {
    const QLocale locale;
    ReportContent report;
    report.title = loaded.project.name;
    report.subtitle = tr("Scenario: %1 · %2 · UrbanTwin %3")
                          .arg(run ? run->scenario : QStringLiteral("baseline"),
                               locale.toString(QDateTime::currentDateTime(), QLocale::ShortFormat), version);
    const BuildingTable& buildings = loaded.model.buildings;
    std::size_t estimated = 0;
    for (std::size_t i = 0; i < buildings.size(); ++i)
        estimated += (!buildings.isPart(i) && buildings.heightSource(i) != HeightSource::Attribute) ? 1 : 0;
    report.facts = {{tr("Buildings"), tr("%1 (%2 with estimated heights)")
                                          .arg(locale.toString(qulonglong(buildings.buildingCount())),
                                               locale.toString(qulonglong(estimated)))},
                    {tr("Road links"), locale.toString(qulonglong(loaded.model.roads.linkCount()))},
                    {tr("Coordinate system"), QString::fromStdString(loaded.model.frame.crs())}};
    if (loaded.weather) report.facts.emplace_back(tr("Weather"), QString::fromStdString(loaded.weather->station.name));
    for (const auto& layer : loaded.layers) report.facts.emplace_back(tr("Data source"), layer.layer.name);
    report.footer = tr("Map data © OpenStreetMap contributors (ODbL). Produced with UrbanTwin.");
    if (!run || !run->results) return report;

    for (const SimulationEntry& simulation : run->simulations) {
        const sim::PluginRecord* record = registry.find(simulation.plugin);
        report.assumptions.emplace_back(tr("Simulation"), record ? record->metadata.name : simulation.plugin);
        for (auto it = simulation.parameters.begin(); it != simulation.parameters.end(); ++it) {
            const sim::ParameterSpec* spec = record ? record->metadata.parameter(it.key()) : nullptr;
            report.assumptions.emplace_back(spec ? spec->label : it.key(),
                                            it.value().toString() + (spec && !spec->unit.isEmpty() ? QStringLiteral(" ") + spec->unit : QString()));
        }
    }
    if (const ScenarioEntry* scenario = findScenario(loaded.project, run->scenario)) {
        report.assumptions.emplace_back(tr("Scenario"), scenario->name + (scenario->description.isEmpty()
                                                                              ? QString()
                                                                              : QStringLiteral(": ") + scenario->description));
        for (const BuildingEdit& edit : scenario->buildingEdits) {
            QStringList changes;
            for (auto it = edit.set.begin(); it != edit.set.end(); ++it) changes << it.key() + QStringLiteral(" = ") + it.value().toString();
            report.assumptions.emplace_back(tr("Buildings where %1").arg(edit.where.isEmpty() ? edit.ids.join(", ") : edit.where),
                                            changes.join(QStringLiteral(", ")));
        }
    }
    const bool compared = run->baseline && run->proposal;
    report.kpiHeader = compared ? QStringList{tr("KPI"), tr("Baseline"), run->scenario, tr("Change"), tr("Unit")}
                                : QStringList{tr("KPI"), tr("Value"), tr("Unit")};
    for (const sim::Kpi& kpi : run->results->kpis()) {
        QStringList row{QString::fromStdString(kpi.name)};
        if (compared) {
            const sim::Kpi* before = run->baseline->kpi(kpi.name);
            const sim::Kpi* after = run->proposal->kpi(kpi.name);
            row << (before ? locale.toString(before->value, 'f', 2) : QString()) << (after ? locale.toString(after->value, 'f', 2) : QString());
        }
        row << locale.toString(kpi.value, 'f', 2) << QString::fromStdString(kpi.unit);
        report.kpiRows.push_back(row);
    }
    // A retrofit run: the MAC curve and the top of the plan (the scenario's when comparing).
    const sim::ResultSet& planned = compared ? *run->proposal : *run->results;
    if (hasRetrofitPlan(planned)) {
        const std::vector<RetrofitPlanRow> plan = retrofitPlan(planned, loaded.model.buildings);
        report.macCurve = paintMacCurve(plan, QSize(1200, 600));
        constexpr std::size_t kShown = 25;
        report.planCaption = tr("Marginal abatement cost curve: a bar per building, as wide as its CO2 reduction, as high as "
                                "its abatement cost. %1 buildings in the plan, cheapest tonne first; the first %2:")
                                 .arg(plan.size())
                                 .arg(std::min(plan.size(), kShown));
        report.planHeader = {tr("Building"), tr("Package"), tr("Investment (M KRW)"), tr("CO2 reduction (t/yr)"),
                             tr("MAC (KRW/tCO2)"), tr("Payback (years)")};
        for (std::size_t i = 0; i < plan.size() && i < kShown; ++i) {
            const RetrofitPlanRow& r = plan[i];
            report.planRows.push_back({r.building, r.option, locale.toString(r.investmentMkrw, 'f', 1),
                                       locale.toString(r.co2T, 'f', 1), locale.toString(r.macKkrwPerT * 1000.0, 'f', 0),
                                       std::isfinite(r.paybackYears) ? locale.toString(r.paybackYears, 'f', 1) : QStringLiteral("—")});
        }
    }
    return report;
}

}  // namespace ut::app
