#include "ut/sim/ResultExport.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <charconv>
#include <string>

#include "ut/geodata/GeoPackageWriter.h"

namespace ut::sim {

namespace {
Error cannotWrite(const QString& path, const QString& why) {
    return Error{QStringLiteral("%1: cannot write: %2").arg(path, why).toStdString()};
}

std::string entityId(const CityModel& city, EntityKind kind, std::size_t i) {
    switch (kind) {
        case EntityKind::Building: return city.buildings.id(i);
        case EntityKind::Link: return city.roads.link(i).id;
        case EntityKind::Node: return "node/" + std::to_string(i);
        case EntityKind::Sensor: return "sensor/" + std::to_string(i);
    }
    return std::to_string(i);
}

std::string csvText(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + '"';
}

// A CSV file's text, written to the file a megabyte at a time. Numbers as printf's %.10g (ten
// significant digits; "nan", "inf"): a year of daily values for 100,000 buildings is 36.5 million
// of them, which a text stream formats several times slower.
class CsvWriter {
public:
    explicit CsvWriter(QSaveFile& file) : m_file(file) { m_text.reserve(kChunk + 256); }
    CsvWriter& operator<<(const std::string& text) {
        m_text += text;
        return flushIfFull();
    }
    CsvWriter& operator<<(char c) {
        m_text += c;
        return flushIfFull();
    }
    CsvWriter& operator<<(double v) {
        char digits[32];
        const auto [end, error] = std::to_chars(digits, digits + sizeof digits, v, std::chars_format::general, 10);
        m_text.append(digits, error == std::errc() ? end : digits);
        return flushIfFull();
    }
    bool finish() {
        flush();
        return m_ok;
    }

private:
    static constexpr std::size_t kChunk = std::size_t{1} << 20;
    CsvWriter& flushIfFull() {
        if (m_text.size() >= kChunk) flush();
        return *this;
    }
    void flush() {
        if (!m_text.empty() && m_file.write(m_text.data(), static_cast<qint64>(m_text.size())) != static_cast<qint64>(m_text.size()))
            m_ok = false;
        m_text.clear();
    }
    QSaveFile& m_file;
    std::string m_text;
    bool m_ok = true;
};
}  // namespace

Status writeKpisJson(const ResultSet& results, const QString& path) {
    QJsonObject kpis;
    for (const Kpi& kpi : results.kpis()) {
        kpis.insert(QString::fromStdString(kpi.name),
                    QJsonObject{{"value", kpi.value}, {"unit", QString::fromStdString(kpi.unit)}});
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return cannotWrite(path, file.errorString());
    file.write(QJsonDocument(kpis).toJson(QJsonDocument::Indented));
    if (!file.commit()) return cannotWrite(path, file.errorString());
    return {};
}

Status writeFieldCsvs(const ResultSet& results, const CityModel& city, const QString& folder) {
    if (!QDir().mkpath(folder)) return cannotWrite(folder, QStringLiteral("cannot create the folder"));
    for (const Field& field : results.fields()) {
        const QString path = QDir(folder).filePath(QString::fromStdString(field.name) + QStringLiteral(".csv"));
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly)) return cannotWrite(path, file.errorString());
        CsvWriter out(file);
        const std::string unit = field.unit.empty() ? std::string() : " [" + field.unit + "]";
        if (field.time.isStatic()) {
            out << "entity_id," << field.name << unit << '\n';
            for (std::size_t e = 0; e < field.entityCount; ++e) {
                out << csvText(entityId(city, field.kind, e)) << ',' << field.value(0, e) << '\n';
            }
        } else {
            out << "time";
            for (std::size_t e = 0; e < field.entityCount; ++e) out << ',' << csvText(entityId(city, field.kind, e));
            out << '\n';
            for (std::size_t t = 0; t < field.time.steps; ++t) {
                out << field.time.timeAt(t).toString(Qt::ISODate).toStdString();
                for (std::size_t e = 0; e < field.entityCount; ++e) out << ',' << field.value(t, e);
                out << '\n';
            }
        }
        if (!out.finish() || !file.commit()) return cannotWrite(path, file.errorString());
    }
    return {};
}

Status writeResultsGeoPackage(const ResultSet& results, const CityModel& city, const QString& path) {
    auto writer = GeoPackageWriter::create(path.toStdString(), city);
    if (!writer) return Error{writer.error()};
    for (EntityKind kind : {EntityKind::Building, EntityKind::Link, EntityKind::Node}) {
        std::vector<NumericColumn> columns;
        for (const Field& field : results.fields()) {
            if (field.kind != kind) continue;
            if (field.time.isStatic()) {
                columns.push_back({field.name, field.values});
            } else {
                columns.push_back({field.name + "_mean", field.meanOverTime()});
                columns.push_back({field.name + "_max", field.maxOverTime()});
            }
        }
        if (columns.empty()) continue;
        Status written = kind == EntityKind::Building ? writer->writeBuildings("buildings", columns)
                         : kind == EntityKind::Link   ? writer->writeRoadLinks("links", columns)
                                                      : writer->writeRoadNodes("nodes", columns);
        if (!written) return written;
    }
    return {};
}

}  // namespace ut::sim
