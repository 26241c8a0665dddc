#pragma once

#include "ut/sensors/FeedSource.h"
#include "ut/sensors/ObservationStore.h"
#include "ut/sensors/SensorModel.h"

#include <memory>
#include <mutex>
#include <vector>

namespace ut::sensors {

// Receives what the feeds deliver, checks it against the catalogue, and stores it:
// unknown datastreams, units that differ from the datastream's, and phenomenon times
// too far ahead of the receive time are counted on the delivering feed and skipped;
// duplicates are counted and dropped by the store.
class SensorHub {
public:
    struct Options {
        TimeMs maxFutureSkew = 5 * 60 * 1000;
        // Without a catalogue (a raw recording), every datastream is accepted.
        bool acceptUnknownDatastreams = false;
    };

    SensorHub(ObservationStore& store, SensorCatalog catalog, Options options);
    ~SensorHub();  // stops every feed

    // Merges the feed's catalogue into the hub's and starts it.
    Status addFeed(std::unique_ptr<FeedSource> feed);
    void stopAll();

    SensorCatalog catalog() const;
    // Adds things and datastreams learnt later (a SensorThings feed loads its catalogue after
    // start; a project names an MQTT feed's sensors in a Things file).
    void mergeCatalog(const SensorCatalog& catalog);
    const std::vector<std::unique_ptr<FeedSource>>& feeds() const { return m_feeds; }
    ObservationStore& store() { return m_store; }

private:
    class FeedSink;
    void accept(FeedSource& feed, std::vector<IncomingObservation> batch);

    ObservationStore& m_store;
    mutable std::mutex m_catalogMutex;
    SensorCatalog m_catalog;
    Options m_options;
    std::vector<std::unique_ptr<FeedSource>> m_feeds;
    std::vector<std::unique_ptr<FeedSink>> m_sinks;
};

}  // namespace ut::sensors
