// SUMO run on the same network and demand as the traffic engine, for the bench's anchor and the
// test's reference (urbantwin-bench traffic, test_sumo_import): one setup, so both compare like with like.
#pragma once

#include <QString>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ut/traffic/TrafficEngine.h"

namespace ut::traffic {

struct SumoRun {
    std::string error;
    double seconds = 0.0, updatesPerS = 0.0, inserted = 0.0, running = 0.0;
    double arrived = 0.0, durationSum = 0.0, routeM = 0.0;
    QString version;  // the first line of sumo --version
};

// SUMO on the net with the given trips (edge ids from sumoId), IDM with the engine's parameters (p.idm),
// p.durationS at p.stepS, no teleports, re-routing every 300 s; a trip with a route keeps it. keepDir:
// where its files stay (with the vehicles' edge exit times), else a temporary folder.
SumoRun runSumo(const QString& sumo, const QString& netPath, const std::vector<Trip>& trips,
                const TrafficParameters& p, std::uint64_t seed,
                const std::function<std::string(std::uint32_t)>& sumoId, const QString& keepDir = {});

}  // namespace ut::traffic
