#include "ut/geodata/RoadNetwork.h"

#include <cmath>

#include "ut/geodata/CityModel.h"

namespace ut {

namespace {
std::uint64_t cellKey(const Eigen::Vector2d& p) {
    const auto x = static_cast<std::int64_t>(std::llround(p.x() * 100.0));
    const auto y = static_cast<std::int64_t>(std::llround(p.y() * 100.0));
    return (static_cast<std::uint64_t>(x) * 0x9E3779B97F4A7C15ull) ^ static_cast<std::uint64_t>(y);
}
}  // namespace

std::uint32_t RoadNetwork::nodeAt(const Eigen::Vector2d& position) {
    const auto [it, inserted] = m_nodeByCell.try_emplace(cellKey(position), static_cast<std::uint32_t>(m_nodes.size()));
    if (inserted) m_nodes.push_back(RoadNode{position, false});
    return it->second;
}

void RoadNetwork::addLink(RoadLink link, std::span<const Eigen::Vector2d> polyline) {
    link.firstVertex = static_cast<std::uint32_t>(m_vertices.size());
    link.vertexCount = static_cast<std::uint32_t>(polyline.size());
    m_vertices.insert(m_vertices.end(), polyline.begin(), polyline.end());
    link.fromNode = nodeAt(polyline.front());
    link.toNode = nodeAt(polyline.back());
    m_links.push_back(std::move(link));
}

void RoadNetwork::translate(const Eigen::Vector2d& offset) {
    for (auto& v : m_vertices) v += offset;
    m_nodeByCell.clear();
    for (std::uint32_t i = 0; i < m_nodes.size(); ++i) {
        m_nodes[i].position += offset;
        m_nodeByCell.emplace(cellKey(m_nodes[i].position), i);
    }
}

int defaultLanesForRoadClass(const std::string& roadClass) {
    if (roadClass == "motorway" || roadClass == "trunk") return 6;
    if (roadClass == "primary") return 4;
    if (roadClass == "secondary") return 4;
    if (roadClass == "tertiary") return 2;
    if (roadClass.ends_with("_link")) return 1;
    if (roadClass == "service" || roadClass == "track") return 1;
    return 2;
}

Eigen::AlignedBox2d extentOf(const CityModel& model) {
    Eigen::AlignedBox2d box;
    for (const auto& v : model.buildings.vertices()) box.extend(v);
    for (std::size_t i = 0; i < model.roads.linkCount(); ++i)
        for (const auto& v : model.roads.geometry(i)) box.extend(v);
    return box;
}

}  // namespace ut
