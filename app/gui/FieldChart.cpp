#include "FieldChart.h"

#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>

#include "ut/sim/ResultSet.h"

namespace ut::app {

FieldChart::FieldChart(QWidget* parent) : QChartView(parent) {
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(220);
    chart()->legend()->setAlignment(Qt::AlignBottom);
}

void FieldChart::clearPlot() {
    chart()->removeAllSeries();
    for (QAbstractAxis* axis : chart()->axes()) chart()->removeAxis(axis);
    chart()->setTitle(QString());
}

void FieldChart::plot(const sim::Field* field, std::size_t entity) {
    clearPlot();
    if (!field || entity >= field->entityCount) return;
    const QString unit = QString::fromStdString(field->unit);
    chart()->setTitle(QString::fromStdString(field->name) + (unit.isEmpty() ? QString() : QStringLiteral(" [%1]").arg(unit)));
    if (!field->time.isStatic() && field->time.steps > 1) {
        auto* own = new QLineSeries;
        own->setName(tr("This building"));
        auto* total = new QLineSeries;
        total->setName(tr("District total"));
        for (std::size_t t = 0; t < field->time.steps; ++t) {
            const qreal when = static_cast<qreal>(field->time.timeAt(t).toMSecsSinceEpoch());
            own->append(when, field->value(t, entity));
            double sum = 0.0;
            for (std::size_t e = 0; e < field->entityCount; ++e) sum += field->value(t, e);
            total->append(when, sum);
        }
        chart()->addSeries(own);
        chart()->addSeries(total);
        auto* time = new QDateTimeAxis;
        time->setFormat(QStringLiteral("MM-dd HH:mm"));
        chart()->addAxis(time, Qt::AlignBottom);
        auto* ownAxis = new QValueAxis;
        auto* totalAxis = new QValueAxis;
        chart()->addAxis(ownAxis, Qt::AlignLeft);
        chart()->addAxis(totalAxis, Qt::AlignRight);
        own->attachAxis(time);
        own->attachAxis(ownAxis);
        total->attachAxis(time);
        total->attachAxis(totalAxis);
        return;
    }
    constexpr int kBins = 20;
    std::vector<double> values;
    for (std::size_t e = 0; e < field->entityCount; ++e)
        if (std::isfinite(field->value(0, e))) values.push_back(field->value(0, e));
    if (values.empty()) return;
    // Bins span the 2nd to 98th percentile; values beyond fall into the end bins.
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const double low = sorted[static_cast<std::size_t>(0.02 * static_cast<double>(sorted.size() - 1))];
    const double high = sorted[static_cast<std::size_t>(0.98 * static_cast<double>(sorted.size() - 1))];
    const double width = high > low ? (high - low) / kBins : 1.0;
    auto binOf = [&](double v) { return std::clamp(static_cast<int>((v - low) / width), 0, kBins - 1); };
    std::vector<int> counts(kBins, 0);
    for (double v : values) ++counts[static_cast<std::size_t>(binOf(v))];
    auto* others = new QBarSet(tr("All buildings"));
    auto* mine = new QBarSet(tr("This building's bin"));
    mine->setColor(QColor(255, 190, 0));
    const int own = binOf(field->value(0, entity));
    QStringList labels;
    int largest = 0;
    for (int b = 0; b < kBins; ++b) {
        *others << (b == own ? 0 : counts[static_cast<std::size_t>(b)]);
        *mine << (b == own ? counts[static_cast<std::size_t>(b)] : 0);
        labels << QString::number(low + width * (b + 0.5), 'g', 3);
        largest = std::max(largest, counts[static_cast<std::size_t>(b)]);
    }
    auto* series = new QBarSeries;
    series->setBarWidth(1.0);
    series->append(others);
    series->append(mine);
    chart()->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(labels);
    x->setLabelsAngle(-90);
    auto* y = new QValueAxis;
    y->setRange(0, largest);
    y->setLabelFormat(QStringLiteral("%d"));
    chart()->addAxis(x, Qt::AlignBottom);
    chart()->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
}

}  // namespace ut::app
