#include "ut/sensors/CsvMapping.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>
#include <QTimeZone>
#include <algorithm>
#include <cmath>

namespace ut::sensors {

namespace {

constexpr TimeMs kMsPerDay = 86400000;

Error mappingError(const QString& where, const QString& problem) {
    return Error{QStringLiteral("%1: %2").arg(where, problem).toStdString()};
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto yearOfEra = static_cast<unsigned>(year - era * 400);
    const unsigned dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const unsigned dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + static_cast<std::int64_t>(dayOfEra) - 719468;
}

unsigned daysInMonth(std::int64_t year, unsigned month) {
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

// "+09:00", "-0500", "UTC", "Z" → milliseconds east of UTC.
std::optional<TimeMs> fixedOffset(const QString& zone) {
    if (zone.compare(QStringLiteral("UTC"), Qt::CaseInsensitive) == 0 || zone == QStringLiteral("Z"))
        return 0;
    if (zone.size() < 3 || (zone[0] != u'+' && zone[0] != u'-')) return std::nullopt;
    QString digits = zone.mid(1);
    digits.remove(u':');
    bool ok = false;
    const int value = digits.toInt(&ok);
    if (!ok || (digits.size() != 2 && digits.size() != 4)) return std::nullopt;
    const int hours = digits.size() == 2 ? value : value / 100;
    const int minutes = digits.size() == 2 ? 0 : value % 100;
    if (hours > 14 || minutes > 59) return std::nullopt;
    const TimeMs offset = (hours * 60 + minutes) * 60000LL;
    return zone[0] == u'-' ? -offset : offset;
}

// Splits one CSV line; fields may be double-quoted ("" inside is a quote).
void splitLine(QStringView line, QChar separator, std::vector<QString>& fields) {
    fields.clear();
    qsizetype i = 0;
    const qsizetype n = line.size();
    while (true) {
        QString field;
        if (i < n && line[i] == u'"') {
            ++i;
            while (i < n) {
                if (line[i] == u'"') {
                    if (i + 1 < n && line[i + 1] == u'"') {
                        field += u'"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += line[i++];
            }
            while (i < n && line[i] != separator) field += line[i++];
        } else {
            const qsizetype end = line.indexOf(separator, i);
            const qsizetype stop = end < 0 ? n : end;
            field = line.mid(i, stop - i).toString();
            i = stop;
        }
        fields.push_back(field.trimmed());
        if (i >= n) break;
        ++i;  // the separator
        if (i == n) {
            fields.emplace_back();
            break;
        }
    }
}

QString jsonText(const QJsonValue& value) {
    if (value.isDouble()) return QString::number(value.toDouble(), 'g', 17);
    return value.toString();
}

}  // namespace

std::optional<TimeMs> parseCsvTime(QStringView text, QStringView format, TimeMs utcOffsetMs) {
    text = text.trimmed();
    std::int64_t year = 1970;
    int month = 1, day = 1, hour = 0, minute = 0, second = 0;
    qsizetype at = 0;
    qsizetype f = 0;
    while (f < format.size()) {
        const QChar token = format[f];
        qsizetype run = 1;
        while (f + run < format.size() && format[f + run] == token) ++run;
        const bool isField = token == u'y' || token == u'M' || token == u'd' || token == u'H' ||
                             token == u'm' || token == u's';
        if (!isField) {
            for (qsizetype k = 0; k < run; ++k) {
                if (at >= text.size() || text[at] != token) return std::nullopt;
                ++at;
            }
            f += run;
            continue;
        }
        // A one-letter field takes one or two digits; a longer one exactly as many as its letters.
        const qsizetype maxDigits = run == 1 ? 2 : run;
        qsizetype digits = 0;
        int value = 0;
        while (digits < maxDigits && at < text.size() && text[at].isDigit()) {
            value = value * 10 + text[at].digitValue();
            ++digits;
            ++at;
        }
        if (digits == 0 || (run > 1 && digits != run)) return std::nullopt;
        switch (token.unicode()) {
            case 'y':
                year = value;
                break;
            case 'M':
                month = value;
                break;
            case 'd':
                day = value;
                break;
            case 'H':
                hour = value;
                break;
            case 'm':
                minute = value;
                break;
            default:
                second = value;
                break;
        }
        f += run;
    }
    if (at != text.size()) return std::nullopt;
    if (month < 1 || month > 12 || day < 1 ||
        static_cast<unsigned>(day) > daysInMonth(year, static_cast<unsigned>(month)))
        return std::nullopt;
    if (minute > 59 || second > 59 || hour > 24 || (hour == 24 && (minute != 0 || second != 0)))
        return std::nullopt;
    const std::int64_t days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    return days * kMsPerDay + ((hour * 60LL + minute) * 60LL + second) * 1000LL - utcOffsetMs;
}

Result<CsvMapping> CsvMapping::load(const QString& mappingPath) {
    QFile file(mappingPath);
    if (!file.open(QIODevice::ReadOnly))
        return mappingError(mappingPath,
                            QStringLiteral("cannot open the CSV mapping (%1)").arg(file.errorString()));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject())
        return mappingError(mappingPath,
                            QStringLiteral("not a JSON object (%1)").arg(parseError.errorString()));
    const QJsonObject root = document.object();

    CsvMapping mapping;
    mapping.mappingPath = mappingPath;
    const QString fileName = root.value(QStringLiteral("file")).toString();
    if (fileName.isEmpty()) return mappingError(mappingPath, QStringLiteral("no \"file\""));
    mapping.file = QFileInfo(QFileInfo(mappingPath).dir(), fileName).absoluteFilePath();
    mapping.encoding = root.value(QStringLiteral("encoding")).toString(QStringLiteral("UTF-8"));
    if (!QStringDecoder(mapping.encoding.toUtf8().constData()).isValid())
        return mappingError(mappingPath, QStringLiteral("unknown encoding \"%1\"").arg(mapping.encoding));
    const QString separator = root.value(QStringLiteral("separator")).toString(QStringLiteral(","));
    if (separator.size() != 1)
        return mappingError(mappingPath, QStringLiteral("\"separator\" must be one character"));
    mapping.separator = separator[0];
    mapping.decimalComma = root.value(QStringLiteral("decimalComma")).toBool(false);

    const QJsonObject time = root.value(QStringLiteral("time")).toObject();
    for (const QJsonValue column : time.value(QStringLiteral("columns")).toArray())
        mapping.timeColumns << column.toString();
    if (time.contains(QStringLiteral("column")))
        mapping.timeColumns << time.value(QStringLiteral("column")).toString();
    mapping.timeFormat = time.value(QStringLiteral("format")).toString();
    mapping.timeZone = time.value(QStringLiteral("timeZone")).toString(QStringLiteral("UTC"));
    if (mapping.timeColumns.isEmpty() || mapping.timeFormat.isEmpty())
        return mappingError(mappingPath, QStringLiteral("\"time\" needs \"columns\" and \"format\""));
    if (!fixedOffset(mapping.timeZone) && !QTimeZone(mapping.timeZone.toUtf8()).isValid())
        return mappingError(mappingPath, QStringLiteral("unknown time zone \"%1\"").arg(mapping.timeZone));

    for (const QJsonValue missing : root.value(QStringLiteral("missing")).toArray())
        mapping.missingValues << jsonText(missing).trimmed();

    const QJsonObject thing = root.value(QStringLiteral("thing")).toObject();
    mapping.thing.id = thing.value(QStringLiteral("id")).toString();
    mapping.thing.name = thing.value(QStringLiteral("name")).toString(mapping.thing.id);
    mapping.thing.description = thing.value(QStringLiteral("description")).toString();
    mapping.thing.entity = thing.value(QStringLiteral("entity")).toString();
    if (thing.contains(QStringLiteral("longitude")) && thing.contains(QStringLiteral("latitude")))
        mapping.thing.location = {thing.value(QStringLiteral("longitude")).toDouble(),
                                  thing.value(QStringLiteral("latitude")).toDouble()};
    mapping.thingColumn = thing.value(QStringLiteral("column")).toString();
    if (mapping.thing.id.isEmpty()) {
        if (!mapping.thingColumn.isEmpty())
            mapping.thing.id = QStringLiteral("{value}");
        else
            return mappingError(mappingPath, QStringLiteral("\"thing\" needs an \"id\" or a \"column\""));
    }
    const QJsonObject locations = thing.value(QStringLiteral("locations")).toObject();
    for (auto it = locations.begin(); it != locations.end(); ++it) {
        const QJsonArray lonLat = it.value().toArray();
        if (lonLat.size() != 2)
            return mappingError(
                mappingPath, QStringLiteral("location of \"%1\" is not [longitude, latitude]").arg(it.key()));
        mapping.thingLocations.emplace_back(it.key(), Location{lonLat[0].toDouble(), lonLat[1].toDouble()});
    }

    for (const QJsonValue value : root.value(QStringLiteral("datastreams")).toArray()) {
        const QJsonObject spec = value.toObject();
        Column column;
        column.column = spec.value(QStringLiteral("column")).toString();
        column.id = spec.value(QStringLiteral("id")).toString();
        column.name = spec.value(QStringLiteral("name")).toString(column.column);
        const QJsonValue property = spec.value(QStringLiteral("observedProperty"));
        if (property.isObject()) {
            column.observedProperty.name = property[QStringLiteral("name")].toString();
            column.observedProperty.definition = property[QStringLiteral("definition")].toString();
            column.observedProperty.description = property[QStringLiteral("description")].toString();
        } else {
            column.observedProperty.name = property.toString(column.name);
        }
        const QJsonObject unit = spec.value(QStringLiteral("unit")).toObject();
        column.unit.symbol = unit.value(QStringLiteral("symbol")).toString();
        column.unit.name = unit.value(QStringLiteral("name")).toString();
        column.unit.definition = unit.value(QStringLiteral("definition")).toString();
        column.scale = spec.value(QStringLiteral("scale")).toDouble(1.0);
        column.offset = spec.value(QStringLiteral("offset")).toDouble(0.0);
        if (column.column.isEmpty() || column.id.isEmpty())
            return mappingError(mappingPath,
                                QStringLiteral("every datastream needs a \"column\" and an \"id\""));
        mapping.columns.push_back(std::move(column));
    }
    if (mapping.columns.empty()) return mappingError(mappingPath, QStringLiteral("no \"datastreams\""));
    return mapping;
}

Result<CsvMapping> CsvMapping::forCsv(const QString& csvPath) {
    const QFileInfo info(csvPath);
    const QString besideIt = info.dir().filePath(info.completeBaseName() + QStringLiteral(".mapping.json"));
    if (QFileInfo::exists(besideIt)) {
        auto mapping = load(besideIt);
        if (mapping) mapping->file = info.absoluteFilePath();
        return mapping;
    }
    QFile file(csvPath);
    if (!file.open(QIODevice::ReadOnly))
        return mappingError(csvPath, QStringLiteral("cannot open (%1)").arg(file.errorString()));
    std::vector<QString> header;
    splitLine(QString::fromUtf8(file.readLine()).trimmed(), u',', header);
    const bool isRecording = header.size() >= 3 && header[0] == QStringLiteral("datastream") &&
                             header[1] == QStringLiteral("phenomenon_time") &&
                             header[2] == QStringLiteral("result");
    if (!isRecording)
        return mappingError(
            csvPath, QStringLiteral("no mapping (%1) and not a recording (datastream,phenomenon_time,result)")
                         .arg(QFileInfo(besideIt).fileName()));
    CsvMapping mapping;
    mapping.file = info.absoluteFilePath();
    mapping.recording = true;
    mapping.timeColumns = {QStringLiteral("phenomenon_time")};
    mapping.timeFormat = QStringLiteral("iso");
    return mapping;
}

Result<CsvTable> readCsv(const CsvMapping& mapping, FeedCounters* counters) {
    const QString& path = mapping.file;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return mappingError(path, QStringLiteral("cannot open (%1)").arg(file.errorString()));
    QStringDecoder decoder(mapping.encoding.toUtf8().constData());
    if (!decoder.isValid())
        return mappingError(path, QStringLiteral("unknown encoding \"%1\"").arg(mapping.encoding));
    const QString text = decoder.decode(file.readAll());
    const bool undecodable = decoder.hasError();

    const std::optional<TimeMs> offset = fixedOffset(mapping.timeZone);
    const QTimeZone zone = offset ? QTimeZone() : QTimeZone(mapping.timeZone.toUtf8());
    if (!offset && !zone.isValid())
        return mappingError(path, QStringLiteral("unknown time zone \"%1\"").arg(mapping.timeZone));

    std::vector<double> numericMissing;
    for (const QString& code : mapping.missingValues) {
        bool ok = false;
        const double value = QString(code).replace(u',', u'.').toDouble(&ok);
        if (ok) numericMissing.push_back(value);
    }

    CsvTable table;
    std::vector<QString> fields;
    std::vector<QString> header;
    qsizetype lineStart = 0;
    std::uint64_t lineNumber = 0;
    const auto nextLine = [&](QStringView& line) {
        if (lineStart >= text.size()) return false;
        qsizetype end = text.indexOf(u'\n', lineStart);
        if (end < 0) end = text.size();
        line = QStringView(text).mid(lineStart, end - lineStart);
        if (line.endsWith(u'\r')) line.chop(1);
        lineStart = end + 1;
        ++lineNumber;
        return true;
    };
    const auto isBlank = [](const std::vector<QString>& row) {
        return std::all_of(row.begin(), row.end(), [](const QString& field) { return field.isEmpty(); });
    };

    QStringView line;
    while (header.empty() && nextLine(line)) {
        if (lineNumber == 1 && line.startsWith(QChar(0xFEFF))) line = line.mid(1);
        splitLine(line, mapping.separator, header);
        if (isBlank(header)) header.clear();
    }
    if (header.empty()) return mappingError(path, QStringLiteral("empty CSV file"));

    const auto columnIndex = [&header](const QString& name) -> qsizetype {
        auto found = std::find(header.begin(), header.end(), name);
        return found == header.end() ? -1 : found - header.begin();
    };
    const auto missingColumn = [&](const QString& name) {
        QString problem = QStringLiteral("no column \"%1\" in the header").arg(name);
        if (!mapping.mappingPath.isEmpty())
            problem += QStringLiteral(" (mapping %1)").arg(QFileInfo(mapping.mappingPath).fileName());
        if (undecodable) problem += QStringLiteral("; the file is not valid %1").arg(mapping.encoding);
        return mappingError(path, problem);
    };

    std::vector<qsizetype> timeIndices;
    for (const QString& name : mapping.timeColumns) {
        timeIndices.push_back(columnIndex(name));
        if (timeIndices.back() < 0) return missingColumn(name);
    }
    qsizetype thingIndex = -1;
    qsizetype datastreamIndex = -1;
    std::vector<qsizetype> valueIndices;
    if (mapping.recording) {
        datastreamIndex = columnIndex(QStringLiteral("datastream"));
        valueIndices.push_back(columnIndex(QStringLiteral("result")));
        if (datastreamIndex < 0 || valueIndices.back() < 0)
            return missingColumn(QStringLiteral("datastream/result"));
    } else {
        if (!mapping.thingColumn.isEmpty()) {
            thingIndex = columnIndex(mapping.thingColumn);
            if (thingIndex < 0) return missingColumn(mapping.thingColumn);
        }
        for (const CsvMapping::Column& column : mapping.columns) {
            valueIndices.push_back(columnIndex(column.column));
            if (valueIndices.back() < 0) return missingColumn(column.column);
        }
    }
    qsizetype neededFields = 0;
    for (qsizetype index : timeIndices) neededFields = std::max(neededFields, index + 1);
    for (qsizetype index : valueIndices) neededFields = std::max(neededFields, index + 1);
    neededFields = std::max({neededFields, thingIndex + 1, datastreamIndex + 1});

    // The datastream ids of each thing (shared strings, so that observations do not copy them).
    QHash<QString, std::vector<QString>> datastreamsByThing;
    const auto addThing = [&](const QString& value) -> const std::vector<QString>& {
        Thing thing = mapping.thing;
        thing.id.replace(QStringLiteral("{value}"), value);
        thing.name.replace(QStringLiteral("{value}"), value);
        thing.description.replace(QStringLiteral("{value}"), value);
        thing.entity.replace(QStringLiteral("{value}"), value);
        for (const auto& [name, location] : mapping.thingLocations) {
            if (name == value) thing.location = location;
        }
        std::vector<QString>& ids = datastreamsByThing[value];
        for (const CsvMapping::Column& column : mapping.columns) {
            Datastream datastream;
            datastream.id = QString(column.id).replace(QStringLiteral("{thing}"), thing.id);
            datastream.name = QString(column.name).replace(QStringLiteral("{thing}"), thing.name);
            datastream.thingId = thing.id;
            datastream.observedProperty = column.observedProperty;
            datastream.unit = column.unit;
            ids.push_back(datastream.id);
            table.catalog.addDatastream(std::move(datastream));
        }
        table.catalog.addThing(std::move(thing));
        return ids;
    };
    const std::vector<QString>* fixedIds = nullptr;
    if (!mapping.recording && thingIndex < 0) fixedIds = &addThing(QString());

    QString firstProblem;
    const auto malformed = [&](const QString& problem) {
        ++table.malformedRows;
        if (firstProblem.isEmpty()) firstProblem = QStringLiteral("line %1: %2").arg(lineNumber).arg(problem);
        if (counters)
            counters->report(FeedProblem::MalformedPayload,
                             QStringLiteral("%1:%2: %3").arg(path).arg(lineNumber).arg(problem));
    };

    QString timeText;
    QString number;
    while (nextLine(line)) {
        splitLine(line, mapping.separator, fields);
        if (isBlank(fields)) continue;
        ++table.rows;
        if (static_cast<qsizetype>(fields.size()) < neededFields) {
            malformed(QStringLiteral("%1 fields, expected at least %2").arg(fields.size()).arg(neededFields));
            continue;
        }
        timeText.clear();
        for (qsizetype index : timeIndices) {
            if (!timeText.isEmpty()) timeText += u' ';
            timeText += fields[static_cast<std::size_t>(index)];
        }
        std::optional<TimeMs> time;
        if (mapping.timeFormat == QStringLiteral("iso")) {
            const QDateTime parsed = QDateTime::fromString(timeText, Qt::ISODateWithMs);
            if (parsed.isValid()) {
                time = parsed.timeSpec() == Qt::LocalTime
                           ? parseCsvTime(parsed.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                                          u"yyyy-MM-dd HH:mm:ss", offset.value_or(0))
                           : std::optional<TimeMs>(parsed.toMSecsSinceEpoch());
            }
        } else {
            time = parseCsvTime(timeText, mapping.timeFormat, offset.value_or(0));
        }
        if (time && !offset) {
            // A named zone: the parsed fields are local there.
            const QDateTime local = QDateTime::fromMSecsSinceEpoch(*time, QTimeZone::utc());
            time = QDateTime(local.date(), local.time(), zone).toMSecsSinceEpoch();
        }
        if (!time) {
            malformed(QStringLiteral("time \"%1\" does not match \"%2\"").arg(timeText, mapping.timeFormat));
            continue;
        }

        const std::vector<QString>* ids = fixedIds;
        QString recordedId;
        if (mapping.recording) {
            recordedId = fields[static_cast<std::size_t>(datastreamIndex)];
            if (recordedId.isEmpty()) {
                malformed(QStringLiteral("no datastream"));
                continue;
            }
            if (!table.catalog.datastream(recordedId)) {
                Datastream recorded;
                recorded.id = recordedId;
                recorded.name = recordedId;
                table.catalog.addDatastream(std::move(recorded));
            }
        } else if (thingIndex >= 0) {
            const QString& value = fields[static_cast<std::size_t>(thingIndex)];
            if (value.isEmpty()) {
                malformed(QStringLiteral("no value in \"%1\"").arg(mapping.thingColumn));
                continue;
            }
            auto found = datastreamsByThing.constFind(value);
            ids = found != datastreamsByThing.cend() ? &found.value() : &addThing(value);
        }

        bool rowMalformed = false;
        for (std::size_t c = 0; c < valueIndices.size(); ++c) {
            const QString& cell = fields[static_cast<std::size_t>(valueIndices[c])];
            if (cell.isEmpty() || mapping.missingValues.contains(cell)) {
                ++table.missingValues;
                continue;
            }
            bool ok = false;
            double value = 0.0;
            if (mapping.decimalComma) {
                number = cell;
                value = number.replace(u',', u'.').toDouble(&ok);
            } else {
                value = cell.toDouble(&ok);
            }
            if (!ok || !std::isfinite(value)) {
                rowMalformed = true;
                continue;
            }
            if (std::find(numericMissing.begin(), numericMissing.end(), value) != numericMissing.end()) {
                ++table.missingValues;
                continue;
            }
            if (mapping.recording) {
                table.observations.push_back({recordedId, *time, value});
            } else {
                const CsvMapping::Column& column = mapping.columns[c];
                table.observations.push_back({(*ids)[c], *time, value * column.scale + column.offset});
            }
        }
        if (rowMalformed) malformed(QStringLiteral("a value that is not a number"));
    }
    if (table.rows > 0 && table.rows == table.malformedRows && table.observations.empty())
        return mappingError(
            path, QStringLiteral("none of its %1 rows could be read (%2)").arg(table.rows).arg(firstProblem));
    std::stable_sort(
        table.observations.begin(), table.observations.end(),
        [](const Observation& a, const Observation& b) { return a.phenomenonTime < b.phenomenonTime; });
    return table;
}

}  // namespace ut::sensors
