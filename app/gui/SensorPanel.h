#pragma once

#include <QDockWidget>
#include <QElapsedTimer>
#include <optional>
#include <vector>

#include "ut/app/SensorSession.h"
#include "ut/sim/ResultSet.h"

class QComboBox;
class QLabel;
class QSlider;
class QTimer;
class QToolButton;
class QTreeWidget;

namespace ut::app {

class SensorChart;

// The sensor layer's panel: which observed property the pins show, every placed sensor with
// its newest value (stale ones greyed), the history of the picked sensor, each feed's
// counters, and a timeline that follows the newest data (Live) or replays the stored history.
class SensorPanel : public QDockWidget {
    Q_OBJECT
public:
    explicit SensorPanel(QWidget* parent = nullptr);

    // The panel does not own the session; nullptr when no city is open.
    void setSession(SensorSession* session, const QString& colourBy);
    QString property() const;
    const std::vector<SensorReading>& readings() const { return m_readings; }
    std::optional<std::pair<double, double>> colourRange() const { return m_range; }
    QString unit() const;
    // The time the pins show: empty when following live data.
    std::optional<sensors::TimeMs> shownTime() const { return m_live ? std::nullopt : std::optional(m_time); }
    void setShownTime(std::optional<sensors::TimeMs> time);
    void setPlaying(bool playing);
    bool isPlaying() const;
    void pickSensor(std::optional<std::size_t> placedIndex);
    std::optional<std::size_t> pickedSensor() const { return m_picked; }
    // One line for a tooltip: the sensor's name, value with unit and age.
    QString describe(std::size_t placedIndex) const;
    // The last simulation's results, compared with sensors tied to a building or link (nullptr: none).
    void setModelResults(const sim::ResultSet* results, const CityModel* city);
    QString comparisonText() const;
    // Reads the store again (new observations, new sensors) and refreshes everything.
    void refresh();

signals:
    void pinsChanged();
    void catalogChanged();
    void sensorPicked(std::size_t placedIndex);
    void sensorActivated(std::size_t placedIndex);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void fillProperties(const QString& preferred);
    // poll: from the feed's timer, which may skip a repaint when the pins are as they were; every other
    // caller (another property, another shown time) changes what they mean.
    void updateReadings(bool poll = false);
    void updateList();
    void updateChart();
    void updateFeedStatus();
    void updateTimeControls();
    void advanceReplay();

    SensorSession* m_session = nullptr;
    std::vector<SensorReading> m_readings;
    std::optional<std::pair<double, double>> m_range;
    QElapsedTimer m_rangeAge;
    QElapsedTimer m_readingsAge;  // since the list and the pins were last redrawn
    std::optional<std::size_t> m_picked;
    std::uint64_t m_seenRevision = 0;
    bool m_live = true;
    sensors::TimeMs m_time = 0;

    QLabel* m_propertyLabel;
    QComboBox* m_property;
    QTreeWidget* m_list;
    QToolButton* m_play;
    QToolButton* m_liveButton;
    QSlider* m_slider;
    QComboBox* m_speed;
    QLabel* m_timeLabel;
    SensorChart* m_chart;
    QLabel* m_comparison;
    QLabel* m_feedStatus;
    const sim::ResultSet* m_results = nullptr;
    const CityModel* m_city = nullptr;
    QTimer* m_poll;
    QTimer* m_replay;
};

}  // namespace ut::app
