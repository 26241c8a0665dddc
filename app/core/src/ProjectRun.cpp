#include "ut/app/ProjectRun.h"

#include "ut/sim/BuildingFilter.h"
#include "ut/sim/SimulationRunner.h"

#include <QFileInfo>
#include <set>

namespace ut::app {

RunOutcome runProject(const LoadedProject& loaded, sim::PluginRegistry& registry, const QString& scenario,
                      Feedback& feedback, const sim::Measurements* measurements) {
    return runProject(loaded.project, loaded.model, loaded.weather ? &*loaded.weather : nullptr, registry, scenario,
                      feedback, measurements);
}

RunOutcome runProject(const Project& project, const CityModel& city, const sim::WeatherSeries* weather,
                      sim::PluginRegistry& registry, const QString& scenario, Feedback& feedback,
                      const sim::Measurements* measurements) {
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
    std::optional<CityModel> editedCity;
    std::size_t editedBuildings = 0;
    if (changes && !changes->buildingEdits.empty()) {
        std::vector<std::size_t> counts;
        auto applied = applyBuildingEdits(city, *changes, &counts);
        if (!applied) return badInput(QString::fromStdString(applied.error()));
        editedCity = std::move(applied.value());
        for (std::size_t count : counts) editedBuildings += count;
    }
    const CityModel& model = editedCity ? *editedCity : city;
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
        context.city = &model;
        context.parameters = parameters.value();
        context.weather = weather;
        context.scenario = scenario;
        context.measurements = measurements;
        if (!project.filePath.isEmpty()) context.projectFolder = QFileInfo(project.filePath).absolutePath();
        auto results = sim::runSimulation(record->metadata, *simulation.value(), context, feedback);
        if (!results) {
            outcome.failure = RunFailure{QString::fromStdString(results.error()), false};
            return outcome;
        }
        outcome.results.merge(results.value());
    }
    if (editedCity) outcome.results.setKpi("scenario.buildings_edited", static_cast<double>(editedBuildings), "");
    return outcome;
}

Result<CityModel> applyBuildingEdits(const CityModel& city, const ScenarioEntry& scenario, std::vector<std::size_t>* edited) {
    CityModel result = city;
    BuildingTable& buildings = result.buildings;
    int index = 0;
    for (const BuildingEdit& edit : scenario.buildingEdits) {
        const QString where = QStringLiteral("scenario '%1' buildings[%2]").arg(scenario.name).arg(index++);
        std::optional<sim::BuildingFilter> filter;
        if (!edit.where.isEmpty()) {
            auto parsed = sim::BuildingFilter::parse(edit.where.toStdString());
            if (!parsed) return Error{(where + QStringLiteral(".where: ")).toStdString() + parsed.error()};
            filter.emplace(std::move(parsed.value()));
        }
        const std::set<std::string> ids = [&] {
            std::set<std::string> s;
            for (const QString& id : edit.ids) s.insert(id.toStdString());
            return s;
        }();
        std::size_t count = 0;
        for (std::size_t i = 0; i < buildings.size(); ++i) {
            // Selection reads the city as it was, so that edits do not select each other.
            const bool selected = filter ? filter->matches(city.buildings, i) : ids.contains(buildings.id(i));
            if (!selected) continue;
            ++count;
            for (auto it = edit.set.begin(); it != edit.set.end(); ++it) {
                if (it.key() == QStringLiteral("height")) {
                    bool ok = false;
                    const double height = it.value().toDouble(&ok);
                    if (!ok || height <= 0.0 || height > 1000.0) {
                        return Error{(where + QStringLiteral(".set.height: expected metres between 0 and 1000")).toStdString()};
                    }
                    buildings.setHeightM(i, height, HeightSource::Attribute);
                } else {
                    buildings.setAttribute(i, it.key().toStdString(), it.value().toString().toStdString());
                }
            }
        }
        if (edited) edited->push_back(count);
    }
    return result;
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
