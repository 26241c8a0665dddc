#include "ut/app/ProjectRun.h"

#include "ut/sim/SimulationRunner.h"

namespace ut::app {

RunOutcome runProject(const LoadedProject& loaded, sim::PluginRegistry& registry, const QString& scenario,
                      Feedback& feedback) {
    return runProject(loaded.project, loaded.model, loaded.weather ? &*loaded.weather : nullptr, registry, scenario,
                      feedback);
}

RunOutcome runProject(const Project& project, const CityModel& city, const sim::WeatherSeries* weather,
                      sim::PluginRegistry& registry, const QString& scenario, Feedback& feedback) {
    RunOutcome outcome;
    auto badInput = [&](const QString& message) {
        outcome.failure = RunFailure{project.filePath + QStringLiteral(": ") + message, true};
        return outcome;
    };
    const ScenarioEntry* changes = nullptr;
    if (scenario != QStringLiteral("baseline")) {
        changes = findScenario(project, scenario);
        if (!changes) return badInput(QStringLiteral("no scenario named '%1'").arg(scenario));
    }
    if (project.simulations.empty()) return badInput(QStringLiteral("the project lists no simulations"));
    for (std::size_t i = 0; i < project.simulations.size(); ++i) {
        const SimulationEntry& entry = project.simulations[i];
        const QString where = QStringLiteral("simulations[%1]: ").arg(i);
        const sim::PluginRecord* record = registry.find(entry.plugin);
        if (!record) {
            QStringList available;
            for (const auto& p : registry.plugins()) available << p.metadata.id;
            return badInput(where + QStringLiteral("no simulation plugin '%1' (available: %2)")
                                        .arg(entry.plugin, available.isEmpty() ? QStringLiteral("none") : available.join(", ")));
        }
        QVariantMap given = entry.parameters;
        if (changes) {
            const QVariantMap scenarioValues = changes->parameterChanges.value(entry.plugin);
            for (auto it = scenarioValues.begin(); it != scenarioValues.end(); ++it) given.insert(it.key(), it.value());
        }
        auto parameters = record->metadata.resolveParameters(given);
        if (!parameters) return badInput(where + QString::fromStdString(parameters.error()));
        auto simulation = registry.create(entry.plugin);
        if (!simulation) {
            outcome.failure = RunFailure{QString::fromStdString(simulation.error()), false};
            return outcome;
        }
        sim::SimulationContext context;
        context.city = &city;
        context.parameters = parameters.value();
        context.weather = weather;
        context.scenario = scenario;
        auto results = sim::runSimulation(record->metadata, *simulation.value(), context, feedback);
        if (!results) {
            outcome.failure = RunFailure{QString::fromStdString(results.error()), false};
            return outcome;
        }
        outcome.results.merge(results.value());
    }
    return outcome;
}

sim::ResultSet differenceOf(const sim::ResultSet& baseline, const sim::ResultSet& proposal) {
    sim::ResultSet difference;
    for (const sim::Field& after : proposal.fields()) {
        const sim::Field* before = baseline.field(after.name);
        if (!before || before->kind != after.kind || before->values.size() != after.values.size()) continue;
        sim::Field& delta = difference.addField(after.name, after.unit, after.kind, after.entityCount, after.time);
        for (std::size_t i = 0; i < delta.values.size(); ++i) delta.values[i] = after.values[i] - before->values[i];
    }
    for (const sim::Kpi& after : proposal.kpis()) {
        if (const sim::Kpi* before = baseline.kpi(after.name)) difference.setKpi(after.name, after.value - before->value, after.unit);
    }
    return difference;
}

}  // namespace ut::app
