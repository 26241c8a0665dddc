#pragma once

#include <QImage>
#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

#include "ut/geodata/Result.h"
#include "ut/render/Legend.h"

namespace ut::app {

// What a planning report holds: the project and scenario, the assumptions, a KPI table, a map
// snapshot and optionally a chart.
struct ReportContent {
    QString title;
    QString subtitle;
    std::vector<std::pair<QString, QString>> facts;        // city summary: label → value
    std::vector<std::pair<QString, QString>> assumptions;  // scenario, parameters, building edits
    QStringList kpiHeader;
    std::vector<QStringList> kpiRows;
    QImage map;
    QString mapCaption;
    QImage chart;
    QString chartCaption;
    // A retrofit run: the MAC curve and the top of the plan table (header, rows), with a caption.
    QImage macCurve;
    QString planCaption;
    QStringList planHeader;
    std::vector<QStringList> planRows;
    QString footer;  // attribution
};

// Paints a legend at twice its screen size in the bottom-left corner of a report's map image.
void paintLegendLarge(QImage& map, const render::LegendSpec& legend);

// Writes the report as an A4 PDF (QTextDocument through QPdfWriter). Call from the GUI thread.
Status writeReportPdf(const ReportContent& report, const QString& path);

}  // namespace ut::app
