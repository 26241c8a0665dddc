#include "ut/geodata/RoadNetwork.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "ut/geodata/CityModel.h"

namespace ut {

std::uint64_t RoadNetwork::positionKey(const Eigen::Vector2d& p) {
    const auto x = static_cast<std::int64_t>(std::llround(p.x() * 100.0));
    const auto y = static_cast<std::int64_t>(std::llround(p.y() * 100.0));
    return (static_cast<std::uint64_t>(x) * 0x9E3779B97F4A7C15ull) ^ static_cast<std::uint64_t>(y);
}

std::uint32_t RoadNetwork::nodeAt(const Eigen::Vector2d& position) {
    const auto [it, inserted] = m_nodeByCell.try_emplace(positionKey(position), static_cast<std::uint32_t>(m_nodes.size()));
    if (inserted) m_nodes.push_back(RoadNode{position, false});
    return it->second;
}

std::optional<std::uint32_t> RoadNetwork::findNode(const Eigen::Vector2d& position) const {
    const auto it = m_nodeByCell.find(positionKey(position));
    if (it == m_nodeByCell.end()) return std::nullopt;
    return it->second;
}

void RoadNetwork::addLink(RoadLink link, std::span<const Eigen::Vector2d> polyline) {
    link.firstVertex = static_cast<std::uint32_t>(m_vertices.size());
    link.vertexCount = static_cast<std::uint32_t>(polyline.size());
    m_vertices.insert(m_vertices.end(), polyline.begin(), polyline.end());
    link.lengthM = 0.0;
    for (std::size_t i = 1; i < polyline.size(); ++i) link.lengthM += (polyline[i] - polyline[i - 1]).norm();
    link.fromNode = nodeAt(polyline.front());
    link.toNode = nodeAt(polyline.back());
    m_links.push_back(std::move(link));
}

std::size_t RoadNetwork::addWays(const std::vector<Way>& ways, std::span<const Eigen::Vector2d> splitAt) {
    std::unordered_map<std::uint64_t, std::uint32_t> visits;
    for (const auto& way : ways)
        for (const auto& v : way.polyline) ++visits[positionKey(v)];
    for (const auto& p : splitAt) {
        if (auto it = visits.find(positionKey(p)); it != visits.end()) it->second = std::max(it->second, 2u);
    }
    const std::size_t before = m_links.size();
    for (const auto& way : ways) {
        const auto& line = way.polyline;
        std::vector<std::size_t> cuts{0};
        for (std::size_t i = 1; i + 1 < line.size(); ++i) {
            if (visits[positionKey(line[i])] >= 2) cuts.push_back(i);
        }
        cuts.push_back(line.size() - 1);
        for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
            RoadLink piece = way.link;
            if (cuts.size() > 2) {
                piece.id += '#';
                piece.id += std::to_string(c);
            }
            addLink(std::move(piece), std::span(line).subspan(cuts[c], cuts[c + 1] - cuts[c] + 1));
        }
    }
    return m_links.size() - before;
}

void RoadNetwork::translate(const Eigen::Vector2d& offset) {
    for (auto& v : m_vertices) v += offset;
    m_nodeByCell.clear();
    for (std::uint32_t i = 0; i < m_nodes.size(); ++i) {
        m_nodes[i].position += offset;
        m_nodeByCell.emplace(positionKey(m_nodes[i].position), i);
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

double defaultSpeedLimitForRoadClass(const std::string& roadClass) {
    if (roadClass == "motorway") return 100.0;
    if (roadClass == "trunk") return 80.0;
    if (roadClass == "motorway_link") return 60.0;
    if (roadClass == "residential") return 30.0;
    if (roadClass == "living_street" || roadClass == "service") return 20.0;
    return 50.0;
}

Eigen::AlignedBox2d extentOf(const CityModel& model) {
    Eigen::AlignedBox2d box;
    for (const auto& v : model.buildings.vertices()) box.extend(v);
    for (std::size_t i = 0; i < model.roads.linkCount(); ++i)
        for (const auto& v : model.roads.geometry(i)) box.extend(v);
    return box;
}

}  // namespace ut
