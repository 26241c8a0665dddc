#include "ut/geodata/BuildingSurfaces.h"

#include <algorithm>

namespace ut {

const char* toString(SurfaceType type) {
    switch (type) {
        case SurfaceType::Ground: return "ground";
        case SurfaceType::Wall: return "wall";
        case SurfaceType::Roof: return "roof";
        case SurfaceType::Closure: return "closure";
        case SurfaceType::Other: return "other";
    }
    return "other";
}

std::size_t BuildingSurfaces::add(std::uint32_t building, SurfaceType type,
                                  std::span<const std::vector<Eigen::Vector3d>> rings) {
    for (const auto& ring : rings) {
        m_vertices.insert(m_vertices.end(), ring.begin(), ring.end());
        m_ringStart.push_back(static_cast<std::uint32_t>(m_vertices.size()));
    }
    m_firstRing.push_back(static_cast<std::uint32_t>(m_ringStart.size() - 1));
    m_buildings.push_back(building);
    m_types.push_back(type);
    return m_buildings.size() - 1;
}

std::size_t BuildingSurfaces::count(SurfaceType type) const {
    return static_cast<std::size_t>(std::count(m_types.begin(), m_types.end(), type));
}

void BuildingSurfaces::translate(const Eigen::Vector2d& offset) {
    for (auto& v : m_vertices) v.head<2>() += offset;
}

}  // namespace ut
