#pragma once

#include <Eigen/Core>
#include <barrier>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "ut/geodata/RoadNetwork.h"
#include "ut/geodata/SumoNetLoader.h"
#include "ut/sim/VehiclePlayback.h"

namespace ut::traffic {

// Intelligent Driver Model (Treiber, Hennecke, Helbing 2000).
struct IdmParameters {
    double maxAccelMps2 = 1.5;      // a
    double comfortDecelMps2 = 2.0;  // b
    double timeHeadwayS = 1.5;      // T
    double minGapM = 2.0;           // s0
    double vehicleLengthM = 5.0;
    double exponent = 4.0;  // delta
};

// IDM acceleration, m/s². gapM is bumper to bumper; a negative leaderSpeedMps means no leader.
double idmAcceleration(const IdmParameters& p, double speedMps, double desiredSpeedMps, double gapM,
                       double leaderSpeedMps);

// Webster (1958): optimum cycle C0 = (1.5 L + 5) / (1 - Y) with Y = sum of critical flow ratios
// q/s, effective greens (C0 - L) split in proportion to q/s. The cycle is clamped to
// [minCycleS, maxCycleS]; saturated (Y >= 0.95) gives the maximum cycle.
struct WebsterTiming {
    double cycleS = 0.0;
    double flowRatioSum = 0.0;  // Y
    bool saturated = false;
    std::vector<double> effectiveGreenS;
};
WebsterTiming websterTiming(std::span<const double> criticalFlowPcuH,
                            std::span<const double> saturationFlowPcuH, double lostTimeS,
                            double minCycleS = 30.0, double maxCycleS = 120.0);

// Directed lane graph: each drivable link driven in its direction(s).
struct LaneGraph {
    std::size_t nodeCount = 0;
    std::vector<Eigen::Vector2d> nodePosition;
    std::vector<std::uint8_t> nodeSignal;
    std::vector<std::uint8_t> nodeJunction;  // three or more neighbouring nodes
    // per directed edge
    std::vector<std::uint32_t> edgeLink, edgeFrom, edgeTo;
    std::vector<std::uint8_t> edgeBackward;
    std::vector<int> edgeLanes;
    std::vector<double> edgeLengthM, edgeSpeedMps, edgeStartHeadingRad, edgeEndHeadingRad;
    std::vector<double> edgeRank;                   // junction priority: higher is the major road
    std::vector<std::uint32_t> edgeFirstLane;       // lanes of edge e: edgeFirstLane[e] … + edgeLanes[e]
    std::vector<std::uint32_t> outStart, outEdges;  // CSR: edges leaving node n
    std::vector<std::uint32_t> inStart, inEdges;    // CSR: edges entering node n
    std::size_t laneCount = 0;
    std::vector<std::uint8_t> linkDrivable;  // per RoadNetwork link
    // Per edge: in the road network's largest strongly connected component of links joined by turns
    // (RoadNetwork::updateConnectivity); all ones when the network's connectivity is not known.
    std::vector<std::uint8_t> edgeInTurnComponent;
    // Per RoadNetwork directed link (2 × links): its edge, or kNoEdge where it is not driven.
    std::vector<std::uint32_t> edgeOfDirectedLink;
    static constexpr std::uint32_t kNoEdge = UINT32_MAX;
    // Where the network's source lists its turns (SUMO connections: RoadNetwork::givenTurnCount), the
    // edges a vehicle on edge e may turn into: turnEdges[turnStart[e] … turnStart[e + 1]); routing then
    // searches over edges and turns. Empty otherwise (routing over nodes turns freely).
    std::vector<std::uint32_t> turnStart, turnEdges;
    std::vector<std::uint32_t> laneEdge;  // per lane its edge
    // Lane links: where a vehicle on lane l may go at the end of its edge, laneLinkStart[l] …
    // laneLinkStart[l + 1]: the next edge and the lane on it (absolute lane indices; lanes of an edge count
    // from the right). From the network's lane connections where it lists them (SUMO); otherwise by
    // rule — straight on (within 30°) from every lane, right turns from the rightmost lane, left turns
    // and U-turns from the leftmost (where nothing goes straight on, the right and left halves of the
    // lanes), onto every lane of the next edge. laneLinkSpeedMps is the speed through the junction: the
    // network's internal lane (SUMO limits it by the curve's radius), else turnSpeedMps; laneLinkViaM
    // the length of that way (0 where not known: a point junction); laneLinkState the right of way as
    // RoadNetwork::LaneTurn::state.
    std::vector<std::uint32_t> laneLinkStart, laneLinkToEdge, laneLinkToLane;
    std::vector<double> laneLinkSpeedMps, laneLinkViaM;
    std::vector<char> laneLinkState;
    std::vector<std::uint32_t> laneLinkFromLane;
    // Where the network gives the right of way per link (SUMO's junction requests): the lane links each
    // must let go first, laneLinkFoes[laneLinkFoeStart[k] … laneLinkFoeStart[k + 1]); laneLinkHasFoes[k]
    // says whether the network gave it (else the rules by state and road rank apply).
    std::vector<std::uint32_t> laneLinkFoeStart, laneLinkFoes;
    std::vector<std::uint8_t> laneLinkHasFoes;

    std::size_t edgeCount() const { return edgeLink.size(); }
};
bool isDrivableRoadClass(const std::string& roadClass);
// Speed at which a vehicle takes a turn of turnRad (0 straight on, pi a U-turn) from a road with the
// given limit: the limit up to 20°, 20 km/h at 90°, 12 km/h beyond.
double turnSpeedMps(double turnRad, double limitMps);
LaneGraph buildLaneGraph(const RoadNetwork& roads);

// A fixed-time plan at a signalised node: phases in order, each a green then an intergreen (amber
// and all-red, treated as red). edgePhase maps the node's incoming edges to a phase.
struct SignalPlan {
    std::uint32_t node = 0;
    double cycleS = 90.0;
    double offsetS = 0.0;
    double intergreenS = 4.0;
    std::vector<double> greenS;
    std::vector<std::uint32_t> incomingEdges;
    std::vector<int> edgePhase;  // parallel to incomingEdges
    // A program from the network's source (RoadNetwork::signalPrograms) runs instead of greenS and
    // edgePhase when programDurationS is not empty: per phase its duration and, for each incoming edge,
    // whether it is green (phases × incomingEdges). cycleS is the sum of the durations.
    std::vector<double> programDurationS;
    std::vector<std::uint8_t> programGreen;
    // Per turn (lane link of the lane graph) where the program says which lane goes where: its state
    // in each phase (phases × laneLinks; SUMO's characters: 'G' and 'O' (signal off) go, 'g', 's' and
    // 'o' go but yield, the rest red). Lane links of incomingEdges not listed here follow their edge.
    std::vector<std::uint32_t> laneLinks;
    std::vector<char> programLinkState;
};
// Two phases by approach axis (within 45° of the first approach or across it), equal greens; where
// all approaches share one axis (a pedestrian crossing) the second phase is a 10 s pedestrian green.
std::vector<SignalPlan> defaultSignalPlans(const LaneGraph& graph, double cycleS, double intergreenS);
bool isGreen(const SignalPlan& plan, int phase, double timeS);
// Whether incoming edge i of the plan (index into incomingEdges) has green at timeS, under either form.
bool isEdgeGreen(const SignalPlan& plan, std::size_t i, double timeS);
// The phase of a program (programDurationS not empty) at timeS.
std::size_t programPhaseAt(const SignalPlan& plan, double timeS);
// The network's own programs (SUMO tlLogic; the last one given for a signal wins): per lane link where
// the program's connections name the lanes (SignalPlan::programLinkState: 'G' and 'O' go, 'g', 's'
// and 'o' go but yield, the rest red), and per approach for the others (green when any of its
// connections goes). Then the default plans for the signalised nodes that no program controls.
std::vector<SignalPlan> networkSignalPlans(const LaneGraph& graph, const RoadNetwork& roads, double cycleS,
                                           double intergreenS);
// Webster timing for each plan from hourly flows per edge (veh/h); saturation flow per lane. Programs from
// the network's source are kept as they are.
std::vector<SignalPlan> websterSignalPlans(const LaneGraph& graph, const std::vector<SignalPlan>& plans,
                                           std::span<const double> edgeFlowVehH,
                                           double saturationPerLanePcuH = 1800.0);

// A corridor for a green wave: the directed edges of the links whose name or id is one of namesOrIds,
// chained in one direction (from each edge the straightest corridor edge onward, never back to the node
// it came from), the longest such chain; empty when no link matches.
std::vector<std::uint32_t> corridorEdges(const LaneGraph& graph, const RoadNetwork& roads,
                                         const std::vector<std::string>& namesOrIds);
// Green-wave offsets along a chain of edges: the signalised nodes the chain enters, in order, share a
// common cycle (the longest of their plans' cycles; the others are stretched to it in proportion) and the
// main direction's green (the phase of the chain's edge into the node) starts offsetS after the first
// node's, offsetS = (travel time from the first node) mod cycle. Travel time at progressionSpeedMps, or
// at each edge's speed limit when it is 0. The plans' offsetS are set so (first node's green at t = 0).
// With fewer than two such nodes the plans are left as they are.
struct GreenWave {
    double cycleS = 0.0;
    std::vector<std::uint32_t> nodes;  // signalised nodes along the corridor, in driving order
    std::vector<double> distanceM;     // along the corridor from the first node
    std::vector<double> travelS;       // at the progression speed from the first node
    std::vector<double> offsetS;       // the main direction's green start after the first node's, mod cycle
};
GreenWave applyGreenWave(const LaneGraph& graph, std::vector<SignalPlan>& plans,
                         std::span<const std::uint32_t> corridor, double progressionSpeedMps);
// When incoming edge i of the plan turns green, seconds into the plan's cycle (plan time, before offsetS):
// the start of its phase, or of the first program phase that is green after one that is not (0 if always).
double greenStartInCycleS(const SignalPlan& plan, std::size_t i);

struct Trip {
    double departS = 0.0;  // seconds after the start of the simulation
    std::uint32_t originEdge = 0;
    std::uint32_t destinationEdge = 0;
    // A route given with the demand (SUMO <route edges>), edges joined end to start: the vehicle follows
    // it and is not re-routed. Empty: routed on departure and re-routed.
    std::vector<std::uint32_t> route = {};
};

struct SumoDemand {
    std::vector<Trip> trips;
    std::size_t givenRoutes = 0;    // trips following their file's route
    std::size_t routedInstead = 0;  // a route with an edge not in the network or a gap: routed from/to
    std::size_t unknownEdges = 0;   // trips dropped: from or to not a drivable edge of the network
};
// Trips from a SUMO route file's vehicles and trips on a network loaded from the same SUMO net (edge
// ids are link ids, each edge a one-way link).
SumoDemand tripsFromSumo(const LaneGraph& graph, const RoadNetwork& roads,
                         const std::vector<SumoTrip>& sumoTrips);

// MOBIL lane changing (Kesting, Treiber, Helbing 2007): a vehicle changes to an adjacent lane when the
// new follower would not have to brake harder than safeDecelMps2 and
// a_c' - a_c + politeness (a_n' - a_n + a_o' - a_o) > thresholdMps2 (c the vehicle, n the new follower,
// o the old one; primes after the change, accelerations by the IDM). A vehicle on a lane that does not
// lead to its next edge changes towards one that does (mandatory) with the bias
// urgencyDistanceM / distance-to-the-end × comfortDecel added to its incentive, so that it takes any
// safe gap near the end; it stops at the end of the lane and waits for a gap if it finds none. Within
// the lanes that lead on it changes at will (discretionary).
struct MobilParameters {
    double politeness = 0.2;     // p
    double thresholdMps2 = 0.1;  // Δa_th
    double safeDecelMps2 = 4.0;  // b_safe
    double urgencyDistanceM = 100.0;
    double minGapM = 0.5;    // bumper to bumper, ahead and behind, for a change at all
    double cooldownS = 2.0;  // least time between two changes of a vehicle
};

struct TrafficParameters {
    std::uint64_t seed = 1;
    double startHour = 7.0;  // clock time of t = 0
    double durationS = 7200.0;
    double peakTripsPerHour = 3000.0;  // random trips at the height of the morning peak (08:00)
    double stepS = 0.5;
    double intervalS = 300.0;         // output time step
    double rerouteIntervalS = 300.0;  // 0: no re-routing
    double signalCycleS = 90.0;
    double intergreenS = 4.0;
    double gridlockS = 300.0;  // a vehicle standing this long counts as gridlocked
    double minTripEdgeLengthM = 30.0;
    IdmParameters idm;
    MobilParameters mobil;
    bool laneChanges = true;  // false: a vehicle keeps the lane it entered an edge on
    // The car-following accelerations of a step are computed on this many threads, each over its own
    // lanes from the state at the start of the step: the result is the same on any number.
    int threads = 1;
};

// Morning-peak time-of-day profile, 0…1 (1 at 08:00).
double morningPeakProfile(double clockHour);

// Random trips: departures a Poisson process with rate peakTripsPerHour × profile, origin and
// destination edges drawn uniformly from edges of the largest strongly connected part that are also in
// the road network's largest component of links joined by turns (edgeInTurnComponent).
std::vector<Trip> randomTrips(const LaneGraph& graph, const TrafficParameters& p);

// Edges trips may start and end on: in the largest strongly connected part of the lane graph and in the
// road network's largest component of links joined by turns, at least minTripEdgeLengthM long (where
// fewer than two edges qualify so, the turn condition is dropped).
std::vector<std::uint8_t> tripEdgeCandidates(const LaneGraph& graph, const TrafficParameters& p);

// Demand from an origin-destination matrix between zones, with a time-of-day profile.
struct OdMatrix {
    std::vector<std::string> zoneIds;
    std::vector<std::vector<std::uint32_t>> zoneEdges;  // per zone, the edges its trips start and end on
    std::vector<double> tripsPerHour;                   // zones × zones, origin-major, at profile factor 1
    // Factor of the matrix by clock hour (24 values, piecewise constant); empty: morningPeakProfile (the
    // matrix is the 08:00 peak hour).
    std::vector<double> hourlyProfile;
    double profileAt(double clockHour) const;
};
// The drivable edges whose midpoint lies inside the polygon (project frame), that trips can use
// (tripEdgeCandidates).
std::vector<std::uint32_t> edgesInPolygon(const LaneGraph& graph, const RoadNetwork& roads,
                                          std::span<const Eigen::Vector2d> polygon,
                                          std::span<const std::uint8_t> candidates);
// Trips from the matrix: a Poisson process per origin-destination pair with rate
// tripsPerHour[o][d] × profile(clock time) (seeded, thinned against the profile's highest factor), each
// trip from an edge drawn uniformly among its origin zone's to one of its destination zone's (another link).
std::vector<Trip> odTrips(const LaneGraph& graph, const OdMatrix& od, const TrafficParameters& p);

struct TrafficResult {
    std::size_t intervals = 0;
    std::size_t linkCount = 0;
    // time-major, intervals × links (both directions of a link together)
    std::vector<double> linkSpeedKmh, linkFlowVehH, linkDensityVehKm, linkQueueM;
    std::vector<double> edgePeakFlowVehH;  // busiest hour's flow out of each edge
    double meanTripKm = 0.0;               // distance driven by the trips that arrived, mean
    double meanTravelTimeS = 0.0, meanSpeedKmh = 0.0, totalDelayH = 0.0, co2T = 0.0;
    double shareLinksBelow20Kmh = 0.0, vehicleUpdatesPerS = 0.0, vehicleUpdates = 0.0, wallS = 0.0;
    std::size_t trips = 0, inserted = 0, arrived = 0, running = 0, notInserted = 0;
    std::size_t stops = 0;          // a running vehicle coming to a halt (< 0.1 m/s) from moving
    std::vector<double> edgeStops;  // per edge, the stops on it
    std::size_t gridlocked = 0;     // vehicles standing longer than gridlockS at the end
    double gridlockFirstS = -1.0;   // first time any vehicle stood longer than gridlockS
    std::size_t unroutable = 0;
    std::size_t conflictStops = 0;         // vehicle-steps held at a stop line: no room on the next lane
    std::size_t laneClamps = 0;            // moves cut short so as not to pass the vehicle ahead in a lane
    std::size_t junctionOverlaps = 0;      // vehicle-steps whose leader across a junction still overlaps it
                                           // (two approaches merging into one lane at a point junction)
    std::size_t laneChanges = 0;           // all lane changes
    std::size_t mandatoryLaneChanges = 0;  // of which towards the lanes that lead to the next edge
    std::size_t wrongLaneStops = 0;  // vehicle-steps standing at the end of a lane that does not lead on
};

// Width of one lane where vehicles are placed for playback (the road ribbons are drawn with it too).
constexpr double kPlaybackLaneWidthM = 3.2;
// At most this many vehicle poses are recorded for playback by default (20 bytes each: 80 MB).
constexpr std::size_t kDefaultPlaybackMaxPoses = 4'000'000;

// CO2 of a passenger car, g/km at an average speed (km/h), and idling, g/s. See docs/traffic.md.
double co2GramsPerKm(double speedKmh);
constexpr double kIdleCo2GramsPerS = 0.51;

class TrafficEngine {
public:
    TrafficEngine(const LaneGraph& graph, TrafficParameters p, std::vector<Trip> trips,
                  std::vector<SignalPlan> signalPlans);
    ~TrafficEngine();
    TrafficEngine(const TrafficEngine&) = delete;
    TrafficEngine& operator=(const TrafficEngine&) = delete;

    // Records where the vehicles on the road are every intervalS of simulated time (rounded to whole
    // steps; from t = 0, also at the end of the run) for playback, placed on the roads' geometry: the
    // middle of the vehicle on its lane's centre line, lanes 3.2 m wide, each direction to the right
    // of the link's centre line. Recording stops (truncated) before the poses would exceed maxPoses.
    // Call before running; roads must be the network the lane graph was built from.
    void recordPlayback(const RoadNetwork& roads, double intervalS,
                        std::size_t maxPoses = kDefaultPlaybackMaxPoses);
    const sim::VehiclePlayback& playback() const { return m_playback; }
    sim::VehiclePlayback takePlayback() { return std::move(m_playback); }
    // Where vehicle v is drawn now (it must be on the road).
    sim::VehiclePose poseOf(std::uint32_t v) const;

    // Advances until timeS() >= untilS (or the end of the run).
    void runUntil(double untilS);
    bool finished() const { return m_timeS >= m_p.durationS - 1e-9; }
    double timeS() const { return m_timeS; }
    TrafficResult result() const;

    // Inspection (tests)
    std::size_t runningCount() const { return m_running; }
    std::size_t insertedCount() const { return m_inserted; }
    std::size_t arrivedCount() const { return m_arrived; }
    std::size_t vehicleCount() const { return m_trips.size(); }
    // Running vehicles on a lane, front first: (position m, speed m/s).
    std::vector<std::pair<double, double>> laneVehicles(std::uint32_t lane) const;
    // Smallest bumper-to-bumper gap between successive vehicles of a lane seen so far (m).
    double minGapSeenM() const { return m_minGapSeenM; }
    const std::vector<SignalPlan>& signalPlans() const { return m_plans; }
    // Diagnostics: when on, every time a vehicle leaves an edge (to the next or by arriving) is kept as
    // (vehicle, edge, time s); vehicles are numbered in departure order (stable).
    struct EdgeExit {
        std::uint32_t vehicle, edge;
        double timeS;
    };
    void recordEdgeExits(bool on) { m_recordExits = on; }
    const std::vector<EdgeExit>& edgeExits() const { return m_exits; }
    double insertedAtS(std::uint32_t v) const { return m_insertS[v]; }

private:
    void step();
    void recordFrameIfDue();
    void insert();
    void updateSignals();
    void reroute();
    bool route(std::uint32_t fromEdge, std::uint32_t toEdge, std::vector<std::uint32_t>& out) const;
    bool routeByTurns(std::uint32_t fromEdge, std::uint32_t toEdge, std::vector<std::uint32_t>& out) const;
    // The lane link a vehicle on `lane` takes when it goes on to `next` (and then to `after`, kNoLane if
    // none): of those into next, one whose lane leads on to after, then the one with the most room;
    // kNoLane when the lane does not lead to next.
    std::uint32_t entryLink(std::uint32_t lane, std::uint32_t next, std::uint32_t after) const;
    bool mustYieldOnLink(std::uint32_t link, std::uint32_t edge) const;
    // The first lane link from lane into next, or kNoLane.
    std::uint32_t laneLinkTo(std::uint32_t lane, std::uint32_t next) const;
    std::uint32_t nextEdgeOf(std::uint32_t v) const {
        return m_routeCursor[v] + 1 < m_routeLen[v] ? m_routePool[m_routeStart[v] + m_routeCursor[v] + 1]
                                                    : kNoLane;
    }
    // Gap to what is ahead of a vehicle at position pos on lane (its own lane or an adjacent one of the same
    // edge) with no vehicle ahead of it on that lane: a stop line, or the last vehicle on the lane it will
    // enter, along its route.
    double leaderAhead(std::uint32_t v, std::uint32_t lane, double pos, double& leaderSpeed) const;
    // The vehicle's IDM acceleration on lane at its position, behind leader (kNoLane: look ahead along the
    // route), with the speed cap of the junction it is crossing or approaching.
    double accelerationOn(std::uint32_t v, std::uint32_t lane, std::uint32_t leader,
                          double* gapOut = nullptr) const;
    double desiredSpeed(std::uint32_t v) const;
    bool mustYield(std::uint32_t edge) const;
    void changeLanes();
    // IDM accelerations of the vehicles on lanes [firstLane, endLane), with the smallest gap seen and the
    // junction overlaps counted into the given totals.
    void computeAccelerations(std::uint32_t firstLane, std::uint32_t endLane, double& minGapM,
                              std::size_t& overlaps);
    void accelerations();  // all lanes, on m_p.threads threads
    // MOBIL's incentive (with the urgency bias when mandatory) for v to change to toLane now, or -inf when
    // the change is not safe. Where a mandatory change is blocked by the vehicle behind on toLane, that
    // vehicle is asked to let it in (m_yieldTo).
    double laneChangeIncentive(std::uint32_t v, std::uint32_t toLane, bool mandatory, double distanceToEndM);
    void moveToLane(std::uint32_t v, std::uint32_t toLane);
    // Strategic lane choice (as SUMO's best lanes): for each lane of the edge at route index `cursor` of
    // vehicle v, how far from the edge's start the vehicle can follow its route without changing lanes,
    // looking kReachHorizonM ahead (beyond it, or at the destination, every lane counts as going on).
    void laneReach(std::uint32_t v, std::uint32_t cursor, double* reachM) const;
    void updateLaneReach(std::uint32_t v) { laneReach(v, m_routeCursor[v], &m_laneReachM[v * m_maxLanes]); }
    double reachOf(std::uint32_t v, std::uint32_t lane) const {
        return m_laneReachM[v * m_maxLanes + (lane - m_g.edgeFirstLane[m_edge[v]])];
    }
    // The lane of v's edge nearest to `lane` with the longest reach (lane itself when it has it).
    std::uint32_t strategicLane(std::uint32_t v, std::uint32_t lane) const;
    // Index in m_laneVeh[lane] of the first vehicle behind pos (the end when none).
    std::size_t firstBehind(std::uint32_t lane, double pos) const;
    // Where vehicle v stands in its lane's list (found by its position, the list falling from the head).
    std::size_t indexInLane(std::uint32_t v) const;
    static constexpr std::uint32_t kNoLane = UINT32_MAX;
    std::uint32_t laneSize(std::uint32_t lane) const {
        return static_cast<std::uint32_t>(m_laneVeh[lane].size() - m_laneHead[lane]);
    }
    std::uint32_t laneBack(std::uint32_t lane) const { return m_laneVeh[lane].back(); }
    std::uint32_t laneFront(std::uint32_t lane) const { return m_laneVeh[lane][m_laneHead[lane]]; }

    const LaneGraph& m_g;
    TrafficParameters m_p;
    std::vector<Trip> m_trips;
    std::vector<SignalPlan> m_plans;
    double m_timeS = 0.0;
    std::size_t m_nextTrip = 0;

    // per vehicle (trip index)
    enum : std::uint8_t { Pending = 0, Waiting = 1, Running = 2, Arrived = 3 };
    std::vector<std::uint8_t> m_state;
    std::vector<std::uint32_t> m_edge, m_lane, m_routeStart, m_routeLen, m_routeCursor;
    std::vector<double> m_pos, m_speed, m_accel, m_insertS, m_standingS, m_drivenM;
    std::vector<std::uint32_t> m_routePool;

    // per lane: vehicles front first, from m_laneHead on
    std::vector<std::vector<std::uint32_t>> m_laneVeh;
    std::vector<std::uint32_t> m_laneHead;
    // per edge: vehicles waiting to enter, FIFO
    std::vector<std::vector<std::uint32_t>> m_waitVeh;
    std::vector<std::uint32_t> m_waitHead;
    std::vector<std::uint8_t> m_edgeGreen;
    std::vector<std::uint8_t> m_laneLinkGreen;            // per lane link: 0 red, 1 green, 2 green but yields
    std::vector<std::uint8_t> m_laneLinkCrossesOncoming;  // per lane link: a left turn or U-turn
    std::vector<double> m_lastChangeS, m_capUntilM, m_capSpeedMps;  // per vehicle
    // Vehicles that let a neighbour in ahead of them this step (the neighbour waits to change into their
    // lane)
    std::vector<std::uint32_t> m_yieldTo;
    std::vector<std::uint32_t> m_changeOrder;  // scratch
    std::size_t m_maxLanes = 1;
    std::vector<double> m_laneReachM;  // vehicles × m_maxLanes, for the edge the vehicle is on
    bool m_recordExits = false;
    std::vector<EdgeExit> m_exits;

    // Worker threads for the accelerations (threads - 1 of them; the calling thread does the first part):
    // each step they start at m_stepStart, compute their lanes, and meet at m_stepDone.
    std::unique_ptr<std::barrier<>> m_stepStart, m_stepDone;
    std::vector<std::uint32_t> m_partBegin;  // lane boundaries of the parts, threads + 1
    std::vector<double> m_partMinGapM;
    std::vector<std::size_t> m_partOverlaps;
    bool m_stopWorkers = false;
    std::vector<std::jthread> m_workers;
    std::vector<double> m_edgeTravelS;  // current travel times for routing

    // statistics
    std::vector<double> m_edgeStops;
    std::size_t m_running = 0, m_inserted = 0, m_arrived = 0, m_unroutable = 0, m_conflictStops = 0,
                m_laneClamps = 0, m_junctionOverlaps = 0, m_stops = 0, m_laneChanges = 0,
                m_mandatoryChanges = 0, m_wrongLaneStops = 0;
    double m_travelSumS = 0.0, m_arrivedDistM = 0.0, m_distSumM = 0.0, m_timeSumS = 0.0, m_delaySumS = 0.0,
           m_co2G = 0.0;
    double m_updates = 0.0, m_wallS = 0.0, m_minGapSeenM = 1e9, m_gridlockFirstS = -1.0;
    std::vector<double> m_ivSpeedSum, m_ivVehSteps, m_ivHalting, m_ivExits;  // intervals × edges
    std::size_t m_intervals = 0;
    double m_nextRerouteS = 0.0;

    // playback: per edge its polyline in the driving direction (shapeBegin[e] … shapeBegin[e + 1]),
    // the distance along it at each vertex, and where its lane 0 lies right of the link's centre line
    sim::VehiclePlayback m_playback;
    std::size_t m_playbackMaxPoses = 0;
    std::uint64_t m_playbackEverySteps = 0, m_stepsDone = 0;
    std::vector<std::uint32_t> m_shapeBegin;
    std::vector<Eigen::Vector2d> m_shapePoints;
    std::vector<double> m_shapeDistanceM, m_laneZeroOffsetM;
};

}  // namespace ut::traffic
