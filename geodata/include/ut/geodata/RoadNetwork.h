#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace ut {

struct RoadNode {
    Eigen::Vector2d position;
    bool hasSignal = false;
};

// A road link as loaded: one source line (an OSM way), in its digitised direction.
// A link that is not one-way is driven both ways.
struct RoadLink {
    std::string id;
    std::string roadClass;  // OSM highway value or the source's class
    std::string name;
    int lanes = 1;           // total lanes, both directions
    double speedLimitKmh = 0.0;
    bool oneWay = false;
    std::uint32_t fromNode = 0;
    std::uint32_t toNode = 0;
    std::uint32_t firstVertex = 0;
    std::uint32_t vertexCount = 0;
};

class RoadNetwork {
public:
    std::size_t linkCount() const { return m_links.size(); }
    std::size_t nodeCount() const { return m_nodes.size(); }
    const RoadLink& link(std::size_t i) const { return m_links[i]; }
    const RoadNode& node(std::size_t i) const { return m_nodes[i]; }
    std::span<const Eigen::Vector2d> geometry(std::size_t link) const {
        return {m_vertices.data() + m_links[link].firstVertex, m_links[link].vertexCount};
    }

    // Appends a link; its end points join existing nodes at the same position (within 1 cm).
    void addLink(RoadLink link, std::span<const Eigen::Vector2d> polyline);
    void translate(const Eigen::Vector2d& offset);

private:
    std::uint32_t nodeAt(const Eigen::Vector2d& position);

    std::vector<RoadLink> m_links;
    std::vector<RoadNode> m_nodes;
    std::vector<Eigen::Vector2d> m_vertices;
    std::unordered_map<std::uint64_t, std::uint32_t> m_nodeByCell;
};

// Lanes a road of this class usually has when its source does not say (both directions).
int defaultLanesForRoadClass(const std::string& roadClass);

}  // namespace ut
