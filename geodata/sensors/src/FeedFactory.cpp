#include "ut/sensors/FeedFactory.h"

#include "ut/sensors/CsvReplay.h"
#include "ut/sensors/MqttFeed.h"
#include "ut/sensors/SensorThingsClient.h"

#include <QFileInfo>

namespace ut::sensors {

namespace {

Error errorFor(const QString& source, const QString& problem)
{
    return Error{QStringLiteral("%1: %2").arg(source, problem).toStdString()};
}

Result<std::unique_ptr<FeedSource>> makeMqttFeed(const QString& source, const FeedOptions& options)
{
    Result<MqttOptions> parsed = parseMqttUrl(source);
    if (!parsed)
        return Error{parsed.error()};
    MqttOptions mqtt = std::move(parsed.value());
    if (!options.topics.isEmpty())
        mqtt.topics = options.topics;
    if (options.qos) {
        if (*options.qos < 0 || *options.qos > 1)
            return errorFor(mqttUrlOf(mqtt), QStringLiteral("qos must be 0 or 1, not %1").arg(*options.qos));
        mqtt.qos = *options.qos;
    }
    if (!options.clientId.isEmpty())
        mqtt.clientId = options.clientId;
    return std::unique_ptr<FeedSource>(std::make_unique<MqttFeed>(std::move(mqtt)));
}

}  // namespace

Result<std::unique_ptr<FeedSource>> makeFeed(const QString& source, const FeedOptions& options)
{
    const QString scheme = source.section(QLatin1Char(':'), 0, 0).toLower();
    if (source.contains(QLatin1String("://"))) {
        if (scheme == QLatin1String("mqtt") || scheme == QLatin1String("mqtts"))
            return makeMqttFeed(source, options);
        if (scheme == QLatin1String("http") || scheme == QLatin1String("https")) {
            Result<QUrl> root = sensorThingsServiceRoot(source);
            if (!root)
                return Error{root.error()};
            SensorThingsFeed::Options sensorThings;
            sensorThings.pollIntervalMs = options.pollIntervalMs;
            sensorThings.backfillFrom = options.backfillFrom;
            return std::unique_ptr<FeedSource>(std::make_unique<SensorThingsFeed>(*root, sensorThings));
        }
        return errorFor(source, QStringLiteral("unknown feed scheme '%1' (mqtt://, mqtts://, http://, https://)").arg(scheme));
    }
    const QFileInfo file(source);
    const QString suffix = file.suffix().toLower();
    if (suffix == QLatin1String("csv") || suffix == QLatin1String("json")) {
        if (!file.exists())
            return errorFor(source, QStringLiteral("no such file"));
        if (!file.isReadable())
            return errorFor(source, QStringLiteral("cannot read"));
        CsvReplay::Options replay;
        replay.speed = options.replaySpeed;
        Result<std::unique_ptr<CsvReplay>> opened = CsvReplay::open(source, replay);
        if (!opened)
            return Error{opened.error()};
        return std::unique_ptr<FeedSource>(std::move(opened.value()));
    }
    return errorFor(source, QStringLiteral("not a feed source (an mqtt:// or mqtts:// broker, a SensorThings "
                                           "http(s):// URL, or a .csv or .json recording)"));
}

}  // namespace ut::sensors
