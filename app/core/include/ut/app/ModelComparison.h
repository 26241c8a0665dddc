#pragma once

#include <QString>
#include <optional>
#include <vector>

#include "ut/geodata/CityModel.h"
#include "ut/sim/Measurements.h"
#include "ut/sim/ModelFit.h"
#include "ut/sim/ResultSet.h"

namespace ut::app {

// A measured series beside what a simulation computed at the same entity: the field with the
// entity's kind and the measurement's unit, paired hour by hour. Traffic counts (veh/h) get the
// GEH statistic; other series ASHRAE Guideline 14's CV(RMSE) and NMBE.
struct ModelComparison {
    QString field;
    QString unit;
    std::vector<sim::TimedValue> modelled;  // the field at the entity, every step
    std::size_t paired = 0;
    std::optional<sim::CalibrationFit> calibration;
    std::optional<sim::GehSummary> geh;
    // One line for a panel or report, e.g. "CV(RMSE) 18.2 %, NMBE −3.1 % over 720 h: within Guideline 14 (30 %, ±10 %)".
    QString summary() const;
};

// nullopt when the results hold no such field or no measurement falls on a model step.
std::optional<ModelComparison> compareWithModel(const sim::MeasuredSeries& measured, const sim::ResultSet& results);

// "building:<id>" or "link:<id>" (a sensor's Thing.entity) as a kind and index in the city; nullopt
// when the entity is not in this city.
std::optional<std::pair<sim::EntityKind, std::size_t>> resolveEntity(const QString& entity, const CityModel& city);

}  // namespace ut::app
