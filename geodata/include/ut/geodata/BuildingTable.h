#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace ut {

enum class HeightSource : std::uint8_t { Attribute, Levels, Default };

const char* toString(HeightSource source);

// The small use vocabulary the energy model relies on; the source's own value stays in useType.
enum class UseClass : std::uint8_t { Residential, Office, Retail, Education, Health, Industrial, Warehouse, Other };

const char* toString(UseClass useClass);

inline constexpr std::uint32_t kNoBuilding = 0xFFFFFFFFu;

using AttributeList = std::vector<std::pair<std::string, std::string>>;

// One building as a loader hands it over. Rings are closed implicitly (last vertex != first);
// outer rings run counter-clockwise and holes clockwise once added to the table.
struct BuildingDraft {
    std::string id;
    std::vector<std::vector<Eigen::Vector2d>> outerRings;
    std::vector<std::vector<Eigen::Vector2d>> holes;
    double heightM = 0.0;
    HeightSource heightSource = HeightSource::Default;
    double baseElevationM = 0.0;
    bool baseElevationKnown = false;  // the source gave it (3D models); else terrain sampling sets it
    double minHeightM = 0.0;  // a part that floats (OSM min_height) starts this high above the base
    std::string useType;
    UseClass useClass = UseClass::Other;
    int yearBuilt = 0;  // 0: unknown
    std::string name;
    AttributeList attributes;
    // A building part (OSM building:part) names the building it belongs to, as a table index.
    std::uint32_t partOf = kNoBuilding;
    // A building drawn by its parts: its own footprint is the outline and is not extruded.
    bool hasParts = false;
};

// All buildings of a city, column by column: loops over 10^5–10^6 buildings read one
// array each. Footprint vertices are in the project's local frame, in metres.
class BuildingTable {
public:
    // Rows: buildings and building parts (isPart) alike.
    std::size_t size() const { return m_ids.size(); }
    bool empty() const { return m_ids.empty(); }
    // Buildings only, as a planner counts them: rows that are not parts of another.
    std::size_t buildingCount() const { return m_ids.size() - m_partCount; }

    // Normalises ring orientation and appends; returns the new building's index.
    std::size_t add(BuildingDraft draft);

    const std::string& id(std::size_t i) const { return m_ids[i]; }
    double heightM(std::size_t i) const { return m_heightsM[i]; }
    HeightSource heightSource(std::size_t i) const { return m_heightSources[i]; }
    double baseElevationM(std::size_t i) const { return m_baseElevationsM[i]; }
    // Whether the base elevation is known: from the source (3D models) or sampled from the terrain.
    bool baseElevationKnown(std::size_t i) const { return m_baseElevationKnown[i] != 0; }
    void setBaseElevationM(std::size_t i, double elevationM) {
        m_baseElevationsM[i] = elevationM;
        m_baseElevationKnown[i] = 1;
    }
    double minHeightM(std::size_t i) const { return m_minHeightsM[i]; }
    const std::string& useType(std::size_t i) const { return m_useTypes[i]; }
    UseClass useClass(std::size_t i) const { return m_useClasses[i]; }
    int yearBuilt(std::size_t i) const { return m_yearsBuilt[i]; }
    std::uint32_t partOf(std::size_t i) const { return m_partOf[i]; }
    bool isPart(std::size_t i) const { return m_partOf[i] != kNoBuilding; }
    bool hasParts(std::size_t i) const { return m_hasParts[i] != 0; }
    const std::string& name(std::size_t i) const { return m_names[i]; }
    const AttributeList& attributes(std::size_t i) const { return m_attributes[i]; }

    // Rings of building i are ringBegin(i) .. ringEnd(i) - 1.
    std::uint32_t ringBegin(std::size_t i) const { return m_firstRing[i]; }
    std::uint32_t ringEnd(std::size_t i) const { return m_firstRing[i + 1]; }
    std::span<const Eigen::Vector2d> ring(std::uint32_t r) const {
        return {m_vertices.data() + m_ringStart[r], m_ringStart[r + 1] - m_ringStart[r]};
    }
    bool ringIsHole(std::uint32_t r) const { return m_ringIsHole[r] != 0; }
    std::size_t ringCount() const { return m_ringIsHole.size(); }

    std::span<const Eigen::Vector2d> vertices() const { return m_vertices; }
    // Moves every vertex by offset (used once, when the frame's origin is fixed).
    void translate(const Eigen::Vector2d& offset);

    // Scenario edits: an attribute set (added or replaced) and a height given outright.
    void setAttribute(std::size_t i, const std::string& key, const std::string& value);
    void setHeightM(std::size_t i, double heightM, HeightSource source);

    // Footprint area (outer rings minus holes) in m².
    double footprintAreaM2(std::size_t i) const;

private:
    void addRing(const std::vector<Eigen::Vector2d>& ring, bool hole);

    std::vector<std::string> m_ids;
    std::vector<double> m_heightsM;
    std::vector<HeightSource> m_heightSources;
    std::vector<double> m_baseElevationsM;
    std::vector<std::uint8_t> m_baseElevationKnown;
    std::vector<double> m_minHeightsM;
    std::vector<std::string> m_useTypes;
    std::vector<UseClass> m_useClasses;
    std::vector<int> m_yearsBuilt;
    std::vector<std::uint32_t> m_partOf;
    std::vector<std::uint8_t> m_hasParts;
    std::size_t m_partCount = 0;
    std::vector<std::string> m_names;
    std::vector<AttributeList> m_attributes;
    std::vector<std::uint32_t> m_firstRing{0};
    std::vector<std::uint32_t> m_ringStart{0};
    std::vector<std::uint8_t> m_ringIsHole;
    std::vector<Eigen::Vector2d> m_vertices;
};

// Convex hull, counter-clockwise (Andrew's monotone chain); fewer than three points come back as given.
std::vector<Eigen::Vector2d> convexHull(std::vector<Eigen::Vector2d> points);

// Signed area of a closed ring (positive when counter-clockwise), m².
double signedArea(std::span<const Eigen::Vector2d> ring);

}  // namespace ut
