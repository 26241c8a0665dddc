#pragma once

#include <QtCharts/QChartView>

namespace ut::sim {
struct Field;
}

namespace ut::app {

// A chart of one field for one entity: a time series beside the district total, or, for a
// static field, the distribution over all entities with the entity's bin marked.
class FieldChart : public QChartView {
    Q_OBJECT
public:
    explicit FieldChart(QWidget* parent = nullptr);
    void plot(const sim::Field* field, std::size_t entity);
    void clearPlot();
};

}  // namespace ut::app
