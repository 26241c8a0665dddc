#include "LayerPanel.h"

#include <QEvent>
#include <QHeaderView>
#include <QLocale>
#include <QStyle>
#include <QTreeWidget>

#include "CityLoadJob.h"

namespace ut::app {

namespace {
constexpr int kLayerRole = Qt::UserRole + 1;
}

LayerPanel::LayerPanel(QWidget* parent) : QDockWidget(parent), m_tree(new QTreeWidget(this)) {
    setObjectName(QStringLiteral("layerPanel"));
    m_tree->setHeaderHidden(true);
    m_tree->setRootIsDecorated(true);
    setWidget(m_tree);
    connect(m_tree, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem* item) {
        if (m_rebuilding || !item->data(0, kLayerRole).isValid()) return;
        const int layer = item->data(0, kLayerRole).toInt();
        m_visible[layer] = item->checkState(0) == Qt::Checked;
        emit visibilityChanged(static_cast<SceneLayer>(layer), m_visible[layer]);
    });
    rebuild();
}

void LayerPanel::setCity(std::shared_ptr<const LoadedCity> city) {
    m_city = std::move(city);
    rebuild();
}

void LayerPanel::setSensorCount(int placedSensors) {
    if (placedSensors == m_sensorCount) return;
    m_sensorCount = placedSensors;
    rebuild();
}

void LayerPanel::setVehiclesShown(bool shown) {
    if (shown == m_vehiclesShown) return;
    m_vehiclesShown = shown;
    rebuild();
}

int LayerPanel::sourceCount() const { return m_city ? static_cast<int>(m_city->project.layers.size()) : 0; }

int LayerPanel::failedSourceCount() const {
    int failed = 0;
    if (m_city) {
        for (const auto& layer : m_city->project.layers) failed += layer.ok() ? 0 : 1;
    }
    return failed;
}

void LayerPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) rebuild();
    QDockWidget::changeEvent(event);
}

void LayerPanel::rebuild() {
    m_rebuilding = true;
    setWindowTitle(tr("Layers"));
    m_tree->clear();
    const QLocale locale;
    const std::size_t buildings = m_city ? m_city->project.model.buildings.buildingCount() : 0;
    const std::size_t links = m_city ? m_city->project.model.roads.linkCount() : 0;

    auto* scene = new QTreeWidgetItem(m_tree, {tr("Scene")});
    const QString labels[5] = {tr("Buildings (%1)").arg(locale.toString(qulonglong(buildings))),
                               tr("Road links (%1)").arg(locale.toString(qulonglong(links))), tr("Ground"),
                               tr("Sensors (%1)").arg(locale.toString(m_sensorCount)), tr("Vehicles")};
    for (int i = 0; i < 5; ++i) {
        if (i == static_cast<int>(SceneLayer::Sensors) && m_sensorCount == 0) continue;
        if (i == static_cast<int>(SceneLayer::Vehicles) && !m_vehiclesShown) continue;
        auto* item = new QTreeWidgetItem(scene, {labels[i]});
        item->setData(0, kLayerRole, i);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(0, m_visible[i] ? Qt::Checked : Qt::Unchecked);
    }

    auto* sources = new QTreeWidgetItem(m_tree, {tr("Data sources")});
    if (m_city) {
        for (const auto& layer : m_city->project.layers) {
            auto* item = new QTreeWidgetItem(sources, {layer.layer.name});
            if (layer.ok()) {
                const auto& r = *layer.report;
                item->setIcon(0, style()->standardIcon(QStyle::SP_DialogApplyButton));
                item->setToolTip(0, tr("%1\n%2 buildings, %3 road links, %4 skipped\nCRS %5")
                                        .arg(layer.layer.path)
                                        .arg(locale.toString(qulonglong(r.buildings)))
                                        .arg(locale.toString(qulonglong(r.roadLinks)))
                                        .arg(locale.toString(qulonglong(r.skipped())))
                                        .arg(QString::fromStdString(r.sourceCrs)));
            } else {
                item->setIcon(0, style()->standardIcon(QStyle::SP_MessageBoxWarning));
                item->setToolTip(0, layer.error);
                item->setText(0, tr("%1 — failed to load").arg(layer.layer.name));
            }
        }
        for (const auto& feed : m_city->project.project.sensors.feeds) {
            auto* item = new QTreeWidgetItem(sources, {tr("Sensor feed: %1").arg(feed.name)});
            item->setToolTip(0, feed.source);
        }
        if (m_city->project.weather) {
            auto* weather = new QTreeWidgetItem(sources, {tr("Weather: %1").arg(
                QString::fromStdString(m_city->project.weather->station.name))});
            weather->setToolTip(0, m_city->project.project.weatherPath);
        } else if (!m_city->project.weatherError.isEmpty()) {
            auto* weather = new QTreeWidgetItem(sources, {tr("Weather — failed to load")});
            weather->setIcon(0, style()->standardIcon(QStyle::SP_MessageBoxWarning));
            weather->setToolTip(0, m_city->project.weatherError);
        }
    }
    m_tree->expandAll();
    m_rebuilding = false;
}

}  // namespace ut::app
