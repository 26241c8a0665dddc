#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
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

// A link driven in one direction: 2 × link index, plus 1 when driven against its digitised direction.
using DirectedLink = std::uint32_t;
constexpr DirectedLink directedLink(std::size_t link, bool backward) {
    return static_cast<DirectedLink>(2 * link + (backward ? 1 : 0));
}
constexpr std::size_t linkOf(DirectedLink d) { return d / 2; }
constexpr bool isBackward(DirectedLink d) { return (d & 1u) != 0; }
constexpr DirectedLink reverseOf(DirectedLink d) { return d ^ 1u; }

// An OSM turn restriction at a via node: no_* forbids the turn from → to, only_* allows from only into to.
struct TurnRestriction {
    enum class Kind { No, Only };
    Kind kind = Kind::No;
    DirectedLink from = 0;  // arrives at via
    std::uint32_t via = 0;
    DirectedLink to = 0;    // leaves via
};

// A fixed-time signal program the network's source gives (SUMO tlLogic). Each phase has one state
// character per controlled connection, in link-index order: 'G'/'g' green (with or without priority),
// 'y'/'Y' amber, 'r'/'R' red, and SUMO's others ('s' stop, 'u' red-amber, 'o'/'O' off).
struct SignalProgram {
    struct Connection {
        DirectedLink from = 0;
        DirectedLink to = 0;
        int fromLane = -1;  // lane of from (0 rightmost) when the source gives one; -1: every lane
        int toLane = -1;
    };
    struct Phase {
        double durationS = 0.0;
        std::string state;
    };
    std::string id;  // the source's program id (SUMO tlLogic id)
    double offsetS = 0.0;
    std::vector<Connection> connections;  // by link index; a connection the source does not give is {0, 0}
    std::vector<bool> connectionKnown;    // parallel to connections
    std::vector<Phase> phases;

    double cycleS() const {
        double sum = 0.0;
        for (const auto& phase : phases) sum += phase.durationS;
        return sum;
    }
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

    void addTurnRestriction(const TurnRestriction& restriction) { m_restrictions.push_back(restriction); }
    // A turn the source lists (a SUMO connection). A directed link with listed turns may take those only.
    void addGivenTurn(DirectedLink from, DirectedLink to) { m_givenTurns.emplace_back(from, to); }
    std::size_t givenTurnCount() const { return m_givenTurns.size(); }
    // A lane-to-lane connection the source lists (SUMO <connection fromLane toLane via>), lanes counted
    // from the right (0) among the lanes the link keeps. The way through the junction (SUMO's internal
    // lanes) has its length and speed where the source gives them (0 otherwise); state is the
    // source's right of way: 'M' major, 'm' minor (yields), '=' equal, 's' stop, 'O'/'o' signal off,
    // 0 unknown.
    // junctionLink is the connection's index at its junction (SUMO's request index; -1 unknown) and
    // response, where known, lists the junction's links it must let go first: character size-1-j is '1'
    // for link j (SUMO's <request response>).
    struct LaneTurn {
        DirectedLink from = 0, to = 0;
        int fromLane = 0, toLane = 0;
        double viaLengthM = 0.0, viaSpeedMps = 0.0;
        char state = 0;
        int junctionLink = -1;
        std::string response = {};
    };
    void addGivenLaneTurn(const LaneTurn& turn) { m_givenLaneTurns.push_back(turn); }
    std::span<const LaneTurn> givenLaneTurns() const { return m_givenLaneTurns; }

    void addSignalProgram(SignalProgram program) { m_signalPrograms.push_back(std::move(program)); }
    std::span<const SignalProgram> signalPrograms() const { return m_signalPrograms; }
    std::size_t turnRestrictionCount() const { return m_restrictions.size(); }

    // Turns and the largest strongly connected component, from the links and restrictions so far. A
    // vehicle arriving at a node on one directed link may leave on any directed link that starts there
    // (one-way links only forwards), except: back along the same link (a U-turn), unless nothing else
    // leaves the node; turns a no_* restriction forbids; and, under an only_* restriction, all but its
    // target; a directed link with given turns (addGivenTurn) takes exactly those. The component is
    // Tarjan's over directed links joined by turns (iterative). addLink invalidates both.
    void updateConnectivity();
    bool connectivityKnown() const { return !m_turnStart.empty(); }
    // False for the backward direction of a one-way link.
    bool isDriven(DirectedLink d) const { return !isBackward(d) || !m_links[linkOf(d)].oneWay; }
    // Where a vehicle on d may go next at its end node (empty until updateConnectivity).
    std::span<const DirectedLink> turnsFrom(DirectedLink d) const;
    std::size_t turnCount() const { return m_turns.size(); }
    bool inLargestComponent(DirectedLink d) const { return !m_inLargest.empty() && m_inLargest[d] != 0; }
    // Links with at least one direction in the largest component.
    std::size_t largestComponentLinks() const { return m_largestLinks; }
    std::uint32_t startNode(DirectedLink d) const {
        return isBackward(d) ? m_links[linkOf(d)].toNode : m_links[linkOf(d)].fromNode;
    }
    std::uint32_t endNode(DirectedLink d) const {
        return isBackward(d) ? m_links[linkOf(d)].fromNode : m_links[linkOf(d)].toNode;
    }

    // Position key at 1 cm resolution, shared by node matching and junction finding.
    static std::uint64_t positionKey(const Eigen::Vector2d& position);

private:
    std::uint32_t nodeAt(const Eigen::Vector2d& position);

    std::vector<RoadLink> m_links;
    std::vector<RoadNode> m_nodes;
    std::vector<Eigen::Vector2d> m_vertices;
    std::unordered_map<std::uint64_t, std::uint32_t> m_nodeByCell;
    std::vector<TurnRestriction> m_restrictions;
    std::vector<std::pair<DirectedLink, DirectedLink>> m_givenTurns;
    std::vector<LaneTurn> m_givenLaneTurns;
    std::vector<SignalProgram> m_signalPrograms;
    std::vector<std::uint32_t> m_turnStart;  // CSR over directed links: turns of d are m_turns[start[d] … start[d+1])
    std::vector<DirectedLink> m_turns;
    std::vector<std::uint8_t> m_inLargest;  // per directed link
    std::size_t m_largestLinks = 0;
};

// Lanes a road of this class usually has when its source does not say (both directions).
int defaultLanesForRoadClass(const std::string& roadClass);

// Speed limit a road of this class has when its source does not say, km/h: urban limits as in Korea
// (50 km/h in general, 30 on residential streets, 80 on urban expressways, 100 on motorways).
double defaultSpeedLimitForRoadClass(const std::string& roadClass);

}  // namespace ut
