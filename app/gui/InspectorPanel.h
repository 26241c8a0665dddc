#pragma once

#include <QDockWidget>
#include <QImage>
#include <memory>
#include <optional>

class QTableWidget;
class QLabel;

namespace ut::sim {
class ResultSet;
struct Field;
}

namespace ut::app {

struct LoadedCity;
class FieldChart;

// The picked building: its attributes, its result values, and a chart of the colouring field
// (its time series beside the district total, or where it sits among all buildings).
class InspectorPanel : public QDockWidget {
    Q_OBJECT
public:
    explicit InspectorPanel(QWidget* parent = nullptr);

    void setCity(std::shared_ptr<const LoadedCity> city);
    void showBuilding(std::optional<std::size_t> building, const sim::ResultSet* results, const sim::Field* chartField,
                      std::size_t step);
    void showRoadLink(std::size_t link);
    std::optional<std::size_t> building() const { return m_building; }
    std::optional<std::size_t> roadLink() const { return m_link; }
    int rowCount() const;
    QImage chartImage() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void refresh();
    void showRows(const QString& heading, const std::vector<std::pair<QString, QString>>& rows);

    QLabel* m_hint;
    QTableWidget* m_table;
    FieldChart* m_chart;
    std::shared_ptr<const LoadedCity> m_city;
    std::optional<std::size_t> m_building;
    std::optional<std::size_t> m_link;
    const sim::ResultSet* m_results = nullptr;
    const sim::Field* m_chartField = nullptr;
    std::size_t m_step = 0;
};

}  // namespace ut::app
