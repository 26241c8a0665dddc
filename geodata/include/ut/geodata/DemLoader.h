#pragma once

#include <string>

#include "ut/geodata/CityModel.h"
#include "ut/geodata/Feedback.h"
#include "ut/geodata/Result.h"
#include "ut/geodata/VectorLoader.h"

namespace ut {

// Reads a GDAL raster DEM (GeoTIFF …, band 1, heights in metres) into model.terrain: warped with GDAL
// (bilinear) into the project frame at about the source resolution (at most kMaxTerrainNodes nodes), a
// second DEM merged into the grid of the first (mosaics of tiles). A frame without a CRS takes the UTM
// zone of the DEM's centre, a frame without an origin the rounded centre of its extent. Every building
// already in the model whose base elevation is unknown is then set on the terrain.
class DemLoader {
public:
    static constexpr long long kMaxTerrainNodes = 16'000'000;
    static bool isRaster(const std::string& path);
    static Result<LoadReport> load(const std::string& path, const LoadOptions& options, CityModel& model,
                                   Feedback* feedback = nullptr);
};

// Sets the base elevation of buildings [first, size) that have none from the terrain: the lowest terrain
// height under their footprint's outer vertices (so that no wall floats on a slope). Returns how many
// were set.
std::size_t placeOnTerrain(CityModel& model, std::size_t first = 0);

}  // namespace ut
