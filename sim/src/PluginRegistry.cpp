#include "ut/sim/PluginRegistry.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QLibrary>
#include <QPluginLoader>

namespace ut::sim {

PluginRegistry::PluginRegistry() = default;
PluginRegistry::~PluginRegistry() = default;

QStringList PluginRegistry::defaultFolders(const QString& applicationDir) {
    QStringList folders{QDir::cleanPath(applicationDir + QStringLiteral("/../lib/urbantwin/plugins"))};
    const QString extra = qEnvironmentVariable("URBANTWIN_PLUGIN_PATH");
    for (const QString& folder : extra.split(QDir::listSeparator(), Qt::SkipEmptyParts)) folders << folder;
    return folders;
}

void PluginRegistry::scan(const QStringList& folders) {
    for (const QString& folder : folders) {
        const QDir dir(folder);
        if (!dir.exists()) continue;
        for (const QFileInfo& file : dir.entryInfoList(QDir::Files, QDir::Name)) {
            if (QLibrary::isLibrary(file.fileName())) consider(file.absoluteFilePath());
        }
    }
    dropPluginsWithMissingDependencies();
}

void PluginRegistry::consider(const QString& path) {
    QPluginLoader loader(path);
    const QJsonObject meta = loader.metaData();
    if (meta.isEmpty()) {
        m_problems << QStringLiteral("%1: not a Qt plugin (%2)").arg(path, loader.errorString());
        return;
    }
    if (meta.value("IID").toString() != QStringLiteral(UrbanTwinSimulationFactory_iid)) {
        m_problems << QStringLiteral("%1: not an UrbanTwin simulation plugin (interface %2)")
                          .arg(path, meta.value("IID").toString());
        return;
    }
    auto metadata = parsePluginMetadata(meta.value("MetaData").toObject(), path);
    if (!metadata) {
        m_problems << QString::fromStdString(metadata.error());
        return;
    }
    if (metadata->apiVersion != kPluginApiVersion) {
        m_problems << QStringLiteral("%1: plugin '%2' was built for plugin API %3, this UrbanTwin speaks API %4; refused")
                          .arg(path, metadata->id)
                          .arg(metadata->apiVersion)
                          .arg(kPluginApiVersion);
        return;
    }
    if (const PluginRecord* existing = find(metadata->id)) {
        m_problems << QStringLiteral("%1: plugin id '%2' is already taken by %3; refused")
                          .arg(path, metadata->id, existing->path);
        return;
    }
    m_plugins.push_back(PluginRecord{std::move(metadata.value()), path});
}

void PluginRegistry::dropPluginsWithMissingDependencies() {
    bool dropped = true;
    while (dropped) {
        dropped = false;
        for (auto it = m_plugins.begin(); it != m_plugins.end(); ++it) {
            for (const QString& dependency : it->metadata.dependencies) {
                if (find(dependency)) continue;
                m_problems << QStringLiteral("%1: plugin '%2' needs plugin '%3', which is not available; refused")
                                  .arg(it->path, it->metadata.id, dependency);
                m_plugins.erase(it);
                dropped = true;
                break;
            }
            if (dropped) break;
        }
    }
}

const PluginRecord* PluginRegistry::find(const QString& id) const {
    for (const auto& record : m_plugins)
        if (record.metadata.id == id) return &record;
    return nullptr;
}

Result<std::unique_ptr<Simulation>> PluginRegistry::create(const QString& id) {
    const PluginRecord* record = find(id);
    if (!record) return Error{QStringLiteral("no simulation plugin with id '%1'").arg(id).toStdString()};
    auto& loader = m_loaders[id];
    if (!loader) loader = std::make_unique<QPluginLoader>(record->path);
    QObject* instance = loader->instance();
    if (!instance) {
        return Error{QStringLiteral("%1: cannot load plugin '%2': %3").arg(record->path, id, loader->errorString()).toStdString()};
    }
    auto* factory = qobject_cast<SimulationFactory*>(instance);
    if (!factory) return Error{QStringLiteral("%1: plugin '%2' exports no SimulationFactory").arg(record->path, id).toStdString()};
    try {
        std::unique_ptr<Simulation> simulation = factory->create();
        if (!simulation) return Error{QStringLiteral("plugin '%1' created no simulation").arg(id).toStdString()};
        return simulation;
    } catch (const std::exception& e) {
        return Error{QStringLiteral("plugin '%1' failed to create a simulation: %2").arg(id, QString::fromUtf8(e.what())).toStdString()};
    }
}

}  // namespace ut::sim
