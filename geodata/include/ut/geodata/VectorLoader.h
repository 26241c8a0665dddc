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
    std::size_t buildings = 0;      // buildings, not counting their parts
    std::size_t buildingParts = 0;  // OSM building:part footprints, each a row of the table too
    std::size_t roadWays = 0;       // source lines (parts of multi-lines counted singly)
    std::size_t roadLinks = 0;      // links after splitting the lines at junctions
    std::size_t roadNodes = 0;      // nodes this file added
    std::size_t trafficSignals = 0; // nodes marked with traffic signals
    double laneKm = 0.0;            // Σ link length × lanes, km
    std::map<std::string, std::size_t> skipReasons;
    std::array<std::size_t, 3> heightSources{};  // indexed by HeightSource
    Eigen::AlignedBox2d extent;                   // local frame, metres

    std::size_t skipped() const;
};

// Reads buildings (polygon features; OSM: building=* and building:part=*, type=building relations) and
// road links (line features; OSM: drivable highway=*, split at junctions, traffic_signals nodes marked)
// from any GDAL/OGR vector source into model, reprojected with PROJ into model.frame. A frame without a CRS takes the UTM zone of the data; a frame without an
// origin takes the rounded centre of this file's extent.
class VectorLoader {
public:
    static Result<LoadReport> load(const std::string& path, const LoadOptions& options, CityModel& model,
                                   Feedback* feedback = nullptr);
};

}  // namespace ut
