#include "InspectorPanel.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

#include "CityLoadJob.h"
#include "FieldChart.h"
#include "ut/sim/ResultSet.h"

namespace ut::app {

InspectorPanel::InspectorPanel(QWidget* parent)
    : QDockWidget(parent), m_hint(new QLabel(this)), m_table(new QTableWidget(this)), m_chart(new FieldChart(this)) {
    setObjectName(QStringLiteral("inspectorPanel"));
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    m_hint->setWordWrap(true);
    layout->addWidget(m_hint);
    m_table->setColumnCount(2);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_chart, 1);
    setWidget(body);
    refresh();
}

void InspectorPanel::setCity(std::shared_ptr<const LoadedCity> city) {
    m_city = std::move(city);
    m_building.reset();
    m_results = nullptr;
    m_chartField = nullptr;
    refresh();
}

void InspectorPanel::showBuilding(std::optional<std::size_t> building, const sim::ResultSet* results,
                                  const sim::Field* chartField, std::size_t step) {
    m_building = building;
    m_link.reset();
    m_results = results;
    m_chartField = chartField;
    m_step = step;
    refresh();
}

QImage InspectorPanel::chartImage() const {
    m_chart->resize(std::max(m_chart->width(), 640), std::max(m_chart->height(), 360));
    return m_chart->grab().toImage();
}

int InspectorPanel::rowCount() const { return m_table->rowCount(); }

void InspectorPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) refresh();
    QDockWidget::changeEvent(event);
}

void InspectorPanel::showRoadLink(std::size_t link) {
    m_building.reset();
    m_link = link;
    refresh();
}

void InspectorPanel::showRows(const QString& heading, const std::vector<std::pair<QString, QString>>& rows) {
    m_hint->setText(heading);
    m_table->setRowCount(static_cast<int>(rows.size()));
    for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
        m_table->setItem(r, 0, new QTableWidgetItem(rows[static_cast<std::size_t>(r)].first));
        m_table->setItem(r, 1, new QTableWidgetItem(rows[static_cast<std::size_t>(r)].second));
    }
    m_table->resizeColumnToContents(0);
}

void InspectorPanel::refresh() {
    setWindowTitle(tr("Inspector"));
    m_table->setRowCount(0);
    if (m_city && m_link && *m_link < m_city->project.model.roads.linkCount()) {
        const RoadLink& link = m_city->project.model.roads.link(*m_link);
        const QLocale locale;
        showRows(QString::fromStdString(link.name.empty() ? link.id : link.name),
                 {{tr("Id"), QString::fromStdString(link.id)},
                  {tr("Name"), QString::fromStdString(link.name)},
                  {tr("Road class"), QString::fromStdString(link.roadClass)},
                  {tr("Lanes"), link.oneWay ? tr("%1, one-way").arg(link.lanes)
                                            : tr("%1 (%2 forward, %3 backward)").arg(link.lanes).arg(link.lanesForward).arg(link.lanesBackward)},
                  {tr("Speed limit"), tr("%1 km/h%2").arg(locale.toString(link.speedLimitKmh, 'f', 0),
                                                          link.speedLimitEstimated ? tr(" (estimated from the road class)") : QString())},
                  {tr("Length"), tr("%1 m").arg(locale.toString(link.lengthM, 'f', 0))}});
        m_chart->clearPlot();
        return;
    }
    if (!m_city || !m_building || *m_building >= m_city->project.model.buildings.size()) {
        m_hint->setText(tr("Click a building or a road to see its attributes and results."));
        m_chart->clearPlot();
        return;
    }
    const BuildingTable& b = m_city->project.model.buildings;
    const std::size_t i = *m_building;
    const QLocale locale;
    const QString heightSource = b.heightSource(i) == HeightSource::Attribute ? tr("from the data")
                                 : b.heightSource(i) == HeightSource::Levels  ? tr("from floor count (estimated)")
                                                                              : tr("default (estimated)");
    std::vector<std::pair<QString, QString>> rows = {
        {tr("Id"), QString::fromStdString(b.id(i))},
        {tr("Name"), QString::fromStdString(b.name(i))},
        {tr("Height"), tr("%1 m, %2").arg(locale.toString(b.heightM(i), 'f', 1), heightSource)},
        {tr("Use"), QStringLiteral("%1 (%2)").arg(QString::fromLatin1(toString(b.useClass(i))), QString::fromStdString(b.useType(i)))},
        {tr("Footprint area"), tr("%1 m²").arg(locale.toString(b.footprintAreaM2(i), 'f', 0))},
    };
    if (b.yearBuilt(i) > 0) rows.emplace_back(tr("Year built"), QString::number(b.yearBuilt(i)));
    if (b.isPart(i)) rows.emplace_back(tr("Part of"), QString::fromStdString(b.id(b.partOf(i))));
    if (m_results) {
        for (const sim::Field& field : m_results->fields()) {
            if (field.kind != sim::EntityKind::Building || field.entityCount != b.size()) continue;
            const std::size_t step = field.time.isStatic() ? 0 : std::min(m_step, field.time.steps - 1);
            const double value = field.value(step, i);
            rows.emplace_back(QString::fromStdString(field.name),
                              std::isfinite(value) ? QStringLiteral("%1 %2").arg(locale.toString(value, 'g', 6),
                                                                                 QString::fromStdString(field.unit))
                              : b.hasParts(i)      ? tr("given per part")
                                                   : tr("no value"));
        }
    }
    for (const auto& [key, value] : b.attributes(i)) rows.emplace_back(QString::fromStdString(key), QString::fromStdString(value));
    showRows(QString::fromStdString(b.name(i).empty() ? b.id(i) : b.name(i)), rows);
    m_chart->plot(m_chartField, i);
}

}  // namespace ut::app
