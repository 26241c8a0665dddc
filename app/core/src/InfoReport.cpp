#include "ut/app/InfoReport.h"

#include <QJsonArray>
#include <cmath>

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
    if (report.roadLinks > 0) {
        entry.insert("turns", qint64(report.turns));
        entry.insert("turn_restrictions", qint64(report.turnRestrictions));
        entry.insert("largest_component_links", qint64(report.largestComponentLinks));
        entry.insert("largest_component",
                     QStringLiteral("largest strongly connected component: %1 of %2 links")
                         .arg(report.largestComponentLinks)
                         .arg(report.roadLinks));
    }
    entry.insert("skipped", qint64(report.skipped()));
    entry.insert("skip_reasons", reasons);
    entry.insert("crs", QString::fromStdString(report.sourceCrs));
    entry.insert("frame_crs", QString::fromStdString(frame.crs()));
    if (frame.origin()) entry.insert("frame_origin", QJsonArray{frame.origin()->x(), frame.origin()->y()});
    entry.insert("extent", extent);
    entry.insert("height_sources", heights);
    if (!report.encoding.empty()) entry.insert("encoding", QString::fromStdString(report.encoding));
    entry.insert("buildings_on_terrain", qint64(report.buildingsOnTerrain));
    if (!report.surfaces.empty()) {
        QJsonObject surfaces;
        for (const auto& [type, count] : report.surfaces) surfaces.insert(QString::fromStdString(type), qint64(count));
        entry.insert("surfaces", surfaces);
    }
    if (const auto& raster = report.raster) {
        auto rounded = [](double v, double scale) { return std::round(v * scale) / scale; };
        QJsonObject dem;
        dem.insert("size", QJsonArray{raster->columns, raster->rows});
        dem.insert("resolution", QJsonArray{raster->resolutionX, raster->resolutionY});
        dem.insert("units", QString::fromStdString(raster->units));
        dem.insert("nodata", raster->nodataValue ? QJsonValue(*raster->nodataValue) : QJsonValue());
        dem.insert("min_elevation", rounded(raster->minElevationM, 1000.0));
        dem.insert("max_elevation", rounded(raster->maxElevationM, 1000.0));
        dem.insert("source_extent", QJsonArray{raster->sourceExtent[0], raster->sourceExtent[1], raster->sourceExtent[2],
                                               raster->sourceExtent[3]});
        dem.insert("terrain_size", QJsonArray{raster->gridColumns, raster->gridRows});
        dem.insert("terrain_cell_m", rounded(raster->gridCellM, 1000.0));
        dem.insert("terrain_nodata_nodes", qint64(raster->gridNodata));
        entry.insert("dem", dem);
    }
    return entry;
}

}  // namespace ut::app
