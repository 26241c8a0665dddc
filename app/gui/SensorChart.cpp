#include "SensorChart.h"

#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

namespace ut::app {

SensorChart::SensorChart(QWidget* parent) : QChartView(parent) {
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(200);
    chart()->legend()->setAlignment(Qt::AlignBottom);
}

void SensorChart::clearPlot() {
    chart()->removeAllSeries();
    for (QAbstractAxis* axis : chart()->axes()) chart()->removeAxis(axis);
    chart()->setTitle(QString());
}

void SensorChart::plot(const QString& title, const QString& unit, const std::vector<sensors::Observation>& measured,
                       const std::vector<std::pair<sensors::TimeMs, double>>& modelled) {
    clearPlot();
    chart()->setTitle(unit.isEmpty() ? title : QStringLiteral("%1 [%2]").arg(title, unit));
    if (measured.empty()) return;
    auto* time = new QDateTimeAxis;
    const qint64 span = measured.back().phenomenonTime - measured.front().phenomenonTime;
    time->setFormat(span > 3LL * 86400 * 1000 ? QStringLiteral("MM-dd") : QStringLiteral("MM-dd HH:mm"));
    auto* values = new QValueAxis;
    chart()->addAxis(time, Qt::AlignBottom);
    chart()->addAxis(values, Qt::AlignLeft);
    auto* measuredSeries = new QLineSeries;
    measuredSeries->setName(tr("Measured"));
    QList<QPointF> points;
    points.reserve(static_cast<qsizetype>(measured.size()));
    for (const sensors::Observation& observation : measured)
        points.append(QPointF(static_cast<qreal>(observation.phenomenonTime), observation.result));
    measuredSeries->replace(points);
    chart()->addSeries(measuredSeries);
    measuredSeries->attachAxis(time);
    measuredSeries->attachAxis(values);
    if (!modelled.empty()) {
        auto* modelSeries = new QLineSeries;
        modelSeries->setName(tr("Simulated"));
        for (const auto& [when, value] : modelled) modelSeries->append(static_cast<qreal>(when), value);
        chart()->addSeries(modelSeries);
        modelSeries->attachAxis(time);
        modelSeries->attachAxis(values);
    }
    chart()->legend()->setVisible(!modelled.empty());
}

}  // namespace ut::app
