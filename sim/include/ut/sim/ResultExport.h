#pragma once

#include <QString>

#include "ut/geodata/CityModel.h"
#include "ut/geodata/Result.h"
#include "ut/sim/ResultSet.h"

namespace ut::sim {

// kpis.json: each KPI's full name → {"value": v, "unit": u}.
Status writeKpisJson(const ResultSet& results, const QString& path);

// One CSV per field in folder, named <field>.csv. A static field has rows "entity_id,value";
// a time series has a "time" column then one column per entity, a row per step.
Status writeFieldCsvs(const ResultSet& results, const CityModel& city, const QString& folder);

// A GeoPackage with a layer per entity kind that has fields (buildings, links, nodes), each field
// a column (time series as <field>_mean and <field>_max).
Status writeResultsGeoPackage(const ResultSet& results, const CityModel& city, const QString& path);

}  // namespace ut::sim
