#include "ut/sensors/ThingsDocument.h"

#include "SensorThingsJson.h"
#include "ut/geodata/TextPosition.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace ut::sensors {

Result<SensorCatalog> readThingsFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()).toStdString()};
    const QByteArray text = file.readAll();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        return Error{QStringLiteral("%1:%2: invalid JSON: %3")
                         .arg(path, QString::fromStdString(lineAndColumn(text, error.offset)), error.errorString())
                         .toStdString()};
    const QJsonValue things = document.isArray() ? QJsonValue(document.array()) : document.object().value(QLatin1String("value"));
    if (!things.isArray())
        return Error{(path + QStringLiteral(": expected SensorThings Things: {\"value\": [ … ]}")).toStdString()};
    FeedCounters counters(path);
    SensorCatalog catalog;
    for (const QJsonValue& value : things.toArray()) {
        const QJsonObject object = value.toObject();
        std::optional<Thing> thing = thingOf(object, &counters);
        if (!thing)
            continue;
        for (const QJsonValue& datastream : object.value(QLatin1String("Datastreams")).toArray())
            if (std::optional<Datastream> parsed = datastreamOf(datastream.toObject(), thing->id, &counters))
                catalog.addDatastream(std::move(*parsed));
        catalog.addThing(std::move(*thing));
    }
    if (catalog.things().empty())
        return Error{(path + QStringLiteral(": no Things with an @iot.id")).toStdString()};
    return catalog;
}

}  // namespace ut::sensors
