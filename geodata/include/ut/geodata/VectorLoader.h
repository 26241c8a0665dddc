#pragma once

#include <Eigen/Geometry>
#include <array>
#include <map>
#include <string>

#include "ut/geodata/AttributeMapping.h"
#include "ut/geodata/CityModel.h"
#include "ut/geodata/Feedback.h"
#include "ut/geodata/Result.h"

namespace ut {

struct LoadOptions {
    HeightRules heights;
};

// What one file contributed to the city model.
struct LoadReport {
    std::string path;
    std::string driver;
    std::string sourceCrs;  // "EPSG:n" where the source CRS has one, else its name
    std::size_t buildings = 0;
    std::size_t roadLinks = 0;
    std::map<std::string, std::size_t> skipReasons;
    std::array<std::size_t, 3> heightSources{};  // indexed by HeightSource
    Eigen::AlignedBox2d extent;                   // local frame, metres

    std::size_t skipped() const;
};

// Reads buildings (polygon features; OSM: building=*) and road links (line features; OSM:
// drivable highway=*) from any GDAL/OGR vector source into model, reprojected with PROJ into
// model.frame. A frame without a CRS takes the UTM zone of the data; a frame without an
// origin takes the rounded centre of this file's extent.
class VectorLoader {
public:
    static Result<LoadReport> load(const std::string& path, const LoadOptions& options, CityModel& model,
                                   Feedback* feedback = nullptr);
};

}  // namespace ut
