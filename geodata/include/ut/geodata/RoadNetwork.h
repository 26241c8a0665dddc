#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace ut {

struct RoadNode {
    Eigen::Vector2d position;
    bool hasSignal = false;
};

// A road link: a source line (an OSM way) or the piece of one between two junctions, in its digitised
// direction. A link that is not one-way is driven both ways.
struct RoadLink {
    std::string id;
    std::string roadClass;  // OSM highway value or the source's class
    std::string name;
    int lanes = 1;          // total lanes, both directions
    int lanesForward = 1;   // lanes in the digitised direction
    int lanesBackward = 0;  // lanes against it (0 when one-way)
    double speedLimitKmh = 0.0;
    bool speedLimitEstimated = false;  // from the class default, not the source
    bool oneWay = false;
    double lengthM = 0.0;  // along the geometry, set by addLink
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

    // A source line before it is split at junctions.
    struct Way {
        RoadLink link;
        std::vector<Eigen::Vector2d> polyline;
    };
    // Adds ways as links split at every vertex that two or more ways share (or one way visits twice)
    // and at the extra positions (such as traffic signals) where those are vertices, so that links
    // meet only at their end nodes. A split way's links are named id#0, id#1 … Returns links added.
    std::size_t addWays(const std::vector<Way>& ways, std::span<const Eigen::Vector2d> splitAt = {});

    // The node at position (within 1 cm), if any.
    std::optional<std::uint32_t> findNode(const Eigen::Vector2d& position) const;
    void setSignal(std::uint32_t node, bool hasSignal) { m_nodes[node].hasSignal = hasSignal; }

    void translate(const Eigen::Vector2d& offset);

    // Position key at 1 cm resolution, shared by node matching and junction finding.
    static std::uint64_t positionKey(const Eigen::Vector2d& position);

private:
    std::uint32_t nodeAt(const Eigen::Vector2d& position);

    std::vector<RoadLink> m_links;
    std::vector<RoadNode> m_nodes;
    std::vector<Eigen::Vector2d> m_vertices;
    std::unordered_map<std::uint64_t, std::uint32_t> m_nodeByCell;
};

// Lanes a road of this class usually has when its source does not say (both directions).
int defaultLanesForRoadClass(const std::string& roadClass);

// Speed limit a road of this class has when its source does not say, km/h: urban limits as in Korea
// (50 km/h in general, 30 on residential streets, 80 on urban expressways, 100 on motorways).
double defaultSpeedLimitForRoadClass(const std::string& roadClass);

}  // namespace ut
