// Built for a plugin API this UrbanTwin does not speak: the registry must refuse it.
#include <QObject>

#include "ScaledHeights.h"

class FixtureWrongApi : public QObject, public ut::sim::SimulationFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID UrbanTwinSimulationFactory_iid FILE "wrongapi.json")
    Q_INTERFACES(ut::sim::SimulationFactory)
public:
    std::unique_ptr<ut::sim::Simulation> create() const override { return std::make_unique<ut::test::ScaledHeights>(); }
};

#include "FixtureWrongApi.moc"
