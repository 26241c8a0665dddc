#include "LegendWidget.h"

#include <QPainter>

namespace ut::app {

LegendWidget::LegendWidget(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_TransparentForMouseEvents);
    hide();
}

void LegendWidget::showLegend(const render::LegendSpec& legend) {
    m_legend = legend;
    setFixedSize(render::legendSize(legend));
    show();
    raise();
    update();
}

void LegendWidget::paintEvent(QPaintEvent*) {
    if (!m_legend) return;
    QPainter painter(this);
    render::paintLegend(painter, rect(), *m_legend);
}

}  // namespace ut::app
