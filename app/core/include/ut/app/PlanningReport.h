#pragma once

#include <QCoreApplication>
#include <vector>

#include "ut/app/Project.h"
#include "ut/app/ProjectLoader.h"
#include "ut/app/ReportWriter.h"
#include "ut/sim/PluginRegistry.h"
#include "ut/sim/ResultSet.h"

namespace ut::app {

// A run to report: the scenario, the simulations with the parameters they were given, and the
// results (the differences when proposal and baseline are given too).
struct ReportedRun {
    QString scenario;
    std::vector<SimulationEntry> simulations;
    const sim::ResultSet* results = nullptr;
    const sim::ResultSet* baseline = nullptr;
    const sim::ResultSet* proposal = nullptr;
};

// The text of a planning report — city facts, assumptions, the KPI table — for the app's and the
// CLI's PDF reports; the map and chart images are the caller's.
class PlanningReport {
    Q_DECLARE_TR_FUNCTIONS(PlanningReport)
public:
    static ReportContent content(const LoadedProject& loaded, const ReportedRun* run, const sim::PluginRegistry& registry,
                                 const QString& version);
};

}  // namespace ut::app
