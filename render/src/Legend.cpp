#include "ut/render/Legend.h"

#include <QLinearGradient>
#include <QLocale>
#include <QPainter>

namespace ut::render {

namespace {
constexpr int kWidth = 260;
constexpr int kRow = 18;
constexpr int kColumns = 2;
}  // namespace

QSize legendSize(const LegendSpec& legend) {
    if (legend.categories.isEmpty()) return {kWidth, 74};
    const int rows = static_cast<int>((legend.categories.size() + kColumns - 1) / kColumns);
    return {kWidth, 30 + rows * kRow + 6};
}

void paintLegend(QPainter& painter, const QRect& area, const LegendSpec& legend) {
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(255, 255, 255));
    painter.drawRoundedRect(area.adjusted(0, 0, -1, -1), 6, 6);
    painter.setPen(Qt::black);
    const QRect inner = area.adjusted(10, 4, -10, -4);
    const QString title = legend.unit.isEmpty() ? legend.title : QStringLiteral("%1 [%2]").arg(legend.title, legend.unit);
    painter.drawText(QRect(inner.left(), inner.top(), inner.width(), 20), Qt::AlignLeft | Qt::AlignVCenter,
                     painter.fontMetrics().elidedText(title, Qt::ElideMiddle, inner.width()));
    if (!legend.categories.isEmpty()) {
        const int columnWidth = inner.width() / kColumns;
        for (int i = 0; i < legend.categories.size(); ++i) {
            const int x = inner.left() + (i % kColumns) * columnWidth;
            const int y = inner.top() + 24 + (i / kColumns) * kRow;
            const Rgb c = legend.map.category(static_cast<std::size_t>(i));
            painter.fillRect(QRect(x, y + 3, 12, 12), QColor(c.r, c.g, c.b));
            painter.drawText(QRect(x + 16, y, columnWidth - 18, kRow), Qt::AlignLeft | Qt::AlignVCenter,
                             painter.fontMetrics().elidedText(legend.categories[i], Qt::ElideRight, columnWidth - 18));
        }
        painter.restore();
        return;
    }
    const QRect bar(inner.left(), inner.top() + 22, inner.width(), 16);
    QLinearGradient gradient(bar.topLeft(), bar.topRight());
    for (int i = 0; i <= 10; ++i) {
        const Rgb c = legend.map.at(i / 10.0);
        gradient.setColorAt(i / 10.0, QColor(c.r, c.g, c.b));
    }
    painter.fillRect(bar, gradient);
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(bar);
    const QLocale locale;
    auto label = [&](double v) { return locale.toString(v, 'g', 4); };
    const int half = inner.width() / 2;
    painter.drawText(QRect(inner.left(), bar.bottom() + 3, half, 18), Qt::AlignLeft | Qt::AlignVCenter, label(legend.minimum));
    painter.drawText(QRect(inner.left() + half, bar.bottom() + 3, half, 18), Qt::AlignRight | Qt::AlignVCenter,
                     label(legend.maximum));
    painter.restore();
}

}  // namespace ut::render
