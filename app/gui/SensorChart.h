#pragma once

#include <QtCharts/QChartView>
#include <vector>

#include "ut/sensors/SensorModel.h"

namespace ut::app {

// The history of one sensor's datastream, with the simulated series beside it when a
// simulation modelled what the sensor measures.
class SensorChart : public QChartView {
    Q_OBJECT
public:
    explicit SensorChart(QWidget* parent = nullptr);

    void plot(const QString& title, const QString& unit, const std::vector<sensors::Observation>& measured,
              const std::vector<std::pair<sensors::TimeMs, double>>& modelled = {});
    void clearPlot();
};

}  // namespace ut::app
