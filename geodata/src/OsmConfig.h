#pragma once

#include <string>

namespace ut {

// Path of UrbanTwin's configuration for GDAL's OSM driver (a temporary file written on first use;
// empty when it could not be written). Unlike GDAL's default it makes closed building:part ways
// polygons, so that building parts reach the multipolygons layer.
const std::string& osmConfigPath();

}  // namespace ut
