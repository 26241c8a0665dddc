#pragma once

#include <Eigen/Core>
#include <QByteArray>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ut/geodata/BuildingSurfaces.h"
#include "ut/geodata/CityModel.h"
#include "ut/geodata/Feedback.h"
#include "ut/geodata/Result.h"
#include "ut/geodata/VectorLoader.h"

namespace ut {

// A CityJSON 1.1 / 2.0 file (or CityJSONSeq stream) as parsed, before reprojection: buildings and
// building parts with the boundary surfaces of their highest-LoD geometry, vertices with the file's
// transform applied (source CRS, metres).
struct CityJsonDocument {
    struct Surface {
        SurfaceType type = SurfaceType::Other;
        std::vector<std::vector<std::uint32_t>> rings;  // vertex indices; rings[0] exterior
    };
    struct Object {
        std::string id;
        std::string type;    // "Building" or "BuildingPart"
        std::string parent;  // first parent, for parts
        std::vector<std::string> children;
        AttributeList attributes;
        std::string lod;  // of the geometry kept
        std::vector<Surface> surfaces;
    };
    std::string version;
    std::string referenceSystem;  // "EPSG:n", the file's own string where it names no EPSG code, or empty
    std::vector<Eigen::Vector3d> vertices;
    std::vector<Object> objects;
    std::size_t cityObjects = 0;  // of every type
    std::map<std::string, std::size_t> skipReasons;
};

// Parses CityJSON (one document) or CityJSONSeq (a CityJSON header line, then CityJSONFeature lines).
// Errors name the file and the place (member or line); bad geometries are skipped and counted.
Result<CityJsonDocument> parseCityJson(const QByteArray& bytes, const std::string& path);

// Loads Building and BuildingPart objects into model: footprint from the ground surfaces (else the roof
// surfaces, else the hull of all vertices) projected to the ground, height from measuredHeight (else max z −
// min z), base elevation min z (absolute, as the file has it), surfaces into model.surfaces. A Building whose
// geometry sits on its parts has them as parts (partOf) and is drawn by them. The file's
// metadata.referenceSystem gives the CRS; a file without one takes the project frame's CRS and is an error
// when the frame has none.
class CityJsonLoader {
public:
    static bool isCityJson(const std::string& path);
    static Result<LoadReport> load(const std::string& path, const LoadOptions& options, CityModel& model,
                                   Feedback* feedback = nullptr);
    // The same from bytes already read (path names them in messages).
    static Result<LoadReport> loadBytes(const QByteArray& bytes, const std::string& path, const LoadOptions& options,
                                        CityModel& model, Feedback* feedback = nullptr);
};

}  // namespace ut
