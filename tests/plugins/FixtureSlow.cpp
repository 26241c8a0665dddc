// A slow fixture: 200 steps of 20 ms, so that a test can cancel it half-way.
#include <QObject>
#include <QThread>

#include "ut/sim/Simulation.h"

namespace {
class Slow : public ut::sim::Simulation {
public:
    ut::Status prepare(const ut::sim::SimulationContext&) override { return {}; }
    std::size_t stepCount() const override { return 200; }
    ut::Status advance(std::size_t, ut::Feedback&) override {
        QThread::msleep(20);
        ++m_steps;
        return {};
    }
    void writeResults(ut::sim::ResultSet& results) override {
        results.setKpi("fixture_slow.steps", static_cast<double>(m_steps), "");
    }

private:
    std::size_t m_steps = 0;
};
}  // namespace

class FixtureSlow : public QObject, public ut::sim::SimulationFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID UrbanTwinSimulationFactory_iid FILE "slow.json")
    Q_INTERFACES(ut::sim::SimulationFactory)
public:
    std::unique_ptr<ut::sim::Simulation> create() const override { return std::make_unique<Slow>(); }
};

#include "FixtureSlow.moc"
