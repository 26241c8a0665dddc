#pragma once

#include <QRect>
#include <QString>
#include <QStringList>

#include "ut/render/ColorMap.h"

class QPainter;

namespace ut::render {

// What a colour legend shows: a title with its unit and either a colour bar over [minimum,
// maximum] or, for a categorical map, one swatch per category.
struct LegendSpec {
    QString title;
    QString unit;
    ColorMap map = ColorMap::viridis();
    double minimum = 0.0;
    double maximum = 1.0;
    QStringList categories;
};

QSize legendSize(const LegendSpec& legend);
void paintLegend(QPainter& painter, const QRect& area, const LegendSpec& legend);

}  // namespace ut::render
