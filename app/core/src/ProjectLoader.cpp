#include "ut/app/ProjectLoader.h"

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
        auto report = VectorLoader::load(status.layer.path.toStdString(), options, loaded.model, &layerFeedback);
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
