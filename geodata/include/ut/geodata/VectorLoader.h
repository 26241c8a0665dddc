#pragma once

#include <Eigen/Geometry>
#include <array>
#include <map>
#include <optional>
#include <string>

#include "ut/geodata/AttributeMapping.h"
#include "ut/geodata/CityModel.h"
#include "ut/geodata/Feedback.h"
#include "ut/geodata/Result.h"

namespace ut {

struct LoadOptions {
    HeightRules heights;
    // Character encoding of a Shapefile's attributes (e.g. "CP949", "EUC-KR"), overriding its .cpg. Empty:
    // the .cpg or the DBF's language driver id, else guessed (see VectorLoader::load).
    std::string encoding;
    // Fields of a GIS road layer, where the project names them (see readRoadAttributes).
    RoadFieldNames roadFields;
};

// A raster DEM as the file has it, and the terrain grid made from it.
struct RasterSummary {
    int columns = 0;
    int rows = 0;
    double resolutionX = 0.0;  // pixel size in the source CRS's units
    double resolutionY = 0.0;
    std::string units;         // "metre", "degree" …
    std::optional<double> nodataValue;
    double minElevationM = 0.0;  // valid pixels of the source band
    double maxElevationM = 0.0;
    std::array<double, 4> sourceExtent{};  // minx, miny, maxx, maxy in the source CRS
    int gridColumns = 0;                   // the terrain grid in the project frame
    int gridRows = 0;
    double gridCellM = 0.0;
    std::size_t gridNodata = 0;  // grid nodes without a height (outside the DEM or its nodata)
};

// What one file contributed to the city model.
struct LoadReport {
    std::string path;
    std::string driver;
    std::string sourceCrs;  // "EPSG:n" where the source CRS has one, else its name
    std::string encoding;   // Shapefiles: the attribute encoding read (given, .cpg/LDID, or guessed)
    std::size_t buildings = 0;      // buildings, not counting their parts
    std::size_t buildingParts = 0;  // OSM building:part footprints, each a row of the table too
    std::size_t roadWays = 0;       // source lines (parts of multi-lines counted singly)
    std::size_t roadLinks = 0;      // links after splitting the lines at junctions
    std::size_t roadNodes = 0;      // nodes this file added
    std::size_t trafficSignals = 0; // nodes marked with traffic signals
    double laneKm = 0.0;            // Σ link length × lanes, km
    std::size_t turnRestrictions = 0;  // OSM type=restriction relations applied
    std::size_t turns = 0;                  // turns from this file's links into any link
    // This file's links in the largest strongly connected component of the whole road network (earlier
    // layers included): where trips can start and end.
    std::size_t largestComponentLinks = 0;
    std::map<std::string, std::size_t> skipReasons;
    std::array<std::size_t, 3> heightSources{};  // indexed by HeightSource
    Eigen::AlignedBox2d extent;                   // local frame, metres
    std::optional<RasterSummary> raster;          // a DEM layer
    std::size_t buildingsOnTerrain = 0;           // buildings whose base elevation this file's terrain or load set
    std::map<std::string, std::size_t> surfaces;  // 3D models: boundary surfaces kept, by type (roof, wall …)

    std::size_t skipped() const;
};

// Loads any city layer into model: a raster DEM (DemLoader), a CityJSON / CityJSONSeq file
// (CityJsonLoader), a CityGML file (CityGmlLoader), else a GDAL/OGR vector source as below.
// Buildings loaded into a model that has terrain stand on it (base elevation sampled).
//
// Shapefiles: attributes are decoded from LoadOptions::encoding, else the .cpg or language driver id, else
// — when they are not valid UTF-8 — from CP949 for Korean data (a Korean CRS, EPSG:5167–5191 and 2096–2098,
// or features within Korea), else ISO-8859-1.
//
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
