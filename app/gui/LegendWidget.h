#pragma once

#include <QWidget>
#include <optional>

#include "ut/render/Legend.h"

namespace ut::app {

// The colour legend drawn over the viewport (render::paintLegend, as in exported images).
class LegendWidget : public QWidget {
    Q_OBJECT
public:
    explicit LegendWidget(QWidget* parent = nullptr);

    void showLegend(const render::LegendSpec& legend);
    const std::optional<render::LegendSpec>& legend() const { return m_legend; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::optional<render::LegendSpec> m_legend;
};

}  // namespace ut::app
