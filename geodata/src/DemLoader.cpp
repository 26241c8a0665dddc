#include "ut/geodata/DemLoader.h"

#include <gdal_alg.h>
#include <gdal_priv.h>
#include <gdal_utils.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "GdalSupport.h"
#include "ut/geodata/CoordinateTransform.h"

namespace ut {

namespace {

struct WarpOptionsDeleter {
    void operator()(GDALWarpAppOptions* options) const { GDALWarpAppOptionsFree(options); }
};

std::string number(double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.10g", v);
    return buffer;
}

}  // namespace

bool DemLoader::isRaster(const std::string& path) {
    GDALAllRegister();
    GdalErrorScope errors;
    GDALDriverH driver = GDALIdentifyDriverEx(path.c_str(), GDAL_OF_RASTER, nullptr, nullptr);
    if (!driver) return false;
    // GeoPackage and a few others hold vectors and rasters alike: a raster only when it has no vector side.
    GDALDriverH vector = GDALIdentifyDriverEx(path.c_str(), GDAL_OF_VECTOR, nullptr, nullptr);
    return !vector;
}

std::size_t placeOnTerrain(CityModel& model, std::size_t first) {
    if (model.terrain.empty()) return 0;
    auto& buildings = model.buildings;
    std::size_t placed = 0;
    for (std::size_t i = first; i < buildings.size(); ++i) {
        if (buildings.baseElevationKnown(i)) continue;
        double lowest = std::numeric_limits<double>::infinity();
        for (std::uint32_t r = buildings.ringBegin(i); r < buildings.ringEnd(i); ++r) {
            if (buildings.ringIsHole(r)) continue;
            for (const auto& v : buildings.ring(r))
                if (auto h = model.terrain.heightAt(v)) lowest = std::min(lowest, *h);
        }
        if (!std::isfinite(lowest)) continue;
        buildings.setBaseElevationM(i, lowest);
        ++placed;
    }
    // A part stands where its building stands only if the terrain says so too: parts are sampled alike.
    return placed;
}

Result<LoadReport> DemLoader::load(const std::string& path, const LoadOptions& /*options*/, CityModel& model,
                                   Feedback* feedback) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return Error{path + ": no such file"};
    GDALAllRegister();
    GdalErrorScope errors;
    GDALDatasetUniquePtr dataset(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!dataset) {
        const std::string reason = errors.lastMessage();
        return Error{path + ": not a raster GDAL can read" + (reason.empty() ? "" : " (" + reason + ")")};
    }
    if (dataset->GetRasterCount() < 1) return Error{path + ": the raster has no band"};
    const OGRSpatialReference* srs = dataset->GetSpatialRef();
    if (!srs || srs->IsEmpty()) return Error{path + ": the DEM has no coordinate reference system"};
    double transform[6];
    if (dataset->GetGeoTransform(transform) != CE_None) return Error{path + ": the DEM is not georeferenced (no geotransform)"};
    if (transform[2] != 0.0 || transform[4] != 0.0) return Error{path + ": rotated DEMs are not supported"};

    LoadReport report;
    report.path = path;
    report.driver = dataset->GetDriverName();
    report.sourceCrs = crsName(*srs);
    RasterSummary raster;
    raster.columns = dataset->GetRasterXSize();
    raster.rows = dataset->GetRasterYSize();
    raster.resolutionX = std::abs(transform[1]);
    raster.resolutionY = std::abs(transform[5]);
    const char* unitName = nullptr;
    if (srs->IsProjected()) {
        srs->GetLinearUnits(&unitName);
    } else {
        srs->GetAngularUnits(&unitName);
    }
    raster.units = unitName ? unitName : "";
    const double x0 = transform[0];
    const double y0 = transform[3];
    const double x1 = x0 + transform[1] * raster.columns;
    const double y1 = y0 + transform[5] * raster.rows;
    raster.sourceExtent = {std::min(x0, x1), std::min(y0, y1), std::max(x0, x1), std::max(y0, y1)};
    GDALRasterBand* band = dataset->GetRasterBand(1);
    int hasNodata = 0;
    const double nodata = band->GetNoDataValue(&hasNodata);
    if (hasNodata) raster.nodataValue = nodata;
    double minMax[2] = {0.0, 0.0};
    if (band->ComputeRasterMinMax(FALSE, minMax) != CE_None) {
        return Error{path + ": the DEM has no valid heights" +
                     (errors.lastMessage().empty() ? "" : " (" + errors.lastMessage() + ")")};
    }
    raster.minElevationM = minMax[0];
    raster.maxElevationM = minMax[1];
    if (!(std::abs(minMax[0]) < 12000.0 && std::abs(minMax[1]) < 12000.0)) {
        return Error{path + ": heights " + number(minMax[0]) + " … " + number(minMax[1]) +
                     " m are not terrain elevations (missing nodata value?)"};
    }
    if (feedback && feedback->isCanceled()) return Error{path + ": loading canceled"};

    // The frame: the UTM zone of the DEM's centre when the project names none.
    const std::string sourceCrs = crsForProj(*srs);
    if (!model.frame.hasCrs()) {
        auto toGeographic = CoordinateTransform::create(sourceCrs, "EPSG:4326");
        if (!toGeographic) return Error{path + ": " + toGeographic.error()};
        Eigen::Vector2d centre((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        if (toGeographic->forward({&centre, 1}) > 0) return Error{path + ": cannot locate the DEM's centre"};
        model.frame.setCrs(LocalFrame::utmCrsFor(centre.x(), centre.y()));
    }
    OGRSpatialReference frameSrs;
    frameSrs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (frameSrs.SetFromUserInput(model.frame.crs().c_str()) != OGRERR_NONE) {
        return Error{path + ": the project frame CRS '" + model.frame.crs() + "' is unknown to GDAL"};
    }
    char* frameWkt = nullptr;
    frameSrs.exportToWkt(&frameWkt);
    const std::string frameWktText = frameWkt ? frameWkt : "";
    CPLFree(frameWkt);

    // The DEM's footprint and resolution in the frame, as GDAL suggests them.
    const std::string dstOption = "DST_SRS=" + frameWktText;
    char* transformerOptions[] = {const_cast<char*>(dstOption.c_str()), nullptr};
    void* transformer = GDALCreateGenImgProjTransformer2(dataset.get(), nullptr, transformerOptions);
    if (!transformer) return Error{path + ": cannot transform the DEM into the frame " + model.frame.crs()};
    double suggested[6];
    int suggestedColumns = 0;
    int suggestedRows = 0;
    double bounds[4];
    const CPLErr suggestion = GDALSuggestedWarpOutput2(dataset.get(), GDALGenImgProjTransform, transformer, suggested,
                                                       &suggestedColumns, &suggestedRows, bounds, 0);
    GDALDestroyGenImgProjTransformer(transformer);
    if (suggestion != CE_None) return Error{path + ": cannot transform the DEM into the frame " + model.frame.crs()};
    // bounds: minx, miny, maxx, maxy in the frame CRS.
    double cell = std::abs(suggested[1]);
    const Eigen::Vector2d frameOrigin = model.frame.origin().value_or(
        Eigen::Vector2d(((bounds[0] + bounds[2]) / 2.0), ((bounds[1] + bounds[3]) / 2.0)).array().round().matrix());
    Terrain& terrain = model.terrain;
    const bool merging = !terrain.empty();
    // Nodes on a lattice: the existing terrain's, else one through the frame origin.
    Eigen::Vector2d lattice = Eigen::Vector2d::Zero();  // local frame position of one node
    if (merging) {
        cell = terrain.cellSizeM();
        lattice = terrain.origin();
    } else {
        // Through the DEM's first pixel centre as GDAL places it in the frame: in the DEM's own CRS the
        // nodes are its pixel centres and the heights its own.
        lattice = Eigen::Vector2d(suggested[0] + suggested[1] / 2.0, suggested[3] + suggested[5] / 2.0) - frameOrigin;
        const double area = (bounds[2] - bounds[0]) * (bounds[3] - bounds[1]);
        if (area / (cell * cell) > static_cast<double>(kMaxTerrainNodes)) cell = std::sqrt(area / kMaxTerrainNodes);
        cell = std::max(cell, 0.01);
    }
    Eigen::Vector2d lo(bounds[0] - frameOrigin.x(), bounds[1] - frameOrigin.y());
    Eigen::Vector2d hi(bounds[2] - frameOrigin.x(), bounds[3] - frameOrigin.y());
    if (merging) {
        lo = lo.cwiseMin(terrain.extent().min());
        hi = hi.cwiseMax(terrain.extent().max());
    }
    // Snap to the lattice: first and last node.
    const Eigen::Vector2d firstNode = lattice + ((lo - lattice) / cell).array().ceil().matrix() * cell;
    const Eigen::Vector2d lastNode = lattice + ((hi - lattice) / cell).array().floor().matrix() * cell;
    const long long columns = std::llround((lastNode.x() - firstNode.x()) / cell) + 1;
    const long long rows = std::llround((lastNode.y() - firstNode.y()) / cell) + 1;
    if (columns < 2 || rows < 2) return Error{path + ": the DEM covers less than two cells in the frame"};
    if (columns * rows > 4 * kMaxTerrainNodes) {
        return Error{path + ": the terrain would need " + std::to_string(columns) + " × " + std::to_string(rows) +
                     " nodes at the first DEM's resolution; load one DEM or mosaic them first"};
    }

    // Warp: pixel centres on the nodes, heights as Float32, NaN where there is none.
    const Eigen::Vector2d absoluteLo = firstNode + frameOrigin - Eigen::Vector2d::Constant(cell / 2.0);
    const Eigen::Vector2d absoluteHi = absoluteLo + Eigen::Vector2d(static_cast<double>(columns) * cell,
                                                                    static_cast<double>(rows) * cell);
    std::vector<std::string> arguments = {"-of", "MEM", "-t_srs", frameWktText, "-r", "bilinear", "-ot", "Float32",
                                          "-dstnodata", "nan", "-te", number(absoluteLo.x()), number(absoluteLo.y()),
                                          number(absoluteHi.x()), number(absoluteHi.y()), "-ts",
                                          std::to_string(columns), std::to_string(rows)};
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    std::unique_ptr<GDALWarpAppOptions, WarpOptionsDeleter> warpOptions(GDALWarpAppOptionsNew(argv.data(), nullptr));
    if (!warpOptions) return Error{path + ": cannot set up the warp (" + errors.lastMessage() + ")"};
    GDALDatasetH source = GDALDataset::ToHandle(dataset.get());
    int usageError = 0;
    GDALDatasetUniquePtr warped(GDALDataset::FromHandle(GDALWarp("", nullptr, 1, &source, warpOptions.get(), &usageError)));
    if (!warped) return Error{path + ": cannot warp the DEM into the frame (" + errors.lastMessage() + ")"};
    if (feedback && feedback->isCanceled()) return Error{path + ": loading canceled"};

    std::vector<float> northFirst;
    northFirst.assign(static_cast<std::size_t>(columns * rows), 0.0f);
    if (warped->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, static_cast<int>(columns), static_cast<int>(rows),
                                           northFirst.data(), static_cast<int>(columns), static_cast<int>(rows),
                                           GDT_Float32, 0, 0, nullptr) != CE_None) {
        return Error{path + ": cannot read the warped DEM (" + errors.lastMessage() + ")"};
    }
    std::vector<float> heights;
    heights.assign(northFirst.size(), std::numeric_limits<float>::quiet_NaN());
    const auto width = static_cast<std::size_t>(columns);
    for (long long r = 0; r < rows; ++r) {
        const auto from = northFirst.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(rows - 1 - r) * width);
        std::copy(from, from + static_cast<std::ptrdiff_t>(width), heights.begin() + static_cast<std::ptrdiff_t>(r * columns));
    }
    for (float& h : heights)
        if (hasNodata && h == static_cast<float>(nodata)) h = std::numeric_limits<float>::quiet_NaN();
    if (merging) {
        // The earlier DEM keeps its heights where it has them; this one fills the rest.
        const Eigen::Vector2d offset = (terrain.origin() - firstNode) / cell;
        const long long dc = std::llround(offset.x());
        const long long dr = std::llround(offset.y());
        for (int r = 0; r < terrain.rows(); ++r)
            for (int c = 0; c < terrain.columns(); ++c) {
                const float h = terrain.at(c, r);
                if (!std::isnan(h)) heights[static_cast<std::size_t>((r + dr) * columns + c + dc)] = h;
            }
    }
    terrain.assign(static_cast<int>(columns), static_cast<int>(rows), cell, firstNode, std::move(heights));
    if (!model.frame.origin()) model.frame.setOrigin(frameOrigin);

    raster.gridColumns = terrain.columns();
    raster.gridRows = terrain.rows();
    raster.gridCellM = cell;
    raster.gridNodata = terrain.heights().size() - terrain.validCount();
    report.raster = raster;
    // The part of the grid this DEM covers.
    report.extent = Eigen::AlignedBox2d(Eigen::Vector2d(bounds[0], bounds[1]) - frameOrigin,
                                        Eigen::Vector2d(bounds[2], bounds[3]) - frameOrigin);
    report.buildingsOnTerrain = placeOnTerrain(model);
    if (feedback) feedback->setProgress(1.0);
    return report;
}

}  // namespace ut
