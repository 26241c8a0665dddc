#include "RetrofitPlanPanel.h"

#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <cmath>
#include <limits>

namespace ut::app {

namespace {
// A table cell that sorts by its number (no value: last).
class NumberItem : public QTableWidgetItem {
public:
    bool operator<(const QTableWidgetItem& other) const override {
        return data(Qt::UserRole).toDouble() < other.data(Qt::UserRole).toDouble();
    }
};

QTableWidgetItem* sortableNumber(double value, int decimals) {
    auto* item = new NumberItem;
    const bool known = std::isfinite(value);
    item->setData(Qt::DisplayRole, known ? QLocale().toString(value, 'f', decimals) : QStringLiteral("—"));
    item->setData(Qt::UserRole, known ? value : std::numeric_limits<double>::max());
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}
}  // namespace

RetrofitPlanPanel::RetrofitPlanPanel(QWidget* parent)
    : QDockWidget(parent), m_summary(new QLabel(this)), m_table(new QTableWidget(this)), m_chart(new QChartView(this)),
      m_export(new QPushButton(this)) {
    setObjectName(QStringLiteral("retrofitPlanPanel"));
    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    auto* splitter = new QSplitter(Qt::Vertical, content);
    m_table->setColumnCount(7);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setSortingEnabled(true);
    splitter->addWidget(m_table);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(220);
    splitter->addWidget(m_chart);
    layout->addWidget(splitter, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_export);
    layout->addLayout(buttons);
    setWidget(content);
    connect(m_export, &QPushButton::clicked, this, &RetrofitPlanPanel::exportClicked);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        const QTableWidgetItem* item = m_table->item(row, 0);
        if (item) emit buildingActivated(static_cast<std::size_t>(item->data(Qt::UserRole + 1).toULongLong()));
    });
    retranslate();
    showResults(nullptr, nullptr);
}

void RetrofitPlanPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QDockWidget::changeEvent(event);
}

void RetrofitPlanPanel::retranslate() {
    setWindowTitle(tr("Retrofit plan"));
    m_export->setText(tr("Export CSV…"));
    m_table->setHorizontalHeaderLabels({tr("Building"), tr("Package"), tr("Investment (M KRW)"), tr("CO2 reduction (t/yr)"),
                                        tr("MAC (KRW/tCO2)"), tr("Payback (years)"), tr("Energy saving (MWh/yr)")});
    fillChart();
    if (m_plan.empty() && !m_results) m_summary->setText(tr("Run the retrofit simulation to see its plan here."));
}

void RetrofitPlanPanel::showResults(const sim::ResultSet* results, const BuildingTable* buildings) {
    m_results = results && hasRetrofitPlan(*results) ? results : nullptr;
    m_plan = m_results && buildings ? retrofitPlan(*m_results, *buildings) : std::vector<RetrofitPlanRow>{};
    m_export->setEnabled(!m_plan.empty());
    if (!m_results) {
        m_summary->setText(tr("Run the retrofit simulation to see its plan here."));
    } else {
        const QLocale locale;
        const auto kpi = [&](const char* name) {
            const sim::Kpi* k = m_results->kpi(name);
            return k ? k->value : 0.0;
        };
        QString text = tr("%1 buildings, %2 M KRW, %3 tCO2/yr saved (%4 %), mean payback %5 years.")
                           .arg(locale.toString(qulonglong(m_plan.size())),
                                locale.toString(kpi("retrofit.investment_krw") / 1e6, 'f', 0),
                                locale.toString(kpi("retrofit.co2_reduction_t"), 'f', 0),
                                locale.toString(kpi("retrofit.co2_saving_pct"), 'f', 1),
                                locale.toString(kpi("retrofit.mean_payback_years"), 'f', 1));
        if (const sim::Kpi* met = m_results->kpi("retrofit.target_met")) {
            const sim::Kpi* cost = m_results->kpi("retrofit.target_cost_mkrw");
            if (met->value > 0.5) {
                text += QLatin1Char(' ') + tr("Target reached.");
            } else if (cost) {
                text += QLatin1Char(' ') + tr("Target not reached within the budget: it costs %1 M KRW.")
                                               .arg(locale.toString(cost->value, 'f', 0));
            } else {
                text += QLatin1Char(' ') + tr("Target out of reach with this catalogue.");
            }
        }
        text += QLatin1Char(' ') + tr("PV covers %1 % of the district's electricity use after the plan.")
                                       .arg(locale.toString(kpi("retrofit.self_sufficiency_after"), 'f', 2));
        m_summary->setText(text);
    }
    fillTable();
    fillChart();
}

void RetrofitPlanPanel::fillTable() {
    m_table->setSortingEnabled(false);
    m_table->setRowCount(static_cast<int>(m_plan.size()));
    for (int r = 0; r < static_cast<int>(m_plan.size()); ++r) {
        const RetrofitPlanRow& p = m_plan[static_cast<std::size_t>(r)];
        auto* building = new QTableWidgetItem(p.building);
        building->setData(Qt::UserRole + 1, qulonglong(p.row));
        m_table->setItem(r, 0, building);
        m_table->setItem(r, 1, new QTableWidgetItem(p.option));
        m_table->setItem(r, 2, sortableNumber(p.investmentMkrw, 1));
        m_table->setItem(r, 3, sortableNumber(p.co2T, 1));
        m_table->setItem(r, 4, sortableNumber(p.macKkrwPerT * 1000.0, 0));
        m_table->setItem(r, 5, sortableNumber(p.paybackYears, 1));
        m_table->setItem(r, 6, sortableNumber(p.savingMwh, 1));
    }
    m_table->setSortingEnabled(true);
}

void RetrofitPlanPanel::fillChart() {
    auto* chart = new QChart;
    chart->setTitle(tr("Marginal abatement cost curve"));
    chart->legend()->hide();
    if (!m_plan.empty()) {
        // A step per building, MAC order: the upper line steps, the lower stays at zero.
        auto* upper = new QLineSeries;
        auto* lower = new QLineSeries;
        double x = 0.0, low = 0.0, high = 0.0;
        for (const RetrofitPlanRow& p : m_plan) {
            if (!std::isfinite(p.co2T) || !std::isfinite(p.macKkrwPerT)) continue;
            const double mac = p.macKkrwPerT * 1000.0;
            upper->append(x, mac);
            upper->append(x + p.co2T, mac);
            lower->append(x, 0.0);
            lower->append(x + p.co2T, 0.0);
            x += p.co2T;
            low = std::min(low, mac);
            high = std::max(high, mac);
        }
        auto* area = new QAreaSeries(upper, lower);
        area->setName(tr("MAC"));
        area->setColor(QColor(0x45, 0x7b, 0x9d));
        area->setBorderColor(QColor(0x1d, 0x35, 0x57));
        chart->addSeries(area);
        auto* xAxis = new QValueAxis;
        xAxis->setTitleText(tr("Cumulative CO2 reduction (t/yr)"));
        xAxis->setRange(0.0, x > 0.0 ? x : 1.0);
        xAxis->setLabelFormat(QStringLiteral("%.0f"));
        auto* yAxis = new QValueAxis;
        yAxis->setTitleText(tr("MAC (KRW/tCO2)"));
        yAxis->setRange(low, high > low ? high : low + 1.0);
        yAxis->setLabelFormat(QStringLiteral("%.0f"));
        chart->addAxis(xAxis, Qt::AlignBottom);
        chart->addAxis(yAxis, Qt::AlignLeft);
        area->attachAxis(xAxis);
        area->attachAxis(yAxis);
    }
    QChart* old = m_chart->chart();
    m_chart->setChart(chart);
    delete old;
}

int RetrofitPlanPanel::planRowCount() const { return m_table->rowCount(); }

int RetrofitPlanPanel::chartSeriesCount() const {
    return m_chart->chart() ? static_cast<int>(m_chart->chart()->series().size()) : 0;
}

Status RetrofitPlanPanel::exportCsv(const QString& path) const { return writeRetrofitPlanCsv(m_plan, path); }

void RetrofitPlanPanel::exportClicked() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the retrofit plan"), QStringLiteral("retrofit_plan.csv"),
                                                      tr("CSV (*.csv)"));
    if (path.isEmpty()) return;
    if (Status written = exportCsv(path); !written)
        QMessageBox::warning(this, tr("Export the retrofit plan"), QString::fromStdString(written.error()));
}

}  // namespace ut::app
