#include "ut/app/Project.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <algorithm>
#include <set>

#include "ut/geodata/TextPosition.h"
#include "ut/sim/BuildingFilter.h"

namespace ut::app {

namespace {

void warnUnknownKeys(const QJsonObject& object, const std::set<QString>& known, const QString& where,
                     QStringList& warnings) {
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key())) warnings << QStringLiteral("%1: unknown key '%2' kept as is").arg(where, it.key());
    }
}

std::string fail(const QString& file, const QString& where, const QString& what) {
    return QStringLiteral("%1: %2: %3").arg(file, where, what).toStdString();
}
}  // namespace

Result<Project> readProject(const QString& path) {
    QFile file(path);
    if (!QFileInfo::exists(path)) return Error{(path + QStringLiteral(": no such file")).toStdString()};
    if (!file.open(QIODevice::ReadOnly)) return Error{(path + QStringLiteral(": cannot read: ") + file.errorString()).toStdString()};
    const QByteArray text = file.readAll();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return Error{QStringLiteral("%1:%2: invalid JSON: %3")
                         .arg(path, QString::fromStdString(lineAndColumn(text, parseError.offset)), parseError.errorString())
                         .toStdString()};
    }
    if (!document.isObject()) return Error{fail(path, QStringLiteral("top level"), QStringLiteral("expected a JSON object"))};

    Project project;
    project.filePath = QFileInfo(path).absoluteFilePath();
    project.document = document.object();
    const QJsonObject& root = project.document;
    const QDir base = QFileInfo(path).absoluteDir();
    warnUnknownKeys(root, {"format", "version", "name", "frame", "layers", "weather", "heights", "viewpoints",
                           "simulations", "scenarios", "sensors"},
                    path, project.warnings);

    if (root.value("format").toString() != QStringLiteral("urbantwin-project")) {
        return Error{fail(path, QStringLiteral("format"), QStringLiteral("expected \"urbantwin-project\""))};
    }
    if (!root.value("version").isDouble()) return Error{fail(path, QStringLiteral("version"), QStringLiteral("expected an integer"))};
    project.version = root.value("version").toInt();
    if (project.version < 1 || project.version > kProjectFormatVersion) {
        return Error{fail(path, QStringLiteral("version"),
                          QStringLiteral("version %1 is not supported (this build reads up to %2)")
                              .arg(project.version).arg(kProjectFormatVersion))};
    }
    project.name = root.value("name").toString(QFileInfo(path).completeBaseName());

    if (root.contains("frame")) {
        const QJsonValue frame = root.value("frame");
        if (!frame.isObject()) return Error{fail(path, QStringLiteral("frame"), QStringLiteral("expected an object"))};
        const QJsonObject f = frame.toObject();
        const QString crs = f.value("crs").toString(QStringLiteral("auto"));
        if (crs != QStringLiteral("auto")) project.frameCrs = crs;
        const QJsonValue origin = f.value("origin");
        if (origin.isArray()) {
            const QJsonArray xy = origin.toArray();
            if (xy.size() != 2 || !xy[0].isDouble() || !xy[1].isDouble()) {
                return Error{fail(path, QStringLiteral("frame.origin"), QStringLiteral("expected [x, y] in metres or \"auto\""))};
            }
            project.origin = Eigen::Vector2d(xy[0].toDouble(), xy[1].toDouble());
        } else if (!origin.isUndefined() && origin.toString() != QStringLiteral("auto")) {
            return Error{fail(path, QStringLiteral("frame.origin"), QStringLiteral("expected [x, y] in metres or \"auto\""))};
        }
    }

    const QJsonValue layers = root.value("layers");
    if (!layers.isArray()) return Error{fail(path, QStringLiteral("layers"), QStringLiteral("expected an array of layers"))};
    int index = 0;
    for (const QJsonValue& value : layers.toArray()) {
        const QString where = QStringLiteral("layers[%1]").arg(index++);
        if (!value.isObject()) return Error{fail(path, where, QStringLiteral("expected an object"))};
        const QJsonObject l = value.toObject();
        warnUnknownKeys(l, {"id", "name", "path", "visible", "type", "encoding", "fields"}, path + QStringLiteral(": ") + where,
                        project.warnings);
        if (!l.value("path").isString() || l.value("path").toString().isEmpty()) {
            return Error{fail(path, where + QStringLiteral(".path"), QStringLiteral("expected a file path"))};
        }
        if (l.contains(QStringLiteral("fields"))) {
            const QJsonValue fields = l.value("fields");
            const QJsonObject names = fields.toObject();
            const bool allText = std::all_of(names.begin(), names.end(), [](const QJsonValue& v) { return v.isString(); });
            if (!fields.isObject() || !allText) {
                return Error{fail(path, where + QStringLiteral(".fields"),
                                  QStringLiteral("expected an object naming the layer's fields, e.g. {\"lanes\": \"RDLN\"}"))};
            }
            warnUnknownKeys(names, {"lanes", "maxspeed", "oneway", "class", "name"},
                            path + QStringLiteral(": ") + where + QStringLiteral(".fields"), project.warnings);
        }
        ProjectLayer layer;
        layer.path = QDir::cleanPath(base.absoluteFilePath(l.value("path").toString()));
        layer.id = l.value("id").toString(QStringLiteral("layer%1").arg(index));
        layer.name = l.value("name").toString(QFileInfo(layer.path).fileName());
        layer.visible = l.value("visible").toBool(true);
        layer.document = l;
        project.layers.push_back(layer);
    }

    const QJsonValue weather = root.value("weather");
    if (weather.isObject()) {
        const QString weatherPath = weather.toObject().value("path").toString();
        if (!weatherPath.isEmpty()) project.weatherPath = QDir::cleanPath(base.absoluteFilePath(weatherPath));
    } else if (!weather.isUndefined() && !weather.isNull()) {
        return Error{fail(path, QStringLiteral("weather"), QStringLiteral("expected an object with a path"))};
    }

    const QJsonObject heights = root.value("heights").toObject();
    project.heights.storeyHeightM = heights.value("storey_height_m").toDouble(project.heights.storeyHeightM);
    project.heights.defaultHeightM = heights.value("default_height_m").toDouble(project.heights.defaultHeightM);
    if (project.heights.storeyHeightM <= 0.0 || project.heights.defaultHeightM <= 0.0) {
        return Error{fail(path, QStringLiteral("heights"), QStringLiteral("storey and default heights must be positive"))};
    }
    const QJsonValue sensors = root.value("sensors");
    if (!sensors.isUndefined() && !sensors.isObject()) {
        return Error{fail(path, QStringLiteral("sensors"), QStringLiteral("expected an object with feeds"))};
    }
    const QJsonObject sensorObject = sensors.toObject();
    warnUnknownKeys(sensorObject, {"feeds", "stale_after_minutes", "colour_by"}, path + QStringLiteral(": sensors"),
                    project.warnings);
    project.sensors.staleAfterMinutes = sensorObject.value("stale_after_minutes").toDouble(project.sensors.staleAfterMinutes);
    project.sensors.colourBy = sensorObject.value("colour_by").toString();
    if (!(project.sensors.staleAfterMinutes > 0.0)) {
        return Error{fail(path, QStringLiteral("sensors.stale_after_minutes"), QStringLiteral("must be positive"))};
    }
    const QJsonValue feeds = sensorObject.value("feeds");
    if (!feeds.isUndefined() && !feeds.isArray()) {
        return Error{fail(path, QStringLiteral("sensors.feeds"), QStringLiteral("expected an array"))};
    }
    int feedIndex = 0;
    for (const QJsonValue& value : feeds.toArray()) {
        const QString where = QStringLiteral("sensors.feeds[%1]").arg(feedIndex++);
        const QJsonObject o = value.toObject();
        SensorFeedEntry feed;
        feed.document = o;
        feed.source = o.value("source").toString();
        if (feed.source.isEmpty()) return Error{fail(path, where + QStringLiteral(".source"), QStringLiteral("expected a URL or a file"))};
        if (!feed.source.contains(QStringLiteral("://"))) feed.source = QDir::cleanPath(base.absoluteFilePath(feed.source));
        feed.name = o.value("name").toString(QFileInfo(feed.source).fileName());
        const QString catalog = o.value("catalog").toString();
        if (!catalog.isEmpty()) feed.catalogPath = QDir::cleanPath(base.absoluteFilePath(catalog));
        feed.speed = o.value("speed").toDouble(1.0);
        if (feed.speed < 0.0) return Error{fail(path, where + QStringLiteral(".speed"), QStringLiteral("must not be negative"))};
        warnUnknownKeys(o, {"name", "source", "catalog", "speed"}, path + QStringLiteral(": ") + where, project.warnings);
        project.sensors.feeds.push_back(feed);
    }

    const QJsonValue simulations = root.value("simulations");
    if (!simulations.isUndefined() && !simulations.isArray()) {
        return Error{fail(path, QStringLiteral("simulations"), QStringLiteral("expected an array"))};
    }
    index = 0;
    for (const QJsonValue& value : simulations.toArray()) {
        const QString where = QStringLiteral("simulations[%1]").arg(index++);
        const QJsonObject o = value.toObject();
        if (!o.value("plugin").isString()) return Error{fail(path, where + QStringLiteral(".plugin"), QStringLiteral("expected a plugin id"))};
        if (!o.value("parameters").isUndefined() && !o.value("parameters").isObject()) {
            return Error{fail(path, where + QStringLiteral(".parameters"), QStringLiteral("expected an object"))};
        }
        warnUnknownKeys(o, {"plugin", "parameters"}, path + QStringLiteral(": ") + where, project.warnings);
        project.simulations.push_back({o.value("plugin").toString(), o.value("parameters").toObject().toVariantMap(), o});
    }

    const QJsonValue scenarios = root.value("scenarios");
    if (!scenarios.isUndefined() && !scenarios.isArray()) {
        return Error{fail(path, QStringLiteral("scenarios"), QStringLiteral("expected an array"))};
    }
    index = 0;
    for (const QJsonValue& value : scenarios.toArray()) {
        const QString where = QStringLiteral("scenarios[%1]").arg(index++);
        const QJsonObject o = value.toObject();
        ScenarioEntry scenario;
        scenario.name = o.value("name").toString();
        if (scenario.name.isEmpty() || scenario.name == QStringLiteral("baseline")) {
            return Error{fail(path, where + QStringLiteral(".name"), QStringLiteral("expected a name other than \"baseline\""))};
        }
        if (findScenario(project, scenario.name)) {
            return Error{fail(path, where + QStringLiteral(".name"), QStringLiteral("scenario '%1' is defined twice").arg(scenario.name))};
        }
        scenario.description = o.value("description").toString();
        const QJsonObject changes = o.value("parameters").toObject();
        for (auto it = changes.begin(); it != changes.end(); ++it) {
            if (!it.value().isObject()) {
                return Error{fail(path, where + QStringLiteral(".parameters.") + it.key(), QStringLiteral("expected an object of parameter values"))};
            }
            scenario.parameterChanges.insert(it.key(), it.value().toObject().toVariantMap());
        }
        int editIndex = 0;
        for (const QJsonValue& editValue : o.value("buildings").toArray()) {
            const QString editWhere = where + QStringLiteral(".buildings[%1]").arg(editIndex++);
            const QJsonObject e = editValue.toObject();
            BuildingEdit edit;
            edit.where = e.value("where").toString();
            for (const QJsonValue& id : e.value("ids").toArray()) edit.ids << id.toString();
            edit.set = e.value("set").toObject().toVariantMap();
            if (edit.where.isEmpty() == edit.ids.isEmpty()) {
                return Error{fail(path, editWhere, QStringLiteral("give either \"where\" (a filter expression) or \"ids\""))};
            }
            if (!edit.where.isEmpty()) {
                if (auto filter = sim::BuildingFilter::parse(edit.where.toStdString()); !filter) {
                    return Error{fail(path, editWhere + QStringLiteral(".where"), QString::fromStdString(filter.error()))};
                }
            }
            if (edit.set.isEmpty()) return Error{fail(path, editWhere + QStringLiteral(".set"), QStringLiteral("expected attributes to set"))};
            scenario.buildingEdits.push_back(edit);
        }
        warnUnknownKeys(o, {"name", "description", "parameters", "buildings"}, path + QStringLiteral(": ") + where, project.warnings);
        scenario.document = o;
        project.scenarios.push_back(scenario);
    }
    const QJsonValue viewpoints = root.value("viewpoints");
    if (!viewpoints.isUndefined() && !viewpoints.isArray()) {
        return Error{fail(path, QStringLiteral("viewpoints"), QStringLiteral("expected an array"))};
    }
    index = 0;
    for (const QJsonValue& value : viewpoints.toArray()) {
        const QString where = QStringLiteral("viewpoints[%1]").arg(index++);
        const QJsonObject o = value.toObject();
        auto point = [&](const char* key, Eigen::Vector3d& out) {
            const QJsonArray xyz = o.value(QLatin1String(key)).toArray();
            if (xyz.size() != 3 || !xyz[0].isDouble() || !xyz[1].isDouble() || !xyz[2].isDouble()) return false;
            out = Eigen::Vector3d(xyz[0].toDouble(), xyz[1].toDouble(), xyz[2].toDouble());
            return true;
        };
        Viewpoint viewpoint;
        viewpoint.name = o.value("name").toString();
        if (viewpoint.name.isEmpty()) return Error{fail(path, where + QStringLiteral(".name"), QStringLiteral("expected a name"))};
        if (!point("eye", viewpoint.eye) || !point("center", viewpoint.center)) {
            return Error{fail(path, where, QStringLiteral("expected \"eye\" and \"center\" as [x, y, z] in the frame CRS"))};
        }
        project.viewpoints.push_back(viewpoint);
    }
    return project;
}

const Viewpoint* findViewpoint(const Project& project, const QString& name) {
    for (const auto& viewpoint : project.viewpoints)
        if (viewpoint.name == name) return &viewpoint;
    return nullptr;
}

const ScenarioEntry* findScenario(const Project& project, const QString& name) {
    for (const auto& scenario : project.scenarios)
        if (scenario.name == name) return &scenario;
    return nullptr;
}

Status saveProject(const Project& project, const QString& path) {
    const QDir base = QFileInfo(path).absoluteDir();
    QJsonObject root = project.document;
    root.insert("format", QStringLiteral("urbantwin-project"));
    root.insert("version", kProjectFormatVersion);
    root.insert("name", project.name);
    QJsonObject frame = root.value("frame").toObject();
    frame.insert("crs", project.frameCrs.isEmpty() ? QStringLiteral("auto") : project.frameCrs);
    frame.insert("origin", project.origin ? QJsonValue(QJsonArray{project.origin->x(), project.origin->y()})
                                          : QJsonValue(QStringLiteral("auto")));
    root.insert("frame", frame);
    QJsonArray layers;
    for (const ProjectLayer& layer : project.layers) {
        QJsonObject o = layer.document;
        o.insert("id", layer.id);
        o.insert("name", layer.name);
        o.insert("path", base.relativeFilePath(layer.path));
        o.insert("visible", layer.visible);
        layers.append(o);
    }
    root.insert("layers", layers);
    if (!project.weatherPath.isEmpty()) {
        QJsonObject weather = root.value("weather").toObject();
        weather.insert("path", base.relativeFilePath(project.weatherPath));
        root.insert("weather", weather);
    }
    QJsonObject heights = root.value("heights").toObject();
    heights.insert("storey_height_m", project.heights.storeyHeightM);
    heights.insert("default_height_m", project.heights.defaultHeightM);
    root.insert("heights", heights);
    QJsonArray simulations;
    for (const SimulationEntry& entry : project.simulations) {
        QJsonObject o = entry.document;
        o.insert("plugin", entry.plugin);
        o.insert("parameters", QJsonObject::fromVariantMap(entry.parameters));
        simulations.append(o);
    }
    root.insert("simulations", simulations);
    QJsonArray scenarios;
    for (const ScenarioEntry& scenario : project.scenarios) {
        QJsonObject o = scenario.document;
        o.insert("name", scenario.name);
        if (!scenario.description.isEmpty()) o.insert("description", scenario.description);
        QJsonObject changes;
        for (auto it = scenario.parameterChanges.begin(); it != scenario.parameterChanges.end(); ++it) {
            changes.insert(it.key(), QJsonObject::fromVariantMap(it.value()));
        }
        o.insert("parameters", changes);
        QJsonArray edits;
        for (const BuildingEdit& edit : scenario.buildingEdits) {
            QJsonObject e;
            if (!edit.where.isEmpty()) e.insert("where", edit.where);
            if (!edit.ids.isEmpty()) e.insert("ids", QJsonArray::fromStringList(edit.ids));
            e.insert("set", QJsonObject::fromVariantMap(edit.set));
            edits.append(e);
        }
        if (!edits.isEmpty()) o.insert("buildings", edits);
        scenarios.append(o);
    }
    root.insert("scenarios", scenarios);
    QJsonArray viewpoints;
    for (const Viewpoint& v : project.viewpoints) {
        viewpoints.append(QJsonObject{{"name", v.name},
                                      {"eye", QJsonArray{v.eye.x(), v.eye.y(), v.eye.z()}},
                                      {"center", QJsonArray{v.center.x(), v.center.y(), v.center.z()}}});
    }
    root.insert("viewpoints", viewpoints);
    if (!project.sensors.feeds.empty() || root.contains("sensors")) {
        QJsonObject sensors = root.value("sensors").toObject();
        QJsonArray feeds;
        for (const SensorFeedEntry& feed : project.sensors.feeds) {
            QJsonObject o = feed.document;
            o.insert("name", feed.name);
            o.insert("source", feed.source.contains(QStringLiteral("://")) ? feed.source : base.relativeFilePath(feed.source));
            if (!feed.catalogPath.isEmpty()) o.insert("catalog", base.relativeFilePath(feed.catalogPath));
            o.insert("speed", feed.speed);
            feeds.append(o);
        }
        sensors.insert("feeds", feeds);
        sensors.insert("stale_after_minutes", project.sensors.staleAfterMinutes);
        if (!project.sensors.colourBy.isEmpty()) sensors.insert("colour_by", project.sensors.colourBy);
        root.insert("sensors", sensors);
    }

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return Error{(path + QStringLiteral(": cannot write: ") + file.errorString()).toStdString()};
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit()) return Error{(path + QStringLiteral(": cannot write: ") + file.errorString()).toStdString()};
    return {};
}

Project projectForDataFile(const QString& path) {
    Project project;
    const QFileInfo info(path);
    project.name = info.completeBaseName();
    ProjectLayer layer;
    layer.id = QStringLiteral("layer1");
    layer.name = info.fileName();
    layer.path = info.absoluteFilePath();
    project.layers.push_back(layer);
    return project;
}

QString demoProjectPath(const QString& applicationDir) {
    const QStringList candidates = {
        applicationDir + QStringLiteral("/../../data/demo/demo.utwin"),
        applicationDir + QStringLiteral("/../share/urbantwin/demo/demo.utwin"),
        QStringLiteral(UT_SOURCE_DIR "/data/demo/demo.utwin"),
    };
    for (const QString& candidate : candidates) {
        if (QFileInfo::exists(candidate)) return QDir::cleanPath(candidate);
    }
    return {};
}

}  // namespace ut::app
