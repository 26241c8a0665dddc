#pragma once

#include <QObject>

#include "ut/sim/Simulation.h"

namespace ut::retrofit {

class RetrofitPlugin : public QObject, public sim::SimulationFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID UrbanTwinSimulationFactory_iid FILE "retrofit.json")
    Q_INTERFACES(ut::sim::SimulationFactory)
public:
    std::unique_ptr<sim::Simulation> create() const override;
};

}  // namespace ut::retrofit
