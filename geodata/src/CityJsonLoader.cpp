#include "ut/geodata/CityJsonLoader.h"

#include <QFile>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <unordered_map>

#include "ModelBuilding.h"
#include "ut/geodata/AttributeMapping.h"
#include "ut/geodata/CoordinateTransform.h"
#include "ut/geodata/DemLoader.h"

namespace ut {

bool CityJsonLoader::isCityJson(const std::string& path) {
    const std::string lower = QString::fromStdString(path).toLower().toStdString();
    if (lower.ends_with(".city.json") || lower.ends_with(".city.jsonl")) return true;
    if (!lower.ends_with(".json") && !lower.ends_with(".jsonl")) return false;
    // Other JSON (GeoJSON, GeoJSON sequences) stays with GDAL: CityJSON names itself near the start.
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly)) return false;
    const QByteArray head = file.read(4096);
    return head.contains("\"CityJSON\"");
}

Result<LoadReport> CityJsonLoader::load(const std::string& path, const LoadOptions& options, CityModel& model,
                                        Feedback* feedback) {
    QFile file(QString::fromStdString(path));
    if (!file.exists()) return Error{path + ": no such file"};
    if (!file.open(QIODevice::ReadOnly)) return Error{path + ": cannot read: " + file.errorString().toStdString()};
    return loadBytes(file.readAll(), path, options, model, feedback);
}

Result<LoadReport> CityJsonLoader::loadBytes(const QByteArray& bytes, const std::string& path, const LoadOptions& options,
                                             CityModel& model, Feedback* feedback) {
    auto parsed = parseCityJson(bytes, path);
    if (!parsed) return Error{parsed.error()};
    CityJsonDocument& document = parsed.value();
    if (feedback && feedback->isCanceled()) return Error{path + ": loading canceled"};

    LoadReport report;
    report.path = path;
    report.driver = "CityJSON " + document.version;
    report.skipReasons = document.skipReasons;
    std::string crs = document.referenceSystem;
    if (crs.empty()) {
        if (!model.frame.hasCrs()) {
            return Error{path + ": metadata.referenceSystem is missing: name the CRS of its coordinates as the project "
                                "frame (e.g. \"frame\": {\"crs\": \"EPSG:7415\"} or info --frame EPSG:7415)"};
        }
        crs = model.frame.crs();
    }
    report.sourceCrs = crs;

    auto inFrame = planarVerticesInFrame(document.vertices, crs, model, path);
    if (!inFrame) return Error{inFrame.error()};
    std::vector<Eigen::Vector2d>& planar = inFrame.value();

    ModelBuilding builder(model, options.heights, report, planar, document.vertices);
    std::unordered_map<std::string, std::size_t> byId;
    for (std::size_t o = 0; o < document.objects.size(); ++o) byId.emplace(document.objects[o].id, o);
    for (auto& object : document.objects) {
        if (object.type == "BuildingPart" && byId.contains(object.parent)) continue;  // added with its building
        ModelBuilding::Item building{object.id, &object.attributes, &object.surfaces, {}};
        for (const auto& child : object.children) {
            const auto it = byId.find(child);
            if (it == byId.end() || document.objects[it->second].type != "BuildingPart") continue;
            auto& part = document.objects[it->second];
            building.parts.push_back({part.id, &part.attributes, &part.surfaces, {}});
        }
        builder.add(building);
    }
    if (feedback) feedback->setProgress(1.0);
    return report;
}

}  // namespace ut
