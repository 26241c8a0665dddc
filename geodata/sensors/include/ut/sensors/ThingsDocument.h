#pragma once

#include "ut/geodata/Result.h"
#include "ut/sensors/SensorModel.h"

#include <QString>

namespace ut::sensors {

// A sensor catalogue kept in a file, in the form a SensorThings server answers
// /Things?$expand=Locations,Datastreams($expand=ObservedProperty): {"value": [Thing, …]} (a bare
// array of Things too). Names the sensors of a feed that brings no catalogue of its own (MQTT).
// An error names the file and the problem; entities with missing fields are skipped.
Result<SensorCatalog> readThingsFile(const QString& path);

}  // namespace ut::sensors
