#pragma once

#include <QString>
#include <QHash>
#include <QStringList>
#include <memory>
#include <optional>
#include <vector>

#include "ut/app/Project.h"
#include "ut/geodata/CityModel.h"
#include "ut/geodata/Result.h"
#include "ut/sim/Measurements.h"
#include "ut/sensors/SensorModel.h"

namespace ut::sensors {
class FeedCounters;
class ObservationStore;
class SensorHub;
}  // namespace ut::sensors

namespace ut::app {

struct SensorFeedStatus {
    QString name;
    QString description;  // the feed's own one-line description, or the source when it failed
    QString error;        // why it did not start; empty when running
    const sensors::FeedCounters* counters = nullptr;
};

// What a pin shows: the newest value at the session's clock (or at a replay time).
struct SensorReading {
    double value = 0.0;
    sensors::TimeMs time = 0;
    bool hasValue = false;
    bool stale = true;
};

// The project's sensor feeds while a city is open: the observation store (written through to
// disk), the hub that checks what feeds deliver, and the feeds themselves. A feed that cannot
// start is listed with its error; the others run.
class SensorSession {
public:
    static Result<std::unique_ptr<SensorSession>> start(const Project& project, const QString& storePath);
    ~SensorSession();

    // Picks up things and datastreams that feeds discovered since the last call (SensorThings).
    // Returns true when the catalogue changed.
    bool refreshCatalog();
    const sensors::SensorCatalog& catalog() const { return m_catalog; }
    // Things with a location: one pin each, in this order.
    const std::vector<const sensors::Thing*>& placedThings() const { return m_placed; }
    QStringList observedProperties() const;
    const sensors::Datastream* datastreamOf(const QString& thingId, const QString& property) const;

    // One reading per placed thing for that property: the newest at `at`, or at clock() when
    // at is empty. Stale when older than the project's stale_after_minutes.
    std::vector<SensorReading> readings(const QString& property, std::optional<sensors::TimeMs> at = {}) const;
    // The span of observation times of the property, and the span of its values.
    std::optional<std::pair<sensors::TimeMs, sensors::TimeMs>> timeRange(const QString& property) const;
    std::optional<std::pair<double, double>> valueRange(const QString& property) const;
    // Now, when a live feed runs; else the newest observation time (replays run in their own time).
    sensors::TimeMs clock() const;

    bool hasLiveFeed() const { return m_live; }

    std::vector<SensorFeedStatus> feeds() const;
    // Every stored series of sensors tied to a building or road link of this city (Thing.entity),
    // as simulations receive them.
    sim::Measurements measurements(const CityModel& city) const;
    sim::MeasuredSeries measuredSeries(const sensors::Datastream& datastream, sim::EntityKind kind, std::size_t entity) const;
    sensors::ObservationStore& store() { return *m_store; }
    const sensors::ObservationStore& store() const { return *m_store; }
    std::uint64_t revision() const;
    QString storePath() const { return m_storePath; }

private:
    SensorSession() = default;
    void rebuildPlaced();
    // The clock each running feed's staleness is judged by: now for live feeds, the newest
    // observation of the feed itself for replays (they run in their own time).
    std::vector<sensors::TimeMs> feedClocks() const;
    sensors::TimeMs clockOf(const QString& datastreamId, const std::vector<sensors::TimeMs>& clocks) const;

    QString m_storePath;
    double m_staleAfterMs = 0.0;
    bool m_live = false;
    std::unique_ptr<sensors::ObservationStore> m_store;
    std::unique_ptr<sensors::SensorHub> m_hub;
    std::vector<SensorFeedStatus> m_failed;
    std::vector<QString> m_names;
    std::vector<bool> m_feedIsLive;                 // per running feed
    QHash<QString, std::size_t> m_feedOfDatastream;  // datastream id → running feed
    sensors::SensorCatalog m_catalog;
    std::vector<const sensors::Thing*> m_placed;
};

// Where a project's observations are kept between runs of the app (per project file).
QString defaultObservationStorePath(const Project& project);

}  // namespace ut::app
