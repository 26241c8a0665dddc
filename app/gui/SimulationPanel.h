#pragma once

#include <functional>

#include "ut/sim/Measurements.h"

#include <QDockWidget>
#include <QElapsedTimer>
#include <QFutureWatcher>
#include <memory>

#include "ut/app/ProjectRun.h"

class QComboBox;
class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;
class QTableWidget;
class QTimer;
class QToolButton;
class QGroupBox;

namespace ut::app {

struct LoadedCity;
class ParameterForm;

// What one Run produced: the results shown (the differences when comparing) and, when comparing,
// both runs' KPIs.
struct SimulationRun {
    std::optional<RunFailure> failure;
    sim::ResultSet results;
    sim::ResultSet baseline;
    sim::ResultSet proposal;
    bool compared = false;
    QString scenario;
    QString plugin;
    QVariantMap parameters;
};

// Runs a simulation plugin on the open city: a parameter form built from the plugin's schema,
// a scenario (optionally compared with the baseline), Run and Cancel with progress on a worker
// thread; then the KPIs, the field that colours the buildings, and a timeline for time series.
class SimulationPanel : public QDockWidget {
    Q_OBJECT
public:
    SimulationPanel(sim::PluginRegistry* registry, QWidget* parent = nullptr);
    ~SimulationPanel() override;

    void setCity(std::shared_ptr<const LoadedCity> city);
    // Where runs get the sensor series tied to the city's buildings and links (copied at Run).
    void setMeasurementSource(std::function<sim::Measurements()> source) { m_measurementSource = std::move(source); }
    void selectPlugin(const QString& id);
    void selectScenario(const QString& name);
    void setCompareWithBaseline(bool compare);
    void run();
    void cancel();
    bool isRunning() const;

    const SimulationRun* lastRun() const { return m_run.get(); }
    // The field buildings are coloured by: a result of the last run or a city attribute field.
    const sim::Field* colourField() const;
    bool showsDifference(const sim::Field& field) const;
    // The link field the roads are coloured by (a result of the last run), or null.
    const sim::Field* roadColourField() const;
    void selectRoadColourField(const QString& name);
    std::size_t timeStep() const;
    void selectColourField(const QString& name);
    // Plays the timeline (when the colouring field has one, or the run recorded vehicles).
    void setPlaying(bool playing);
    bool isPlaying() const;

    // Vehicle positions of the last run (the proposal's when comparing), or null when it has none.
    const sim::VehiclePlayback* vehiclePlayback() const;
    // Seconds after the start of the run that the timeline shows: while playing with vehicles it
    // moves smoothly (playbackSpeed() simulated seconds per second), else it is the slider's step.
    double playbackTimeS() const { return m_playbackS; }
    double playbackSpeed() const;

    // Fills the scenario list again from the city's project (after a scenario was added or edited).
    void refreshScenarios(const QString& select);
    QString selectedScenario() const;

signals:
    void runFinished(bool ok, const QString& message);
    // The user asked to create (empty name) or edit a scenario.
    void scenarioEditRequested(const QString& name);
    void colouringChanged();
    void playbackTimeChanged();

protected:
    void changeEvent(QEvent* event) override;

private:
    std::function<sim::Measurements()> m_measurementSource;
    void retranslate();
    void showPlugin();
    void onFinished();
    void showResults();
    void updateTimeline();
    void fillColourChoices();
    void advancePlayback();
    // Seconds between the timeline's steps: the time-series field's, else the vehicle frames'.
    double timelineStepS() const;

    sim::PluginRegistry* m_registry;
    std::shared_ptr<const LoadedCity> m_city;
    std::shared_ptr<Feedback> m_feedback;
    QFutureWatcher<std::shared_ptr<SimulationRun>> m_watcher;
    std::shared_ptr<SimulationRun> m_run;
    sim::ResultSet m_attributeFields;

    QLabel* m_pluginLabel;
    QComboBox* m_plugins;
    QLabel* m_description;
    ParameterForm* m_form;
    QLabel* m_scenarioLabel;
    QComboBox* m_scenarios;
    QCheckBox* m_compare;
    QPushButton* m_newScenario;
    QPushButton* m_editScenario;
    QPushButton* m_runButton;
    QPushButton* m_cancelButton;
    QProgressBar* m_progress;
    QLabel* m_status;
    QGroupBox* m_resultsBox;
    QTableWidget* m_kpis;
    QLabel* m_colourLabel;
    QComboBox* m_colourBy;
    QLabel* m_roadColourLabel;
    QComboBox* m_roadColourBy;
    QSlider* m_timeline;
    QToolButton* m_play;
    QLabel* m_time;
    QTimer* m_progressTimer;
    QTimer* m_playTimer;
    QComboBox* m_playSpeed;
    QElapsedTimer m_playClock;
    double m_playbackS = 0.0;
    bool m_followingPlayback = false;
    QLabel* m_problems;
};

}  // namespace ut::app
