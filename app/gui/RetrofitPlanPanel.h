#pragma once

#include <QDockWidget>
#include <QImage>
#include <vector>

#include "ut/app/RetrofitPlan.h"

class QLabel;
class QPushButton;
class QTableWidget;
class QChartView;

namespace ut::app {

// After a retrofit run: the plan as a sortable table (building, package, investment, CO2 reduction,
// MAC, payback), exportable to CSV, and the marginal abatement cost curve (cumulative tCO2 a year
// on x, MAC on y, a step per building as wide as its reduction).
class RetrofitPlanPanel : public QDockWidget {
    Q_OBJECT
public:
    explicit RetrofitPlanPanel(QWidget* parent = nullptr);

    // Shows the plan held by the results (nothing when they hold none); results may be null.
    void showResults(const sim::ResultSet* results, const BuildingTable* buildings);
    int planRowCount() const;
    int chartSeriesCount() const;
    const std::vector<RetrofitPlanRow>& plan() const { return m_plan; }
    Status exportCsv(const QString& path) const;

signals:
    void buildingActivated(std::size_t building);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void fillTable();
    void fillChart();
    void exportClicked();

    QLabel* m_summary;
    QTableWidget* m_table;
    QChartView* m_chart;
    QPushButton* m_export;
    std::vector<RetrofitPlanRow> m_plan;
    QString m_kpiText;
    const sim::ResultSet* m_results = nullptr;
};

}  // namespace ut::app
