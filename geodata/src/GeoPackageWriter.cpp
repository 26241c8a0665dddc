#include "ut/geodata/GeoPackageWriter.h"

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <functional>

namespace ut {

struct GeoPackageWriter::State {
    std::string path;
    const CityModel* city = nullptr;
    GDALDatasetUniquePtr dataset;
    OGRSpatialReference srs;
    Eigen::Vector2d origin = Eigen::Vector2d::Zero();
};

GeoPackageWriter::GeoPackageWriter(std::unique_ptr<State> state) : m_state(std::move(state)) {}
GeoPackageWriter::GeoPackageWriter(GeoPackageWriter&&) noexcept = default;
GeoPackageWriter& GeoPackageWriter::operator=(GeoPackageWriter&&) noexcept = default;
GeoPackageWriter::~GeoPackageWriter() = default;

Result<GeoPackageWriter> GeoPackageWriter::create(const std::string& path, const CityModel& city) {
    GDALAllRegister();
    auto state = std::make_unique<State>();
    state->path = path;
    state->city = &city;
    state->origin = city.frame.origin().value_or(Eigen::Vector2d::Zero());
    if (city.frame.hasCrs() && state->srs.SetFromUserInput(city.frame.crs().c_str()) != OGRERR_NONE) {
        return Error{path + ": cannot describe the frame CRS " + city.frame.crs()};
    }
    state->srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver) return Error{path + ": GDAL has no GeoPackage driver"};
    std::error_code ec;
    std::filesystem::remove(path, ec);
    CPLErrorReset();
    state->dataset.reset(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!state->dataset) return Error{path + ": cannot create the GeoPackage (" + CPLGetLastErrorMsg() + ")"};
    return GeoPackageWriter(std::move(state));
}

namespace {
Status writeLayer(GDALDataset& dataset, const std::string& path, const std::string& layerName,
                  OGRSpatialReference* srs, OGRwkbGeometryType type, std::size_t count,
                  const std::vector<NumericColumn>& columns, const std::function<std::string(std::size_t)>& idOf,
                  const std::function<OGRGeometry*(std::size_t)>& geometryOf) {
    for (const auto& column : columns) {
        if (column.values.size() != count) {
            return Error{path + ": column '" + column.name + "' has " + std::to_string(column.values.size()) +
                         " values for " + std::to_string(count) + " features"};
        }
    }
    OGRLayer* layer = dataset.CreateLayer(layerName.c_str(), srs, type, nullptr);
    if (!layer) return Error{path + ": cannot create layer '" + layerName + "' (" + CPLGetLastErrorMsg() + ")"};
    OGRFieldDefn idField("entity_id", OFTString);
    layer->CreateField(&idField);
    for (const auto& column : columns) {
        OGRFieldDefn field(column.name.c_str(), OFTReal);
        if (layer->CreateField(&field) != OGRERR_NONE) return Error{path + ": cannot add column '" + column.name + "'"};
    }
    if (layer->StartTransaction() != OGRERR_NONE) return Error{path + ": cannot start a transaction"};
    for (std::size_t i = 0; i < count; ++i) {
        OGRFeature feature(layer->GetLayerDefn());
        feature.SetField(0, idOf(i).c_str());
        for (std::size_t c = 0; c < columns.size(); ++c) feature.SetField(static_cast<int>(c + 1), columns[c].values[i]);
        feature.SetGeometryDirectly(geometryOf(i));
        if (layer->CreateFeature(&feature) != OGRERR_NONE) {
            layer->RollbackTransaction();
            return Error{path + ": cannot write feature " + idOf(i) + " to '" + layerName + "'"};
        }
    }
    if (layer->CommitTransaction() != OGRERR_NONE) return Error{path + ": cannot commit layer '" + layerName + "'"};
    return {};
}
}  // namespace

Status GeoPackageWriter::writeBuildings(const std::string& layer, const std::vector<NumericColumn>& columns) {
    const BuildingTable& buildings = m_state->city->buildings;
    const Eigen::Vector2d origin = m_state->origin;
    return writeLayer(
        *m_state->dataset, m_state->path, layer, &m_state->srs, wkbMultiPolygon, buildings.size(), columns,
        [&](std::size_t i) { return buildings.id(i); },
        [&](std::size_t i) -> OGRGeometry* {
            auto* multi = new OGRMultiPolygon;
            OGRPolygon* current = nullptr;
            for (std::uint32_t r = buildings.ringBegin(i); r < buildings.ringEnd(i); ++r) {
                auto* ring = new OGRLinearRing;
                for (const auto& v : buildings.ring(r)) ring->addPoint(v.x() + origin.x(), v.y() + origin.y());
                ring->closeRings();
                if (!buildings.ringIsHole(r) || !current) {
                    if (current) multi->addGeometryDirectly(current);
                    current = new OGRPolygon;
                }
                current->addRingDirectly(ring);
            }
            if (current) multi->addGeometryDirectly(current);
            return multi;
        });
}

Status GeoPackageWriter::writeRoadLinks(const std::string& layer, const std::vector<NumericColumn>& columns) {
    const RoadNetwork& roads = m_state->city->roads;
    const Eigen::Vector2d origin = m_state->origin;
    return writeLayer(
        *m_state->dataset, m_state->path, layer, &m_state->srs, wkbLineString, roads.linkCount(), columns,
        [&](std::size_t i) { return roads.link(i).id; },
        [&](std::size_t i) -> OGRGeometry* {
            auto* line = new OGRLineString;
            for (const auto& v : roads.geometry(i)) line->addPoint(v.x() + origin.x(), v.y() + origin.y());
            return line;
        });
}

Status GeoPackageWriter::writeRoadNodes(const std::string& layer, const std::vector<NumericColumn>& columns) {
    const RoadNetwork& roads = m_state->city->roads;
    const Eigen::Vector2d origin = m_state->origin;
    return writeLayer(
        *m_state->dataset, m_state->path, layer, &m_state->srs, wkbPoint, roads.nodeCount(), columns,
        [&](std::size_t i) { return "node/" + std::to_string(i); },
        [&](std::size_t i) -> OGRGeometry* {
            const auto& p = roads.node(i).position;
            return new OGRPoint(p.x() + origin.x(), p.y() + origin.y());
        });
}

}  // namespace ut
