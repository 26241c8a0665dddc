#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

#include "BenchSupport.h"
#include "ut/geodata/CityJsonLoader.h"
#include "ut/geodata/VectorLoader.h"
#include "ut/render/CityScene.h"

namespace ut::bench {

namespace {
bool isPolygonal(OGRwkbGeometryType type) {
    const auto flat = wkbFlatten(type);
    return flat == wkbPolygon || flat == wkbMultiPolygon;
}

// The anchor: GDAL reading every feature of the file with its geometry, nothing else.
double gdalReadThroughSeconds(const std::string& path, std::size_t& features) {
    const auto start = Clock::now();
    GDALDatasetUniquePtr dataset(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    features = 0;
    if (!dataset) return -1.0;
    OGRLayer* layer = nullptr;
    for (OGRFeatureUniquePtr f(dataset->GetNextFeature(&layer, nullptr, nullptr, nullptr)); f;
         f.reset(dataset->GetNextFeature(&layer, nullptr, nullptr, nullptr))) {
        if (f->GetGeometryRef()) ++features;
    }
    return secondsSince(start);
}
// The anchor for a buildings file: plain OGR reading each feature's geometry (every ring's points) and
// every attribute as text, nothing else.
double ogrReadGeometryAndAttributesSeconds(const std::string& path, std::size_t& features) {
    const auto start = Clock::now();
    GDALDatasetUniquePtr dataset(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    features = 0;
    if (!dataset) return -1.0;
    double checksum = 0.0;
    std::size_t textBytes = 0;
    for (OGRLayer* layer : dataset->GetLayers()) {
        layer->ResetReading();
        for (OGRFeatureUniquePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
            const OGRGeometry* geometry = f->GetGeometryRef();
            if (!geometry) continue;
            ++features;
            auto readRing = [&](const OGRLinearRing* ring) {
                for (int i = 0; ring && i < ring->getNumPoints(); ++i) checksum += ring->getX(i) + ring->getY(i);
            };
            auto readPolygon = [&](const OGRPolygon* polygon) {
                readRing(polygon->getExteriorRing());
                for (int r = 0; r < polygon->getNumInteriorRings(); ++r) readRing(polygon->getInteriorRing(r));
            };
            if (wkbFlatten(geometry->getGeometryType()) == wkbPolygon) readPolygon(geometry->toPolygon());
            if (wkbFlatten(geometry->getGeometryType()) == wkbMultiPolygon)
                for (const OGRPolygon* part : *geometry->toMultiPolygon()) readPolygon(part);
            for (int i = 0; i < f->GetFieldCount(); ++i)
                if (f->IsFieldSetAndNotNull(i)) textBytes += std::strlen(f->GetFieldAsString(i));
        }
    }
    if (checksum == 0.0 && textBytes == 0) features = 0;
    return secondsSince(start);
}

// The anchor for a CityJSON file: one pass over bytes already in memory that finds every JSON token and
// converts every number to a double (what any JSON reader must at least do), nothing else.
double tokeniseJsonSeconds(const QByteArray& bytes, std::size_t& tokens) {
    const auto start = Clock::now();
    const char* p = bytes.constData();
    const char* const end = p + bytes.size();
    double checksum = 0.0;
    tokens = 0;
    while (p < end) {
        const char c = *p;
        if (c == '"') {
            for (++p; p < end && *p != '"'; ++p)
                if (*p == '\\') ++p;
            ++p;
            ++tokens;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            double value = 0.0;
            const auto [next, error] = std::from_chars(p, end, value);
            p = error == std::errc() ? next : p + 1;
            checksum += value;
            ++tokens;
        } else if (c == 't' || c == 'n') {
            p += 4;
            ++tokens;
        } else if (c == 'f') {
            p += 5;
            ++tokens;
        } else {
            if (c == '{' || c == '[' || c == ':' || c == ',') ++tokens;
            ++p;
        }
    }
    if (checksum == 0.0) ++tokens;  // keeps the conversions
    return secondsSince(start);
}

// load FILE for CityJSON: reading the file, the JSON tree alone (QJsonDocument), our parse, and the whole
// load (read, parse, reprojection into the frame, building table), each as MB/s of the file, beside the
// tokenising anchor.
int benchCityJson(const std::string& path, int repeats, const std::string& frameCrs) {
    const auto megabytes = [](qint64 bytes, double seconds) { return static_cast<double>(bytes) / 1e6 / seconds; };
    for (int r = 0; r < repeats; ++r) {
        auto start = Clock::now();
        QFile file(QString::fromStdString(path));
        if (!file.open(QIODevice::ReadOnly)) return failed(path + ": cannot read");
        const QByteArray bytes = file.readAll();
        const double readSeconds = secondsSince(start);
        std::size_t tokens = 0;
        const double anchorSeconds = tokeniseJsonSeconds(bytes, tokens);
        start = Clock::now();
        const QJsonDocument tree = QJsonDocument::fromJson(bytes);
        const double treeSeconds = secondsSince(start);
        start = Clock::now();
        auto parsed = parseCityJson(bytes, path);
        const double parseSeconds = secondsSince(start);
        if (!parsed) return failed(parsed.error());
        CityModel model;
        if (!frameCrs.empty()) model.frame = LocalFrame(frameCrs);
        start = Clock::now();
        auto report = VectorLoader::load(path, {}, model);
        const double loadSeconds = secondsSince(start);
        if (!report) return failed(report.error());
        printLine(QJsonObject{{"bench", "load_cityjson"},
                              {"file", QString::fromStdString(path)},
                              {"bytes", qint64(bytes.size())},
                              {"n", qint64(model.buildings.size())},
                              {"vertices", qint64(parsed->vertices.size())},
                              {"seconds", loadSeconds},
                              {"load_mb_s", megabytes(bytes.size(), loadSeconds)},
                              {"parse_mb_s", megabytes(bytes.size(), parseSeconds)},
                              {"qjson_tree_mb_s", tree.isNull() ? 0.0 : megabytes(bytes.size(), treeSeconds)},
                              {"read_mb_s", megabytes(bytes.size(), readSeconds)},
                              {"frame_crs", QString::fromStdString(model.frame.crs())},
                              {"anchor", "tokenise_json_in_memory"},
                              {"anchor_seconds", anchorSeconds},
                              {"anchor_mb_s", megabytes(bytes.size(), anchorSeconds)},
                              {"anchor_tokens", qint64(tokens)}});
    }
    return 0;
}

// A GeoPackage of at least count buildings: the source's polygons copied on a grid of offsets one source
// extent (plus 100 m) apart, attributes kept.
std::string writeReplicatedGeoPackage(const std::string& source, std::size_t count, const std::string& target) {
    GDALDatasetUniquePtr input(GDALDataset::Open(source.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!input || input->GetLayerCount() < 1) return source + ": cannot read";
    OGRLayer* in = input->GetLayer(0);
    OGREnvelope extent;
    if (in->GetExtent(&extent, TRUE) != OGRERR_NONE) return source + ": no extent";
    std::vector<OGRFeatureUniquePtr> originals;
    in->ResetReading();
    for (OGRFeatureUniquePtr f(in->GetNextFeature()); f; f.reset(in->GetNextFeature()))
        if (f->GetGeometryRef() && isPolygonal(f->GetGeometryRef()->getGeometryType())) originals.push_back(std::move(f));
    if (originals.empty()) return source + ": no polygons";
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    GDALDatasetUniquePtr output(driver->Create(target.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!output) return target + ": cannot create";
    OGRLayer* out = output->CreateLayer("buildings", in->GetSpatialRef(), wkbMultiPolygon, nullptr);
    const OGRFeatureDefn* definition = in->GetLayerDefn();
    for (int i = 0; i < definition->GetFieldCount(); ++i) out->CreateField(const_cast<OGRFieldDefn*>(definition->GetFieldDefn(i)));
    const double stepX = extent.MaxX - extent.MinX + 100.0;
    const double stepY = extent.MaxY - extent.MinY + 100.0;
    const auto copies = static_cast<std::size_t>((count + originals.size() - 1) / originals.size());
    const auto side = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(copies))));
    output->StartTransaction();
    std::size_t written = 0;
    for (std::size_t copy = 0; copy < copies && written < count; ++copy) {
        const double dx = static_cast<double>(copy % side) * stepX;
        const double dy = static_cast<double>(copy / side) * stepY;
        for (const auto& original : originals) {
            if (written == count) break;
            OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(out->GetLayerDefn()));
            feature->SetFrom(original.get());
            std::unique_ptr<OGRGeometry> moved(OGRGeometryFactory::forceToMultiPolygon(original->GetGeometryRef()->clone()));
            for (OGRPolygon* polygon : *moved->toMultiPolygon()) {
                for (OGRLinearRing* ring : *polygon) {
                    for (int p = 0; p < ring->getNumPoints(); ++p) ring->setPoint(p, ring->getX(p) + dx, ring->getY(p) + dy);
                }
            }
            feature->SetGeometryDirectly(moved.release());
            if (out->CreateFeature(feature.get()) != OGRERR_NONE) return target + ": cannot write";
            ++written;
        }
    }
    output->CommitTransaction();
    return {};
}

// load --replicate FILE --buildings N [--repeats R]: FILE's buildings copied into a temporary GeoPackage of N
// buildings, loaded by VectorLoader beside plain OGR reading the same file.
int benchReplicatedGeoPackage(const QStringList& arguments) {
    const auto value = [&](const QString& name, const QString& fallback) {
        const auto i = arguments.indexOf(name);
        return i >= 0 && i + 1 < arguments.size() ? arguments[i + 1] : fallback;
    };
    const std::string source = value(QStringLiteral("--replicate"), {}).toStdString();
    const auto count = value(QStringLiteral("--buildings"), QStringLiteral("100000")).toULongLong();
    const int repeats = std::max(1, value(QStringLiteral("--repeats"), QStringLiteral("3")).toInt());
    const std::string frameCrs = value(QStringLiteral("--frame-crs"), {}).toStdString();
    if (source.empty() || count == 0) {
        return usageError("load --replicate FILE [--buildings N] [--repeats R] [--frame-crs EPSG:n] [--out FILE.gpkg]");
    }
    GDALAllRegister();
    QTemporaryDir dir;
    // --out keeps the replicated file (e.g. to open a big city in the app).
    const std::string path = value(QStringLiteral("--out"), dir.filePath(QStringLiteral("replicated.gpkg"))).toStdString();
    auto start = Clock::now();
    if (const std::string error = writeReplicatedGeoPackage(source, count, path); !error.empty()) return failed(error);
    const double writeSeconds = secondsSince(start);
    for (int r = 0; r < repeats; ++r) {
        std::size_t features = 0;
        const double anchorSeconds = ogrReadGeometryAndAttributesSeconds(path, features);
        CityModel model;
        if (!frameCrs.empty()) model.frame = LocalFrame(frameCrs);
        start = Clock::now();
        auto report = VectorLoader::load(path, {}, model);
        const double loadSeconds = secondsSince(start);
        if (!report) return failed(report.error());
        printLine(QJsonObject{{"bench", "load_gpkg"},
                              {"file", QString::fromStdString(source)},
                              {"source_crs", QString::fromStdString(report->sourceCrs)},
                              {"frame_crs", QString::fromStdString(model.frame.crs())},
                              {"n", qint64(model.buildings.size())},
                              {"seconds", loadSeconds},
                              {"buildings_per_s", static_cast<double>(model.buildings.size()) / loadSeconds},
                              {"ratio", loadSeconds / anchorSeconds},
                              {"write_s", writeSeconds},
                              {"rss_mib", residentMiB()},
                              {"anchor", "ogr_read_geometry_and_attributes"},
                              {"anchor_seconds", anchorSeconds},
                              {"anchor_features", qint64(features)}});
    }
    return 0;
}
}  // namespace

int benchLoad(const QStringList& arguments) {
    if (arguments.contains(QStringLiteral("--replicate"))) return benchReplicatedGeoPackage(arguments);
    if (arguments.isEmpty()) return usageError("load FILE [REPEATS] | load --replicate FILE [--buildings N] [--repeats R] [--frame-crs EPSG:n] [--out FILE.gpkg]");
    const std::string path = arguments[0].toStdString();
    const int repeats = arguments.size() >= 2 && !arguments[1].startsWith(QStringLiteral("--")) ? std::max(1, arguments[1].toInt()) : 3;
    if (CityJsonLoader::isCityJson(path)) {
        const auto frameAt = arguments.indexOf(QStringLiteral("--frame-crs"));
        const std::string frameCrs = frameAt >= 0 && frameAt + 1 < arguments.size() ? arguments[frameAt + 1].toStdString() : "";
        return benchCityJson(path, repeats, frameCrs);
    }
    GDALAllRegister();
    for (int r = 0; r < repeats; ++r) {
        std::size_t features = 0;
        const double anchorSeconds = gdalReadThroughSeconds(path, features);
        CityModel model;
        auto start = Clock::now();
        auto report = VectorLoader::load(path, {}, model);
        const double loadSeconds = secondsSince(start);
        if (!report) return failed(report.error());
        start = Clock::now();
        const auto scene = render::buildCityScene(model);
        const double sceneSeconds = secondsSince(start);
        printLine(QJsonObject{{"bench", "load"},
                              {"file", QString::fromStdString(path)},
                              {"n", qint64(model.buildings.size())},
                              {"road_links", qint64(model.roads.linkCount())},
                              {"seconds", loadSeconds},
                              {"scene_build_s", sceneSeconds},
                              {"building_tiles", qint64(scene.buildingTiles)},
                              {"anchor", "gdal_read_all_features"},
                              {"anchor_seconds", anchorSeconds},
                              {"anchor_features", qint64(features)}});
    }
    return 0;
}

}  // namespace ut::bench
