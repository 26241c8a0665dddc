#pragma once

#include <QDateTime>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "ut/sim/VehiclePlayback.h"

namespace ut::sim {

enum class EntityKind { Building, Link, Node, Sensor };

const char* toString(EntityKind kind);
std::optional<EntityKind> entityKindFromString(const std::string& text);

// Regular time steps; a field with one step and no start is a single value per entity.
struct TimeAxis {
    QDateTime start;
    int stepSeconds = 0;
    std::size_t steps = 1;

    bool isStatic() const { return steps == 1 && !start.isValid(); }
    QDateTime timeAt(std::size_t step) const { return start.addSecs(static_cast<qint64>(step) * stepSeconds); }
};

// A named quantity per entity over time, stored dense and time-major: value(t, e).
struct Field {
    std::string name;  // full name: "<plugin>.<quantity>", e.g. "example.gfa_m2"
    std::string unit;
    EntityKind kind = EntityKind::Building;
    std::size_t entityCount = 0;
    TimeAxis time;
    std::vector<double> values;
    std::vector<std::string> categories;  // non-empty: values are indices into it (categorical field)

    double value(std::size_t step, std::size_t entity) const { return values[step * entityCount + entity]; }
    double& value(std::size_t step, std::size_t entity) { return values[step * entityCount + entity]; }
    // Per-entity mean and maximum over time (the value itself for a static field).
    std::vector<double> meanOverTime() const;
    std::vector<double> maxOverTime() const;
};

struct Kpi {
    std::string name;  // full name: "<plugin>.<quantity>"
    double value = 0.0;
    std::string unit;
};

// What simulations produce: fields per entity kind and KPIs (names unique within a set), and where a
// simulation moves vehicles, their positions for playback.
class ResultSet {
public:
    // Adds a field filled with zeros and returns it; replaces a field of the same name. References
    // to fields stay valid while more are added.
    Field& addField(std::string name, std::string unit, EntityKind kind, std::size_t entityCount,
                    TimeAxis time = {});
    void setKpi(std::string name, double value, std::string unit);

    const std::deque<Field>& fields() const { return m_fields; }
    const std::vector<Kpi>& kpis() const { return m_kpis; }
    const Field* field(const std::string& name) const;
    const Kpi* kpi(const std::string& name) const;
    VehiclePlayback& vehiclePlayback() { return m_vehiclePlayback; }
    const VehiclePlayback& vehiclePlayback() const { return m_vehiclePlayback; }

    // Adds every field and KPI of other (names must not clash; other's win), and other's vehicle
    // playback where it has one.
    void merge(const ResultSet& other);

private:
    std::deque<Field> m_fields;
    std::vector<Kpi> m_kpis;
    VehiclePlayback m_vehiclePlayback;
};

}  // namespace ut::sim
