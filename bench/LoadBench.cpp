#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <QJsonObject>

#include "BenchSupport.h"
#include "ut/geodata/VectorLoader.h"
#include "ut/render/CityScene.h"

namespace ut::bench {

namespace {
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
}  // namespace

int benchLoad(const QStringList& arguments) {
    if (arguments.isEmpty()) return usageError("load FILE [REPEATS]");
    const std::string path = arguments[0].toStdString();
    const int repeats = arguments.size() >= 2 ? std::max(1, arguments[1].toInt()) : 3;
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
