#pragma once

#include <string>

#include "ut/geodata/CityJsonLoader.h"
#include "ut/geodata/CityModel.h"
#include "ut/geodata/Feedback.h"
#include "ut/geodata/Result.h"
#include "ut/geodata/VectorLoader.h"

namespace ut {

// Parses CityGML 1.0 / 2.0 buildings (bldg:Building, bldg:BuildingPart) with a streaming XML reader into the
// same form as CityJSON: boundary surfaces (bldg:RoofSurface, WallSurface, GroundSurface, ClosureSurface …)
// of the highest LoD present, else the lodN Solid / MultiSurface geometry; simple attributes
// (measuredHeight, function, yearOfConstruction, roofType, storeysAboveGround, gml:name) and generic
// attributes (gen:*Attribute) by name. The CRS is the first srsName (its first EPSG code).
Result<CityJsonDocument> parseCityGml(const QByteArray& bytes, const std::string& path);

// Loads a CityGML file like CityJsonLoader loads CityJSON (footprint, height, base elevation, parts,
// surfaces). A file without srsName takes the project frame's CRS and is an error when the frame has none.
class CityGmlLoader {
public:
    static bool isCityGml(const std::string& path);
    static Result<LoadReport> load(const std::string& path, const LoadOptions& options, CityModel& model,
                                   Feedback* feedback = nullptr);
};

}  // namespace ut
