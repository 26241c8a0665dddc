#pragma once

#include <QMainWindow>
#include <osg/Node>
#include <osg/ref_ptr>
#include <memory>
#include <optional>

#include "LayerPanel.h"
#include "ut/geodata/GeographicConverter.h"
#include "ut/app/Project.h"
#include "ut/render/CameraPose.h"
#include "ut/render/SensorMarkers.h"
#include "ut/render/VehicleLayer.h"
#include "ut/sim/PluginRegistry.h"
#include "ut/sim/VehiclePlayback.h"

class QAction;
class QActionGroup;
class QLabel;
class QMenu;
class QProgressBar;
class QTimer;
class QToolButton;
class QToolBar;
class QDateTimeEdit;

namespace ut::app {

class RetrofitPlanPanel;
class CityLoadJob;
class InspectorPanel;
class LanguageManager;
class LegendWidget;
class PresentationTour;
class SensorPanel;
class SensorSession;
class SimulationPanel;
class ViewportWidget;
struct LoadedCity;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(LanguageManager* language, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a .utwin project or any GIS file; loading runs on a worker thread.
    void openPath(const QString& path);

    ViewportWidget* viewport() const { return m_viewport; }
    LayerPanel* layerPanel() const { return m_layers; }
    SimulationPanel* simulationPanel() const { return m_simulations; }
    InspectorPanel* inspectorPanel() const { return m_inspector; }
    LegendWidget* legend() const { return m_legend; }
    LegendWidget* sensorLegend() const { return m_sensorLegend; }
    SensorPanel* sensorPanel() const { return m_sensorPanel; }
    RetrofitPlanPanel* retrofitPlanPanel() const { return m_retrofitPlan; }
    SensorSession* sensorSession() const { return m_sensorSession.get(); }
    const render::SensorMarkers& sensorMarkers() const { return m_sensorMarkers; }
    // The vehicles of the last traffic run at the timeline's time (null when it recorded none).
    const render::VehicleLayer* vehicleLayer() const { return m_vehicleLayer.get(); }
    LegendWidget* vehicleLegend() const { return m_vehicleLegend; }
    void flyToSensor(std::size_t placedIndex);
    // Picks like a click would: highlights the building and shows it in the inspector.
    void pickBuilding(std::optional<std::size_t> building);
    void flyToBuilding(std::size_t building);
    void pickRoadLink(std::size_t link);
    // Replaces the scenario named previousName (or adds one when it is empty) in the open project.
    void storeScenario(const QString& previousName, const ScenarioEntry& scenario);
    void goToViewpoint(const QString& name, double seconds = 2.0);
    void saveViewpoint(const QString& name);
    void setPresentationMode(bool on);
    // Lights the city as the sun stands at this local standard time.
    void setSunTime(const QDateTime& local);
    // Writes a PDF report of the city, the last simulation run and the current view.
    Status writeReport(const QString& path);
    bool presentationMode() const;
    PresentationTour* tour() const { return m_tour; }
    std::shared_ptr<const LoadedCity> city() const { return m_city; }

signals:
    void cityLoaded();
    void loadFailed(const QString& message);

protected:
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void createActions();
    void retranslate();
    void onCityLoaded(std::shared_ptr<LoadedCity> city);
    void showCursor(std::optional<QPointF> local);
    void setSceneLayerVisible(SceneLayer layer, bool visible);
    void exportImage();
    void chooseAndOpen(bool projectOnly);
    void reportError(const QString& message);
    void applyColouring();
    void placeLegends();
    void saveProjectAs();
    void exportReport();
    void editScenario(const QString& name);
    void fillViewpointMenu();
    render::CameraPose poseOf(const Viewpoint& viewpoint) const;
    void startSensors();
    void placeSensorPins();
    void colourSensorPins();
    void showVehicles();

    LanguageManager* m_language;
    ViewportWidget* m_viewport;
    LayerPanel* m_layers;
    CityLoadJob* m_job;
    std::unique_ptr<sim::PluginRegistry> m_registry;
    SimulationPanel* m_simulations;
    InspectorPanel* m_inspector;
    LegendWidget* m_legend;
    LegendWidget* m_roadLegend;
    LegendWidget* m_sensorLegend;
    SensorPanel* m_sensorPanel;
    RetrofitPlanPanel* m_retrofitPlan = nullptr;
    std::unique_ptr<SensorSession> m_sensorSession;
    render::SensorMarkers m_sensorMarkers;
    LegendWidget* m_vehicleLegend;
    std::unique_ptr<render::VehicleLayer> m_vehicleLayer;
    bool m_vehiclesVisible = true;
    std::vector<sim::VehiclePose> m_vehiclePoses;
    std::vector<render::VehicleMarker> m_vehicleMarkers;
    PresentationTour* m_tour;
    QByteArray m_stateBeforePresentation;
    osg::ref_ptr<osg::Node> m_linkHighlight;
    std::shared_ptr<LoadedCity> m_city;
    std::optional<GeographicConverter> m_geographic;

    QLabel* m_coordinates;
    QLabel* m_attribution;
    QLabel* m_frameTime;
    QProgressBar* m_progress;
    QToolButton* m_cancel;
    QTimer* m_progressTimer;

    QMenu* m_fileMenu;
    QMenu* m_viewMenu;
    QMenu* m_languageMenu;
    QMenu* m_viewpointMenu;
    QMenu* m_helpMenu;
    QAction* m_openProject;
    QAction* m_openData;
    QAction* m_exportImage;
    QAction* m_saveProject;
    QAction* m_exportReport;
    QAction* m_quit;
    QAction* m_home;
    QAction* m_presentation;
    QAction* m_showFrameTime;
    QAction* m_reduceDetail;
    QAction* m_shadows;
    QAction* m_saveViewpoint;
    QToolBar* m_sunBar;
    QLabel* m_sunLabel;
    QDateTimeEdit* m_sunTime;
    QAction* m_languageSystem;
    QAction* m_languageEnglish;
    QAction* m_languageKorean;
    QAction* m_about;
};

}  // namespace ut::app
