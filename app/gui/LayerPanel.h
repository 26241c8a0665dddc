#pragma once

#include <QDockWidget>
#include <memory>

class QTreeWidget;
class QTreeWidgetItem;

namespace ut::app {

struct LoadedCity;

enum class SceneLayer { Buildings, Roads, Ground, Sensors, Vehicles };

// The layer list: what the scene shows (with counts and check boxes) and the project's data
// sources, each with its load status; a source that failed stays listed with its error.
class LayerPanel : public QDockWidget {
    Q_OBJECT
public:
    explicit LayerPanel(QWidget* parent = nullptr);

    void setCity(std::shared_ptr<const LoadedCity> city);
    void setSensorCount(int placedSensors);
    // Lists the vehicles of a traffic playback (when the last run has them).
    void setVehiclesShown(bool shown);
    int sourceCount() const;
    int failedSourceCount() const;

signals:
    void visibilityChanged(ut::app::SceneLayer layer, bool visible);

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();

    QTreeWidget* m_tree;
    std::shared_ptr<const LoadedCity> m_city;
    bool m_rebuilding = false;
    bool m_visible[5] = {true, true, true, true, true};
    int m_sensorCount = 0;
    bool m_vehiclesShown = false;
};

}  // namespace ut::app
