#include "ut/sim/ResultSet.h"

#include <algorithm>
#include <limits>

namespace ut::sim {

const char* toString(EntityKind kind) {
    switch (kind) {
        case EntityKind::Building: return "building";
        case EntityKind::Link: return "link";
        case EntityKind::Node: return "node";
        case EntityKind::Sensor: return "sensor";
    }
    return "building";
}

std::optional<EntityKind> entityKindFromString(const std::string& text) {
    for (EntityKind kind : {EntityKind::Building, EntityKind::Link, EntityKind::Node, EntityKind::Sensor}) {
        if (text == toString(kind)) return kind;
    }
    return std::nullopt;
}

std::vector<double> Field::meanOverTime() const {
    std::vector<double> mean(entityCount, 0.0);
    if (time.steps == 0) return mean;
    for (std::size_t t = 0; t < time.steps; ++t)
        for (std::size_t e = 0; e < entityCount; ++e) mean[e] += value(t, e);
    for (double& m : mean) m /= static_cast<double>(time.steps);
    return mean;
}

std::vector<double> Field::maxOverTime() const {
    std::vector<double> maximum(entityCount, -std::numeric_limits<double>::infinity());
    for (std::size_t t = 0; t < time.steps; ++t)
        for (std::size_t e = 0; e < entityCount; ++e) maximum[e] = std::max(maximum[e], value(t, e));
    return maximum;
}

Field& ResultSet::addField(std::string name, std::string unit, EntityKind kind, std::size_t entityCount,
                           TimeAxis time) {
    Field field{std::move(name), std::move(unit), kind, entityCount, time, {}, {}};
    field.values.assign(entityCount * std::max<std::size_t>(time.steps, 1), 0.0);
    auto existing = std::find_if(m_fields.begin(), m_fields.end(), [&](const Field& f) { return f.name == field.name; });
    if (existing != m_fields.end()) {
        *existing = std::move(field);
        return *existing;
    }
    m_fields.push_back(std::move(field));
    return m_fields.back();
}

void ResultSet::setKpi(std::string name, double value, std::string unit) {
    auto existing = std::find_if(m_kpis.begin(), m_kpis.end(), [&](const Kpi& k) { return k.name == name; });
    if (existing != m_kpis.end()) {
        existing->value = value;
        existing->unit = std::move(unit);
        return;
    }
    m_kpis.push_back(Kpi{std::move(name), value, std::move(unit)});
}

const Field* ResultSet::field(const std::string& name) const {
    auto it = std::find_if(m_fields.begin(), m_fields.end(), [&](const Field& f) { return f.name == name; });
    return it == m_fields.end() ? nullptr : &*it;
}

const Kpi* ResultSet::kpi(const std::string& name) const {
    auto it = std::find_if(m_kpis.begin(), m_kpis.end(), [&](const Kpi& k) { return k.name == name; });
    return it == m_kpis.end() ? nullptr : &*it;
}

void ResultSet::merge(const ResultSet& other) {
    for (const Field& f : other.m_fields) {
        Field& added = addField(f.name, f.unit, f.kind, f.entityCount, f.time);
        added.values = f.values;
        added.categories = f.categories;
    }
    for (const Kpi& k : other.m_kpis) setKpi(k.name, k.value, k.unit);
    if (!other.m_vehiclePlayback.empty()) m_vehiclePlayback = other.m_vehiclePlayback;
}

}  // namespace ut::sim
