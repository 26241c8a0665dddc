#pragma once

#include <Eigen/Core>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVariantMap>
#include <QMap>
#include <optional>
#include <vector>

#include "ut/geodata/AttributeMapping.h"
#include "ut/geodata/Result.h"

namespace ut::app {

constexpr int kProjectFormatVersion = 1;

struct ProjectLayer {
    QString id;
    QString name;
    QString path;  // absolute
    bool visible = true;
    QJsonObject document;  // as read, unknown keys included
};

// A simulation the project runs, with the parameters it sets (the rest take their defaults).
struct SimulationEntry {
    QString plugin;
    QVariantMap parameters;
    QJsonObject document;
};

// Attribute changes for a selection of buildings: a filter expression (sim::BuildingFilter) or ids.
// "height" sets the height itself; any other key sets that attribute (u_wall, building:levels …).
struct BuildingEdit {
    QString where;
    QStringList ids;
    QVariantMap set;
};

// A scenario: the baseline plus modifications — parameter changes per plugin and building edits.
struct ScenarioEntry {
    QString name;
    QString description;
    QMap<QString, QVariantMap> parameterChanges;  // plugin id → parameter id → value
    std::vector<BuildingEdit> buildingEdits;
    QJsonObject document;
};

// A saved camera position, in the frame's CRS (x, y absolute, z metres above the datum).
struct Viewpoint {
    QString name;
    Eigen::Vector3d eye;
    Eigen::Vector3d center;
};

// A live or replayed sensor feed: an MQTT or SensorThings URL, or a CSV replay mapping file.
struct SensorFeedEntry {
    QString name;
    QString source;       // a URL, or an absolute path to a CSV replay mapping (.json) or CSV file
    QString catalogPath;  // absolute; SensorThings Things JSON naming the feed's sensors (may be empty)
    double speed = 1.0;   // replay: seconds of data per second; 0 as fast as possible
    QJsonObject document;
};

struct SensorSettings {
    std::vector<SensorFeedEntry> feeds;
    double staleAfterMinutes = 90.0;  // a sensor whose newest observation is older is greyed
    QString colourBy;                 // observed property the markers show; empty: the first one
};

// A .utwin project file (JSON; schema in docs/project.schema.json).
struct Project {
    QString filePath;
    int version = kProjectFormatVersion;
    QString name;
    QString frameCrs;                       // empty: UTM zone of the first layer
    std::optional<Eigen::Vector2d> origin;  // empty: centre of the first layer
    std::vector<ProjectLayer> layers;
    QString weatherPath;  // absolute, may be empty
    HeightRules heights;
    std::vector<SimulationEntry> simulations;
    std::vector<ScenarioEntry> scenarios;
    std::vector<Viewpoint> viewpoints;
    SensorSettings sensors;
    QJsonObject document;  // as read, unknown keys included
    QStringList warnings;
};

const ScenarioEntry* findScenario(const Project& project, const QString& name);
const Viewpoint* findViewpoint(const Project& project, const QString& name);

// Reads a project file. Errors name the file and, for JSON syntax, the line and column.
Result<Project> readProject(const QString& path);

// Writes the project atomically (QSaveFile): known keys from the struct, unknown keys as read,
// paths relative to the new file's folder. Sets the version to the current format version.
Status saveProject(const Project& project, const QString& path);

// A project around one data file, for opening a GIS file directly.
Project projectForDataFile(const QString& path);

// The bundled demo city (data/demo/demo.utwin), looked up next to the binaries and in the
// source tree; empty when not found.
QString demoProjectPath(const QString& applicationDir);

}  // namespace ut::app
