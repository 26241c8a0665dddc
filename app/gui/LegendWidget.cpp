#include "LegendWidget.h"

#include <QLocale>
#include <QPainter>

namespace ut::app {

LegendWidget::LegendWidget(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setFixedSize(260, 74);
    hide();
}

void LegendWidget::showLegend(const QString& title, const QString& unit, const render::ColorMap& map, double minimum,
                              double maximum) {
    m_title = title;
    m_unit = unit;
    m_map = map;
    m_minimum = minimum;
    m_maximum = maximum;
    show();
    raise();
    update();
}

void LegendWidget::paintEvent(QPaintEvent*) {
    if (!m_map) return;
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(255, 255, 255));
    painter.drawRoundedRect(rect().adjusted(0, 0, -1, -1), 6, 6);
    painter.setPen(Qt::black);
    const QString title = m_unit.isEmpty() ? m_title : QStringLiteral("%1 [%2]").arg(m_title, m_unit);
    painter.drawText(QRect(10, 4, width() - 20, 20), Qt::AlignLeft | Qt::AlignVCenter,
                     painter.fontMetrics().elidedText(title, Qt::ElideMiddle, width() - 20));
    const QRect bar(10, 26, width() - 20, 16);
    QLinearGradient gradient(bar.topLeft(), bar.topRight());
    for (int i = 0; i <= 10; ++i) {
        const auto c = m_map->at(i / 10.0);
        gradient.setColorAt(i / 10.0, QColor(c.r, c.g, c.b));
    }
    painter.fillRect(bar, gradient);
    painter.drawRect(bar);
    const QLocale locale;
    auto label = [&](double v) { return locale.toString(v, 'g', 4); };
    painter.drawText(QRect(10, 46, width() / 2, 20), Qt::AlignLeft | Qt::AlignVCenter, label(m_minimum));
    painter.drawText(QRect(width() / 2, 46, width() / 2 - 10, 20), Qt::AlignRight | Qt::AlignVCenter, label(m_maximum));
}

}  // namespace ut::app
