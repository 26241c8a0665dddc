// Claims the id of FixtureGood: the registry must refuse the second one.
#include <QObject>

#include "ScaledHeights.h"

class FixtureDuplicate : public QObject, public ut::sim::SimulationFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID UrbanTwinSimulationFactory_iid FILE "good.json")
    Q_INTERFACES(ut::sim::SimulationFactory)
public:
    std::unique_ptr<ut::sim::Simulation> create() const override { return std::make_unique<ut::test::ScaledHeights>(); }
};

#include "FixtureDuplicate.moc"
