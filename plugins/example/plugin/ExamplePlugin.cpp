#include "ExamplePlugin.h"

#include "ut/example/FloorAreaEngine.h"

namespace ut::example {

namespace {
class FloorAreaSimulation : public sim::Simulation {
public:
    Status prepare(const sim::SimulationContext& context) override {
        m_buildings = &context.city->buildings;
        m_inputs.cellSizeM = context.parameters.value(QStringLiteral("cell_size_m")).toDouble();
        m_inputs.storeyHeightM = context.parameters.value(QStringLiteral("storey_height_m")).toDouble();
        if (m_buildings->empty()) return Error{"the city has no buildings"};
        return {};
    }

    Status advance(std::size_t, Feedback&) override {
        m_result = computeFloorArea(*m_buildings, m_inputs);
        return {};
    }

    void writeResults(sim::ResultSet& results) override {
        const std::size_t n = m_buildings->size();
        results.addField("example.floors", "", sim::EntityKind::Building, n).values = m_result.floors;
        results.addField("example.gfa_m2", "m²", sim::EntityKind::Building, n).values = m_result.gfaM2;
        results.addField("example.cell_far", "", sim::EntityKind::Building, n).values = m_result.cellFar;
        results.setKpi("example.total_gfa_m2", m_result.totalGfaM2, "m²");
        results.setKpi("example.district_far", m_result.districtFar, "");
        results.setKpi("example.max_cell_far", m_result.maxCellFar, "");
        results.setKpi("example.built_cells", static_cast<double>(m_result.builtCells), "");
    }

private:
    const BuildingTable* m_buildings = nullptr;
    FloorAreaInputs m_inputs;
    FloorAreaResult m_result;
};
}  // namespace

std::unique_ptr<sim::Simulation> ExamplePlugin::create() const { return std::make_unique<FloorAreaSimulation>(); }

}  // namespace ut::example
