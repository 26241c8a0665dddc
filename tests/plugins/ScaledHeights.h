#pragma once

// A well-behaved fixture simulation: building height × factor, and their sum as a KPI.
#include "ut/sim/Simulation.h"

namespace ut::test {
class ScaledHeights : public ut::sim::Simulation {
public:
    ut::Status prepare(const ut::sim::SimulationContext& context) override {
        m_city = context.city;
        m_factor = context.parameters.value(QStringLiteral("factor")).toDouble();
        return {};
    }
    ut::Status advance(std::size_t, ut::Feedback&) override { return {}; }
    void writeResults(ut::sim::ResultSet& results) override {
        auto& field = results.addField("fixture.scaled_height_m", "m", ut::sim::EntityKind::Building, m_city->buildings.size());
        double sum = 0.0;
        for (std::size_t i = 0; i < m_city->buildings.size(); ++i) {
            field.values[i] = m_city->buildings.heightM(i) * m_factor;
            sum += field.values[i];
        }
        results.setKpi("fixture.sum_scaled_height_m", sum, "m");
    }

private:
    const ut::CityModel* m_city = nullptr;
    double m_factor = 1.0;
};
}  // namespace ut::test
