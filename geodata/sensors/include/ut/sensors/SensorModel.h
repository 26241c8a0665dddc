#pragma once

#include <QString>

#include <cstdint>
#include <limits>
#include <optional>
#include <QHash>
#include <vector>

namespace ut::sensors {

// The OGC SensorThings sensing model (Thing, Location, Datastream, ObservedProperty,
// Observation), reduced to what a city twin draws, stores and compares.

struct UnitOfMeasurement {
    QString name;        // "Microgram per cubic metre"
    QString symbol;      // "µg/m³"
    QString definition;  // a URI, may be empty
};

struct ObservedProperty {
    QString name;        // "PM2.5"
    QString definition;  // a URI, may be empty
    QString description;
};

// A Thing's position in WGS 84 degrees (SensorThings Locations are GeoJSON).
struct Location {
    double longitude = std::numeric_limits<double>::quiet_NaN();
    double latitude = std::numeric_limits<double>::quiet_NaN();
    bool isValid() const { return longitude == longitude && latitude == latitude; }
};

struct Thing {
    QString id;
    QString name;
    QString description;
    Location location;
    // What the sensor measures in the city model, for model-versus-measurement statistics:
    // "building:<id>" (a meter) or "link:<id>" (a traffic counter); empty when nothing.
    QString entity;
};

struct Datastream {
    QString id;
    QString name;
    QString thingId;
    ObservedProperty observedProperty;
    UnitOfMeasurement unit;
};

// Milliseconds since 1970-01-01T00:00:00Z.
using TimeMs = std::int64_t;

struct Observation {
    QString datastreamId;
    TimeMs phenomenonTime = 0;
    double result = 0.0;
};

// An observation as a feed delivered it, before the hub checks it against the catalogue.
struct IncomingObservation {
    Observation observation;
    QString unitSymbol;  // set only when the payload names a unit
    TimeMs receivedAt = 0;
};

// Things and datastreams known to the twin, looked up by id.
class SensorCatalog {
public:
    void addThing(Thing thing);
    void addDatastream(Datastream datastream);
    void merge(const SensorCatalog& other);

    const Thing* thing(const QString& id) const;
    const Datastream* datastream(const QString& id) const;
    const std::vector<Thing>& things() const { return m_things; }
    const std::vector<Datastream>& datastreams() const { return m_datastreams; }
    std::vector<const Datastream*> datastreamsOf(const QString& thingId) const;
    bool isEmpty() const { return m_datastreams.empty(); }

private:
    std::vector<Thing> m_things;
    std::vector<Datastream> m_datastreams;
    QHash<QString, std::size_t> m_thingIndex;
    QHash<QString, std::size_t> m_datastreamIndex;
};

}  // namespace ut::sensors
