#include "ut/sim/SimulationRunner.h"

namespace ut::sim {

namespace {
std::size_t entityCount(const CityModel& city, EntityKind kind) {
    switch (kind) {
        case EntityKind::Building: return city.buildings.size();
        case EntityKind::Link: return city.roads.linkCount();
        case EntityKind::Node: return city.roads.nodeCount();
        case EntityKind::Sensor: return 0;
    }
    return 0;
}

Status checkContract(const PluginMetadata& metadata, const ResultSet& results, const CityModel& city) {
    const std::string prefix = metadata.id.toStdString() + ".";
    for (const Field& field : results.fields()) {
        if (!field.name.starts_with(prefix)) return Error{"field '" + field.name + "' does not start with '" + prefix + "'"};
        if (field.kind != EntityKind::Sensor && field.entityCount != entityCount(city, field.kind)) {
            return Error{"field '" + field.name + "' has " + std::to_string(field.entityCount) + " values per step for " +
                         std::to_string(entityCount(city, field.kind)) + " " + toString(field.kind) + "s"};
        }
    }
    for (const Kpi& kpi : results.kpis()) {
        if (!kpi.name.starts_with(prefix)) return Error{"KPI '" + kpi.name + "' does not start with '" + prefix + "'"};
    }
    return {};
}
}  // namespace

Result<ResultSet> runSimulation(const PluginMetadata& metadata, Simulation& simulation,
                                const SimulationContext& context, Feedback& feedback) {
    const std::string id = metadata.id.toStdString();
    auto failed = [&](const std::string& what) { return Error{"simulation '" + id + "' failed: " + what}; };
    if (!context.city) return failed("no city model");
    try {
        if (Status prepared = simulation.prepare(context); !prepared) return failed(prepared.error());
        const std::size_t steps = simulation.stepCount();
        for (std::size_t step = 0; step < steps; ++step) {
            if (feedback.isCanceled()) return Error{"simulation '" + id + "' canceled"};
            if (Status advanced = simulation.advance(step, feedback); !advanced) return failed(advanced.error());
            feedback.setProgress(static_cast<double>(step + 1) / static_cast<double>(steps));
        }
        if (feedback.isCanceled()) return Error{"simulation '" + id + "' canceled"};
        ResultSet results;
        simulation.writeResults(results);
        if (Status contract = checkContract(metadata, results, *context.city); !contract) return failed(contract.error());
        return results;
    } catch (const std::exception& e) {
        return failed(e.what());
    } catch (...) {
        return failed("unknown exception");
    }
}

}  // namespace ut::sim
