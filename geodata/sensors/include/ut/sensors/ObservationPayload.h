#pragma once

#include "ut/sensors/SensorModel.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace ut::sensors {

// ISO 8601 instant ("2024-05-01T09:00:00Z", "...+09:00", fractional seconds) or a
// SensorThings interval ("start/end": the end is taken). nullopt when malformed.
std::optional<TimeMs> parseTime(QStringView text);
QString formatTime(TimeMs time);  // ISO 8601 UTC with milliseconds

// The datastream id in a SensorThings MQTT topic "v1.1/Datastreams(42)/Observations"
// (also v1.0, quoted string ids); empty when the topic is not of that form.
QString datastreamFromTopic(QStringView topic);

// Decodes one MQTT payload into an observation:
//  - a SensorThings Observation JSON {"phenomenonTime": ..., "result": ...} (the datastream
//    from the topic, or "Datastream": {"@iot.id": ...});
//  - UrbanTwin's compact JSON {"datastream": "...", "time": "...", "result": 1.5, "unit": "..."};
//  - a bare number (the datastream is the topic; the time is receivedAt).
// nullopt when the payload is malformed or names no datastream.
std::optional<IncomingObservation> decodePayload(QStringView topic, const QByteArray& payload,
                                                 TimeMs receivedAt);

}  // namespace ut::sensors
