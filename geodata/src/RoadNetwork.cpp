#include "ut/geodata/RoadNetwork.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "ut/geodata/CityModel.h"

namespace ut {

std::uint64_t RoadNetwork::positionKey(const Eigen::Vector2d& p) {
    const auto x = static_cast<std::int64_t>(std::llround(p.x() * 100.0));
    const auto y = static_cast<std::int64_t>(std::llround(p.y() * 100.0));
    // Exact, not a hash: the key names the cell (cells within ±21,000 km of the origin never share one).
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(x)) << 32) | static_cast<std::uint32_t>(y);
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
    m_turnStart.clear();
    m_turns.clear();
    m_inLargest.clear();
    m_largestLinks = 0;
}

std::span<const DirectedLink> RoadNetwork::turnsFrom(DirectedLink d) const {
    if (m_turnStart.empty()) return {};
    return {m_turns.data() + m_turnStart[d], m_turnStart[d + 1] - m_turnStart[d]};
}

void RoadNetwork::updateConnectivity() {
    const std::size_t directedCount = 2 * m_links.size();
    // Directed links leaving each node (CSR).
    std::vector<std::uint32_t> leaveStart(m_nodes.size() + 1, 0);
    for (DirectedLink d = 0; d < directedCount; ++d)
        if (isDriven(d)) ++leaveStart[startNode(d) + 1];
    for (std::size_t n = 0; n < m_nodes.size(); ++n) leaveStart[n + 1] += leaveStart[n];
    std::vector<DirectedLink> leaving(leaveStart.back());
    {
        std::vector<std::uint32_t> fill(leaveStart.begin(), leaveStart.end() - 1);
        for (DirectedLink d = 0; d < directedCount; ++d)
            if (isDriven(d)) leaving[fill[startNode(d)]++] = d;
    }
    std::unordered_multimap<DirectedLink, const TurnRestriction*> restrictionsFrom;
    for (const auto& restriction : m_restrictions) restrictionsFrom.emplace(restriction.from, &restriction);
    std::unordered_multimap<DirectedLink, DirectedLink> givenFrom;
    for (const auto& [from, to] : m_givenTurns) givenFrom.emplace(from, to);

    m_turnStart.assign(directedCount + 1, 0);
    m_turns.clear();
    std::vector<DirectedLink> allowed;
    for (DirectedLink d = 0; d < directedCount; ++d) {
        m_turnStart[d] = static_cast<std::uint32_t>(m_turns.size());
        if (!isDriven(d)) continue;
        const std::uint32_t node = endNode(d);
        allowed.clear();
        if (const auto [begin, end] = givenFrom.equal_range(d); begin != end) {
            for (auto it = begin; it != end; ++it)
                if (isDriven(it->second) && startNode(it->second) == node) allowed.push_back(it->second);
            std::sort(allowed.begin(), allowed.end());
            allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
            m_turns.insert(m_turns.end(), allowed.begin(), allowed.end());
            continue;
        }
        bool reverseLeaves = false;
        for (std::uint32_t i = leaveStart[node]; i < leaveStart[node + 1]; ++i) {
            if (leaving[i] == reverseOf(d)) {
                reverseLeaves = true;
            } else {
                allowed.push_back(leaving[i]);
            }
        }
        if (allowed.empty() && reverseLeaves) allowed.push_back(reverseOf(d));  // a dead end: turn round
        const auto [begin, end] = restrictionsFrom.equal_range(d);
        for (auto it = begin; it != end; ++it) {
            const TurnRestriction& restriction = *it->second;
            if (restriction.via != node) continue;
            if (restriction.kind == TurnRestriction::Kind::No) {
                std::erase(allowed, restriction.to);
            } else if (std::find(allowed.begin(), allowed.end(), restriction.to) != allowed.end()) {
                allowed.assign(1, restriction.to);
            }
        }
        m_turns.insert(m_turns.end(), allowed.begin(), allowed.end());
    }
    m_turnStart[directedCount] = static_cast<std::uint32_t>(m_turns.size());

    // Tarjan's strongly connected components, with an explicit stack of (directed link, next turn).
    constexpr std::uint32_t kUnvisited = UINT32_MAX;
    std::vector<std::uint32_t> order(directedCount, kUnvisited);
    std::vector<std::uint32_t> low(directedCount, 0);
    std::vector<std::uint32_t> component(directedCount, kUnvisited);
    std::vector<std::uint8_t> onStack(directedCount, 0);
    std::vector<DirectedLink> pending;
    std::vector<std::pair<DirectedLink, std::uint32_t>> calls;
    std::vector<std::size_t> componentSize;
    std::uint32_t counter = 0;
    auto visit = [&](DirectedLink v) {
        order[v] = low[v] = counter++;
        pending.push_back(v);
        onStack[v] = 1;
        calls.emplace_back(v, m_turnStart[v]);
    };
    for (DirectedLink root = 0; root < directedCount; ++root) {
        if (!isDriven(root) || order[root] != kUnvisited) continue;
        visit(root);
        while (!calls.empty()) {
            const DirectedLink v = calls.back().first;
            const std::uint32_t next = calls.back().second;
            if (next < m_turnStart[v + 1]) {
                ++calls.back().second;
                const DirectedLink w = m_turns[next];
                if (order[w] == kUnvisited) {
                    visit(w);
                } else if (onStack[w]) {
                    low[v] = std::min(low[v], order[w]);
                }
                continue;
            }
            calls.pop_back();
            if (!calls.empty()) low[calls.back().first] = std::min(low[calls.back().first], low[v]);
            if (low[v] != order[v]) continue;
            const auto c = static_cast<std::uint32_t>(componentSize.size());
            componentSize.push_back(0);
            DirectedLink w = 0;
            do {
                w = pending.back();
                pending.pop_back();
                onStack[w] = 0;
                component[w] = c;
                ++componentSize.back();
            } while (w != v);
        }
    }
    m_inLargest.assign(directedCount, 0);
    m_largestLinks = 0;
    if (componentSize.empty()) return;
    const auto largest = static_cast<std::uint32_t>(
        std::max_element(componentSize.begin(), componentSize.end()) - componentSize.begin());
    // A lone directed link without a turn back into itself is a component of one but no place to drive.
    if (componentSize[largest] == 1) {
        const DirectedLink only = static_cast<DirectedLink>(std::find(component.begin(), component.end(), largest) - component.begin());
        const auto turns = turnsFrom(only);
        if (std::find(turns.begin(), turns.end(), only) == turns.end()) return;
    }
    for (DirectedLink d = 0; d < directedCount; ++d) m_inLargest[d] = component[d] == largest ? 1 : 0;
    for (std::size_t l = 0; l < m_links.size(); ++l)
        if (m_inLargest[2 * l] || m_inLargest[2 * l + 1]) ++m_largestLinks;
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
