#pragma once

#include "ut/geodata/Result.h"
#include "ut/sensors/FeedSource.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace ut::sensors {

// What a caller adds to a source string (CLI flags, project settings).
struct FeedOptions {
    QStringList topics;      // MQTT: these filters replace the URL's own
    std::optional<int> qos;  // MQTT: overrides the URL's qos
    QString clientId;        // MQTT: overrides the URL's client_id
    double replaySpeed = 1.0;             // CSV replay: seconds of data per second; 0 at once
    int pollIntervalMs = 10000;           // SensorThings HTTP: how often to ask for new observations
    std::optional<TimeMs> backfillFrom;   // SensorThings HTTP: also read observations since then
};

// A feed for a source string:
//   mqtt://… and mqtts://…  an MQTT broker (parseMqttUrl);
//   http://… and https://…  a SensorThings API base URL;
//   a .csv or .json file    a recording to replay.
// An error (one line naming the source) when the source is none of these, a file is missing, or
// the options are wrong.
Result<std::unique_ptr<FeedSource>> makeFeed(const QString& source, const FeedOptions& options = {});

}  // namespace ut::sensors
