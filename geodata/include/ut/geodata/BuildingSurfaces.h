#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <vector>

namespace ut {

// The semantic kind of a building's boundary surface (CityJSON / CityGML LoD2 semantics).
enum class SurfaceType : std::uint8_t { Ground, Wall, Roof, Closure, Other };

const char* toString(SurfaceType type);

// The 3D boundary surfaces of LoD1/LoD2 buildings (roofs, walls, ground), column by column like
// BuildingTable: one vertex array (local frame x, y and absolute z in metres), surface → rings and
// ring → vertices offsets. A surface's first ring is its exterior, the others are holes. Rings are not
// closed (last ≠ first).
class BuildingSurfaces {
public:
    std::size_t size() const { return m_buildings.size(); }
    bool empty() const { return m_buildings.empty(); }

    // rings[0] is the exterior; returns the surface index.
    std::size_t add(std::uint32_t building, SurfaceType type, std::span<const std::vector<Eigen::Vector3d>> rings);

    std::uint32_t building(std::size_t s) const { return m_buildings[s]; }
    SurfaceType type(std::size_t s) const { return m_types[s]; }
    std::uint32_t ringBegin(std::size_t s) const { return m_firstRing[s]; }
    std::uint32_t ringEnd(std::size_t s) const { return m_firstRing[s + 1]; }
    std::span<const Eigen::Vector3d> ring(std::uint32_t r) const {
        return {m_vertices.data() + m_ringStart[r], m_ringStart[r + 1] - m_ringStart[r]};
    }
    std::size_t vertexCount() const { return m_vertices.size(); }
    std::size_t count(SurfaceType type) const;

    void translate(const Eigen::Vector2d& offset);

private:
    std::vector<std::uint32_t> m_buildings;
    std::vector<SurfaceType> m_types;
    std::vector<std::uint32_t> m_firstRing{0};
    std::vector<std::uint32_t> m_ringStart{0};
    std::vector<Eigen::Vector3d> m_vertices;
};

}  // namespace ut
