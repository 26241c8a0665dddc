#pragma once

#include <QString>

#include "ut/app/ProjectLoader.h"
#include "ut/geodata/Feedback.h"
#include "ut/geodata/Result.h"
#include "ut/sim/PluginRegistry.h"
#include "ut/sim/Measurements.h"
#include "ut/sim/ResultSet.h"

namespace ut::app {

// Why a project run failed: bad input (the project names an unknown plugin, scenario or
// parameter) or the simulation itself failing.
struct RunFailure {
    QString message;
    bool badInput = false;
};

struct RunOutcome {
    sim::ResultSet results;
    std::optional<RunFailure> failure;
};

// Runs every simulation of the project for one scenario ("baseline" or a scenario's name) on the
// calling thread, in the order the project lists them, merging their results.
// Simulations see `measurements` (sensor series tied to buildings or links) when given.
RunOutcome runProject(const Project& project, const CityModel& city, const sim::WeatherSeries* weather,
                      sim::PluginRegistry& registry, const QString& scenario, Feedback& feedback,
                      const sim::Measurements* measurements = nullptr);
RunOutcome runProject(const LoadedProject& loaded, sim::PluginRegistry& registry, const QString& scenario,
                      Feedback& feedback, const sim::Measurements* measurements = nullptr);

// The city with a scenario's building edits applied; edited receives how many buildings each
// edit changed.
Result<CityModel> applyBuildingEdits(const CityModel& city, const ScenarioEntry& scenario,
                                     std::vector<std::size_t>* edited = nullptr);

// Proposal minus baseline for every field both have with the same shape, and KPI deltas.
sim::ResultSet differenceOf(const sim::ResultSet& baseline, const sim::ResultSet& proposal);

}  // namespace ut::app
