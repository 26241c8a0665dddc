#pragma once

#include <QString>
#include <QStringList>
#include <map>
#include <memory>
#include <vector>

#include "ut/geodata/Result.h"
#include "ut/sim/PluginMetadata.h"
#include "ut/sim/Simulation.h"

class QPluginLoader;

namespace ut::sim {

struct PluginRecord {
    PluginMetadata metadata;
    QString path;
};

// Finds simulation plugins and reads their metadata before any plugin code loads. A library
// built for another API version, a duplicate id, bad metadata or a missing dependency is refused
// with one line in problems(); scanning never fails as a whole.
class PluginRegistry {
public:
    PluginRegistry();
    ~PluginRegistry();
    PluginRegistry(const PluginRegistry&) = delete;
    PluginRegistry& operator=(const PluginRegistry&) = delete;

    // lib/urbantwin/plugins beside the binaries' folder, then each folder of URBANTWIN_PLUGIN_PATH.
    static QStringList defaultFolders(const QString& applicationDir);

    void scan(const QStringList& folders);

    const std::vector<PluginRecord>& plugins() const { return m_plugins; }
    const QStringList& problems() const { return m_problems; }
    const PluginRecord* find(const QString& id) const;

    // Loads the plugin's library (once) and creates a simulation.
    Result<std::unique_ptr<Simulation>> create(const QString& id);

private:
    void consider(const QString& path);
    void dropPluginsWithMissingDependencies();

    std::vector<PluginRecord> m_plugins;
    QStringList m_problems;
    std::map<QString, std::unique_ptr<QPluginLoader>> m_loaders;
};

}  // namespace ut::sim
