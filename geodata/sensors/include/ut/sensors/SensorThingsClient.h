#pragma once

#include "ut/geodata/Result.h"
#include "ut/sensors/FeedSource.h"
#include "ut/sensors/SensorModel.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

class QThread;

namespace ut::sensors {

// OGC SensorThings API Part 1 (Sensing) over HTTP, versions 1.1 and 1.0.

// The service root of a SensorThings URL: "http://host:8080/FROST-Server/v1.1" as given (a
// trailing slash dropped); a URL whose last path segment is not v1.0 or v1.1 gets "/v1.1".
// An error when it is not an http(s) URL.
Result<QUrl> sensorThingsServiceRoot(const QString& url);

struct SensorThingsHttpOptions {
    int transferTimeoutMs = 15000;  // per request; a stalled transfer fails after this long
    int pageSize = 1000;            // $top asked for; servers may send fewer and an @iot.nextLink
    int maxPages = 100000;          // a guard against servers that never stop paging
};

// Blocking reads on the calling thread with a local event loop (any thread; a QCoreApplication
// must exist). An entity with a missing or malformed field is skipped and counted in
// `counters` (when given); an HTTP error, a timeout, an unreachable server or a document that is
// not SensorThings JSON fails the call with a one-line error naming the URL.

// Things with $expand=Locations,Datastreams($expand=ObservedProperty), following every
// @iot.nextLink (also the nested Datastreams@iot.nextLink). A Thing's location is its first
// Location's GeoJSON Point (a Feature's geometry too; other geometries give their centroid).
Result<SensorCatalog> fetchCatalog(const QUrl& serviceRoot, const SensorThingsHttpOptions& options = {},
                                   FeedCounters* counters = nullptr);

// The observations of one datastream with from <= phenomenonTime <= to, oldest first, all
// pages. A numeric id addresses Datastreams(42), any other Datastreams('id').
Result<std::vector<Observation>> fetchObservations(const QUrl& serviceRoot, const QString& datastreamId,
                                                   TimeMs from, TimeMs to,
                                                   const SensorThingsHttpOptions& options = {},
                                                   FeedCounters* counters = nullptr);

// A SensorThings service as a live feed. Its own thread loads the catalogue (unless
// loadCatalog() already did), then polls each datastream for observations newer than the
// newest it has seen ($filter=phenomenonTime gt ...). Failed requests are counted as
// ConnectionLost or MalformedPayload and retried with doubling back-off.
class SensorThingsFeed final : public FeedSource {
public:
    struct Options {
        SensorThingsHttpOptions http;
        int pollIntervalMs = 10000;
        int retryInitialMs = 1000;
        int retryMaxMs = 60000;
        // The first poll fetches every observation from this time on; without it, only the
        // newest observation of each datastream.
        std::optional<TimeMs> backfillFrom;
        QStringList datastreamIds;  // the datastreams to poll; empty polls all
    };

    SensorThingsFeed(QUrl serviceRoot, Options options);
    ~SensorThingsFeed() override;

    QString description() const override;  // "SensorThings http://host/FROST-Server/v1.1"
    // Empty until the catalogue is loaded (by loadCatalog() or the feed's thread).
    SensorCatalog catalog() const override;
    // Loads the catalogue now, blocking; call it before SensorHub::addFeed so the hub knows
    // the datastreams from the start.
    Status loadCatalog();
    Status start(ObservationSink& sink) override;
    void stop() override;  // returns within about 100 ms; aborts a request in flight
    FeedCounters& counters() override { return m_counters; }
    // Poll rounds completed, each over every datastream (for tests and status displays).
    std::uint64_t completedPolls() const { return m_completedPolls.load(); }

private:
    void run(ObservationSink& sink);
    bool waitOrStop(int milliseconds);

    QUrl m_serviceRoot;
    Options m_options;
    FeedCounters m_counters;
    mutable std::mutex m_catalogMutex;
    SensorCatalog m_catalog;
    QHash<QString, QUrl> m_observationLinks;
    bool m_catalogLoaded = false;
    std::mutex m_stopMutex;
    std::condition_variable m_stopCondition;
    std::atomic<bool> m_stopping{false};
    std::atomic<std::uint64_t> m_completedPolls{0};
    std::unique_ptr<QThread> m_thread;
};

}  // namespace ut::sensors
