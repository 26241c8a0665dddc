#include "ut/sim/ResultExport.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>

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

QString csvText(const std::string& text) {
    QString s = QString::fromStdString(text);
    if (s.contains(',') || s.contains('"')) s = '"' + s.replace('"', QStringLiteral("\"\"")) + '"';
    return s;
}
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
        QTextStream out(&file);
        out.setRealNumberPrecision(10);
        const QString unit = QString::fromStdString(field.unit);
        if (field.time.isStatic()) {
            out << "entity_id," << QString::fromStdString(field.name) << (unit.isEmpty() ? "" : " [" + unit + "]") << '\n';
            for (std::size_t e = 0; e < field.entityCount; ++e) {
                out << csvText(entityId(city, field.kind, e)) << ',' << field.value(0, e) << '\n';
            }
        } else {
            out << "time";
            for (std::size_t e = 0; e < field.entityCount; ++e) out << ',' << csvText(entityId(city, field.kind, e));
            out << '\n';
            for (std::size_t t = 0; t < field.time.steps; ++t) {
                out << field.time.timeAt(t).toString(Qt::ISODate);
                for (std::size_t e = 0; e < field.entityCount; ++e) out << ',' << field.value(t, e);
                out << '\n';
            }
        }
        out.flush();
        if (!file.commit()) return cannotWrite(path, file.errorString());
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
