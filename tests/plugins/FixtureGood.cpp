// The well-behaved fixture plugin.
#include <QObject>

#include "ScaledHeights.h"

class FixtureGood : public QObject, public ut::sim::SimulationFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID UrbanTwinSimulationFactory_iid FILE "good.json")
    Q_INTERFACES(ut::sim::SimulationFactory)
public:
    std::unique_ptr<ut::sim::Simulation> create() const override { return std::make_unique<ut::test::ScaledHeights>(); }
};

#include "FixtureGood.moc"
