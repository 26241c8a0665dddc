#include "ut/app/ReportWriter.h"

#include <QDir>
#include <QFileInfo>
#include <QPageLayout>
#include <QPainter>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>
#include <QUrl>

namespace ut::app {

namespace {
QString table(const std::vector<std::pair<QString, QString>>& rows) {
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='4' width='100%' border='1' style='border-collapse:collapse'>");
    for (const auto& [label, value] : rows) {
        html += QStringLiteral("<tr><td width='35%' style='background:#eef2f7'>%1</td><td>%2</td></tr>")
                    .arg(label.toHtmlEscaped(), value.toHtmlEscaped());
    }
    return html + QStringLiteral("</table>");
}
}  // namespace

void paintLegendLarge(QImage& map, const render::LegendSpec& legend) {
    QPainter painter(&map);
    constexpr double kScale = 2.0;
    const QSize size = render::legendSize(legend);
    painter.translate(24, map.height() - kScale * size.height() - 24);
    painter.scale(kScale, kScale);
    render::paintLegend(painter, QRect(QPoint(0, 0), size), legend);
}

Status writeReportPdf(const ReportContent& report, const QString& path) {
    QTextDocument document;
    document.setDefaultStyleSheet(QStringLiteral("h1 { color:#1d3557; } h2 { color:#1d3557; margin-top:14px; } "
                                                 "th { background:#1d3557; color:white; } td, th { font-size:9pt; }"));
    QString html = QStringLiteral("<h1>%1</h1><p>%2</p>").arg(report.title.toHtmlEscaped(), report.subtitle.toHtmlEscaped());
    if (!report.facts.empty()) html += QStringLiteral("<h2>%1</h2>").arg(QObject::tr("City")) + table(report.facts);
    if (!report.assumptions.empty()) html += QStringLiteral("<h2>%1</h2>").arg(QObject::tr("Assumptions")) + table(report.assumptions);
    if (!report.kpiRows.empty()) {
        html += QStringLiteral("<h2>%1</h2><table cellspacing='0' cellpadding='4' width='100%' border='1' "
                               "style='border-collapse:collapse'><tr>").arg(QObject::tr("Key figures"));
        for (const QString& h : report.kpiHeader) html += QStringLiteral("<th>%1</th>").arg(h.toHtmlEscaped());
        html += QStringLiteral("</tr>");
        for (const QStringList& row : report.kpiRows) {
            html += QStringLiteral("<tr>");
            for (int c = 0; c < row.size(); ++c) {
                html += QStringLiteral("<td align='%1'>%2</td>").arg(c == 0 ? QStringLiteral("left") : QStringLiteral("right"),
                                                                     row[c].toHtmlEscaped());
            }
            html += QStringLiteral("</tr>");
        }
        html += QStringLiteral("</table>");
    }
    if (!report.map.isNull()) {
        document.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("report://map")), report.map);
        html += QStringLiteral("<h2>%1</h2><p><img src='report://map' width='640'></p><p><i>%2</i></p>")
                    .arg(QObject::tr("Map"), report.mapCaption.toHtmlEscaped());
    }
    if (!report.chart.isNull()) {
        document.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("report://chart")), report.chart);
        html += QStringLiteral("<h2>%1</h2><p><img src='report://chart' width='480'></p><p><i>%2</i></p>")
                    .arg(QObject::tr("Chart"), report.chartCaption.toHtmlEscaped());
    }
    if (!report.macCurve.isNull() || !report.planRows.empty()) {
        html += QStringLiteral("<h2>%1</h2>").arg(QObject::tr("Retrofit plan"));
        if (!report.macCurve.isNull()) {
            document.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("report://mac")), report.macCurve);
            html += QStringLiteral("<p><img src='report://mac' width='600'></p>");
        }
        if (!report.planCaption.isEmpty()) html += QStringLiteral("<p><i>%1</i></p>").arg(report.planCaption.toHtmlEscaped());
        html += QStringLiteral("<table cellspacing='0' cellpadding='3' width='100%' border='1' style='border-collapse:collapse'><tr>");
        for (const QString& h : report.planHeader) html += QStringLiteral("<th>%1</th>").arg(h.toHtmlEscaped());
        html += QStringLiteral("</tr>");
        for (const QStringList& row : report.planRows) {
            html += QStringLiteral("<tr>");
            for (int c = 0; c < row.size(); ++c) {
                html += QStringLiteral("<td align='%1'>%2</td>").arg(c < 2 ? QStringLiteral("left") : QStringLiteral("right"),
                                                                     row[c].toHtmlEscaped());
            }
            html += QStringLiteral("</tr>");
        }
        html += QStringLiteral("</table>");
    }
    if (!report.footer.isEmpty()) html += QStringLiteral("<p style='color:#555; font-size:8pt'>%1</p>").arg(report.footer.toHtmlEscaped());
    document.setHtml(html);

    if (!QFileInfo(path).absoluteDir().exists()) return Error{(path + QStringLiteral(": the folder does not exist")).toStdString()};
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout::Millimeter);
    writer.setResolution(150);
    writer.setTitle(report.title);
    writer.setCreator(QStringLiteral("UrbanTwin"));
    document.print(&writer);
    if (!QFileInfo(path).exists() || QFileInfo(path).size() == 0) {
        return Error{(path + QStringLiteral(": cannot write the PDF")).toStdString()};
    }
    return {};
}

}  // namespace ut::app
