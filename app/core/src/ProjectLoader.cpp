#include "ut/app/ProjectLoader.h"

#include "ut/geodata/DemLoader.h"
#include "ut/sim/EpwReader.h"

namespace ut::app {

QString LoadedProject::firstError() const {
    for (const auto& layer : layers) {
        if (!layer.ok()) return layer.error;
    }
    return weatherError;
}

LoadedProject loadProject(const Project& project, Feedback* feedback) {
    LoadedProject loaded;
    loaded.project = project;
    loaded.model.frame = LocalFrame(project.frameCrs.toStdString(), project.origin);
    LoadOptions options;
    options.heights = project.heights;
    const double share = 1.0 / static_cast<double>(std::max<std::size_t>(project.layers.size(), 1));
    for (std::size_t i = 0; i < project.layers.size(); ++i) {
        LayerStatus status;
        status.layer = project.layers[i];
        Feedback layerFeedback;
        // Layer entries may name a Shapefile's encoding ("encoding": "CP949") and their type ("dem" must be a
        // raster; other types are found from the file itself).
        LoadOptions layerOptions = options;
        layerOptions.encoding = status.layer.document.value(QStringLiteral("encoding")).toString().toStdString();
        // A GIS road layer may name its fields ("fields": {"lanes": "RDLN", "maxspeed": "SPD"}).
        const QJsonObject fields = status.layer.document.value(QStringLiteral("fields")).toObject();
        auto field = [&](const char* key) { return fields.value(QLatin1String(key)).toString().toStdString(); };
        layerOptions.roadFields = {field("lanes"), field("maxspeed"), field("oneway"), field("class"), field("name")};
        const std::string path = status.layer.path.toStdString();
        auto report = status.layer.document.value(QStringLiteral("type")).toString() == QStringLiteral("dem") &&
                              !DemLoader::isRaster(path)
                          ? Result<LoadReport>(Error{path + ": the layer's type is \"dem\" but the file is not a raster DEM"})
                          : VectorLoader::load(path, layerOptions, loaded.model, &layerFeedback);
        if (report) {
            status.report = std::move(report.value());
        } else {
            status.error = QString::fromStdString(report.error());
        }
        loaded.layers.push_back(std::move(status));
        if (feedback) {
            feedback->setProgress(share * static_cast<double>(i + 1));
            if (feedback->isCanceled()) {
                loaded.canceled = true;
                return loaded;
            }
        }
    }
    if (!project.weatherPath.isEmpty()) {
        auto weather = sim::readEpw(project.weatherPath.toStdString());
        if (weather) {
            loaded.weather = std::move(weather.value());
        } else {
            loaded.weatherError = QString::fromStdString(weather.error());
        }
    }
    return loaded;
}

}  // namespace ut::app
