#pragma once

#include <QWidget>
#include <optional>

#include "ut/render/ColorMap.h"

namespace ut::app {

// The colour legend drawn over the viewport: title, unit, a colour bar and its range.
class LegendWidget : public QWidget {
    Q_OBJECT
public:
    explicit LegendWidget(QWidget* parent = nullptr);

    void showLegend(const QString& title, const QString& unit, const render::ColorMap& map, double minimum, double maximum);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString m_title;
    QString m_unit;
    std::optional<render::ColorMap> m_map;
    double m_minimum = 0.0;
    double m_maximum = 1.0;
};

}  // namespace ut::app
