#include "ut/app/InfoReport.h"

#include <QJsonArray>

namespace ut::app {

QJsonObject infoEntry(const LoadReport& report, const LocalFrame& frame) {
    QJsonObject reasons;
    for (const auto& [reason, count] : report.skipReasons) reasons.insert(QString::fromStdString(reason), qint64(count));
    QJsonObject heights;
    heights.insert("attribute", qint64(report.heightSources[static_cast<std::size_t>(HeightSource::Attribute)]));
    heights.insert("levels", qint64(report.heightSources[static_cast<std::size_t>(HeightSource::Levels)]));
    heights.insert("default", qint64(report.heightSources[static_cast<std::size_t>(HeightSource::Default)]));
    QJsonArray extent;
    if (!report.extent.isEmpty()) {
        auto rounded = [](double v) { return std::round(v * 100.0) / 100.0; };
        extent = {rounded(report.extent.min().x()), rounded(report.extent.min().y()), rounded(report.extent.max().x()),
                  rounded(report.extent.max().y())};
    }
    QJsonObject entry;
    entry.insert("driver", QString::fromStdString(report.driver));
    entry.insert("buildings", qint64(report.buildings));
    entry.insert("building_parts", qint64(report.buildingParts));
    entry.insert("road_links", qint64(report.roadLinks));
    entry.insert("road_nodes", qint64(report.roadNodes));
    entry.insert("signals", qint64(report.trafficSignals));
    entry.insert("lane_km", std::round(report.laneKm * 100.0) / 100.0);
    entry.insert("skipped", qint64(report.skipped()));
    entry.insert("skip_reasons", reasons);
    entry.insert("crs", QString::fromStdString(report.sourceCrs));
    entry.insert("frame_crs", QString::fromStdString(frame.crs()));
    if (frame.origin()) entry.insert("frame_origin", QJsonArray{frame.origin()->x(), frame.origin()->y()});
    entry.insert("extent", extent);
    entry.insert("height_sources", heights);
    return entry;
}

}  // namespace ut::app
