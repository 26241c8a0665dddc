#include "SensorThingsJson.h"

#include <QJsonArray>

#include <cmath>

namespace ut::sensors {

namespace {

// The mean of every [lon, lat] position in a GeoJSON coordinates array (a Point is its own).
bool accumulatePositions(const QJsonArray& coordinates, double& sumLon, double& sumLat, int& count)
{
    if (coordinates.size() >= 2 && coordinates[0].isDouble() && coordinates[1].isDouble()) {
        sumLon += coordinates[0].toDouble();
        sumLat += coordinates[1].toDouble();
        ++count;
        return true;
    }
    bool any = false;
    for (const QJsonValue& nested : coordinates) {
        if (nested.isArray())
            any = accumulatePositions(nested.toArray(), sumLon, sumLat, count) || any;
    }
    return any;
}

}  // namespace

QString idOf(const QJsonValue& value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble()) {
        const double number = value.toDouble();
        if (number == std::floor(number) && std::abs(number) < 9.0e15)
            return QString::number(static_cast<qint64>(number));
    }
    return {};
}

std::optional<double> numberOf(const QJsonValue& value)
{
    if (value.isDouble())
        return value.toDouble();
    if (value.isString()) {
        bool ok = false;
        const double number = value.toString().trimmed().toDouble(&ok);
        if (ok)
            return number;
    }
    return std::nullopt;
}

std::optional<Location> locationOf(const QJsonValue& geoJson)
{
    QJsonObject geometry = geoJson.toObject();
    if (geometry.value(QLatin1String("type")).toString() == QLatin1String("Feature"))
        geometry = geometry.value(QLatin1String("geometry")).toObject();
    double sumLon = 0.0;
    double sumLat = 0.0;
    int count = 0;
    if (!accumulatePositions(geometry.value(QLatin1String("coordinates")).toArray(), sumLon, sumLat, count))
        return std::nullopt;
    Location location;
    location.longitude = sumLon / count;
    location.latitude = sumLat / count;
    if (!std::isfinite(location.longitude) || !std::isfinite(location.latitude) ||
        std::abs(location.longitude) > 180.0 || std::abs(location.latitude) > 90.0)
        return std::nullopt;
    return location;
}

namespace {
void count(FeedCounters* counters, FeedProblem problem, const QString& detail)
{
    if (counters)
        counters->report(problem, detail);
}
}  // namespace

std::optional<Thing> thingOf(const QJsonObject& object, FeedCounters* counters)
{
    Thing thing;
    thing.id = idOf(object.value(QLatin1String("@iot.id")));
    if (thing.id.isEmpty()) {
        count(counters, FeedProblem::MalformedPayload, QStringLiteral("a Thing without @iot.id"));
        return std::nullopt;
    }
    thing.name = object.value(QLatin1String("name")).toString(thing.id);
    thing.description = object.value(QLatin1String("description")).toString();
    thing.entity = object.value(QLatin1String("properties")).toObject().value(QLatin1String("entity")).toString();
    const QJsonArray locations = object.value(QLatin1String("Locations")).toArray();
    for (const QJsonValue& location : locations) {
        if (std::optional<Location> position = locationOf(location.toObject().value(QLatin1String("location")))) {
            thing.location = *position;
            break;
        }
    }
    if (!locations.isEmpty() && !thing.location.isValid())
        count(counters, FeedProblem::MalformedPayload,
              QStringLiteral("Thing %1: no Location with GeoJSON coordinates").arg(thing.id));
    return thing;
}

std::optional<Datastream> datastreamOf(const QJsonObject& object, const QString& thingId, FeedCounters* counters)
{
    Datastream datastream;
    datastream.id = idOf(object.value(QLatin1String("@iot.id")));
    if (datastream.id.isEmpty()) {
        count(counters, FeedProblem::MalformedPayload, QStringLiteral("Thing %1: a Datastream without @iot.id").arg(thingId));
        return std::nullopt;
    }
    datastream.name = object.value(QLatin1String("name")).toString();
    datastream.thingId = thingId;
    const QJsonValue unit = object.value(QLatin1String("unitOfMeasurement"));
    if (unit.isObject()) {
        const QJsonObject unitObject = unit.toObject();
        datastream.unit.name = unitObject.value(QLatin1String("name")).toString();
        datastream.unit.symbol = unitObject.value(QLatin1String("symbol")).toString();
        datastream.unit.definition = unitObject.value(QLatin1String("definition")).toString();
    } else {
        count(counters, FeedProblem::MalformedPayload, QStringLiteral("Datastream %1: no unitOfMeasurement").arg(datastream.id));
    }
    const QJsonObject property = object.value(QLatin1String("ObservedProperty")).toObject();
    datastream.observedProperty.name = property.value(QLatin1String("name")).toString();
    datastream.observedProperty.definition = property.value(QLatin1String("definition")).toString();
    datastream.observedProperty.description = property.value(QLatin1String("description")).toString();
    return datastream;
}

}  // namespace ut::sensors
