#pragma once

#include <QVariantMap>
#include <QtPlugin>
#include <memory>

#include "ut/geodata/CityModel.h"
#include "ut/geodata/Feedback.h"
#include "ut/geodata/Result.h"
#include "ut/sim/Measurements.h"
#include "ut/sim/ResultSet.h"
#include "ut/sim/WeatherSeries.h"

namespace ut::sim {

// Everything a simulation may read. The runner owns it for the whole run; it does not change
// while the simulation runs.
struct SimulationContext {
    const CityModel* city = nullptr;
    QVariantMap parameters;               // validated against the plugin's metadata, defaults filled in
    const WeatherSeries* weather = nullptr;  // null when the project has none
    QString scenario;                     // "baseline" or the scenario's name
    const Measurements* measurements = nullptr;  // sensor series tied to buildings or links; may be null
    QString projectFolder;                // the project file's folder (relative paths in parameters); may be empty
};

// One run of a simulation. The runner calls, on one worker thread:
//   1. prepare(context) once — check inputs, size the state arrays;
//   2. advance(step, feedback) for step = 0 … stepCount() - 1, stopping early when feedback is canceled;
//   3. writeResults(results) once, after the last step.
// A Status error or an exception from any of them ends the run; the runner reports it with the
// plugin's id and the application carries on. Per-entity state belongs in arrays the simulation owns.
class Simulation {
public:
    virtual ~Simulation() = default;

    // Must override.
    virtual Status prepare(const SimulationContext& context) = 0;
    virtual Status advance(std::size_t step, Feedback& feedback) = 0;
    virtual void writeResults(ResultSet& results) = 0;

    // Has a default: one step.
    virtual std::size_t stepCount() const { return 1; }
};

// The Qt plugin interface: a plugin library exports one factory.
class SimulationFactory {
public:
    virtual ~SimulationFactory() = default;
    virtual std::unique_ptr<Simulation> create() const = 0;
};

}  // namespace ut::sim

#define UrbanTwinSimulationFactory_iid "org.urbantwin.SimulationFactory/1"
Q_DECLARE_INTERFACE(ut::sim::SimulationFactory, UrbanTwinSimulationFactory_iid)
