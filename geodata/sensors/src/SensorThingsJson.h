#pragma once

#include "ut/sensors/FeedCounters.h"
#include "ut/sensors/SensorModel.h"

#include <QJsonObject>
#include <QJsonValue>

#include <optional>

// Reading SensorThings JSON entities, shared by the HTTP client, the Things file reader and
// the MQTT payload decoder.
namespace ut::sensors {

// An @iot.id as text: string ids as they are, integral numbers without a fraction.
QString idOf(const QJsonValue& value);
// A number, or a string holding one.
std::optional<double> numberOf(const QJsonValue& value);
// A GeoJSON Point (or Feature) as WGS 84 degrees; other geometries give their mean position.
std::optional<Location> locationOf(const QJsonValue& geoJson);

// A Thing entity with its Locations expanded (the first one with coordinates is used) and its
// properties.entity link; problems are counted on `counters` when given.
std::optional<Thing> thingOf(const QJsonObject& object, FeedCounters* counters);
// A Datastream entity with its ObservedProperty expanded.
std::optional<Datastream> datastreamOf(const QJsonObject& object, const QString& thingId, FeedCounters* counters);

}  // namespace ut::sensors
