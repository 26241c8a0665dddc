#pragma once

#include <cpl_error.h>
#include <ogr_spatialref.h>

#include <string>

namespace ut {

// Silences GDAL's own printing for the scope and keeps the last message for our error line.
class GdalErrorScope {
public:
    GdalErrorScope() {
        CPLPushErrorHandler(CPLQuietErrorHandler);
        CPLErrorReset();
    }
    ~GdalErrorScope() { CPLPopErrorHandler(); }
    std::string lastMessage() const { return CPLGetLastErrorMsg(); }
};

// "EPSG:n" where the CRS has (or can be matched to) one, else its name.
std::string crsName(const OGRSpatialReference& srs);
// What PROJ is given for the CRS: "EPSG:n", else WKT2.
std::string crsForProj(const OGRSpatialReference& srs);

}  // namespace ut
