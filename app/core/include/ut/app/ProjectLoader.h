#pragma once

#include <QString>
#include <optional>
#include <vector>

#include "ut/app/Project.h"
#include "ut/geodata/CityModel.h"
#include "ut/geodata/Feedback.h"
#include "ut/geodata/VectorLoader.h"
#include "ut/sim/WeatherSeries.h"

namespace ut::app {

// How one project layer loaded: a layer that failed stays listed with its error.
struct LayerStatus {
    ProjectLayer layer;
    std::optional<LoadReport> report;
    QString error;
    bool ok() const { return error.isEmpty(); }
};

struct LoadedProject {
    Project project;
    CityModel model;
    std::vector<LayerStatus> layers;
    std::optional<sim::WeatherSeries> weather;
    QString weatherError;
    bool canceled = false;

    // The first layer or weather error, empty when everything loaded.
    QString firstError() const;
};

// Loads every layer of the project into one city model; runs on any thread.
LoadedProject loadProject(const Project& project, Feedback* feedback = nullptr);

}  // namespace ut::app
