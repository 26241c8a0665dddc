// urbantwin-bench AREA [options]: one JSON object per line, each figure beside an anchor
// measured in the same run (docs/BENCHMARKS.md).
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <chrono>
#include <cstdio>

#include "ut/geodata/VectorLoader.h"
#include "ut/render/CityScene.h"

namespace {
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
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

int benchLoad(const std::string& path, int repeats) {
    GDALAllRegister();
    for (int r = 0; r < repeats; ++r) {
        std::size_t features = 0;
        const double anchorSeconds = gdalReadThroughSeconds(path, features);
        ut::CityModel model;
        auto start = Clock::now();
        auto report = ut::VectorLoader::load(path, {}, model);
        const double loadSeconds = secondsSince(start);
        if (!report) {
            std::fprintf(stderr, "urbantwin-bench: %s\n", report.error().c_str());
            return 2;
        }
        start = Clock::now();
        const auto scene = ut::render::buildCityScene(model);
        const double sceneSeconds = secondsSince(start);
        QJsonObject line{{"bench", "load"},
                         {"file", QString::fromStdString(path)},
                         {"n", qint64(model.buildings.size())},
                         {"road_links", qint64(model.roads.linkCount())},
                         {"seconds", loadSeconds},
                         {"scene_build_s", sceneSeconds},
                         {"building_tiles", qint64(scene.buildingTiles)},
                         {"anchor", "gdal_read_all_features"},
                         {"anchor_seconds", anchorSeconds},
                         {"anchor_features", qint64(features)}};
        std::printf("%s\n", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
    }
    return 0;
}
}  // namespace

int main(int argc, char** argv) {
    QCoreApplication application(argc, argv);
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() >= 3 && arguments[1] == QStringLiteral("load")) {
        const int repeats = arguments.size() >= 4 ? std::max(1, arguments[3].toInt()) : 3;
        return benchLoad(arguments[2].toStdString(), repeats);
    }
    std::fprintf(stderr, "usage: urbantwin-bench load FILE [REPEATS]\n");
    return 2;
}
