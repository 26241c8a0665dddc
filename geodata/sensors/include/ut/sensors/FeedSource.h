#pragma once

#include "ut/geodata/Result.h"
#include "ut/sensors/FeedCounters.h"
#include "ut/sensors/SensorModel.h"

#include <QString>

#include <vector>

namespace ut::sensors {

// Where a feed delivers batches of observations. Called from the feed's own thread.
class ObservationSink {
public:
    virtual ~ObservationSink() = default;
    virtual void deliver(std::vector<IncomingObservation> batch) = 0;
};

// A source of observations (MQTT, SensorThings HTTP, CSV replay). start() returns at once;
// the feed works on its own thread until stop(), reconnecting on its own where that
// applies. Problems are counted in counters() and never thrown.
class FeedSource {
public:
    virtual ~FeedSource() = default;
    virtual QString description() const = 0;  // one line: "MQTT mqtt://127.0.0.1:1883 v1.1/#"
    // The things and datastreams the source declares (CSV mapping, SensorThings entities).
    virtual SensorCatalog catalog() const { return {}; }
    virtual Status start(ObservationSink& sink) = 0;
    virtual void stop() = 0;
    virtual FeedCounters& counters() = 0;
};

}  // namespace ut::sensors
