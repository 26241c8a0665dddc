#include "ut/sensors/ObservationPayload.h"

#include "SensorThingsJson.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QRegularExpression>

#include <cmath>

namespace ut::sensors {

std::optional<TimeMs> parseTime(QStringView text)
{
    QStringView instant = text.trimmed();
    if (const qsizetype slash = instant.indexOf(u'/'); slash >= 0)
        instant = instant.mid(slash + 1);
    if (instant.isEmpty())
        return std::nullopt;
    QDateTime time = QDateTime::fromString(instant.toString(), Qt::ISODateWithMs);
    if (!time.isValid())
        return std::nullopt;
    // A time without an offset is taken as UTC, as SensorThings requires offsets anyway.
    if (time.timeSpec() == Qt::LocalTime)
        time.setTimeSpec(Qt::UTC);
    return time.toMSecsSinceEpoch();
}

QString formatTime(TimeMs time)
{
    return QDateTime::fromMSecsSinceEpoch(time, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString datastreamFromTopic(QStringView topic)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^v1\.[01]/Datastreams\(('?)([^')]+)\1\)/Observations$)"));
    const QRegularExpressionMatch match = pattern.match(topic);
    return match.hasMatch() ? match.captured(2) : QString();
}

namespace {

std::optional<IncomingObservation> decodeJson(QStringView topic, const QJsonObject& object,
                                              TimeMs receivedAt)
{
    IncomingObservation incoming;
    incoming.receivedAt = receivedAt;
    Observation& observation = incoming.observation;

    observation.datastreamId = datastreamFromTopic(topic);
    if (observation.datastreamId.isEmpty()) {
        if (const QJsonValue datastream = object.value(QLatin1String("Datastream")); datastream.isObject())
            observation.datastreamId = idOf(datastream.toObject().value(QLatin1String("@iot.id")));
        else
            observation.datastreamId = idOf(object.value(QLatin1String("datastream")));
    }
    if (observation.datastreamId.isEmpty())
        return std::nullopt;

    const QJsonValue resultValue = object.contains(QLatin1String("result")) ? object.value(QLatin1String("result"))
                                                                            : object.value(QLatin1String("value"));
    const std::optional<double> result = numberOf(resultValue);
    if (!result || !std::isfinite(*result))
        return std::nullopt;
    observation.result = *result;

    QJsonValue timeValue = object.value(QLatin1String("phenomenonTime"));
    if (timeValue.isUndefined())
        timeValue = object.value(QLatin1String("time"));
    if (timeValue.isUndefined()) {
        observation.phenomenonTime = receivedAt;
    } else if (timeValue.isDouble()) {
        observation.phenomenonTime = static_cast<TimeMs>(timeValue.toDouble());
    } else {
        const std::optional<TimeMs> time = parseTime(timeValue.toString());
        if (!time)
            return std::nullopt;
        observation.phenomenonTime = *time;
    }
    incoming.unitSymbol = object.value(QLatin1String("unit")).toString();
    return incoming;
}

}  // namespace

std::optional<IncomingObservation> decodePayload(QStringView topic, const QByteArray& payload,
                                                 TimeMs receivedAt)
{
    const QByteArray trimmed = payload.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    if (trimmed.front() == '{') {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(trimmed, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject())
            return std::nullopt;
        return decodeJson(topic, document.object(), receivedAt);
    }
    bool ok = false;
    const double number = trimmed.toDouble(&ok);
    if (!ok || !std::isfinite(number) || topic.isEmpty())
        return std::nullopt;
    IncomingObservation incoming;
    incoming.receivedAt = receivedAt;
    incoming.observation.datastreamId = topic.toString();
    incoming.observation.phenomenonTime = receivedAt;
    incoming.observation.result = number;
    return incoming;
}

}  // namespace ut::sensors
