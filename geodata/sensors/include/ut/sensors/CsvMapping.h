#pragma once

#include <QString>
#include <QStringList>
#include <optional>
#include <utility>
#include <vector>

#include "ut/geodata/Result.h"
#include "ut/sensors/FeedCounters.h"
#include "ut/sensors/SensorModel.h"

namespace ut::sensors {

// How the columns of a CSV file become SensorThings things, datastreams and observations
// (docs/sensors.md describes the JSON form).
struct CsvMapping {
    struct Column {
        QString column;  // header name
        QString id;      // datastream id; "{thing}" stands for the thing's id
        QString name;    // "{thing}" stands for the thing's name
        ObservedProperty observedProperty;
        UnitOfMeasurement unit;
        double scale = 1.0;  // result = value × scale + offset
        double offset = 0.0;
    };

    QString mappingPath;  // where the mapping was read from (for messages); may be empty
    QString file;         // the CSV file, absolute
    QString encoding = QStringLiteral("UTF-8");  // any name QStringDecoder knows: CP949, EUC-KR, windows-1252
    QChar separator = u',';
    bool decimalComma = false;

    QStringList timeColumns;  // joined with one space, then read with timeFormat
    // yyyy MM M dd d HH H mm ss and literal characters; "iso" for ISO 8601. Hour 24:00 is the
    // next day's 00:00 (the Korean convention).
    QString timeFormat;
    QString timeZone = QStringLiteral("UTC");  // "+09:00", "UTC" or an IANA id ("America/Chicago")

    QStringList missingValues;  // compared as text (trimmed) and, when numeric, as numbers; an empty cell is
                                // always missing

    // One fixed thing, or one thing per distinct value of thingColumn.
    Thing thing;  // with thingColumn, id and name are templates over "{value}"
    QString thingColumn;
    std::vector<std::pair<QString, Location>> thingLocations;  // by thingColumn value

    std::vector<Column> columns;

    // A recording as `urbantwin-cli feed --out` writes it: datastream, phenomenon_time, result.
    bool recording = false;

    static Result<CsvMapping> load(const QString& mappingPath);
    // The mapping for a CSV file: FILE.mapping.json beside it, else the recording layout when
    // the header is datastream, phenomenon_time, result.
    static Result<CsvMapping> forCsv(const QString& csvPath);
};

// A CSV file read through its mapping: the catalogue and every observation in time order.
struct CsvTable {
    SensorCatalog catalog;
    std::vector<Observation> observations;
    std::uint64_t rows = 0;           // data rows (blank and separator-only lines not counted)
    std::uint64_t malformedRows = 0;  // rows with an unreadable time or cell (their good cells are kept)
    std::uint64_t missingValues = 0;  // cells holding a missing-value code
};

// Reads the whole file. A missing file, an undecodable header or a mapped column absent from the
// header is an Error naming the file; a bad row is counted (on `counters` as MalformedPayload
// when given) and skipped.
Result<CsvTable> readCsv(const CsvMapping& mapping, FeedCounters* counters = nullptr);

// Reads one time text with a CsvMapping time format as local time at `utcOffsetMs`
// (nullopt when it does not match). Exposed for tests.
std::optional<TimeMs> parseCsvTime(QStringView text, QStringView format, TimeMs utcOffsetMs);

}  // namespace ut::sensors
