#include "GdalSupport.h"

#include <cpl_conv.h>

#include <string_view>

namespace ut {

std::string crsName(const OGRSpatialReference& srs) {
    OGRSpatialReference copy(srs);
    if (!copy.GetAuthorityCode(nullptr) && copy.AutoIdentifyEPSG() != OGRERR_NONE) {
        // ESRI .prj files name their own CRSs and datums (KGD2002_Unified_Coordinate_System with
        // D_Korea_Geodetic_Datum_2002 is EPSG:5179), so PROJ cannot match them by name. Failing that,
        // match the projection, its parameters and the ellipsoid alone, and only when one code fits.
        OGRSpatialReference* match = copy.FindBestMatch(90, "EPSG");
        char* proj4 = nullptr;
        if (!match && copy.IsProjected() && copy.exportToProj4(&proj4) == OGRERR_NONE && proj4 &&
            std::string_view(proj4).find("+towgs84") == std::string_view::npos &&
            std::string_view(proj4).find("+nadgrids") == std::string_view::npos) {
            OGRSpatialReference parameters;
            int count = 0;
            int* confidence = nullptr;
            OGRSpatialReferenceH* matches =
                parameters.importFromProj4(proj4) == OGRERR_NONE ? parameters.FindMatches(nullptr, &count, &confidence)
                                                                  : nullptr;
            if (count == 1 && confidence[0] >= 70) match = OGRSpatialReference::FromHandle(matches[0])->Clone();
            OSRFreeSRSArray(matches);
            CPLFree(confidence);
        }
        CPLFree(proj4);
        if (match) {
            copy = *match;
            match->Release();
        }
    }
    const char* authority = copy.GetAuthorityName(nullptr);
    const char* code = copy.GetAuthorityCode(nullptr);
    if (authority && code) return std::string(authority) + ":" + code;
    const char* name = copy.GetName();
    return name ? name : "unknown";
}

std::string crsForProj(const OGRSpatialReference& srs) {
    const std::string name = crsName(srs);
    if (name.starts_with("EPSG:")) return name;
    char* wkt = nullptr;
    const char* options[] = {"FORMAT=WKT2_2018", nullptr};
    srs.exportToWkt(&wkt, options);
    std::string result = wkt ? wkt : "";
    CPLFree(wkt);
    return result;
}

}  // namespace ut
