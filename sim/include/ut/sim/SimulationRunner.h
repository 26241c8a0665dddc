#pragma once

#include "ut/geodata/Feedback.h"
#include "ut/geodata/Result.h"
#include "ut/sim/PluginMetadata.h"
#include "ut/sim/ResultSet.h"
#include "ut/sim/Simulation.h"

namespace ut::sim {

// Runs prepare → advance × stepCount → writeResults on the calling thread (call it from a worker).
// Exceptions and Status errors come back as an Error that names the plugin; so does a result that
// breaks the contract (a field without the plugin's id prefix, or sized for the wrong entity count).
Result<ResultSet> runSimulation(const PluginMetadata& metadata, Simulation& simulation,
                                const SimulationContext& context, Feedback& feedback);

}  // namespace ut::sim
