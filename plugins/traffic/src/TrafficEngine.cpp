#include "ut/traffic/TrafficEngine.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>
#include <queue>
#include <random>
#include <unordered_map>

namespace ut::traffic {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kHaltingMps = 0.1;
constexpr double kMaxDecelMps2 = 4.5;  // a vehicle that cannot stop at this rate runs the amber
constexpr double kLookAheadM = 150.0;
constexpr double kReachHorizonM = 1000.0;
constexpr double kGoesOnM = 1e6;

double uniform01(std::mt19937_64& rng) {
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

double angleOf(const Eigen::Vector2d& d) {
    return std::atan2(d.y(), d.x());
}
}  // namespace

double idmAcceleration(const IdmParameters& p, double speedMps, double desiredSpeedMps, double gapM,
                       double leaderSpeedMps) {
    const double v0 = std::max(desiredSpeedMps, 0.1);
    double a = p.maxAccelMps2 * (1.0 - std::pow(std::max(speedMps, 0.0) / v0, p.exponent));
    if (leaderSpeedMps >= 0.0) {
        const double dv = speedMps - leaderSpeedMps;
        const double sStar =
            p.minGapM +
            std::max(0.0, speedMps * p.timeHeadwayS +
                              speedMps * dv / (2.0 * std::sqrt(p.maxAccelMps2 * p.comfortDecelMps2)));
        const double s = std::max(gapM, 0.01);
        a -= p.maxAccelMps2 * (sStar / s) * (sStar / s);
    }
    return std::max(a, -9.0);
}

WebsterTiming websterTiming(std::span<const double> criticalFlowPcuH,
                            std::span<const double> saturationFlowPcuH, double lostTimeS, double minCycleS,
                            double maxCycleS) {
    WebsterTiming t;
    std::vector<double> y(criticalFlowPcuH.size(), 0.0);
    for (std::size_t i = 0; i < y.size(); ++i) {
        y[i] = saturationFlowPcuH[i] > 0.0 ? std::max(0.0, criticalFlowPcuH[i]) / saturationFlowPcuH[i] : 0.0;
        t.flowRatioSum += y[i];
    }
    t.saturated = t.flowRatioSum >= 0.95;
    t.cycleS = t.saturated ? maxCycleS : (1.5 * lostTimeS + 5.0) / (1.0 - t.flowRatioSum);
    t.cycleS = std::clamp(t.cycleS, minCycleS, maxCycleS);
    const double green = std::max(0.0, t.cycleS - lostTimeS);
    t.effectiveGreenS.assign(y.size(), y.empty() ? 0.0 : green / static_cast<double>(y.size()));
    if (t.flowRatioSum > 0.0)
        for (std::size_t i = 0; i < y.size(); ++i) t.effectiveGreenS[i] = green * y[i] / t.flowRatioSum;
    return t;
}

bool isDrivableRoadClass(const std::string& c) {
    static const char* const excluded[] = {"footway",   "path",     "cycleway", "steps",        "pedestrian",
                                           "bridleway", "corridor", "platform", "construction", "proposed",
                                           "elevator",  "bus_stop", "track",    "abandoned",    "raceway"};
    for (const char* e : excluded)
        if (c == e) return false;
    return !c.empty();
}

double turnSpeedMps(double turnRad, double limitMps) {
    const double straight = 20.0 * std::numbers::pi / 180.0, square = std::numbers::pi / 2.0;
    const double t = std::abs(turnRad);
    if (t <= straight) return limitMps;
    const double atSquare = std::min(limitMps, 20.0 / 3.6);
    if (t >= square)
        return std::min(atSquare, std::max(12.0 / 3.6, atSquare - (t - square) / square * (8.0 / 3.6)));
    return limitMps + (atSquare - limitMps) * (t - straight) / (square - straight);
}

namespace {
double turnAngle(const LaneGraph& g, std::uint32_t from, std::uint32_t to) {
    if (g.edgeLink[from] == g.edgeLink[to] || g.edgeTo[to] == g.edgeFrom[from])
        return std::numbers::pi;  // U-turn
    return std::remainder(g.edgeStartHeadingRad[to] - g.edgeEndHeadingRad[from], 2.0 * std::numbers::pi);
}

void buildLaneLinks(LaneGraph& g, const RoadNetwork& roads) {
    struct Link {
        std::uint32_t toEdge, toLane;
        double speedMps, viaM;
        char state;
        int junctionLink = -1;
        const std::string* response = nullptr;
    };
    std::vector<std::vector<Link>> perLane(g.laneCount);
    // Lane connections the network lists, by (edge, next edge); a turn the router may take without any
    // (a connection of a lane cars may not use) falls back to the rule.
    std::vector<std::uint8_t> listed(g.edgeCount(), 0);
    std::unordered_map<std::uint64_t, std::uint8_t> turnListed;
    const auto key = [](std::uint32_t a, std::uint32_t b) { return (std::uint64_t{a} << 32) | b; };
    for (const RoadNetwork::LaneTurn& t : roads.givenLaneTurns()) {
        const std::uint32_t from = g.edgeOfDirectedLink[t.from], to = g.edgeOfDirectedLink[t.to];
        if (from == LaneGraph::kNoEdge || to == LaneGraph::kNoEdge || t.fromLane >= g.edgeLanes[from] ||
            t.toLane >= g.edgeLanes[to])
            continue;
        const double limit = std::min(g.edgeSpeedMps[from], g.edgeSpeedMps[to]);
        const double speed = t.viaSpeedMps > 0.0 ? std::min(t.viaSpeedMps, limit)
                                                 : turnSpeedMps(turnAngle(g, from, to), limit);
        perLane[g.edgeFirstLane[from] + static_cast<std::uint32_t>(t.fromLane)].push_back(
            {to, g.edgeFirstLane[to] + static_cast<std::uint32_t>(t.toLane), speed, t.viaLengthM, t.state,
             t.junctionLink, t.response.empty() ? nullptr : &t.response});
        listed[from] = 1;
        turnListed[key(from, to)] = 1;
    }
    for (std::uint32_t e = 0; e < g.edgeCount(); ++e) {
        // The next edges a vehicle may take: the given turns, or every edge leaving the end node.
        std::vector<std::uint32_t> next;
        if (!g.turnStart.empty() && g.turnStart[e] != g.turnStart[e + 1]) {
            next.assign(g.turnEdges.begin() + g.turnStart[e], g.turnEdges.begin() + g.turnStart[e + 1]);
        } else {
            const std::uint32_t n = g.edgeTo[e];
            next.assign(g.outEdges.begin() + g.outStart[n], g.outEdges.begin() + g.outStart[n + 1]);
        }
        if (listed[e]) std::erase_if(next, [&](std::uint32_t o) { return turnListed.contains(key(e, o)); });
        if (next.empty()) continue;
        constexpr double straightRad = 30.0 * std::numbers::pi / 180.0;
        bool anyStraight = false, anyOther = false;
        for (const std::uint32_t o : next) {
            const bool straight = std::abs(turnAngle(g, e, o)) <= straightRad;
            anyStraight = anyStraight || straight;
            anyOther = anyOther || !straight;
        }
        const int k = g.edgeLanes[e];
        for (const std::uint32_t o : next) {
            const double turn = turnAngle(g, e, o);
            int first = 0, last = k - 1;  // lanes of e that lead into o
            if (anyOther && std::abs(turn) > straightRad && next.size() > 1) {
                if (anyStraight) {
                    first = last = turn < 0.0 ? 0 : k - 1;
                } else if (turn < 0.0) {
                    last = (k + 1) / 2 - 1;
                } else {
                    first = k / 2;
                }
            }
            const double speed = turnSpeedMps(turn, std::min(g.edgeSpeedMps[e], g.edgeSpeedMps[o]));
            for (int from = first; from <= last; ++from)
                for (int to = 0; to < g.edgeLanes[o]; ++to)
                    perLane[g.edgeFirstLane[e] + static_cast<std::uint32_t>(from)].push_back(
                        {o, g.edgeFirstLane[o] + static_cast<std::uint32_t>(to), speed, 0.0, 0, -1, nullptr});
        }
    }
    g.laneLinkStart.assign(g.laneCount + 1, 0);
    // per node: junction link index → lane links, for the foes
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> linksAt;
    std::vector<const std::string*> response;
    for (std::uint32_t l = 0; l < g.laneCount; ++l) {
        g.laneLinkStart[l] = static_cast<std::uint32_t>(g.laneLinkToEdge.size());
        for (const Link& link : perLane[l]) {
            if (link.junctionLink >= 0)
                linksAt[key(g.edgeTo[g.laneEdge[l]], static_cast<std::uint32_t>(link.junctionLink))]
                    .push_back(static_cast<std::uint32_t>(g.laneLinkToEdge.size()));
            response.push_back(link.response);
            g.laneLinkToEdge.push_back(link.toEdge);
            g.laneLinkToLane.push_back(link.toLane);
            g.laneLinkSpeedMps.push_back(link.speedMps);
            g.laneLinkViaM.push_back(link.viaM);
            g.laneLinkState.push_back(link.state);
            g.laneLinkFromLane.push_back(l);
        }
    }
    g.laneLinkStart[g.laneCount] = static_cast<std::uint32_t>(g.laneLinkToEdge.size());
    const std::size_t links = g.laneLinkToEdge.size();
    g.laneLinkFoeStart.assign(links + 1, 0);
    g.laneLinkHasFoes.assign(links, 0);
    for (std::size_t k = 0; k < links; ++k) {
        g.laneLinkFoeStart[k] = static_cast<std::uint32_t>(g.laneLinkFoes.size());
        if (!response[k]) continue;
        g.laneLinkHasFoes[k] = 1;
        const std::string& bits = *response[k];
        const std::uint32_t node = g.edgeTo[g.laneEdge[g.laneLinkFromLane[k]]];
        for (std::size_t j = 0; j < bits.size(); ++j) {
            if (bits[bits.size() - 1 - j] != '1') continue;
            const auto foes = linksAt.find(key(node, static_cast<std::uint32_t>(j)));
            if (foes != linksAt.end())
                g.laneLinkFoes.insert(g.laneLinkFoes.end(), foes->second.begin(), foes->second.end());
        }
    }
    g.laneLinkFoeStart[links] = static_cast<std::uint32_t>(g.laneLinkFoes.size());
}
}  // namespace

LaneGraph buildLaneGraph(const RoadNetwork& roads) {
    LaneGraph g;
    g.nodeCount = roads.nodeCount();
    g.nodePosition.reserve(g.nodeCount);
    g.nodeSignal.assign(g.nodeCount, 0);
    for (std::size_t n = 0; n < g.nodeCount; ++n) {
        g.nodePosition.push_back(roads.node(n).position);
        g.nodeSignal[n] = roads.node(n).hasSignal ? 1 : 0;
    }
    g.linkDrivable.assign(roads.linkCount(), 0);
    g.edgeOfDirectedLink.assign(2 * roads.linkCount(), LaneGraph::kNoEdge);
    std::uint32_t lane = 0;
    auto addEdge = [&](std::uint32_t l, bool backward, int lanes) {
        const RoadLink& link = roads.link(l);
        const auto geom = roads.geometry(l);
        g.edgeLink.push_back(l);
        g.edgeBackward.push_back(backward ? 1 : 0);
        g.edgeFrom.push_back(backward ? link.toNode : link.fromNode);
        g.edgeTo.push_back(backward ? link.fromNode : link.toNode);
        g.edgeLanes.push_back(std::max(1, lanes));
        g.edgeLengthM.push_back(std::max(link.lengthM, 0.5));
        const double kmh =
            link.speedLimitKmh > 0.0 ? link.speedLimitKmh : defaultSpeedLimitForRoadClass(link.roadClass);
        g.edgeSpeedMps.push_back(std::max(kmh, 5.0) / 3.6);
        Eigen::Vector2d d(1.0, 0.0), s(1.0, 0.0);
        if (geom.size() >= 2) {
            const std::size_t n = geom.size();
            d = backward ? Eigen::Vector2d(geom[0] - geom[1]) : Eigen::Vector2d(geom[n - 1] - geom[n - 2]);
            s = backward ? Eigen::Vector2d(geom[n - 2] - geom[n - 1]) : Eigen::Vector2d(geom[1] - geom[0]);
        }
        g.edgeEndHeadingRad.push_back(angleOf(d));
        g.edgeStartHeadingRad.push_back(angleOf(s));
        g.edgeRank.push_back(kmh + 5.0 * link.lanes);
        g.edgeFirstLane.push_back(lane);
        g.edgeInTurnComponent.push_back(!roads.connectivityKnown() ||
                                        roads.inLargestComponent(directedLink(l, backward)));
        g.edgeOfDirectedLink[directedLink(l, backward)] = static_cast<std::uint32_t>(g.edgeLink.size() - 1);
        lane += static_cast<std::uint32_t>(std::max(1, lanes));
    };
    for (std::uint32_t l = 0; l < roads.linkCount(); ++l) {
        const RoadLink& link = roads.link(l);
        if (!isDrivableRoadClass(link.roadClass) || link.fromNode == link.toNode) continue;
        g.linkDrivable[l] = 1;
        if (link.oneWay) {
            addEdge(l, false, std::max(link.lanesForward, 1));
        } else {
            const int fwd = link.lanesForward > 0 ? link.lanesForward : std::max(1, link.lanes / 2);
            const int bwd = link.lanesBackward > 0 ? link.lanesBackward : std::max(1, link.lanes - fwd);
            addEdge(l, false, fwd);
            addEdge(l, true, bwd);
        }
    }
    g.laneCount = lane;
    if (roads.givenTurnCount() > 0 && roads.connectivityKnown()) {
        g.turnStart.assign(g.edgeCount() + 1, 0);
        for (std::uint32_t e = 0; e < g.edgeCount(); ++e) {
            g.turnStart[e] = static_cast<std::uint32_t>(g.turnEdges.size());
            for (const DirectedLink to :
                 roads.turnsFrom(directedLink(g.edgeLink[e], g.edgeBackward[e] != 0))) {
                const std::uint32_t next = g.edgeOfDirectedLink[to];
                if (next != LaneGraph::kNoEdge) g.turnEdges.push_back(next);
            }
        }
        g.turnStart[g.edgeCount()] = static_cast<std::uint32_t>(g.turnEdges.size());
    }
    const std::size_t m = g.edgeCount();
    auto csr = [&](const std::vector<std::uint32_t>& key, std::vector<std::uint32_t>& start,
                   std::vector<std::uint32_t>& items) {
        start.assign(g.nodeCount + 1, 0);
        for (std::size_t e = 0; e < m; ++e) ++start[key[e] + 1];
        for (std::size_t n = 0; n < g.nodeCount; ++n) start[n + 1] += start[n];
        items.assign(m, 0);
        std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
        for (std::size_t e = 0; e < m; ++e) items[fill[key[e]]++] = static_cast<std::uint32_t>(e);
    };
    csr(g.edgeFrom, g.outStart, g.outEdges);
    csr(g.edgeTo, g.inStart, g.inEdges);
    g.nodeJunction.assign(g.nodeCount, 0);
    for (std::size_t n = 0; n < g.nodeCount; ++n) {
        std::vector<std::uint32_t> neighbours;
        for (std::uint32_t i = g.outStart[n]; i < g.outStart[n + 1]; ++i)
            neighbours.push_back(g.edgeTo[g.outEdges[i]]);
        for (std::uint32_t i = g.inStart[n]; i < g.inStart[n + 1]; ++i)
            neighbours.push_back(g.edgeFrom[g.inEdges[i]]);
        std::sort(neighbours.begin(), neighbours.end());
        neighbours.erase(std::unique(neighbours.begin(), neighbours.end()), neighbours.end());
        g.nodeJunction[n] = neighbours.size() >= 3 ? 1 : 0;
    }
    g.laneEdge.assign(g.laneCount, 0);
    for (std::uint32_t e = 0; e < m; ++e)
        for (int k = 0; k < g.edgeLanes[e]; ++k)
            g.laneEdge[g.edgeFirstLane[e] + static_cast<std::uint32_t>(k)] = e;
    buildLaneLinks(g, roads);
    return g;
}

std::vector<SignalPlan> defaultSignalPlans(const LaneGraph& g, double cycleS, double intergreenS) {
    std::vector<SignalPlan> plans;
    for (std::uint32_t n = 0; n < g.nodeCount; ++n) {
        if (!g.nodeSignal[n] || g.inStart[n] == g.inStart[n + 1]) continue;
        SignalPlan plan;
        plan.node = n;
        plan.cycleS = cycleS;
        plan.intergreenS = intergreenS;
        const double reference = g.edgeEndHeadingRad[g.inEdges[g.inStart[n]]];
        bool crossing = false;
        for (std::uint32_t i = g.inStart[n]; i < g.inStart[n + 1]; ++i) {
            const std::uint32_t e = g.inEdges[i];
            const double d = std::abs(std::remainder(g.edgeEndHeadingRad[e] - reference, std::numbers::pi));
            const int phase = d <= std::numbers::pi / 4.0 ? 0 : 1;
            crossing = crossing || phase == 1;
            plan.incomingEdges.push_back(e);
            plan.edgePhase.push_back(phase);
        }
        if (crossing) {
            plan.greenS.assign(2, std::max(5.0, (cycleS - 2.0 * intergreenS) / 2.0));
        } else {
            // One axis only (a signalised pedestrian crossing): the second phase is the pedestrians'
            // 10 s green; the vehicles get the rest of the cycle.
            plan.greenS = {std::max(5.0, cycleS - 2.0 * intergreenS - 10.0), 10.0};
        }
        plans.push_back(std::move(plan));
    }
    return plans;
}

bool isGreen(const SignalPlan& plan, int phase, double timeS) {
    double t = std::fmod(timeS + plan.offsetS, plan.cycleS);
    if (t < 0.0) t += plan.cycleS;
    double start = 0.0;
    for (std::size_t i = 0; i < plan.greenS.size(); ++i) {
        if (t >= start && t < start + plan.greenS[i]) return static_cast<int>(i) == phase;
        start += plan.greenS[i] + plan.intergreenS;
    }
    return false;
}

namespace {
// A SUMO link state as the engine's lane-link green: 1 goes ('G'; 'O': signal off, the link keeps its
// priority), 2 goes but yields ('g'; 's': a right turn on red after stopping; 'o': off, blinking,
// yield), 0 waits (red, amber and the rest).
std::uint8_t linkGreen(char state) {
    switch (state) {
        case 'G':
        case 'O':
            return 1;
        case 'g':
        case 's':
        case 'o':
            return 2;
        default:
            return 0;
    }
}
}  // namespace

std::size_t programPhaseAt(const SignalPlan& plan, double timeS) {
    double t = std::fmod(timeS + plan.offsetS, plan.cycleS);
    if (t < 0.0) t += plan.cycleS;
    for (std::size_t phase = 0; phase < plan.programDurationS.size(); ++phase) {
        if (t < plan.programDurationS[phase]) return phase;
        t -= plan.programDurationS[phase];
    }
    return plan.programDurationS.size() - 1;
}

bool isEdgeGreen(const SignalPlan& plan, std::size_t i, double timeS) {
    if (plan.programDurationS.empty()) return isGreen(plan, plan.edgePhase[i], timeS);
    return plan.programGreen[programPhaseAt(plan, timeS) * plan.incomingEdges.size() + i] != 0;
}

std::vector<SignalPlan> networkSignalPlans(const LaneGraph& g, const RoadNetwork& roads, double cycleS,
                                           double intergreenS) {
    std::vector<SignalPlan> plans;
    std::vector<std::uint8_t> controlled(g.nodeCount, 0);
    for (const SignalProgram& program : roads.signalPrograms()) {
        SignalPlan plan;
        std::vector<std::size_t> connectionEdge(program.connections.size(), SIZE_MAX);
        for (std::size_t c = 0; c < program.connections.size(); ++c) {
            if (!program.connectionKnown[c]) continue;
            const std::uint32_t e = g.edgeOfDirectedLink[program.connections[c].from];
            if (e == LaneGraph::kNoEdge) continue;
            auto it = std::find(plan.incomingEdges.begin(), plan.incomingEdges.end(), e);
            if (it == plan.incomingEdges.end()) {
                plan.incomingEdges.push_back(e);
                it = plan.incomingEdges.end() - 1;
            }
            connectionEdge[c] = static_cast<std::size_t>(it - plan.incomingEdges.begin());
        }
        double cycle = program.cycleS();
        if (plan.incomingEdges.empty() || program.phases.empty() || cycle <= 0.0) continue;
        plan.node = g.edgeTo[plan.incomingEdges.front()];
        plan.cycleS = cycle;
        plan.offsetS = program.offsetS;
        plan.intergreenS = 0.0;
        const std::size_t edges = plan.incomingEdges.size();
        plan.edgePhase.assign(edges, 0);
        plan.programGreen.assign(program.phases.size() * edges, 0);
        for (std::size_t phase = 0; phase < program.phases.size(); ++phase) {
            plan.programDurationS.push_back(program.phases[phase].durationS);
            const std::string& state = program.phases[phase].state;
            for (std::size_t c = 0; c < connectionEdge.size() && c < state.size(); ++c)
                if (connectionEdge[c] != SIZE_MAX && linkGreen(state[c]) != 0)
                    plan.programGreen[phase * edges + connectionEdge[c]] = 1;
        }
        // The lane links the program's lane-to-lane connections name, with their states per phase.
        std::vector<std::size_t> connectionLink(program.connections.size(), SIZE_MAX);
        for (std::size_t c = 0; c < program.connections.size(); ++c) {
            const auto& conn = program.connections[c];
            if (connectionEdge[c] == SIZE_MAX || conn.fromLane < 0 || conn.toLane < 0) continue;
            const std::uint32_t from = g.edgeOfDirectedLink[conn.from], to = g.edgeOfDirectedLink[conn.to];
            if (to == LaneGraph::kNoEdge || conn.fromLane >= g.edgeLanes[from] ||
                conn.toLane >= g.edgeLanes[to])
                continue;
            const std::uint32_t lane = g.edgeFirstLane[from] + static_cast<std::uint32_t>(conn.fromLane);
            const std::uint32_t toLane = g.edgeFirstLane[to] + static_cast<std::uint32_t>(conn.toLane);
            for (std::uint32_t k = g.laneLinkStart[lane]; k < g.laneLinkStart[lane + 1]; ++k) {
                if (g.laneLinkToEdge[k] != to || g.laneLinkToLane[k] != toLane) continue;
                const auto it = std::find(plan.laneLinks.begin(), plan.laneLinks.end(), k);
                connectionLink[c] = static_cast<std::size_t>(it - plan.laneLinks.begin());
                if (it == plan.laneLinks.end()) plan.laneLinks.push_back(k);
            }
        }
        const std::size_t links = plan.laneLinks.size();
        plan.programLinkState.assign(program.phases.size() * links, 'r');
        for (std::size_t phase = 0; phase < program.phases.size(); ++phase) {
            const std::string& state = program.phases[phase].state;
            for (std::size_t c = 0; c < connectionLink.size() && c < state.size(); ++c)
                if (connectionLink[c] != SIZE_MAX)
                    plan.programLinkState[phase * links + connectionLink[c]] = state[c];
        }
        for (const std::uint32_t e : plan.incomingEdges) controlled[g.edgeTo[e]] = 1;
        plans.push_back(std::move(plan));
    }
    for (SignalPlan& plan : defaultSignalPlans(g, cycleS, intergreenS))
        if (!controlled[plan.node]) plans.push_back(std::move(plan));
    return plans;
}

SumoDemand tripsFromSumo(const LaneGraph& g, const RoadNetwork& roads,
                         const std::vector<SumoTrip>& sumoTrips) {
    std::unordered_map<std::string, std::uint32_t> edgeById;
    for (std::uint32_t e = 0; e < g.edgeCount(); ++e)
        if (!g.edgeBackward[e]) edgeById.emplace(roads.link(g.edgeLink[e]).id, e);
    const auto edgeOf = [&](const std::string& id) {
        const auto it = edgeById.find(id);
        return it == edgeById.end() ? LaneGraph::kNoEdge : it->second;
    };
    SumoDemand demand;
    for (const SumoTrip& sumo : sumoTrips) {
        Trip trip;
        trip.departS = sumo.departS;
        trip.originEdge = edgeOf(sumo.from);
        trip.destinationEdge = edgeOf(sumo.to);
        if (trip.originEdge == LaneGraph::kNoEdge || trip.destinationEdge == LaneGraph::kNoEdge) {
            ++demand.unknownEdges;
            continue;
        }
        if (!sumo.edges.empty()) {
            bool joined = true;
            for (const std::string& id : sumo.edges) {
                const std::uint32_t e = edgeOf(id);
                joined = joined && e != LaneGraph::kNoEdge &&
                         (trip.route.empty() || g.edgeTo[trip.route.back()] == g.edgeFrom[e]);
                if (!joined) break;
                trip.route.push_back(e);
            }
            if (joined) {
                ++demand.givenRoutes;
            } else {
                trip.route.clear();
                ++demand.routedInstead;
            }
        }
        demand.trips.push_back(std::move(trip));
    }
    return demand;
}

std::vector<SignalPlan> websterSignalPlans(const LaneGraph& g, const std::vector<SignalPlan>& plans,
                                           std::span<const double> edgeFlowVehH,
                                           double saturationPerLanePcuH) {
    std::vector<SignalPlan> out = plans;
    for (SignalPlan& plan : out) {
        if (!plan.programDurationS.empty()) continue;
        const std::size_t phases = plan.greenS.size();
        std::vector<double> critical(phases, 0.0);
        std::vector<double> saturation(phases, saturationPerLanePcuH);
        for (std::size_t i = 0; i < plan.incomingEdges.size(); ++i) {
            const std::uint32_t e = plan.incomingEdges[i];
            const double perLane = edgeFlowVehH[e] / g.edgeLanes[e];
            auto& c = critical[static_cast<std::size_t>(plan.edgePhase[i])];
            c = std::max(c, perLane);
        }
        double total = 0.0;
        for (double c : critical) total += c;
        if (total <= 0.0) continue;
        // Every phase keeps a minimum: the pedestrians cross in it.
        for (double& c : critical) c = std::max(c, 0.05 * saturationPerLanePcuH);
        const WebsterTiming timing =
            websterTiming(critical, saturation, plan.intergreenS * static_cast<double>(phases), 40.0, 120.0);
        plan.cycleS = timing.cycleS;
        for (std::size_t i = 0; i < phases; ++i) plan.greenS[i] = std::max(5.0, timing.effectiveGreenS[i]);
        double sum = plan.intergreenS * static_cast<double>(phases);
        for (double gs : plan.greenS) sum += gs;
        plan.cycleS = sum;
    }
    return out;
}

std::vector<std::uint32_t> corridorEdges(const LaneGraph& g, const RoadNetwork& roads,
                                         const std::vector<std::string>& namesOrIds) {
    std::vector<std::uint8_t> onCorridor(g.edgeCount(), 0);
    bool any = false;
    for (std::uint32_t e = 0; e < g.edgeCount(); ++e) {
        const RoadLink& link = roads.link(g.edgeLink[e]);
        for (const std::string& key : namesOrIds)
            if (!key.empty() && (link.name == key || link.id == key)) onCorridor[e] = 1;
        any = any || onCorridor[e];
    }
    if (!any) return {};
    // Among candidates, the corridor edge that continues e most straight on (within 60°, not a U-turn):
    // onward, one leaving e's end; otherwise one leading into e's start. The first of equals.
    const auto straightest = [&](std::uint32_t e, std::span<const std::uint32_t> candidates, bool onward) {
        std::uint32_t best = LaneGraph::kNoEdge;
        double bestTurn = std::numbers::pi / 3.0 + 1e-9;
        for (const std::uint32_t c : candidates) {
            if (!onCorridor[c] || c == e) continue;
            if (onward ? g.edgeTo[c] == g.edgeFrom[e] : g.edgeFrom[c] == g.edgeTo[e]) continue;
            const double turn = onward ? std::remainder(g.edgeStartHeadingRad[c] - g.edgeEndHeadingRad[e],
                                                        2.0 * std::numbers::pi)
                                       : std::remainder(g.edgeStartHeadingRad[e] - g.edgeEndHeadingRad[c],
                                                        2.0 * std::numbers::pi);
            if (std::abs(turn) < bestTurn) {
                best = c;
                bestTurn = std::abs(turn);
            }
        }
        return best;
    };
    const auto outOf = [&](std::uint32_t n) {
        return std::span<const std::uint32_t>(g.outEdges.data() + g.outStart[n],
                                              g.outStart[n + 1] - g.outStart[n]);
    };
    const auto inOf = [&](std::uint32_t n) {
        return std::span<const std::uint32_t>(g.inEdges.data() + g.inStart[n],
                                              g.inStart[n + 1] - g.inStart[n]);
    };
    std::vector<std::uint32_t> best;
    double bestLengthM = -1.0;
    for (std::uint32_t start = 0; start < g.edgeCount(); ++start) {
        if (!onCorridor[start]) continue;
        // Chains start where no corridor edge leads in straight on; a ring has none: start anywhere.
        if (straightest(start, inOf(g.edgeFrom[start]), false) != LaneGraph::kNoEdge && !best.empty())
            continue;
        std::vector<std::uint32_t> chain;
        std::vector<std::uint8_t> visited(g.edgeCount(), 0);
        double lengthM = 0.0;
        for (std::uint32_t e = start; e != LaneGraph::kNoEdge && !visited[e];
             e = straightest(e, outOf(g.edgeTo[e]), true)) {
            visited[e] = 1;
            chain.push_back(e);
            lengthM += g.edgeLengthM[e];
        }
        if (lengthM > bestLengthM) {
            bestLengthM = lengthM;
            best = std::move(chain);
        }
    }
    return best;
}

double greenStartInCycleS(const SignalPlan& plan, std::size_t i) {
    double start = 0.0;
    if (plan.programDurationS.empty()) {
        for (int phase = 0; phase < plan.edgePhase[i]; ++phase)
            start += plan.greenS[static_cast<std::size_t>(phase)] + plan.intergreenS;
        return start;
    }
    const std::size_t phases = plan.programDurationS.size(), edges = plan.incomingEdges.size();
    for (std::size_t phase = 0; phase < phases; ++phase) {
        const std::size_t previous = (phase + phases - 1) % phases;
        if (plan.programGreen[phase * edges + i] && !plan.programGreen[previous * edges + i]) return start;
        start += plan.programDurationS[phase];
    }
    return 0.0;
}

GreenWave applyGreenWave(const LaneGraph& g, std::vector<SignalPlan>& plans,
                         std::span<const std::uint32_t> corridor, double progressionSpeedMps) {
    std::vector<std::size_t> planOfNode(g.nodeCount, SIZE_MAX);
    for (std::size_t k = 0; k < plans.size(); ++k) planOfNode[plans[k].node] = k;
    // The signalised nodes the corridor enters, each with its plan and the corridor's approach in it.
    struct Stop {
        std::size_t plan, approach;
    };
    std::vector<Stop> stops;
    GreenWave wave;
    double distanceM = 0.0, travelS = 0.0;
    for (const std::uint32_t e : corridor) {
        distanceM += g.edgeLengthM[e];
        travelS += g.edgeLengthM[e] / (progressionSpeedMps > 0.0 ? progressionSpeedMps : g.edgeSpeedMps[e]);
        const std::size_t k = planOfNode[g.edgeTo[e]];
        if (k == SIZE_MAX) continue;
        const auto& incoming = plans[k].incomingEdges;
        const auto it = std::find(incoming.begin(), incoming.end(), e);
        if (it == incoming.end()) continue;
        if (stops.empty()) distanceM = travelS = 0.0;
        stops.push_back({k, static_cast<std::size_t>(it - incoming.begin())});
        wave.nodes.push_back(g.edgeTo[e]);
        wave.distanceM.push_back(distanceM);
        wave.travelS.push_back(travelS);
        wave.cycleS = std::max(wave.cycleS, plans[k].cycleS);
    }
    if (stops.size() < 2) {  // nothing to coordinate: the plan is left as it is
        wave.offsetS.assign(stops.size(), 0.0);
        return wave;
    }
    for (std::size_t s = 0; s < stops.size(); ++s) {
        SignalPlan& plan = plans[stops[s].plan];
        if (plan.cycleS != wave.cycleS) {
            if (plan.programDurationS.empty()) {
                const double lostS = plan.intergreenS * static_cast<double>(plan.greenS.size());
                double greensS = 0.0;
                for (const double gs : plan.greenS) greensS += gs;
                for (double& gs : plan.greenS) gs *= (wave.cycleS - lostS) / greensS;
            } else {
                for (double& d : plan.programDurationS) d *= wave.cycleS / plan.cycleS;
            }
            plan.cycleS = wave.cycleS;
        }
        const double offset = std::fmod(wave.travelS[s], wave.cycleS);
        wave.offsetS.push_back(offset);
        // The plan's time at t is t + plan.offsetS: the approach turns green at t = offset.
        double planOffset = std::fmod(greenStartInCycleS(plan, stops[s].approach) - offset, wave.cycleS);
        if (planOffset < 0.0) planOffset += wave.cycleS;
        plan.offsetS = planOffset;
    }
    return wave;
}

double morningPeakProfile(double clockHour) {
    const double z = (clockHour - 8.0) / 0.6;
    return 0.3 + 0.7 * std::exp(-0.5 * z * z);
}

std::vector<std::uint8_t> tripEdgeCandidates(const LaneGraph& g, const TrafficParameters& p) {
    // Largest strongly connected part of the node graph (Kosaraju, iterative).
    const std::size_t n = g.nodeCount;
    std::vector<std::uint8_t> out(g.edgeCount(), 0);
    std::vector<std::uint32_t> order;
    order.reserve(n);
    std::vector<std::uint8_t> seen(n, 0);
    for (std::uint32_t s = 0; s < n; ++s) {
        if (seen[s]) continue;
        std::vector<std::pair<std::uint32_t, std::uint32_t>> stack{{s, g.outStart[s]}};
        seen[s] = 1;
        while (!stack.empty()) {
            auto& [u, i] = stack.back();
            if (i < g.outStart[u + 1]) {
                const std::uint32_t w = g.edgeTo[g.outEdges[i++]];
                if (!seen[w]) {
                    seen[w] = 1;
                    stack.emplace_back(w, g.outStart[w]);
                }
            } else {
                order.push_back(u);
                stack.pop_back();
            }
        }
    }
    std::vector<std::int32_t> component(n, -1);
    std::vector<std::size_t> componentSize;
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        if (component[*it] >= 0) continue;
        const auto c = static_cast<std::int32_t>(componentSize.size());
        componentSize.push_back(0);
        std::vector<std::uint32_t> stack{*it};
        component[*it] = c;
        while (!stack.empty()) {
            const std::uint32_t u = stack.back();
            stack.pop_back();
            ++componentSize.back();
            for (std::uint32_t i = g.inStart[u]; i < g.inStart[u + 1]; ++i) {
                const std::uint32_t w = g.edgeFrom[g.inEdges[i]];
                if (component[w] < 0) {
                    component[w] = c;
                    stack.push_back(w);
                }
            }
        }
    }
    if (componentSize.empty()) return out;
    const auto largest = static_cast<std::int32_t>(
        std::max_element(componentSize.begin(), componentSize.end()) - componentSize.begin());
    for (const bool byTurns : {true, false}) {
        std::size_t count = 0;
        for (std::uint32_t e = 0; e < g.edgeCount(); ++e) {
            out[e] = component[g.edgeFrom[e]] == largest && component[g.edgeTo[e]] == largest &&
                     g.edgeLengthM[e] >= p.minTripEdgeLengthM && (!byTurns || g.edgeInTurnComponent[e]);
            count += out[e];
        }
        if (count >= 2) break;
    }
    return out;
}

std::vector<Trip> randomTrips(const LaneGraph& g, const TrafficParameters& p) {
    std::vector<Trip> trips;
    const std::vector<std::uint8_t> candidate = tripEdgeCandidates(g, p);
    std::vector<std::uint32_t> candidates;
    for (std::uint32_t e = 0; e < g.edgeCount(); ++e)
        if (candidate[e]) candidates.push_back(e);
    if (candidates.size() < 2) return trips;
    std::mt19937_64 rng(p.seed);
    const double peakPerS = p.peakTripsPerHour / 3600.0;
    if (peakPerS <= 0.0) return trips;
    double t = 0.0;
    auto pick = [&] {
        return candidates[std::min(
            candidates.size() - 1,
            static_cast<std::size_t>(uniform01(rng) * static_cast<double>(candidates.size())))];
    };
    while (true) {
        t += -std::log(1.0 - uniform01(rng)) / peakPerS;  // thinning of a Poisson process
        if (t >= p.durationS) break;
        const double accept = uniform01(rng);
        const std::uint32_t o = pick();
        std::uint32_t d = pick();
        if (accept > morningPeakProfile(p.startHour + t / 3600.0)) continue;
        for (int tries = 0; tries < 8 && (d == o || g.edgeLink[d] == g.edgeLink[o]); ++tries) d = pick();
        if (g.edgeLink[d] == g.edgeLink[o]) continue;
        trips.push_back({t, o, d, {}});
    }
    return trips;
}

double OdMatrix::profileAt(double clockHour) const {
    if (hourlyProfile.empty()) return morningPeakProfile(clockHour);
    const auto hour = static_cast<long>(std::floor(clockHour));
    return hourlyProfile[static_cast<std::size_t>(((hour % 24) + 24) % 24)];
}

std::vector<std::uint32_t> edgesInPolygon(const LaneGraph& g, const RoadNetwork& roads,
                                          std::span<const Eigen::Vector2d> polygon,
                                          std::span<const std::uint8_t> candidates) {
    std::vector<std::uint32_t> out;
    if (polygon.size() < 3) return out;
    const auto inside = [&](const Eigen::Vector2d& q) {  // even-odd rule
        bool in = false;
        for (std::size_t i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
            const Eigen::Vector2d& a = polygon[i];
            const Eigen::Vector2d& b = polygon[j];
            if ((a.y() > q.y()) != (b.y() > q.y()) &&
                q.x() < (b.x() - a.x()) * (q.y() - a.y()) / (b.y() - a.y()) + a.x())
                in = !in;
        }
        return in;
    };
    for (std::uint32_t e = 0; e < g.edgeCount(); ++e) {
        if (!candidates[e]) continue;
        const auto line = roads.geometry(g.edgeLink[e]);
        if (line.empty()) continue;
        double total = 0.0;
        for (std::size_t i = 1; i < line.size(); ++i) total += (line[i] - line[i - 1]).norm();
        Eigen::Vector2d middle = line.front();
        double walked = 0.0;
        for (std::size_t i = 1; i < line.size(); ++i) {
            const double piece = (line[i] - line[i - 1]).norm();
            if (walked + piece >= 0.5 * total && piece > 0.0) {
                middle = line[i - 1] + (line[i] - line[i - 1]) * ((0.5 * total - walked) / piece);
                break;
            }
            walked += piece;
        }
        if (inside(middle)) out.push_back(e);
    }
    return out;
}

std::vector<Trip> odTrips(const LaneGraph& g, const OdMatrix& od, const TrafficParameters& p) {
    std::vector<Trip> trips;
    const std::size_t zones = od.zoneEdges.size();
    double totalPerH = 0.0;
    std::vector<double> cumulative;
    for (std::size_t o = 0; o < zones; ++o)
        for (std::size_t d = 0; d < zones; ++d) {
            const double q = od.zoneEdges[o].empty() || od.zoneEdges[d].empty()
                                 ? 0.0
                                 : std::max(0.0, od.tripsPerHour[o * zones + d]);
            totalPerH += q;
            cumulative.push_back(totalPerH);
        }
    double highest = 0.0;
    if (od.hourlyProfile.empty()) {
        highest = 1.0;
    } else {
        for (const double f : od.hourlyProfile) highest = std::max(highest, f);
    }
    if (totalPerH <= 0.0 || highest <= 0.0) return trips;
    std::mt19937_64 rng(p.seed);
    const double ratePerS = totalPerH * highest / 3600.0;
    const auto pick = [&](const std::vector<std::uint32_t>& edges) {
        return edges[std::min(edges.size() - 1,
                              static_cast<std::size_t>(uniform01(rng) * static_cast<double>(edges.size())))];
    };
    for (double t = 0.0;;) {
        t += -std::log(1.0 - uniform01(rng)) / ratePerS;
        if (t >= p.durationS) break;
        const double accept = uniform01(rng);
        const double which = uniform01(rng) * totalPerH;
        const auto pair = static_cast<std::size_t>(
            std::upper_bound(cumulative.begin(), cumulative.end(), which) - cumulative.begin());
        if (pair >= cumulative.size() || accept * highest > od.profileAt(p.startHour + t / 3600.0)) continue;
        const std::size_t o = pair / zones, d = pair % zones;
        const std::uint32_t origin = pick(od.zoneEdges[o]);
        std::uint32_t destination = pick(od.zoneEdges[d]);
        for (int tries = 0; tries < 8 && g.edgeLink[destination] == g.edgeLink[origin]; ++tries)
            destination = pick(od.zoneEdges[d]);
        if (g.edgeLink[destination] == g.edgeLink[origin]) continue;
        trips.push_back({t, origin, destination, {}});
    }
    return trips;
}

double co2GramsPerKm(double speedKmh) {
    const double v = std::clamp(speedKmh, 5.0, 130.0);
    return 110.0 + 1000.0 / v + 0.004 * v * v;
}

TrafficEngine::TrafficEngine(const LaneGraph& graph, TrafficParameters p, std::vector<Trip> trips,
                             std::vector<SignalPlan> signalPlans)
    : m_g(graph), m_p(p), m_trips(std::move(trips)), m_plans(std::move(signalPlans)) {
    std::stable_sort(m_trips.begin(), m_trips.end(),
                     [](const Trip& a, const Trip& b) { return a.departS < b.departS; });
    const std::size_t v = m_trips.size();
    m_state.assign(v, Pending);
    m_edge.assign(v, 0);
    m_lane.assign(v, 0);
    m_routeStart.assign(v, 0);
    m_routeLen.assign(v, 0);
    m_routeCursor.assign(v, 0);
    m_pos.assign(v, 0.0);
    m_speed.assign(v, 0.0);
    m_accel.assign(v, 0.0);
    m_insertS.assign(v, 0.0);
    m_standingS.assign(v, 0.0);
    m_drivenM.assign(v, 0.0);
    m_laneVeh.assign(m_g.laneCount, {});
    m_laneHead.assign(m_g.laneCount, 0);
    const std::size_t edges = m_g.edgeCount();
    m_waitVeh.assign(edges, {});
    m_waitHead.assign(edges, 0);
    m_edgeGreen.assign(edges, 1);
    m_laneLinkGreen.assign(m_g.laneLinkToEdge.size(), 1);
    // Left turns and U-turns (more than 30° to the left) cross the oncoming stream.
    m_laneLinkCrossesOncoming.assign(m_g.laneLinkToEdge.size(), 0);
    for (std::size_t k = 0; k < m_g.laneLinkToEdge.size(); ++k)
        m_laneLinkCrossesOncoming[k] = turnAngle(m_g, m_g.laneEdge[m_g.laneLinkFromLane[k]],
                                                 m_g.laneLinkToEdge[k]) > std::numbers::pi / 6.0;
    m_lastChangeS.assign(v, -kInf);
    for (const int lanes : m_g.edgeLanes) m_maxLanes = std::max(m_maxLanes, static_cast<std::size_t>(lanes));
    m_laneReachM.assign(v * m_maxLanes, 0.0);
    m_capUntilM.assign(v, 0.0);
    m_capSpeedMps.assign(v, 0.0);
    m_edgeStops.assign(edges, 0.0);
    m_edgeTravelS.assign(edges, 0.0);
    for (std::size_t e = 0; e < edges; ++e) m_edgeTravelS[e] = m_g.edgeLengthM[e] / m_g.edgeSpeedMps[e];
    m_intervals = static_cast<std::size_t>(std::ceil(m_p.durationS / m_p.intervalS - 1e-9));
    m_ivSpeedSum.assign(m_intervals * edges, 0.0);
    m_ivVehSteps.assign(m_intervals * edges, 0.0);
    m_ivHalting.assign(m_intervals * edges, 0.0);
    m_ivExits.assign(m_intervals * edges, 0.0);
    m_nextRerouteS = m_p.rerouteIntervalS;
}

bool TrafficEngine::routeByTurns(std::uint32_t fromEdge, std::uint32_t toEdge,
                                 std::vector<std::uint32_t>& out) const {
    // A* over edges joined by the network's turns; heuristic: straight line from an edge's end to the
    // start of toEdge at the highest speed in the network (admissible).
    out.clear();
    out.push_back(fromEdge);
    if (fromEdge == toEdge) return true;
    double vmax = 1.0;
    for (double s : m_g.edgeSpeedMps) vmax = std::max(vmax, s);
    const std::size_t m = m_g.edgeCount();
    std::vector<double> dist(m, kInf);
    std::vector<std::uint32_t> via(m, UINT32_MAX);
    using Item = std::pair<double, std::uint32_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> open;
    const Eigen::Vector2d goal = m_g.nodePosition[m_g.edgeFrom[toEdge]];
    auto h = [&](std::uint32_t e) { return (m_g.nodePosition[m_g.edgeTo[e]] - goal).norm() / vmax; };
    dist[fromEdge] = 0.0;
    open.emplace(h(fromEdge), fromEdge);
    while (!open.empty()) {
        const auto [f, e] = open.top();
        open.pop();
        if (e == toEdge) break;
        if (f > dist[e] + h(e) + 1e-9) continue;
        for (std::uint32_t i = m_g.turnStart[e]; i < m_g.turnStart[e + 1]; ++i) {
            const std::uint32_t next = m_g.turnEdges[i];
            const double d = dist[e] + (next == toEdge ? 0.0 : m_edgeTravelS[next]);
            if (d < dist[next]) {
                dist[next] = d;
                via[next] = e;
                open.emplace(d + h(next), next);
            }
        }
    }
    if (dist[toEdge] == kInf) return false;
    for (std::uint32_t e = toEdge; e != fromEdge; e = via[e]) out.push_back(e);
    std::reverse(out.begin() + 1, out.end());
    return true;
}

bool TrafficEngine::route(std::uint32_t fromEdge, std::uint32_t toEdge,
                          std::vector<std::uint32_t>& out) const {
    if (!m_g.turnStart.empty()) return routeByTurns(fromEdge, toEdge, out);
    // A* over nodes from the end of fromEdge to the start of toEdge; heuristic: straight line at the
    // highest speed in the network (admissible).
    out.clear();
    out.push_back(fromEdge);
    if (fromEdge == toEdge) return true;
    const std::uint32_t source = m_g.edgeTo[fromEdge], target = m_g.edgeFrom[toEdge];
    if (source != target) {
        double vmax = 1.0;
        for (double s : m_g.edgeSpeedMps) vmax = std::max(vmax, s);
        const std::size_t n = m_g.nodeCount;
        std::vector<double> dist(n, kInf);
        std::vector<std::uint32_t> via(n, UINT32_MAX);
        using Item = std::pair<double, std::uint32_t>;
        std::priority_queue<Item, std::vector<Item>, std::greater<>> open;
        const Eigen::Vector2d goal = m_g.nodePosition[target];
        auto h = [&](std::uint32_t u) { return (m_g.nodePosition[u] - goal).norm() / vmax; };
        dist[source] = 0.0;
        open.emplace(h(source), source);
        while (!open.empty()) {
            const auto [f, u] = open.top();
            open.pop();
            if (u == target) break;
            if (f > dist[u] + h(u) + 1e-9) continue;
            for (std::uint32_t i = m_g.outStart[u]; i < m_g.outStart[u + 1]; ++i) {
                const std::uint32_t e = m_g.outEdges[i];
                const std::uint32_t w = m_g.edgeTo[e];
                const double d = dist[u] + m_edgeTravelS[e];
                if (d < dist[w]) {
                    dist[w] = d;
                    via[w] = e;
                    open.emplace(d + h(w), w);
                }
            }
        }
        if (dist[target] == kInf) return false;
        const std::size_t mark = out.size();
        for (std::uint32_t u = target; u != source; u = m_g.edgeFrom[via[u]]) out.push_back(via[u]);
        std::reverse(out.begin() + static_cast<std::ptrdiff_t>(mark), out.end());
    }
    out.push_back(toEdge);
    return true;
}

bool TrafficEngine::mustYield(std::uint32_t edge) const {
    const std::uint32_t node = m_g.edgeTo[edge];
    if (!m_g.nodeJunction[node] || m_g.nodeSignal[node]) return false;
    for (std::uint32_t i = m_g.inStart[node]; i < m_g.inStart[node + 1]; ++i) {
        const std::uint32_t other = m_g.inEdges[i];
        if (other == edge || m_g.edgeRank[other] <= m_g.edgeRank[edge]) continue;
        for (int k = 0; k < m_g.edgeLanes[other]; ++k) {
            const std::uint32_t lane = m_g.edgeFirstLane[other] + static_cast<std::uint32_t>(k);
            if (laneSize(lane) == 0) continue;
            const std::uint32_t f = laneFront(lane);
            const double toLine = m_g.edgeLengthM[other] - m_pos[f];
            if (m_speed[f] > 1.0 && toLine < 4.0 * m_speed[f]) return true;
        }
    }
    return false;
}

std::uint32_t TrafficEngine::laneLinkTo(std::uint32_t lane, std::uint32_t next) const {
    for (std::uint32_t k = m_g.laneLinkStart[lane]; k < m_g.laneLinkStart[lane + 1]; ++k)
        if (m_g.laneLinkToEdge[k] == next) return k;
    return kNoLane;
}

std::uint32_t TrafficEngine::entryLink(std::uint32_t lane, std::uint32_t next, std::uint32_t after) const {
    std::uint32_t best = kNoLane;
    double bestRoom = -kInf;
    for (std::uint32_t k = m_g.laneLinkStart[lane]; k < m_g.laneLinkStart[lane + 1]; ++k) {
        if (m_g.laneLinkToEdge[k] != next) continue;
        const std::uint32_t to = m_g.laneLinkToLane[k];
        double room = laneSize(to) == 0 ? 1e12 : m_pos[laneBack(to)];
        // a lane that leads on to the edge after next first: no lane change needed there
        if (after != kNoLane && laneLinkTo(to, after) == kNoLane) room -= 1e13;
        if (room > bestRoom) {
            bestRoom = room;
            best = k;
        }
    }
    return best;
}

bool TrafficEngine::mustYieldOnLink(std::uint32_t link, std::uint32_t edge) const {
    if (m_g.laneLinkHasFoes[link]) {
        // The network's right of way: a 'G' green goes; otherwise wait while a vehicle on a link this one
        // must let go first (not at red) is moving and less than 4 s from the junction.
        if (m_g.nodeSignal[m_g.edgeTo[edge]] && m_laneLinkGreen[link] == 1) return false;
        for (std::uint32_t i = m_g.laneLinkFoeStart[link]; i < m_g.laneLinkFoeStart[link + 1]; ++i) {
            const std::uint32_t foe = m_g.laneLinkFoes[i];
            if (!m_laneLinkGreen[foe]) continue;
            const std::uint32_t lane = m_g.laneLinkFromLane[foe];
            if (laneSize(lane) == 0) continue;
            const std::uint32_t f = laneFront(lane);
            const double toLine = m_g.edgeLengthM[m_g.laneEdge[lane]] - m_pos[f];
            if (m_speed[f] <= 1.0 || toLine >= 4.0 * m_speed[f] || nextEdgeOf(f) != m_g.laneLinkToEdge[foe])
                continue;
            return true;
        }
        return false;
    }
    // A green that yields ('g': a turn across oncoming traffic) or a minor link of an unsignalised
    // junction ('m', 's', '='): wait while a vehicle of another approach with priority (on a 'G' green
    // or an 'M' link) is moving and less than 4 s from the junction.
    const char state = m_g.laneLinkState[link];
    const bool signalYield = m_laneLinkGreen[link] == 2;
    const bool minor = !m_g.nodeSignal[m_g.edgeTo[edge]] && (state == 'm' || state == 's' || state == '=');
    if (!signalYield && !minor) return state == 0 && mustYield(edge);
    const std::uint32_t node = m_g.edgeTo[edge];
    for (std::uint32_t i = m_g.inStart[node]; i < m_g.inStart[node + 1]; ++i) {
        const std::uint32_t other = m_g.inEdges[i];
        if (other == edge) continue;
        for (int k = 0; k < m_g.edgeLanes[other]; ++k) {
            const std::uint32_t lane = m_g.edgeFirstLane[other] + static_cast<std::uint32_t>(k);
            if (laneSize(lane) == 0) continue;
            const std::uint32_t f = laneFront(lane);
            const double toLine = m_g.edgeLengthM[other] - m_pos[f];
            if (m_speed[f] <= 1.0 || toLine >= 4.0 * m_speed[f]) continue;
            const std::uint32_t next = nextEdgeOf(f);
            if (next == kNoLane) continue;
            const std::uint32_t theirs = laneLinkTo(lane, next);
            if (theirs == kNoLane) continue;
            if (signalYield ? m_laneLinkGreen[theirs] == 1 : m_g.laneLinkState[theirs] == 'M') return true;
        }
    }
    return false;
}

std::size_t TrafficEngine::firstBehind(std::uint32_t lane, double pos) const {
    const auto& vs = m_laneVeh[lane];
    // positions fall from the head to the back
    const auto it = std::partition_point(vs.begin() + m_laneHead[lane], vs.end(),
                                         [&](std::uint32_t u) { return m_pos[u] >= pos; });
    return static_cast<std::size_t>(it - vs.begin());
}

std::size_t TrafficEngine::indexInLane(std::uint32_t v) const {
    const std::uint32_t lane = m_lane[v];
    const auto& vs = m_laneVeh[lane];
    std::size_t i = firstBehind(lane, m_pos[v]);  // just behind every vehicle at v's position or ahead
    while (i > m_laneHead[lane] && vs[i - 1] != v) --i;
    if (i > m_laneHead[lane]) return i - 1;
    // Not where its position says (the list out of order by rounding): by looking.
    return static_cast<std::size_t>(std::find(vs.begin() + m_laneHead[lane], vs.end(), v) - vs.begin());
}

void TrafficEngine::laneReach(std::uint32_t v, std::uint32_t cursor, double* reachM) const {
    const std::uint32_t* route = &m_routePool[m_routeStart[v]];
    const std::uint32_t len = m_routeLen[v];
    // The last route index within the horizon.
    std::uint32_t horizon = cursor;
    for (double ahead = m_g.edgeLengthM[route[cursor]]; horizon + 1 < len && ahead < kReachHorizonM;) {
        ++horizon;
        ahead += m_g.edgeLengthM[route[horizon]];
    }
    // Backwards from the horizon: a lane's reach is its edge's length plus the best reach among the lanes
    // its links into the next route edge lead to (nothing more when it has none).
    // Two rows of lanes, on the stack for any real road (no allocation on this hot path).
    constexpr std::size_t kStackLanes = 32;
    double rowA[kStackLanes], rowB[kStackLanes];
    std::vector<double> wideA, wideB;
    double* next = rowA;
    double* current = rowB;
    if (m_maxLanes > kStackLanes) {
        wideA.resize(m_maxLanes);
        wideB.resize(m_maxLanes);
        next = wideA.data();
        current = wideB.data();
    }
    std::fill(next, next + m_maxLanes, 0.0);
    for (std::uint32_t j = horizon + 1; j-- > cursor;) {
        const std::uint32_t e = route[j];
        for (int k = 0; k < m_g.edgeLanes[e]; ++k) {
            double onward = 0.0;
            if (j == horizon) {
                onward = kGoesOnM;
            } else {
                const std::uint32_t lane = m_g.edgeFirstLane[e] + static_cast<std::uint32_t>(k);
                const std::uint32_t to = route[j + 1];
                for (std::uint32_t l = m_g.laneLinkStart[lane]; l < m_g.laneLinkStart[lane + 1]; ++l)
                    if (m_g.laneLinkToEdge[l] == to)
                        onward = std::max(onward, next[m_g.laneLinkToLane[l] - m_g.edgeFirstLane[to]]);
            }
            current[k] = m_g.edgeLengthM[e] + onward;
        }
        std::swap(next, current);
    }
    for (int k = 0; k < m_g.edgeLanes[route[cursor]]; ++k) reachM[k] = next[k];
}

std::uint32_t TrafficEngine::strategicLane(std::uint32_t v, std::uint32_t lane) const {
    const std::uint32_t e = m_edge[v];
    const int lanes = m_g.edgeLanes[e];
    const double* reach = &m_laneReachM[v * m_maxLanes];
    double best = 0.0;
    for (int k = 0; k < lanes; ++k) best = std::max(best, reach[k]);
    const int at = static_cast<int>(lane - m_g.edgeFirstLane[e]);
    if (reach[at] >= best) return lane;
    for (int d = 1; d < lanes; ++d)
        for (const int side : {-1, 1}) {
            const int k = at + side * d;
            if (k >= 0 && k < lanes && reach[k] >= best)
                return m_g.edgeFirstLane[e] + static_cast<std::uint32_t>(k);
        }
    return lane;
}

double TrafficEngine::laneChangeIncentive(std::uint32_t v, std::uint32_t toLane, bool mandatory,
                                          double distanceToEndM) {
    const MobilParameters& mp = m_p.mobil;
    const double len = m_p.idm.vehicleLengthM, pos = m_pos[v];
    const std::uint32_t lane = m_lane[v];
    const auto& vs = m_laneVeh[lane];
    const std::size_t at = indexInLane(v);
    const std::uint32_t leader = at > m_laneHead[lane] ? vs[at - 1] : kNoLane;
    const std::uint32_t oldFollower = at + 1 < vs.size() ? vs[at + 1] : kNoLane;
    const auto& ts = m_laneVeh[toLane];
    const std::size_t behind = firstBehind(toLane, pos);
    const std::uint32_t newLeader = behind > m_laneHead[toLane] ? ts[behind - 1] : kNoLane;
    const std::uint32_t newFollower = behind < ts.size() ? ts[behind] : kNoLane;
    const double frontGap = newLeader != kNoLane ? m_pos[newLeader] - len - pos : kInf;
    const double backGap = newFollower != kNoLane ? pos - len - m_pos[newFollower] : kInf;
    const bool urgent = mandatory && distanceToEndM < mp.urgencyDistanceM;
    if (frontGap < mp.minGapM) return -kInf;
    if (backGap < mp.minGapM) {
        if (urgent && backGap > -len) {
            m_yieldTo.push_back(newFollower);
            m_yieldTo.push_back(v);
        }
        return -kInf;
    }
    double followerGain = 0.0;
    if (newFollower != kNoLane) {
        const double after = accelerationOn(newFollower, toLane, v);
        if (after < -mp.safeDecelMps2) {
            if (urgent) {
                m_yieldTo.push_back(newFollower);
                m_yieldTo.push_back(v);
            }
            return -kInf;
        }
        followerGain += after - accelerationOn(newFollower, toLane, newLeader);
    }
    const double own = accelerationOn(v, toLane, newLeader);
    if (!mandatory && own < -mp.safeDecelMps2) return -kInf;
    if (oldFollower != kNoLane)
        followerGain += accelerationOn(oldFollower, lane, leader) - accelerationOn(oldFollower, lane, v);
    double incentive = own - accelerationOn(v, lane, leader) + mp.politeness * followerGain;
    if (mandatory)
        incentive += m_p.idm.comfortDecelMps2 * mp.urgencyDistanceM / std::max(distanceToEndM, 1.0);
    return incentive;
}

void TrafficEngine::moveToLane(std::uint32_t v, std::uint32_t toLane) {
    auto& from = m_laneVeh[m_lane[v]];
    from.erase(from.begin() + static_cast<std::ptrdiff_t>(indexInLane(v)));
    auto& to = m_laneVeh[toLane];
    to.insert(to.begin() + static_cast<std::ptrdiff_t>(firstBehind(toLane, m_pos[v])), v);
    m_lane[v] = toLane;
    m_lastChangeS[v] = m_timeS;
    ++m_laneChanges;
}

void TrafficEngine::changeLanes() {
    if (!m_p.laneChanges) return;
    for (std::uint32_t e = 0; e < m_g.edgeCount(); ++e) {
        const int lanes = m_g.edgeLanes[e];
        if (lanes < 2) continue;
        const std::uint32_t firstLane = m_g.edgeFirstLane[e];
        m_changeOrder.clear();
        for (int k = 0; k < lanes; ++k) {
            const std::uint32_t lane = firstLane + static_cast<std::uint32_t>(k);
            m_changeOrder.insert(m_changeOrder.end(), m_laneVeh[lane].begin() + m_laneHead[lane],
                                 m_laneVeh[lane].end());
        }
        for (const std::uint32_t v : m_changeOrder) {
            if (m_timeS - m_lastChangeS[v] < m_p.mobil.cooldownS) continue;
            const std::uint32_t lane = m_lane[v];
            const std::uint32_t target = strategicLane(v, lane);
            if (target !=
                lane) {  // mandatory: one lane towards the target, before this lane stops leading on
                const std::uint32_t toLane = target > lane ? lane + 1 : lane - 1;
                if (laneChangeIncentive(v, toLane, true, reachOf(v, lane) - m_pos[v]) >
                    m_p.mobil.thresholdMps2) {
                    moveToLane(v, toLane);
                    ++m_mandatoryChanges;
                }
                continue;
            }
            // discretionary: the better side, among the lanes that lead on as far (or past the horizon).
            // A vehicle that was not held back last step (its acceleration within the threshold of the
            // free road's) has nothing to gain for itself: skipped, the old follower's gain aside.
            const double free = idmAcceleration(m_p.idm, m_speed[v], desiredSpeed(v), kInf, -1.0);
            if (m_accel[v] >= free - m_p.mobil.thresholdMps2) continue;
            const double ownReach = reachOf(v, lane);
            double best = m_p.mobil.thresholdMps2;
            std::uint32_t bestLane = kNoLane;
            for (const int side : {-1, 1}) {
                const int k = static_cast<int>(lane - firstLane) + side;
                if (k < 0 || k >= lanes) continue;
                const std::uint32_t toLane = firstLane + static_cast<std::uint32_t>(k);
                if (reachOf(v, toLane) < ownReach) continue;
                const double incentive = laneChangeIncentive(v, toLane, false, ownReach - m_pos[v]);
                if (incentive > best) {
                    best = incentive;
                    bestLane = toLane;
                }
            }
            if (bestLane != kNoLane) moveToLane(v, bestLane);
        }
    }
}

double TrafficEngine::desiredSpeed(std::uint32_t v) const {
    const double limit = m_g.edgeSpeedMps[m_edge[v]];
    return m_pos[v] < m_capUntilM[v] ? std::min(limit, m_capSpeedMps[v]) : limit;
}

double TrafficEngine::accelerationOn(std::uint32_t v, std::uint32_t lane, std::uint32_t leader,
                                     double* gapOut) const {
    const double pos = m_pos[v];
    double gap, leaderSpeed = -1.0;
    if (leader != kNoLane) {
        gap = m_pos[leader] - m_p.idm.vehicleLengthM - pos;
        leaderSpeed = m_speed[leader];
    } else {
        gap = leaderAhead(v, lane, pos, leaderSpeed);
    }
    if (gapOut) *gapOut = gap;
    double a = idmAcceleration(m_p.idm, m_speed[v], desiredSpeed(v), gap, leaderSpeed);
    // Slow down for the way through the junction onto the next edge: brake once the deceleration needed
    // to reach its speed where it begins is half the comfortable one.
    const std::uint32_t e = m_edge[v];
    const double toEnd = m_g.edgeLengthM[e] - pos;
    const std::uint32_t next = nextEdgeOf(v);
    if (next != kNoLane && toEnd < kLookAheadM) {
        std::uint32_t link = laneLinkTo(lane, next);
        if (link != kNoLane) {
            const double vTurn = m_g.laneLinkSpeedMps[link];
            const double toLine = std::max(toEnd - 0.5 * m_g.laneLinkViaM[link], 0.5);
            const double need = (m_speed[v] * m_speed[v] - vTurn * vTurn) / (2.0 * toLine);
            if (need >= 0.5 * m_p.idm.comfortDecelMps2) a = std::min(a, -need);
        }
    }
    return a;
}

double TrafficEngine::leaderAhead(std::uint32_t v, std::uint32_t lane, double pos,
                                  double& leaderSpeed) const {
    // Gap to the vehicle or stop line ahead along the route, from a vehicle with none ahead on its lane.
    const double len = m_p.idm.vehicleLengthM;
    std::uint32_t e = m_edge[v];
    double gapToEnd = m_g.edgeLengthM[e] - pos;
    std::uint32_t cursor = m_routeCursor[v];
    const double v0 = m_speed[v];
    while (true) {
        if (cursor + 1 >= m_routeLen[v]) {  // destination: drives off the end
            leaderSpeed = -1.0;
            return kInf;
        }
        const std::uint32_t next = m_routePool[m_routeStart[v] + cursor + 1];
        const std::uint32_t link = entryLink(
            lane, next, cursor + 2 < m_routeLen[v] ? m_routePool[m_routeStart[v] + cursor + 2] : kNoLane);
        if (link == kNoLane) {  // this lane does not lead there: its end is a stop line
            leaderSpeed = 0.0;
            return std::max(gapToEnd, 0.0);
        }
        const bool canStop = gapToEnd >= v0 * v0 / (2.0 * kMaxDecelMps2);
        if ((!m_laneLinkGreen[link] || mustYieldOnLink(link, e)) && (canStop || gapToEnd < 0.0)) {
            leaderSpeed = 0.0;
            return std::max(gapToEnd, 0.0);
        }
        lane = m_g.laneLinkToLane[link];
        if (laneSize(lane) > 0) {
            const std::uint32_t back = laneBack(lane);
            leaderSpeed = m_speed[back];
            return gapToEnd + m_pos[back] - len;
        }
        gapToEnd += m_g.edgeLengthM[next];
        if (gapToEnd > kLookAheadM) {
            leaderSpeed = -1.0;
            return kInf;
        }
        // On the next edge the vehicle will be on a lane that leads on: look from the one with most room.
        if (cursor + 2 < m_routeLen[v]) {
            const std::uint32_t after = m_routePool[m_routeStart[v] + cursor + 2];
            double room = -kInf;
            for (int k = 0; k < m_g.edgeLanes[next]; ++k) {
                const std::uint32_t l = m_g.edgeFirstLane[next] + static_cast<std::uint32_t>(k);
                if (laneLinkTo(l, after) == kNoLane) continue;
                const double r = laneSize(l) == 0 ? kInf : m_pos[laneBack(l)];
                if (r > room) {
                    room = r;
                    lane = l;
                }
            }
        }
        e = next;
        ++cursor;
    }
}

void TrafficEngine::recordPlayback(const RoadNetwork& roads, double intervalS, std::size_t maxPoses) {
    m_playback = {};
    m_playbackEverySteps = 0;
    if (intervalS <= 0.0) return;
    m_playbackEverySteps = static_cast<std::uint64_t>(std::max(1.0, std::round(intervalS / m_p.stepS)));
    m_playbackMaxPoses = maxPoses;
    m_playback.intervalS = static_cast<double>(m_playbackEverySteps) * m_p.stepS;
    m_playback.frameBegin.push_back(0);
    const std::size_t edges = m_g.edgeCount();
    std::vector<int> linkLanes(roads.linkCount(), 0);
    for (std::size_t e = 0; e < edges; ++e) linkLanes[m_g.edgeLink[e]] += m_g.edgeLanes[e];
    m_shapeBegin.assign(1, 0);
    m_shapePoints.clear();
    m_shapeDistanceM.clear();
    m_laneZeroOffsetM.assign(edges, 0.0);
    for (std::size_t e = 0; e < edges; ++e) {
        const auto line = roads.geometry(m_g.edgeLink[e]);
        for (std::size_t i = 0; i < line.size(); ++i) {
            const Eigen::Vector2d& p = m_g.edgeBackward[e] ? line[line.size() - 1 - i] : line[i];
            m_shapeDistanceM.push_back(i == 0 ? 0.0
                                              : m_shapeDistanceM.back() + (p - m_shapePoints.back()).norm());
            m_shapePoints.push_back(p);
        }
        m_shapeBegin.push_back(static_cast<std::uint32_t>(m_shapePoints.size()));
        m_laneZeroOffsetM[e] = 0.5 * kPlaybackLaneWidthM * (linkLanes[m_g.edgeLink[e]] - 1);
    }
}

sim::VehiclePose TrafficEngine::poseOf(std::uint32_t v) const {
    const std::uint32_t e = m_edge[v];
    sim::VehiclePose pose;
    pose.vehicle = v;
    pose.speedMps = static_cast<float>(m_speed[v]);
    const std::uint32_t begin = m_shapeBegin[e], end = m_shapeBegin[e + 1];
    if (end - begin < 2) {
        pose.x = static_cast<float>(m_g.nodePosition[m_g.edgeFrom[e]].x());
        pose.y = static_cast<float>(m_g.nodePosition[m_g.edgeFrom[e]].y());
        return pose;
    }
    // The middle of the vehicle, along the drawn line (which may be a little longer or shorter than
    // the edge's length).
    const double shapeLengthM = m_shapeDistanceM[end - 1];
    const double middleM = std::clamp(m_pos[v] - 0.5 * m_p.idm.vehicleLengthM, 0.0, m_g.edgeLengthM[e]);
    const double along = middleM * shapeLengthM / m_g.edgeLengthM[e];
    const auto first = m_shapeDistanceM.begin() + begin, last = m_shapeDistanceM.begin() + end;
    const auto i = static_cast<std::uint32_t>(
        std::clamp<std::ptrdiff_t>(std::upper_bound(first, last, along) - first, 1, end - begin - 1));
    const Eigen::Vector2d& a = m_shapePoints[begin + i - 1];
    const Eigen::Vector2d& b = m_shapePoints[begin + i];
    const double segmentM = m_shapeDistanceM[begin + i] - m_shapeDistanceM[begin + i - 1];
    const Eigen::Vector2d direction =
        segmentM > 0.0 ? Eigen::Vector2d((b - a) / segmentM) : Eigen::Vector2d(1.0, 0.0);
    const double t = segmentM > 0.0 ? (along - m_shapeDistanceM[begin + i - 1]) / segmentM : 0.0;
    const double rightM = m_laneZeroOffsetM[e] - kPlaybackLaneWidthM * (m_lane[v] - m_g.edgeFirstLane[e]);
    const Eigen::Vector2d at = a + (b - a) * t + Eigen::Vector2d(direction.y(), -direction.x()) * rightM;
    pose.x = static_cast<float>(at.x());
    pose.y = static_cast<float>(at.y());
    pose.headingRad = static_cast<float>(angleOf(direction));
    return pose;
}

void TrafficEngine::recordFrameIfDue() {
    if (m_playbackEverySteps == 0 || m_playback.truncated) return;
    if (m_stepsDone != m_playback.frameCount() * m_playbackEverySteps) return;
    if (m_playback.poses.size() + m_running > m_playbackMaxPoses) {
        m_playback.truncated = true;
        return;
    }
    for (std::uint32_t v = 0; v < m_trips.size(); ++v)
        if (m_state[v] == Running) m_playback.poses.push_back(poseOf(v));
    m_playback.frameBegin.push_back(static_cast<std::uint32_t>(m_playback.poses.size()));
}

void TrafficEngine::updateSignals() {
    for (const SignalPlan& plan : m_plans) {
        const bool program = !plan.programDurationS.empty();
        const std::size_t phase = program ? programPhaseAt(plan, m_timeS) : 0;
        for (std::size_t i = 0; i < plan.incomingEdges.size(); ++i) {
            const std::uint32_t e = plan.incomingEdges[i];
            m_edgeGreen[e] = program ? plan.programGreen[phase * plan.incomingEdges.size() + i]
                                     : (isGreen(plan, plan.edgePhase[i], m_timeS) ? 1 : 0);
            // A plan without the network's per-turn states (our default plans, Webster's) gives left turns
            // a permissive green: they yield to the oncoming stream, as SUMO's 'g'.
            const bool permissive = plan.laneLinks.empty();
            const std::uint32_t firstLane = m_g.edgeFirstLane[e];
            for (std::uint32_t k = m_g.laneLinkStart[firstLane];
                 k < m_g.laneLinkStart[firstLane + static_cast<std::uint32_t>(m_g.edgeLanes[e])]; ++k)
                m_laneLinkGreen[k] =
                    m_edgeGreen[e] && permissive && m_laneLinkCrossesOncoming[k] ? 2 : m_edgeGreen[e];
        }
        if (plan.laneLinks.empty()) continue;
        const std::size_t links = plan.laneLinks.size();
        for (std::size_t j = 0; j < links; ++j)
            m_laneLinkGreen[plan.laneLinks[j]] = linkGreen(plan.programLinkState[phase * links + j]);
    }
}

void TrafficEngine::insert() {
    std::vector<std::uint32_t> path;
    while (m_nextTrip < m_trips.size() && m_trips[m_nextTrip].departS <= m_timeS) {
        const auto v = static_cast<std::uint32_t>(m_nextTrip++);
        const Trip& trip = m_trips[v];
        if (!trip.route.empty()) {
            path = trip.route;
        } else if (!route(trip.originEdge, trip.destinationEdge, path)) {
            ++m_unroutable;
            m_state[v] = Arrived;  // never runs; counted as unroutable
            continue;
        }
        m_routeStart[v] = static_cast<std::uint32_t>(m_routePool.size());
        m_routeLen[v] = static_cast<std::uint32_t>(path.size());
        m_routePool.insert(m_routePool.end(), path.begin(), path.end());
        m_state[v] = Waiting;
        m_waitVeh[trip.originEdge].push_back(v);
        // Its lanes' reach at the start of its route, for its entry lane: a waiting vehicle keeps its route
        // (reroute() takes running ones).
        laneReach(v, 0, &m_laneReachM[v * m_maxLanes]);
    }
    const double len = m_p.idm.vehicleLengthM;
    for (std::uint32_t e = 0; e < m_g.edgeCount(); ++e) {
        auto& queue = m_waitVeh[e];
        auto& head = m_waitHead[e];
        for (int k = 0; k < m_g.edgeLanes[e] && head < queue.size(); ++k) {
            // The lane with the most room of those that lead on furthest along the vehicle's route.
            const std::uint32_t first = queue[head];
            const double* reach = &m_laneReachM[first * m_maxLanes];
            double bestReach = 0.0;
            for (int i = 0; i < m_g.edgeLanes[e]; ++i) bestReach = std::max(bestReach, reach[i]);
            std::uint32_t lane = kNoLane;
            double room = -kInf;
            for (int i = 0; i < m_g.edgeLanes[e]; ++i) {
                const std::uint32_t l = m_g.edgeFirstLane[e] + static_cast<std::uint32_t>(i);
                if (reach[i] < bestReach) continue;
                const double r = laneSize(l) == 0 ? kInf : m_pos[laneBack(l)];
                if (r > room) {
                    room = r;
                    lane = l;
                }
            }
            double speed = m_g.edgeSpeedMps[e];
            if (laneSize(lane) > 0) {
                const std::uint32_t back = laneBack(lane);
                speed = std::min(speed, m_speed[back]);
                const double gap = m_pos[back] - len;
                if (gap < m_p.idm.minGapM + speed * m_p.idm.timeHeadwayS) break;
            }
            const std::uint32_t v = queue[head++];
            m_state[v] = Running;
            m_edge[v] = e;
            m_lane[v] = lane;
            m_pos[v] = 0.0;
            m_speed[v] = speed;
            m_insertS[v] = m_timeS;
            m_capUntilM[v] = 0.0;
            m_laneVeh[lane].push_back(v);
            ++m_running;
            ++m_inserted;
        }
        if (head == queue.size() && head > 0) {
            queue.clear();
            head = 0;
        }
    }
}

void TrafficEngine::reroute() {
    // Current travel times from the last finished interval.
    const std::size_t edges = m_g.edgeCount();
    const auto iv = static_cast<std::size_t>(m_timeS / m_p.intervalS);
    if (iv == 0) return;
    const std::size_t base = (std::min(iv, m_intervals) - 1) * edges;
    for (std::size_t e = 0; e < edges; ++e) {
        const double steps = m_ivVehSteps[base + e];
        const double speed =
            steps > 0.0 ? std::max(m_ivSpeedSum[base + e] / steps, 1.0) : m_g.edgeSpeedMps[e];
        m_edgeTravelS[e] = m_g.edgeLengthM[e] / std::min(speed, m_g.edgeSpeedMps[e]);
    }
    std::vector<std::uint32_t> path;
    for (std::uint32_t v = 0; v < m_trips.size(); ++v) {
        if (m_state[v] != Running || m_routeCursor[v] + 2 >= m_routeLen[v] || !m_trips[v].route.empty())
            continue;
        if (!route(m_edge[v], m_trips[v].destinationEdge, path)) continue;
        m_routeStart[v] = static_cast<std::uint32_t>(m_routePool.size());
        m_routeLen[v] = static_cast<std::uint32_t>(path.size());
        m_routeCursor[v] = 0;
        m_routePool.insert(m_routePool.end(), path.begin(), path.end());
        updateLaneReach(v);
    }
}

void TrafficEngine::computeAccelerations(std::uint32_t firstLane, std::uint32_t endLane, double& minGapM,
                                         std::size_t& overlaps) {
    const double len = m_p.idm.vehicleLengthM;
    for (std::uint32_t lane = firstLane; lane < endLane; ++lane) {
        const auto& vs = m_laneVeh[lane];
        for (std::size_t i = m_laneHead[lane]; i < vs.size(); ++i) {
            const std::uint32_t v = vs[i];
            if (i > m_laneHead[lane]) {
                const std::uint32_t leader = vs[i - 1];
                minGapM = std::min(minGapM, m_pos[leader] - len - m_pos[v]);
                m_accel[v] = accelerationOn(v, lane, leader);
            } else {
                double gap = kInf;
                m_accel[v] = accelerationOn(v, lane, kNoLane, &gap);
                if (gap < 0.0) ++overlaps;
            }
        }
    }
}

void TrafficEngine::accelerations() {
    const auto parts = static_cast<std::size_t>(std::max(1, m_p.threads));
    if (parts == 1) {
        computeAccelerations(0, static_cast<std::uint32_t>(m_g.laneCount), m_minGapSeenM, m_junctionOverlaps);
        return;
    }
    if (m_workers.empty()) {
        m_stepStart = std::make_unique<std::barrier<>>(static_cast<std::ptrdiff_t>(parts));
        m_stepDone = std::make_unique<std::barrier<>>(static_cast<std::ptrdiff_t>(parts));
        m_partBegin.assign(parts + 1, 0);
        m_partMinGapM.assign(parts, kInf);
        m_partOverlaps.assign(parts, 0);
        for (std::size_t w = 1; w < parts; ++w)
            m_workers.emplace_back([this, w] {
                while (true) {
                    m_stepStart->arrive_and_wait();
                    if (m_stopWorkers) return;
                    computeAccelerations(m_partBegin[w], m_partBegin[w + 1], m_partMinGapM[w],
                                         m_partOverlaps[w]);
                    m_stepDone->arrive_and_wait();
                }
            });
    }
    // Parts of about equal numbers of vehicles, whole lanes each.
    std::size_t vehicles = 0;
    for (std::uint32_t lane = 0; lane < m_g.laneCount; ++lane) vehicles += laneSize(lane);
    std::size_t part = 1, seen = 0;
    for (std::uint32_t lane = 0; lane < m_g.laneCount && part < parts; ++lane) {
        seen += laneSize(lane);
        if (seen * parts >= vehicles * part) m_partBegin[part++] = lane + 1;
    }
    for (; part <= parts; ++part) m_partBegin[part] = static_cast<std::uint32_t>(m_g.laneCount);
    m_partBegin[0] = 0;
    std::fill(m_partMinGapM.begin(), m_partMinGapM.end(), kInf);
    std::fill(m_partOverlaps.begin(), m_partOverlaps.end(), 0);
    m_stepStart->arrive_and_wait();
    computeAccelerations(m_partBegin[0], m_partBegin[1], m_partMinGapM[0], m_partOverlaps[0]);
    m_stepDone->arrive_and_wait();
    for (std::size_t w = 0; w < parts; ++w) {
        m_minGapSeenM = std::min(m_minGapSeenM, m_partMinGapM[w]);
        m_junctionOverlaps += m_partOverlaps[w];
    }
}

TrafficEngine::~TrafficEngine() {
    if (m_workers.empty()) return;
    m_stopWorkers = true;
    m_stepStart->arrive_and_wait();
    m_workers.clear();  // joins
}

void TrafficEngine::step() {
    recordFrameIfDue();
    const double dt = m_p.stepS;
    const double len = m_p.idm.vehicleLengthM;
    updateSignals();
    if (m_p.rerouteIntervalS > 0.0 && m_timeS >= m_nextRerouteS) {
        reroute();
        m_nextRerouteS += m_p.rerouteIntervalS;
    }
    insert();
    changeLanes();
    // 1. accelerations from the state at the start of the step
    accelerations();
    // Courtesy: a vehicle lets a neighbour that must change into its lane in ahead of it, when that
    // needs no more than comfortable braking.
    for (std::size_t i = 0; i + 1 < m_yieldTo.size(); i += 2) {
        const std::uint32_t n = m_yieldTo[i], c = m_yieldTo[i + 1];
        if (m_state[n] != Running || m_state[c] != Running || m_edge[n] != m_edge[c]) continue;
        const double gap = m_pos[c] - len - m_pos[n];
        if (gap <= 0.0) continue;
        const double a = idmAcceleration(m_p.idm, m_speed[n], desiredSpeed(n), gap, m_speed[c]);
        if (a >= -m_p.idm.comfortDecelMps2) m_accel[n] = std::min(m_accel[n], a);
    }
    m_yieldTo.clear();
    // 2. ballistic update, front to back, never past the leader's back
    const std::size_t iv = std::min(static_cast<std::size_t>(m_timeS / m_p.intervalS), m_intervals - 1);
    const std::size_t ivBase = iv * m_g.edgeCount();
    for (std::uint32_t lane = 0; lane < m_g.laneCount; ++lane) {
        const auto& vs = m_laneVeh[lane];
        for (std::size_t i = m_laneHead[lane]; i < vs.size(); ++i) {
            const std::uint32_t v = vs[i];
            const double speed = m_speed[v], a = m_accel[v];
            double next = speed + a * dt;
            double dx;
            if (next < 0.0) {
                dx = a < 0.0 ? -speed * speed / (2.0 * a) : 0.0;
                next = 0.0;
            } else {
                dx = 0.5 * (speed + next) * dt;
            }
            double pos = m_pos[v] + dx;
            if (i > m_laneHead[lane]) {
                const double limit = m_pos[vs[i - 1]] - len;
                if (pos > limit) {
                    ++m_laneClamps;
                    pos = std::max(m_pos[v], limit);
                    next = std::min(next, m_speed[vs[i - 1]]);
                }
            }
            const std::uint32_t e = m_edge[v];
            const double vFree = m_g.edgeSpeedMps[e];
            m_distSumM += pos - m_pos[v];
            m_drivenM[v] += pos - m_pos[v];
            m_timeSumS += dt;
            m_delaySumS += dt * std::max(0.0, 1.0 - next / vFree);
            m_co2G += next < kHaltingMps ? kIdleCo2GramsPerS * dt
                                         : co2GramsPerKm(next * 3.6) * (pos - m_pos[v]) / 1000.0;
            if (speed >= kHaltingMps && next < kHaltingMps) {
                ++m_stops;
                m_edgeStops[e] += 1.0;
            }
            m_pos[v] = pos;
            m_speed[v] = next;
            m_standingS[v] = next < kHaltingMps ? m_standingS[v] + dt : 0.0;
            if (m_standingS[v] >= m_p.gridlockS && m_gridlockFirstS < 0.0) m_gridlockFirstS = m_timeS;
            m_ivSpeedSum[ivBase + e] += next;
            m_ivVehSteps[ivBase + e] += 1.0;
            if (next < kHaltingMps) m_ivHalting[ivBase + e] += 1.0;
            m_updates += 1.0;
        }
    }
    // waiting vehicles are delayed too
    for (std::uint32_t e = 0; e < m_g.edgeCount(); ++e)
        m_delaySumS += dt * static_cast<double>(m_waitVeh[e].size() - m_waitHead[e]);
    // 3. transfers at the ends of edges, lanes in order
    for (std::uint32_t lane = 0; lane < m_g.laneCount; ++lane) {
        auto& vs = m_laneVeh[lane];
        auto& head = m_laneHead[lane];
        while (head < vs.size()) {
            const std::uint32_t v = vs[head];
            const std::uint32_t e = m_edge[v];
            if (m_pos[v] < m_g.edgeLengthM[e]) break;
            if (m_routeCursor[v] + 1 >= m_routeLen[v]) {
                m_state[v] = Arrived;
                ++m_arrived;
                --m_running;
                m_travelSumS += m_timeS + dt - m_insertS[v];
                m_arrivedDistM += m_drivenM[v];
                m_ivExits[ivBase + e] += 1.0;
                if (m_recordExits) m_exits.push_back({v, e, m_timeS + dt});
                ++head;
                continue;
            }
            const std::uint32_t next = m_routePool[m_routeStart[v] + m_routeCursor[v] + 1];
            // Of the links into next, the one onto the lane that reaches furthest along the route, then
            // the one with the most room.
            double* reach = &m_laneReachM[v * m_maxLanes];
            laneReach(v, m_routeCursor[v] + 1, reach);
            std::uint32_t link = kNoLane;
            double bestReach = -1.0, bestRoom = -kInf;
            for (std::uint32_t k = m_g.laneLinkStart[lane]; k < m_g.laneLinkStart[lane + 1]; ++k) {
                if (m_g.laneLinkToEdge[k] != next) continue;
                const std::uint32_t to = m_g.laneLinkToLane[k];
                const double r = reach[to - m_g.edgeFirstLane[next]];
                const double room = laneSize(to) == 0 ? kInf : m_pos[laneBack(to)];
                if (r > bestReach || (r == bestReach && room > bestRoom)) {
                    bestReach = r;
                    bestRoom = room;
                    link = k;
                }
            }
            if (link == kNoLane) updateLaneReach(v);  // still on this edge
            if (link == kNoLane) {  // a lane that does not lead there: stand at its end, wait to change
                ++m_wrongLaneStops;
                if (m_speed[v] >= kHaltingMps) {
                    ++m_stops;
                    m_edgeStops[e] += 1.0;
                }
                m_speed[v] = 0.0;  // where it is: pulling it back could put it into the one behind
                break;
            }
            const std::uint32_t target = m_g.laneLinkToLane[link];
            double pos = m_pos[v] - m_g.edgeLengthM[e];
            if (laneSize(target) > 0) {
                const std::uint32_t back = laneBack(target);
                const double limit = m_pos[back] - len;
                if (limit < 0.0) {       // no room: wait at the stop line
                    updateLaneReach(v);  // still on this edge
                    ++m_conflictStops;
                    if (m_speed[v] >= kHaltingMps) {
                        ++m_stops;
                        m_edgeStops[e] += 1.0;
                    }
                    m_speed[v] = 0.0;
                    break;
                }
                if (pos > limit) {
                    ++m_laneClamps;
                    pos = limit;
                    m_speed[v] = std::min(m_speed[v], m_speed[back]);
                }
            }
            m_ivExits[ivBase + e] += 1.0;
            if (m_recordExits) m_exits.push_back({v, e, m_timeS + dt});
            ++head;
            ++m_routeCursor[v];
            m_edge[v] = next;
            m_lane[v] = target;
            m_pos[v] = pos;
            m_capUntilM[v] = 0.5 * m_g.laneLinkViaM[link];
            m_capSpeedMps[v] = m_g.laneLinkSpeedMps[link];
            m_laneVeh[target].push_back(v);
        }
        if (head > 64 && head * 2 > vs.size()) {
            vs.erase(vs.begin(), vs.begin() + head);
            head = 0;
        }
    }
    m_timeS += dt;
    ++m_stepsDone;
}

void TrafficEngine::runUntil(double untilS) {
    const auto start = std::chrono::steady_clock::now();
    const double end = std::min(untilS, m_p.durationS);
    while (m_timeS < end - 1e-9) step();
    if (finished()) recordFrameIfDue();
    m_wallS += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::vector<std::pair<double, double>> TrafficEngine::laneVehicles(std::uint32_t lane) const {
    std::vector<std::pair<double, double>> out;
    for (std::size_t i = m_laneHead[lane]; i < m_laneVeh[lane].size(); ++i)
        out.emplace_back(m_pos[m_laneVeh[lane][i]], m_speed[m_laneVeh[lane][i]]);
    return out;
}

TrafficResult TrafficEngine::result() const {
    TrafficResult r;
    const std::size_t edges = m_g.edgeCount();
    const std::size_t links = m_g.linkDrivable.size();
    const std::size_t done =
        std::min(m_intervals, static_cast<std::size_t>(std::ceil(m_timeS / m_p.intervalS - 1e-9)));
    r.intervals = m_intervals;
    r.linkCount = links;
    const std::size_t cells = m_intervals * links;
    r.linkSpeedKmh.assign(cells, std::numeric_limits<double>::quiet_NaN());
    r.linkFlowVehH.assign(cells, 0.0);
    r.linkDensityVehKm.assign(cells, 0.0);
    r.linkQueueM.assign(cells, 0.0);
    const double stepsPerInterval = m_p.intervalS / m_p.stepS;
    std::vector<double> speedSum(links), vehSteps(links), halting(links), laneCount(links), lengthM(links),
        freeKmh(links);
    for (std::size_t iv = 0; iv < m_intervals; ++iv) {
        std::fill(speedSum.begin(), speedSum.end(), 0.0);
        std::fill(vehSteps.begin(), vehSteps.end(), 0.0);
        std::fill(halting.begin(), halting.end(), 0.0);
        std::fill(laneCount.begin(), laneCount.end(), 0.0);
        for (std::size_t e = 0; e < edges; ++e) {
            const std::size_t l = m_g.edgeLink[e];
            speedSum[l] += m_ivSpeedSum[iv * edges + e];
            vehSteps[l] += m_ivVehSteps[iv * edges + e];
            halting[l] += m_ivHalting[iv * edges + e];
            laneCount[l] += m_g.edgeLanes[e];
            lengthM[l] = m_g.edgeLengthM[e];
            freeKmh[l] = m_g.edgeSpeedMps[e] * 3.6;
            r.linkFlowVehH[iv * links + l] += m_ivExits[iv * edges + e] * 3600.0 / m_p.intervalS;
        }
        for (std::size_t l = 0; l < links; ++l) {
            if (!m_g.linkDrivable[l]) continue;
            const std::size_t c = iv * links + l;
            if (iv >= done) {
                r.linkSpeedKmh[c] = freeKmh[l];
                continue;
            }
            r.linkSpeedKmh[c] = vehSteps[l] > 0.0 ? 3.6 * speedSum[l] / vehSteps[l] : freeKmh[l];
            r.linkDensityVehKm[c] = vehSteps[l] / stepsPerInterval / (lengthM[l] / 1000.0);
            r.linkQueueM[c] = halting[l] / stepsPerInterval * (m_p.idm.vehicleLengthM + m_p.idm.minGapM) /
                              std::max(1.0, laneCount[l]);
        }
    }
    // Peak hour: the run of intervals covering an hour with the most vehicle-steps.
    const std::size_t window = std::max<std::size_t>(
        1, std::min(m_intervals, static_cast<std::size_t>(std::lround(3600.0 / m_p.intervalS))));
    std::size_t bestStart = 0;
    double bestSteps = -1.0;
    for (std::size_t s = 0; s + window <= m_intervals; ++s) {
        double total = 0.0;
        for (std::size_t iv = s; iv < s + window; ++iv)
            for (std::size_t e = 0; e < edges; ++e) total += m_ivVehSteps[iv * edges + e];
        if (total > bestSteps) {
            bestSteps = total;
            bestStart = s;
        }
    }
    std::fill(speedSum.begin(), speedSum.end(), 0.0);
    std::fill(vehSteps.begin(), vehSteps.end(), 0.0);
    r.edgePeakFlowVehH.assign(edges, 0.0);
    const double windowH = static_cast<double>(window) * m_p.intervalS / 3600.0;
    for (std::size_t iv = bestStart; iv < bestStart + window && iv < m_intervals; ++iv)
        for (std::size_t e = 0; e < edges; ++e) {
            speedSum[m_g.edgeLink[e]] += m_ivSpeedSum[iv * edges + e];
            vehSteps[m_g.edgeLink[e]] += m_ivVehSteps[iv * edges + e];
            r.edgePeakFlowVehH[e] += m_ivExits[iv * edges + e] / windowH;
        }
    std::size_t used = 0, slow = 0;
    for (std::size_t l = 0; l < links; ++l) {
        if (vehSteps[l] <= 0.0) continue;
        ++used;
        if (3.6 * speedSum[l] / vehSteps[l] < 20.0) ++slow;
    }
    r.shareLinksBelow20Kmh = used ? static_cast<double>(slow) / static_cast<double>(used) : 0.0;
    r.trips = m_trips.size();
    r.inserted = m_inserted;
    r.arrived = m_arrived;
    r.running = m_running;
    r.unroutable = m_unroutable;
    r.notInserted = m_trips.size() - m_inserted - m_unroutable;
    r.meanTravelTimeS = m_arrived ? m_travelSumS / static_cast<double>(m_arrived) : 0.0;
    r.meanTripKm = m_arrived ? m_arrivedDistM / 1000.0 / static_cast<double>(m_arrived) : 0.0;
    r.meanSpeedKmh = m_timeSumS > 0.0 ? 3.6 * m_distSumM / m_timeSumS : 0.0;
    r.totalDelayH = m_delaySumS / 3600.0;
    r.co2T = m_co2G / 1e6;
    r.vehicleUpdates = m_updates;
    r.wallS = m_wallS;
    r.vehicleUpdatesPerS = m_wallS > 0.0 ? m_updates / m_wallS : 0.0;
    for (std::size_t v = 0; v < m_trips.size(); ++v)
        if (m_state[v] == Running && m_standingS[v] >= m_p.gridlockS) ++r.gridlocked;
    r.gridlockFirstS = m_gridlockFirstS;
    r.conflictStops = m_conflictStops;
    r.laneClamps = m_laneClamps;
    r.junctionOverlaps = m_junctionOverlaps;
    r.laneChanges = m_laneChanges;
    r.mandatoryLaneChanges = m_mandatoryChanges;
    r.wrongLaneStops = m_wrongLaneStops;
    r.stops = m_stops;
    r.edgeStops = m_edgeStops;
    return r;
}

}  // namespace ut::traffic
