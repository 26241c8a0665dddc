#pragma once

// A well-behaved fixture simulation: building height × factor, and their sum as a KPI; it also
// counts the measured values the app handed it.
#include "ut/sim/Simulation.h"

namespace ut::test {
class ScaledHeights : public ut::sim::Simulation {
public:
    ut::Status prepare(const ut::sim::SimulationContext& context) override {
        m_city = context.city;
        m_factor = context.parameters.value(QStringLiteral("factor")).toDouble();
        m_measuredValues = 0;
        if (context.measurements)
            for (const auto& series : *context.measurements) m_measuredValues += series.values.size();
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
        results.setKpi("fixture.measured_values", static_cast<double>(m_measuredValues), "");
    }

private:
    const ut::CityModel* m_city = nullptr;
    double m_factor = 1.0;
    std::size_t m_measuredValues = 0;
};
}  // namespace ut::test
