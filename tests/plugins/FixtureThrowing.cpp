// A fixture that throws while advancing: the runner must report it and carry on.
#include <QObject>
#include <stdexcept>

#include "ut/sim/Simulation.h"

namespace {
class Throwing : public ut::sim::Simulation {
public:
    ut::Status prepare(const ut::sim::SimulationContext&) override { return {}; }
    ut::Status advance(std::size_t, ut::Feedback&) override { throw std::runtime_error("fixture exploded on purpose"); }
    void writeResults(ut::sim::ResultSet&) override {}
};
}  // namespace

class FixtureThrowing : public QObject, public ut::sim::SimulationFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID UrbanTwinSimulationFactory_iid FILE "throwing.json")
    Q_INTERFACES(ut::sim::SimulationFactory)
public:
    std::unique_ptr<ut::sim::Simulation> create() const override { return std::make_unique<Throwing>(); }
};

#include "FixtureThrowing.moc"
