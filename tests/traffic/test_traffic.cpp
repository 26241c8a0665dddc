#include <QtTest>
#include <cmath>

#include "TestSupport.h"
#include "ut/app/Project.h"
#include "ut/app/ProjectLoader.h"
#include "ut/geodata/GeographicConverter.h"
#include "ut/sim/PluginRegistry.h"
#include "ut/traffic/TrafficEngine.h"

using namespace ut;
using namespace ut::traffic;

namespace {
// A straight chain of one-way, one-lane links along x: node i at x = sum of the lengths before it.
RoadNetwork chain(const std::vector<double>& lengthsM, double speedKmh, int lanes = 1) {
    RoadNetwork roads;
    double x = 0.0;
    for (std::size_t i = 0; i < lengthsM.size(); ++i) {
        RoadLink link;
        link.id = QStringLiteral("l%1").arg(i).toStdString();
        link.roadClass = "primary";
        link.lanes = lanes;
        link.lanesForward = lanes;
        link.lanesBackward = 0;
        link.oneWay = true;
        link.speedLimitKmh = speedKmh;
        const std::vector<Eigen::Vector2d> line{{x, 0.0}, {x + lengthsM[i], 0.0}};
        roads.addLink(link, line);
        x += lengthsM[i];
    }
    return roads;
}

// Ballistic integration of one follower behind a car standing at standingAtM (front bumper).
struct Approach {
    double minGapM = 1e9;
    double minSpeedMps = 1e9;
    double finalGapM = 0.0;
    double finalSpeedMps = 0.0;
};
Approach approachStandingCar(const IdmParameters& p, double v0, double standingAtM, double dt) {
    Approach out;
    double x = 0.0, v = v0;
    for (int i = 0; i < static_cast<int>(600.0 / dt); ++i) {
        const double gap = standingAtM - p.vehicleLengthM - x;
        const double a = idmAcceleration(p, v, v0, gap, 0.0);
        double next = v + a * dt;
        if (next < 0.0) {
            x += a < 0.0 ? -v * v / (2.0 * a) : 0.0;
            next = 0.0;
        } else {
            x += 0.5 * (v + next) * dt;
        }
        v = next;
        out.minGapM = std::min(out.minGapM, standingAtM - p.vehicleLengthM - x);
        out.minSpeedMps = std::min(out.minSpeedMps, v);
    }
    out.finalGapM = standingAtM - p.vehicleLengthM - x;
    out.finalSpeedMps = v;
    return out;
}

// A one-way link from a to b with the given lanes.
void addOneWay(RoadNetwork& roads, const std::string& id, Eigen::Vector2d a, Eigen::Vector2d b, int lanes,
               double speedKmh = 50.0) {
    RoadLink link;
    link.id = id;
    link.roadClass = "primary";
    link.lanes = link.lanesForward = lanes;
    link.lanesBackward = 0;
    link.oneWay = true;
    link.speedLimitKmh = speedKmh;
    const std::vector<Eigen::Vector2d> line{a, b};
    roads.addLink(link, line);
}

std::uint32_t edgeOfLink(const LaneGraph& g, std::size_t link) {
    return g.edgeOfDirectedLink[directedLink(link, false)];
}

// Where lanes of edge e lead: per lane (from the right) the next edges.
std::vector<std::vector<std::uint32_t>> laneTargets(const LaneGraph& g, std::uint32_t e) {
    std::vector<std::vector<std::uint32_t>> out(static_cast<std::size_t>(g.edgeLanes[e]));
    for (int k = 0; k < g.edgeLanes[e]; ++k) {
        const std::uint32_t lane = g.edgeFirstLane[e] + static_cast<std::uint32_t>(k);
        for (std::uint32_t l = g.laneLinkStart[lane]; l < g.laneLinkStart[lane + 1]; ++l)
            out[static_cast<std::size_t>(k)].push_back(g.laneLinkToEdge[l]);
        std::sort(out[static_cast<std::size_t>(k)].begin(), out[static_cast<std::size_t>(k)].end());
        out[static_cast<std::size_t>(k)].erase(
            std::unique(out[static_cast<std::size_t>(k)].begin(), out[static_cast<std::size_t>(k)].end()),
            out[static_cast<std::size_t>(k)].end());
    }
    return out;
}

// A side road joins a three-lane road from the right onto its rightmost lane (a SUMO-style lane
// connection); 150 m on, the left turn leaves from the leftmost lane only. Links: S side road, M main
// road, A the weaving section, B straight on, L the left turn.
RoadNetwork weavingSection(double weaveM) {
    RoadNetwork roads;
    addOneWay(roads, "S", {0.0, -200.0}, {0.0, 0.0}, 1);
    addOneWay(roads, "M", {-300.0, 0.0}, {0.0, 0.0}, 3);
    addOneWay(roads, "A", {0.0, 0.0}, {weaveM, 0.0}, 3);
    addOneWay(roads, "B", {weaveM, 0.0}, {weaveM + 300.0, 0.0}, 3);
    addOneWay(roads, "L", {weaveM, 0.0}, {weaveM, 300.0}, 1);
    const auto turn = [&](std::size_t from, int fromLane, std::size_t to, int toLane) {
        roads.addGivenTurn(directedLink(from, false), directedLink(to, false));
        roads.addGivenLaneTurn(
            {directedLink(from, false), directedLink(to, false), fromLane, toLane, 0.0, 0.0, 'M'});
    };
    turn(0, 0, 2, 0);
    for (int k = 0; k < 3; ++k) turn(1, k, 2, k);
    for (int k = 0; k < 3; ++k) turn(2, k, 3, k);
    turn(2, 2, 4, 0);
    roads.updateConnectivity();
    return roads;
}

TrafficParameters quietParameters(double durationS) {
    TrafficParameters p;
    p.durationS = durationS;
    p.intervalS = 60.0;
    p.rerouteIntervalS = 0.0;
    return p;
}
}  // namespace

class TrafficTest : public QObject {
    Q_OBJECT
private slots:
    void laneLinksFollowTheTurn() {
        // A two-lane approach from the west to a junction: straight on east (two lanes), left north, right
        // south.
        RoadNetwork roads;
        addOneWay(roads, "W", {-200.0, 0.0}, {0.0, 0.0}, 2);
        addOneWay(roads, "E", {0.0, 0.0}, {200.0, 0.0}, 2);
        addOneWay(roads, "N", {0.0, 0.0}, {0.0, 200.0}, 1);
        addOneWay(roads, "S", {0.0, 0.0}, {0.0, -200.0}, 1);
        const LaneGraph g = buildLaneGraph(roads);
        const std::uint32_t w = edgeOfLink(g, 0), e = edgeOfLink(g, 1), n = edgeOfLink(g, 2),
                            south = edgeOfLink(g, 3);
        auto sorted = [](std::vector<std::uint32_t> v) {
            std::sort(v.begin(), v.end());
            return v;
        };
        const auto targets = laneTargets(g, w);
        QCOMPARE(targets.size(), std::size_t(2));
        QCOMPARE(targets[0], sorted({e, south}));  // right turns from the rightmost lane
        QCOMPARE(targets[1], sorted({e, n}));      // left turns from the leftmost
        // Onto the two-lane edge straight on: from each lane onto either lane.
        std::size_t intoEast = 0;
        for (std::uint32_t l = g.laneLinkStart[g.edgeFirstLane[w]];
             l < g.laneLinkStart[g.edgeFirstLane[w] + 2]; ++l)
            intoEast += g.laneLinkToEdge[l] == e ? 1 : 0;
        QCOMPARE(intoEast, std::size_t(4));

        // Given lane connections (SUMO) are taken as they are.
        const RoadNetwork weave = weavingSection(150.0);
        const LaneGraph wg = buildLaneGraph(weave);
        const auto side = laneTargets(wg, edgeOfLink(wg, 0));
        QCOMPARE(side[0], std::vector<std::uint32_t>{edgeOfLink(wg, 2)});
        QCOMPARE(wg.laneLinkToLane[wg.laneLinkStart[wg.edgeFirstLane[edgeOfLink(wg, 0)]]],
                 wg.edgeFirstLane[edgeOfLink(wg, 2)]);
        const auto weaving = laneTargets(wg, edgeOfLink(wg, 2));
        QCOMPARE(weaving[0], std::vector<std::uint32_t>{edgeOfLink(wg, 3)});
        QCOMPARE(weaving[2], sorted({edgeOfLink(wg, 3), edgeOfLink(wg, 4)}));
    }

    void mandatoryLaneChangesReachTheTurnLane() {
        // Vehicles from the side road enter the rightmost lane and must cross two lanes of through
        // traffic in 150 m to turn left; no teleport, no overlap, deterministic.
        const RoadNetwork roads = weavingSection(150.0);
        const LaneGraph g = buildLaneGraph(roads);
        std::vector<Trip> trips;
        std::size_t turning = 0;
        for (int i = 0; i < 600; ++i) {
            const double t = i * 1.0;
            if (i % 3 == 0) {
                trips.push_back({t, edgeOfLink(g, 0), edgeOfLink(g, 4), {}});
                ++turning;
            } else {
                trips.push_back({t, edgeOfLink(g, 1), edgeOfLink(g, 3), {}});
            }
        }
        auto run = [&](bool laneChanges) {
            TrafficParameters p = quietParameters(1500.0);
            p.laneChanges = laneChanges;
            TrafficEngine engine(g, p, trips, {});
            engine.runUntil(p.durationS);
            return std::make_pair(engine.result(), engine.minGapSeenM());
        };
        const auto [r, minGapM] = run(true);
        qInfo(
            "weaving: %zu of %zu arrived, %zu lane changes (%zu mandatory), %zu wrong-lane stops, mean "
            "travel %.1f s",
            r.arrived, r.trips, r.laneChanges, r.mandatoryLaneChanges, r.wrongLaneStops, r.meanTravelTimeS);
        QCOMPARE(r.inserted, trips.size());
        QCOMPARE(r.arrived, trips.size());  // the turning vehicles all got across
        QVERIFY(r.mandatoryLaneChanges >= 2 * turning);
        QVERIFY(minGapM >= 0.0);
        QCOMPARE(r.gridlocked, std::size_t(0));
        const auto [again, againGap] = run(true);
        QCOMPARE(again.meanTravelTimeS, r.meanTravelTimeS);
        QCOMPARE(again.laneChanges, r.laneChanges);
        QCOMPARE(againGap, minGapM);
        // Without lane changes the first turning vehicle stands at the end of the rightmost lane for good:
        // nobody is removed, the lane behind it jams.
        const auto [stuck, stuckGap] = run(false);
        QCOMPARE(stuck.laneChanges, std::size_t(0));
        QVERIFY(stuck.arrived < trips.size());
        QVERIFY(stuck.gridlocked > 0);
        QCOMPARE(stuck.inserted, stuck.arrived + stuck.running);
        QVERIFY(stuckGap >= 0.0);
    }

    void idmFreeRoadReachesDesiredSpeed() {
        for (double v0 : {8.0, 13.9, 22.2, 30.0})
            for (double a : {0.8, 1.5, 2.5})
                for (double delta : {2.0, 4.0}) {
                    IdmParameters p;
                    p.maxAccelMps2 = a;
                    p.exponent = delta;
                    double v = 0.0;
                    for (int i = 0; i < 2400; ++i) {
                        v = std::max(0.0, v + idmAcceleration(p, v, v0, 1e12, -1.0) * 0.5);
                        QVERIFY(v <= v0 + 1e-9);
                    }
                    QVERIFY2(std::abs(v - v0) < 0.02 * v0,
                             qPrintable(QStringLiteral("v0 %1 a %2: %3").arg(v0).arg(a).arg(v)));
                }
    }

    void idmStopsBehindAStandingCarOverAGrid() {
        // Never a negative speed, never a collision, and the follower ends standing near s0.
        for (double v0 : {8.0, 13.9, 22.2, 30.0})
            for (double T : {0.8, 1.5, 2.5})
                for (double b : {1.0, 2.0, 3.0})
                    for (double s0 : {1.0, 2.0, 4.0})
                        for (double dt : {0.1, 0.5, 1.0}) {
                            IdmParameters p;
                            p.timeHeadwayS = T;
                            p.comfortDecelMps2 = b;
                            p.minGapM = s0;
                            const Approach r = approachStandingCar(p, v0, 800.0, dt);
                            const QString where = QStringLiteral("v0 %1 T %2 b %3 s0 %4 dt %5")
                                                      .arg(v0)
                                                      .arg(T)
                                                      .arg(b)
                                                      .arg(s0)
                                                      .arg(dt);
                            QVERIFY2(r.minSpeedMps >= 0.0, qPrintable(where));
                            QVERIFY2(r.minGapM > 0.0, qPrintable(where));
                            QVERIFY2(r.finalSpeedMps < 0.01, qPrintable(where));
                            QVERIFY2(r.finalGapM > 0.5 * s0 && r.finalGapM < s0 + 0.5,
                                     qPrintable(where + QStringLiteral(" gap %1").arg(r.finalGapM)));
                        }
    }

    void singleLaneCapacityNearTheIdmValue() {
        // v0 = 30 m/s, T = 1.5 s, s0 = 2 m, length 5 m: about 1,800 veh/h at capacity.
        const RoadNetwork roads = chain({3000.0}, 108.0);
        const LaneGraph graph = buildLaneGraph(roads);
        QCOMPARE(graph.edgeCount(), std::size_t{1});
        std::vector<Trip> trips;
        for (int i = 0; i < 4000; ++i) trips.push_back({i * 0.9, 0, 0});  // 4,000 veh/h offered
        TrafficParameters p = quietParameters(1800.0);
        p.intervalS = 300.0;
        TrafficEngine engine(graph, p, trips, {});
        engine.runUntil(p.durationS);
        const TrafficResult r = engine.result();
        // Flow out of the link in the last interval, when the stream is established.
        const double flow = r.linkFlowVehH[(r.intervals - 1) * r.linkCount];
        qInfo("single-lane discharge flow at capacity: %.0f veh/h", flow);
        QVERIFY2(flow > 1600.0 && flow < 2200.0, qPrintable(QString::number(flow)));
        QCOMPARE(r.laneClamps, std::size_t{0});
        QVERIFY(engine.minGapSeenM() > 0.0);
        QCOMPARE(r.inserted, r.arrived + r.running);
    }

    void singleLaneCapacityOverAnIdmGrid() {
        // The IDM's steady state: s_e(v) = (s0 + vT) / sqrt(1 - (v/v0)^4), flow v / (s_e + length); its
        // highest value over v is the lane's capacity. The simulated discharge of an overloaded lane
        // should come within 10 % of it, without collision, for every combination.
        for (const double v0 : {15.0, 30.0})
            for (const double headway : {1.0, 1.5, 2.0})
                for (const double s0 : {2.0, 4.0}) {
                    IdmParameters idm;
                    idm.timeHeadwayS = headway;
                    idm.minGapM = s0;
                    double capacity = 0.0;
                    for (double v = 0.1; v < v0; v += 0.01) {
                        const double se = (s0 + v * headway) / std::sqrt(1.0 - std::pow(v / v0, 4.0));
                        capacity = std::max(capacity, 3600.0 * v / (se + idm.vehicleLengthM));
                    }
                    const RoadNetwork roads = chain({3000.0}, v0 * 3.6);
                    const LaneGraph graph = buildLaneGraph(roads);
                    std::vector<Trip> trips;
                    for (int i = 0; i < 4000; ++i) trips.push_back({i * 0.6, 0, 0});  // 6,000 veh/h offered
                    TrafficParameters p = quietParameters(2400.0);
                    p.intervalS = 600.0;
                    p.idm = idm;
                    TrafficEngine engine(graph, p, trips, {});
                    engine.runUntil(p.durationS);
                    const TrafficResult r = engine.result();
                    const double flow = r.linkFlowVehH[(r.intervals - 1) * r.linkCount];
                    const QString where =
                        QStringLiteral("v0 %1, T %2, s0 %3: simulated %4 veh/h, IDM capacity %5")
                            .arg(v0)
                            .arg(headway)
                            .arg(s0)
                            .arg(flow, 0, 'f', 0)
                            .arg(capacity, 0, 'f', 0);
                    qInfo("%s", qPrintable(where));
                    QVERIFY2(std::abs(flow - capacity) < 0.10 * capacity, qPrintable(where));
                    QVERIFY2(engine.minGapSeenM() > 0.0, qPrintable(where));
                    QCOMPARE(r.inserted, r.arrived + r.running);
                }
    }

    void vehiclesStopAtRedAndDischargeAtGreen() {
        // Link 0 (400 m) into a signal, then link 1 (400 m) to the destination.
        RoadNetwork roads = chain({400.0, 400.0}, 50.0);
        const auto signalNode = roads.findNode({400.0, 0.0});
        QVERIFY(signalNode);
        roads.setSignal(*signalNode, true);
        const LaneGraph graph = buildLaneGraph(roads);
        auto plans = defaultSignalPlans(graph, 60.0, 4.0);
        QCOMPARE(plans.size(), std::size_t{1});
        // One axis (a crossing on a straight road): the vehicles' phase and a 10 s pedestrian phase.
        QCOMPARE(plans[0].greenS, (std::vector<double>{42.0, 10.0}));
        // The only approach is phase 0; here green 0–26 s, red 26–60 s of every cycle.
        plans[0].greenS = {26.0, 26.0};
        std::vector<Trip> trips;
        for (int i = 0; i < 200; ++i) trips.push_back({i * 4.0, 0, 1});
        TrafficParameters p = quietParameters(600.0);
        TrafficEngine engine(graph, p, trips, plans);
        const std::uint32_t approachLane = graph.edgeFirstLane[0];
        const std::uint32_t exitLane = graph.edgeFirstLane[1];
        auto crossed = [&] { return engine.laneVehicles(exitLane).size() + engine.arrivedCount(); };
        for (int cycle = 1; cycle < 9; ++cycle) {
            const double start = 60.0 * cycle;
            engine.runUntil(start + 26.0 + 3.0);  // amber runners are through after 3 s
            const std::size_t atRed = crossed();
            engine.runUntil(start + 59.5);
            QCOMPARE(crossed(), atRed);  // nobody crosses at red
            const auto queue = engine.laneVehicles(approachLane);
            QVERIFY(queue.size() >= 5);
            QVERIFY(queue.front().second < 0.1);                   // the first car stands …
            QVERIFY(queue.front().first <= graph.edgeLengthM[0]);  // … at or before the stop line
            QVERIFY(queue.front().first > graph.edgeLengthM[0] - 3.0);
            engine.runUntil(start + 60.0 + 20.0);
            QVERIFY2(crossed() >= atRed + 6,
                     qPrintable(QString::number(crossed() - atRed)));  // green discharges the queue
        }
        QVERIFY(engine.minGapSeenM() > 0.0);
        const TrafficResult r = engine.result();
        QCOMPARE(r.laneClamps, std::size_t{0});
        QCOMPARE(r.inserted, r.arrived + r.running);
    }

    void minorRoadYieldsToTheMajorRoad() {
        // A T: the major road runs west–east through node (500, 0); a minor road joins from the south.
        auto build = [] {
            RoadNetwork roads;
            auto add = [&](const char* id, const char* roadClass, double kmh, Eigen::Vector2d a,
                           Eigen::Vector2d b) {
                RoadLink link;
                link.id = id;
                link.roadClass = roadClass;
                link.oneWay = true;
                link.lanes = link.lanesForward = 1;
                link.lanesBackward = 0;
                link.speedLimitKmh = kmh;
                roads.addLink(link, std::vector<Eigen::Vector2d>{a, b});
            };
            add("major-in", "primary", 60.0, {0.0, 0.0}, {500.0, 0.0});
            add("major-out", "primary", 60.0, {500.0, 0.0}, {1000.0, 0.0});
            add("minor-in", "residential", 30.0, {500.0, -300.0}, {500.0, 0.0});
            return roads;
        };
        const RoadNetwork roads = build();
        const LaneGraph graph = buildLaneGraph(roads);
        QCOMPARE(graph.edgeCount(), std::size_t{3});
        QVERIFY(graph.nodeJunction[graph.edgeTo[0]]);
        QVERIFY(graph.edgeRank[0] > graph.edgeRank[2]);
        auto tripsWith = [](double majorHeadwayS) {
            std::vector<Trip> trips;
            if (majorHeadwayS > 0.0)
                for (double t = 0.0; t < 600.0; t += majorHeadwayS) trips.push_back({t, 0, 1});
            for (double t = 100.0; t < 400.0; t += 30.0) trips.push_back({t, 2, 1});  // 10 minor trips
            return trips;
        };
        const TrafficParameters p = quietParameters(900.0);
        const std::uint32_t minorLane = graph.edgeFirstLane[2];
        // Free: the minor trips go straight through (300 m at 30 km/h, the turn, 500 m at 60 km/h).
        TrafficEngine freeRun(graph, p, tripsWith(0.0), {});
        freeRun.runUntil(p.durationS);
        const TrafficResult free = freeRun.result();
        QCOMPARE(free.arrived, std::size_t{10});
        QVERIFY2(free.meanTravelTimeS > 66.0 && free.meanTravelTimeS < 100.0,
                 qPrintable(QString::number(free.meanTravelTimeS)));
        // A major vehicle every 3 s (50 m apart) is never 4 s from the junction: the minor road
        // waits until the major stream ends at 600 s …
        TrafficEngine busyRun(graph, p, tripsWith(3.0), {});
        busyRun.runUntil(590.0);
        QCOMPARE(busyRun.laneVehicles(minorLane).size(), std::size_t{10});
        QCOMPARE(busyRun.laneVehicles(minorLane).front().second, 0.0);
        // … then clears.
        busyRun.runUntil(p.durationS);
        const TrafficResult busy = busyRun.result();
        QCOMPARE(busy.arrived, busy.trips);
        QVERIFY(busy.totalDelayH > free.totalDelayH + 10 * 150.0 / 3600.0);
        QCOMPARE(busy.laneClamps, std::size_t{0});
    }

    void gridlockIsReportedNotTeleported() {
        // A signal whose only approach never gets a green: vehicles queue and stay.
        RoadNetwork roads = chain({400.0, 400.0}, 50.0);
        roads.setSignal(*roads.findNode({400.0, 0.0}), true);
        const LaneGraph graph = buildLaneGraph(roads);
        auto plans = defaultSignalPlans(graph, 60.0, 4.0);
        plans[0].greenS = {0.0, 52.0};
        std::vector<Trip> trips;
        for (int i = 0; i < 30; ++i) trips.push_back({i * 5.0, 0, 1});
        TrafficParameters p = quietParameters(900.0);
        p.gridlockS = 300.0;
        TrafficEngine engine(graph, p, trips, plans);
        engine.runUntil(p.durationS);
        const TrafficResult r = engine.result();
        QCOMPARE(r.arrived, std::size_t{0});
        QCOMPARE(r.inserted, r.running);
        QVERIFY(r.gridlocked > 10);
        QVERIFY(r.gridlockFirstS > 300.0 && r.gridlockFirstS < 400.0);
        QCOMPARE(r.inserted, r.arrived + r.running);
    }

    void websterTextbookExample() {
        // q = 500 and 300 pcu/h, s = 1600 pcu/h, L = 16 s: Y = 0.5, C0 = (1.5·16 + 5)/(1 − 0.5) = 58 s,
        // effective greens (58 − 16) × 0.3125/0.5 = 26.25 s and × 0.1875/0.5 = 15.75 s.
        const std::vector<double> q{500.0, 300.0}, s{1600.0, 1600.0};
        const WebsterTiming t = websterTiming(q, s, 16.0);
        QCOMPARE(t.flowRatioSum, 0.5);
        QVERIFY(std::abs(t.cycleS - 58.0) < 1e-9);
        QCOMPARE(t.effectiveGreenS.size(), std::size_t{2});
        QVERIFY(std::abs(t.effectiveGreenS[0] - 26.25) < 1e-9);
        QVERIFY(std::abs(t.effectiveGreenS[1] - 15.75) < 1e-9);
        QVERIFY(!t.saturated);
        const std::vector<double> heavy{900.0, 700.0};
        const WebsterTiming over = websterTiming(heavy, s, 16.0);
        QVERIFY(over.saturated);
        QCOMPARE(over.cycleS, 120.0);
    }

    void greenWaveOffsetsAlongAStraightCorridor() {
        // Four signalised nodes 300 m apart (x = 300, 600, 900, 1200) on a straight 36 km/h road.
        RoadNetwork roads = chain({300.0, 300.0, 300.0, 300.0, 300.0}, 36.0);
        for (const double x : {300.0, 600.0, 900.0, 1200.0}) {
            const auto node = roads.findNode({x, 0.0});
            QVERIFY(node);
            roads.setSignal(*node, true);
        }
        const LaneGraph graph = buildLaneGraph(roads);
        const std::vector<std::uint32_t> corridor =
            corridorEdges(graph, roads, {"l0", "l1", "l2", "l3", "l4"});
        QCOMPARE(corridor.size(), std::size_t{5});
        for (std::size_t i = 0; i < corridor.size(); ++i)
            QCOMPARE(graph.edgeLink[corridor[i]], static_cast<std::uint32_t>(i));
        QVERIFY(corridorEdges(graph, roads, {"no such road"}).empty());

        const std::vector<SignalPlan> fixedPlans = defaultSignalPlans(graph, 60.0, 4.0);
        QCOMPARE(fixedPlans.size(), std::size_t{4});
        std::vector<SignalPlan> wavePlans = fixedPlans;
        // Progression at the links' limit, 36 km/h = 10 m/s: 300 m takes 30 s; cycle 60 s.
        const GreenWave wave = applyGreenWave(graph, wavePlans, corridor, 0.0);
        QCOMPARE(wave.nodes.size(), std::size_t{4});
        QCOMPARE(wave.cycleS, 60.0);
        const std::vector<double> expectedOffsetS{0.0, 30.0, 0.0, 30.0};
        for (std::size_t k = 0; k < 4; ++k) {
            QVERIFY(std::abs(wave.distanceM[k] - 300.0 * static_cast<double>(k)) < 1e-9);
            QVERIFY2(std::abs(wave.offsetS[k] - expectedOffsetS[k]) < 1e-9,
                     qPrintable(QString::number(wave.offsetS[k])));
            // The corridor's approach turns green at the offset (red just before it), every cycle.
            const SignalPlan& plan = wavePlans[k];
            QCOMPARE(plan.node, wave.nodes[k]);
            QCOMPARE(plan.incomingEdges.front(), corridor[k]);
            for (const double cycleStart : {0.0, 60.0, 600.0}) {
                QVERIFY(!isEdgeGreen(plan, 0, cycleStart + wave.offsetS[k] - 0.5));
                QVERIFY(isEdgeGreen(plan, 0, cycleStart + wave.offsetS[k] + 0.5));
            }
        }
        // At 54 km/h (15 m/s): 20, 40, 60 s → offsets 0, 20, 40, 0.
        {
            std::vector<SignalPlan> faster = fixedPlans;
            const GreenWave w = applyGreenWave(graph, faster, corridor, 15.0);
            const std::vector<double> expected{0.0, 20.0, 40.0, 0.0};
            for (std::size_t k = 0; k < 4; ++k) QVERIFY(std::abs(w.offsetS[k] - expected[k]) < 1e-9);
        }
        // A node with a longer cycle (80 s) sets the common cycle; the others are stretched to it:
        // offsets 0, 30, 60, 90 mod 80 = 10 s.
        {
            std::vector<SignalPlan> mixed = fixedPlans;
            mixed[2] = defaultSignalPlans(graph, 80.0, 4.0)[2];
            const GreenWave w = applyGreenWave(graph, mixed, corridor, 0.0);
            QCOMPARE(w.cycleS, 80.0);
            const std::vector<double> expected{0.0, 30.0, 60.0, 10.0};
            for (std::size_t k = 0; k < 4; ++k) {
                QVERIFY(std::abs(w.offsetS[k] - expected[k]) < 1e-9);
                QCOMPARE(mixed[k].cycleS, 80.0);
                QVERIFY(std::abs(mixed[k].greenS[0] + mixed[k].greenS[1] + 2.0 * mixed[k].intergreenS -
                                 80.0) < 1e-9);
                QVERIFY(!isEdgeGreen(mixed[k], 0, 800.0 + w.offsetS[k] - 0.5));
                QVERIFY(isEdgeGreen(mixed[k], 0, 800.0 + w.offsetS[k] + 0.5));
            }
        }

        // The same trips along the corridor under the green wave and under all offsets 0.
        std::vector<Trip> trips;
        for (int i = 0; i < 150; ++i) trips.push_back({i * 6.0, corridor.front(), corridor.back()});
        const TrafficParameters p = quietParameters(1500.0);
        TrafficEngine waveEngine(graph, p, trips, wavePlans);
        waveEngine.runUntil(p.durationS);
        TrafficEngine fixedEngine(graph, p, trips, fixedPlans);
        fixedEngine.runUntil(p.durationS);
        const TrafficResult withWave = waveEngine.result(), withoutWave = fixedEngine.result();
        QCOMPARE(withWave.arrived, trips.size());
        QCOMPARE(withoutWave.arrived, trips.size());
        const double stopsWith = static_cast<double>(withWave.stops) / static_cast<double>(trips.size());
        const double stopsWithout =
            static_cast<double>(withoutWave.stops) / static_cast<double>(trips.size());
        qInfo(
            "stops per vehicle %.2f with the green wave, %.2f with offsets 0; mean travel time %.1f s, %.1f "
            "s",
            stopsWith, stopsWithout, withWave.meanTravelTimeS, withoutWave.meanTravelTimeS);
        QVERIFY(stopsWith < stopsWithout);
        QVERIFY(withWave.meanTravelTimeS < withoutWave.meanTravelTimeS);
        double edgeStopsSum = 0.0;
        for (const double s : withoutWave.edgeStops) edgeStopsSum += s;
        QCOMPARE(edgeStopsSum, static_cast<double>(withoutWave.stops));
    }

    void demoCityIsDeterministicAndConservesVehicles() {
        auto project = app::readProject(test::sourcePath(QStringLiteral("data/demo/demo.utwin")));
        QVERIFY(project.ok());
        const app::LoadedProject loaded = app::loadProject(project.value());
        const LaneGraph graph = buildLaneGraph(loaded.model.roads);
        QVERIFY(graph.edgeCount() > 500);
        TrafficParameters p;
        p.durationS = 3600.0;
        p.peakTripsPerHour = 6000.0;
        double minGapM = 1e9;
        auto runOnce = [&](std::uint64_t seed) {
            p.seed = seed;
            TrafficEngine engine(graph, p, randomTrips(graph, p), defaultSignalPlans(graph, 90.0, 4.0));
            engine.runUntil(p.durationS);
            minGapM = std::min(minGapM, engine.minGapSeenM());
            return engine.result();
        };
        const TrafficResult a = runOnce(7), b = runOnce(7), c = runOnce(8);
        QVERIFY(minGapM >= 0.0);  // no vehicle overlaps the one ahead
        qInfo(
            "demo 1 h, 6000 veh/h peak: %zu trips, %zu arrived, mean travel %.1f s, %.1f km/h, clamps %zu, "
            "conflict stops %zu, junction overlaps %zu, lane changes %zu (%zu mandatory), %.0f updates/s",
            a.trips, a.arrived, a.meanTravelTimeS, a.meanSpeedKmh, a.laneClamps, a.conflictStops,
            a.junctionOverlaps, a.laneChanges, a.mandatoryLaneChanges, a.vehicleUpdatesPerS);
        QVERIFY(a.laneChanges > 0);
        QVERIFY(a.trips > 3000);
        QCOMPARE(a.meanTravelTimeS, b.meanTravelTimeS);
        QCOMPARE(a.totalDelayH, b.totalDelayH);
        QCOMPARE(a.co2T, b.co2T);
        QCOMPARE(a.arrived, b.arrived);
        QVERIFY(!a.linkSpeedKmh.empty());
        QVERIFY(std::equal(a.linkSpeedKmh.begin(), a.linkSpeedKmh.end(), b.linkSpeedKmh.begin(),
                           b.linkSpeedKmh.end(),
                           [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); }));
        QVERIFY(a.linkFlowVehH == b.linkFlowVehH);
        QVERIFY(a.meanTravelTimeS != c.meanTravelTimeS);
        // The same on 1 and N threads, bit for bit.
        for (const int threads : {2, 3}) {
            p.threads = threads;
            const TrafficResult t = runOnce(7);
            qInfo("on %d threads: %.0f updates/s", threads, t.vehicleUpdatesPerS);
            QCOMPARE(t.meanTravelTimeS, a.meanTravelTimeS);
            QCOMPARE(t.totalDelayH, a.totalDelayH);
            QCOMPARE(t.co2T, a.co2T);
            QCOMPARE(t.laneChanges, a.laneChanges);
            QCOMPARE(t.junctionOverlaps, a.junctionOverlaps);
            QVERIFY(t.linkFlowVehH == a.linkFlowVehH);
            QVERIFY(t.linkDensityVehKm == a.linkDensityVehKm);
        }
        p.threads = 1;
        for (const TrafficResult* r : {&a, &c}) {
            QCOMPARE(r->inserted, r->arrived + r->running);
            QCOMPARE(r->trips, r->inserted + r->notInserted + r->unroutable);
            QCOMPARE(r->unroutable, std::size_t{0});
            QVERIFY(r->arrived > r->trips / 2);
            QVERIFY(r->meanSpeedKmh > 5.0 && r->meanSpeedKmh < 80.0);
        }
    }

    void playbackPlacesTheVehiclesOnTheRoadOnTheirLinks() {
        auto project = app::readProject(test::sourcePath(QStringLiteral("data/demo/demo.utwin")));
        QVERIFY(project.ok());
        const app::LoadedProject loaded = app::loadProject(project.value());
        const RoadNetwork& roads = loaded.model.roads;
        const LaneGraph graph = buildLaneGraph(roads);
        TrafficParameters p;
        p.startHour = 7.75;
        p.durationS = 600.0;
        p.peakTripsPerHour = 6000.0;
        const double intervalS = 5.0;
        auto runOnce = [&](std::size_t maxPoses, std::vector<std::size_t>* runningAtFrames) {
            TrafficEngine engine(graph, p, randomTrips(graph, p), defaultSignalPlans(graph, 90.0, 4.0));
            engine.recordPlayback(roads, intervalS, maxPoses);
            for (double t = intervalS; t <= p.durationS + 1e-9; t += intervalS) {
                if (runningAtFrames) runningAtFrames->push_back(engine.runningCount());
                engine.runUntil(t);
            }
            if (runningAtFrames) runningAtFrames->push_back(engine.runningCount());
            return engine.takePlayback();
        };
        std::vector<std::size_t> running;
        const sim::VehiclePlayback a = runOnce(kDefaultPlaybackMaxPoses, &running);
        QCOMPARE(a.intervalS, intervalS);
        QVERIFY(!a.truncated);
        QCOMPARE(a.frameCount(), static_cast<std::size_t>(p.durationS / intervalS) + 1);
        QCOMPARE(a.frameCount(), running.size());
        for (std::size_t k = 0; k < a.frameCount(); ++k) QCOMPARE(a.frame(k).size(), running[k]);
        QVERIFY(a.frame(a.frameCount() - 1).size() > 200);

        // Each vehicle is on a drivable link's ribbon (within the half width of the lanes it has).
        std::vector<double> halfWidthM(roads.linkCount(), 0.0);
        for (std::size_t e = 0; e < graph.edgeCount(); ++e)
            halfWidthM[graph.edgeLink[e]] += 0.5 * kPlaybackLaneWidthM * graph.edgeLanes[e];
        auto outsideRoadsM = [&](const sim::VehiclePose& pose) {
            const Eigen::Vector2d at(pose.x, pose.y);
            double best = 1e9;
            for (std::size_t l = 0; l < roads.linkCount(); ++l) {
                if (!graph.linkDrivable[l]) continue;
                const auto line = roads.geometry(l);
                for (std::size_t i = 0; i + 1 < line.size(); ++i) {
                    const Eigen::Vector2d d = line[i + 1] - line[i];
                    const double t = d.squaredNorm() > 0.0
                                         ? std::clamp((at - line[i]).dot(d) / d.squaredNorm(), 0.0, 1.0)
                                         : 0.0;
                    best = std::min(best, (at - line[i] - t * d).norm() - halfWidthM[l]);
                }
            }
            return best;
        };
        const auto last = a.frame(a.frameCount() - 1);
        double worstM = -1e9;
        for (std::size_t i = 0; i < last.size(); i += 4) worstM = std::max(worstM, outsideRoadsM(last[i]));
        QVERIFY2(worstM <= 0.01, qPrintable(QString::number(worstM)));
        for (std::size_t k = 0; k < a.frameCount(); ++k) {
            const auto frame = a.frame(k);
            for (std::size_t i = 1; i < frame.size(); ++i) QVERIFY(frame[i - 1].vehicle < frame[i].vehicle);
        }

        // Moving vehicles move along their heading between frames.
        std::size_t checked = 0, along = 0;
        const auto before = a.frame(a.frameCount() - 2);
        for (const sim::VehiclePose& q : last) {
            auto it =
                std::lower_bound(before.begin(), before.end(), q.vehicle,
                                 [](const sim::VehiclePose& x, std::uint32_t v) { return x.vehicle < v; });
            if (it == before.end() || it->vehicle != q.vehicle || it->speedMps < 5.0 || q.speedMps < 5.0)
                continue;
            const Eigen::Vector2d step(q.x - it->x, q.y - it->y);
            ++checked;
            if (step.dot(Eigen::Vector2d(std::cos(it->headingRad), std::sin(it->headingRad))) > 0.0) ++along;
        }
        QVERIFY(checked > 50);
        QVERIFY2(along >= checked * 95 / 100, qPrintable(QStringLiteral("%1 of %2").arg(along).arg(checked)));

        const sim::VehiclePlayback again = runOnce(kDefaultPlaybackMaxPoses, nullptr);
        QVERIFY(again.frameBegin == a.frameBegin);
        QVERIFY(std::equal(a.poses.begin(), a.poses.end(), again.poses.begin(), again.poses.end(),
                           [](const sim::VehiclePose& x, const sim::VehiclePose& y) {
                               return x.vehicle == y.vehicle && x.x == y.x && x.y == y.y &&
                                      x.headingRad == y.headingRad && x.speedMps == y.speedMps;
                           }));

        const std::size_t cap = a.poses.size() / 3;
        const sim::VehiclePlayback capped = runOnce(cap, nullptr);
        QVERIFY(capped.truncated);
        QVERIFY(capped.poses.size() <= cap);
        QVERIFY(capped.frameCount() < a.frameCount());
        QVERIFY(std::equal(capped.frameBegin.begin(), capped.frameBegin.end(), a.frameBegin.begin()));
    }

    void odMatrixTripsFollowTheMatrixAndTheProfile() {
        // The demo city cut in a western and an eastern zone at the middle of its roads' extent.
        auto project = app::readProject(test::sourcePath(QStringLiteral("data/demo/demo.utwin")));
        QVERIFY(project.ok());
        const app::LoadedProject loaded = app::loadProject(project.value());
        const RoadNetwork& roads = loaded.model.roads;
        const LaneGraph graph = buildLaneGraph(roads);
        Eigen::AlignedBox2d box;
        for (std::size_t n = 0; n < roads.nodeCount(); ++n) box.extend(roads.node(n).position);
        const double midX = box.center().x();
        const std::vector<Eigen::Vector2d> west{{box.min().x() - 1, box.min().y() - 1},
                                                {midX, box.min().y() - 1},
                                                {midX, box.max().y() + 1},
                                                {box.min().x() - 1, box.max().y() + 1}};
        const std::vector<Eigen::Vector2d> east{{midX, box.min().y() - 1},
                                                {box.max().x() + 1, box.min().y() - 1},
                                                {box.max().x() + 1, box.max().y() + 1},
                                                {midX, box.max().y() + 1}};
        TrafficParameters p;
        p.startHour = 7.0;
        p.durationS = 7200.0;
        const std::vector<std::uint8_t> candidates = tripEdgeCandidates(graph, p);
        OdMatrix od;
        od.zoneIds = {"west", "east"};
        od.zoneEdges = {edgesInPolygon(graph, roads, west, candidates),
                        edgesInPolygon(graph, roads, east, candidates)};
        QVERIFY(od.zoneEdges[0].size() > 50 && od.zoneEdges[1].size() > 50);
        od.tripsPerHour = {0.0, 600.0, 200.0, 0.0};  // west → east 600/h, east → west 200/h
        od.hourlyProfile.assign(24, 0.0);
        od.hourlyProfile[7] = 0.5;
        od.hourlyProfile[8] = 1.0;
        const std::vector<Trip> trips = odTrips(graph, od, p);
        const auto inZone = [&](std::size_t z, std::uint32_t e) {
            return std::find(od.zoneEdges[z].begin(), od.zoneEdges[z].end(), e) != od.zoneEdges[z].end();
        };
        std::size_t westEast = 0, eastWest = 0, firstHour = 0, secondHour = 0;
        for (const Trip& t : trips) {
            const bool we = inZone(0, t.originEdge) && inZone(1, t.destinationEdge);
            const bool ew = inZone(1, t.originEdge) && inZone(0, t.destinationEdge);
            QVERIFY(we || ew);
            westEast += we;
            eastWest += ew;
            (t.departS < 3600.0 ? firstHour : secondHour) += 1;
        }
        qInfo("OD trips: west→east %zu (expected 900), east→west %zu (300), 07-08 h %zu, 08-09 h %zu",
              westEast, eastWest, firstHour, secondHour);
        // Poisson counts: within 4 standard deviations of the matrix × profile
        QVERIFY(std::abs(static_cast<double>(westEast) - 900.0) < 4.0 * std::sqrt(900.0));
        QVERIFY(std::abs(static_cast<double>(eastWest) - 300.0) < 4.0 * std::sqrt(300.0));
        QVERIFY(std::abs(static_cast<double>(firstHour) - 400.0) < 4.0 * std::sqrt(400.0));
        QVERIFY(std::abs(static_cast<double>(secondHour) - 800.0) < 4.0 * std::sqrt(800.0));
        // Seeded: the same seed gives the same trips, another seed others.
        const std::vector<Trip> again = odTrips(graph, od, p);
        QCOMPARE(again.size(), trips.size());
        for (std::size_t i = 0; i < trips.size(); ++i)
            QVERIFY(again[i].departS == trips[i].departS && again[i].originEdge == trips[i].originEdge &&
                    again[i].destinationEdge == trips[i].destinationEdge);
        TrafficParameters other = p;
        other.seed = 2;
        const std::vector<Trip> otherTrips = odTrips(graph, od, other);
        QVERIFY(otherTrips.size() != trips.size() || otherTrips.front().departS != trips.front().departS);
        // Without a profile the matrix is the 08:00 peak hour of the morning-peak profile.
        od.hourlyProfile.clear();
        QCOMPARE(od.profileAt(8.0), 1.0);
        QCOMPARE(od.profileAt(7.0), morningPeakProfile(7.0));
    }

    void pluginReadsAnOdMatrixFile() {
        sim::PluginRegistry registry;
        registry.scan({test::binaryPath(QStringLiteral("lib/urbantwin/plugins"))});
        const auto* entry = registry.find(QStringLiteral("traffic"));
        QVERIFY(entry);
        auto project = app::readProject(test::sourcePath(QStringLiteral("data/demo/demo.utwin")));
        QVERIFY(project.ok());
        const app::LoadedProject loaded = app::loadProject(project.value());
        const RoadNetwork& roads = loaded.model.roads;
        // Two zones as longitude/latitude polygons: the north and the south half of the roads' extent.
        Eigen::AlignedBox2d box;
        for (std::size_t n = 0; n < roads.nodeCount(); ++n) box.extend(roads.node(n).position);
        auto converter = GeographicConverter::create(loaded.model.frame);
        QVERIFY(converter.ok());
        const double midY = box.center().y();
        auto ring = [&](double y0, double y1) {
            QJsonArray out;
            for (const Eigen::Vector2d& q :
                 {Eigen::Vector2d(box.min().x() - 1, y0), Eigen::Vector2d(box.max().x() + 1, y0),
                  Eigen::Vector2d(box.max().x() + 1, y1), Eigen::Vector2d(box.min().x() - 1, y1)}) {
                const Eigen::Vector2d lonLat = converter->toLonLat(q);
                out.append(QJsonArray{lonLat.x(), lonLat.y()});
            }
            return out;
        };
        QTemporaryDir dir;
        auto write = [&](const QJsonObject& object) {
            QFile file(dir.filePath(QStringLiteral("od.json")));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QJsonDocument(object).toJson());
        };
        QJsonArray profile;
        for (int h = 0; h < 24; ++h) profile.append(h == 7 ? 1.0 : 0.2);
        QJsonObject od{{QStringLiteral("zones"),
                        QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("south")},
                                               {QStringLiteral("polygon"), ring(box.min().y() - 1, midY)}},
                                   QJsonObject{{QStringLiteral("id"), QStringLiteral("north")},
                                               {QStringLiteral("polygon"), ring(midY, box.max().y() + 1)}}}},
                       {QStringLiteral("trips_per_hour"),
                        QJsonObject{{QStringLiteral("south"), QJsonObject{{QStringLiteral("north"), 1500}}},
                                    {QStringLiteral("north"), QJsonObject{{QStringLiteral("south"), 500}}}}},
                       {QStringLiteral("profile"), profile}};
        write(od);
        auto prepare = [&](sim::Simulation& simulation) {
            sim::SimulationContext context;
            context.city = &loaded.model;
            context.parameters =
                entry->metadata
                    .resolveParameters({{QStringLiteral("duration_h"), 1.0},
                                        {QStringLiteral("od_path"), dir.filePath(QStringLiteral("od.json"))},
                                        {QStringLiteral("playback_interval_s"), 0}})
                    .value();
            return simulation.prepare(context);
        };
        auto created = registry.create(QStringLiteral("traffic"));
        QVERIFY(created.ok());
        auto simulation = std::move(created.value());
        const Status prepared = prepare(*simulation);
        QVERIFY2(prepared.ok(), prepared.ok() ? "" : prepared.error().c_str());
        Feedback feedback;
        for (std::size_t s = 0; s < simulation->stepCount(); ++s)
            QVERIFY(simulation->advance(s, feedback).ok());
        sim::ResultSet results;
        simulation->writeResults(results);
        const double trips = results.kpi("traffic.trips")->value;
        qInfo("OD matrix file: %.0f trips in 07:00-08:00 (expected 2000), %.0f arrived", trips,
              results.kpi("traffic.throughput_veh")->value);
        QVERIFY(std::abs(trips - 2000.0) < 4.0 * std::sqrt(2000.0));
        QCOMPARE(trips,
                 results.kpi("traffic.inserted_veh")->value + results.kpi("traffic.not_inserted_veh")->value);
        QVERIFY(results.kpi("traffic.throughput_veh")->value > 1000.0);

        // A matrix naming a zone the file does not define is refused with the file's name.
        od[QStringLiteral("trips_per_hour")] =
            QJsonObject{{QStringLiteral("south"), QJsonObject{{QStringLiteral("harbour"), 10}}}};
        write(od);
        auto again = registry.create(QStringLiteral("traffic"));
        const Status refused = prepare(*again.value());
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().find("od.json") != std::string::npos &&
                     refused.error().find("harbour") != std::string::npos,
                 refused.error().c_str());
        // Broken files are one-line errors naming the file, never a run of billions of trips.
        const QJsonObject goodMatrix{{QStringLiteral("south"), QJsonObject{{QStringLiteral("north"), 1500}}}};
        QJsonObject tooMany = od;
        tooMany[QStringLiteral("trips_per_hour")] =
            QJsonObject{{QStringLiteral("south"), QJsonObject{{QStringLiteral("north"), 1e12}}}};
        QJsonObject notARow = od;
        notARow[QStringLiteral("trips_per_hour")] = QJsonObject{{QStringLiteral("south"), 1500}};
        QJsonObject textPoint = od;
        QJsonArray zones = od[QStringLiteral("zones")].toArray();
        QJsonObject south = zones[0].toObject();
        south[QStringLiteral("polygon")] = QJsonArray{QJsonArray{QStringLiteral("a"), QStringLiteral("b")},
                                                      QJsonArray{1, 2}, QJsonArray{3, 4}};
        zones[0] = south;
        textPoint[QStringLiteral("zones")] = zones;
        textPoint[QStringLiteral("trips_per_hour")] = goodMatrix;
        for (const auto& [broken, expected] :
             std::vector<std::pair<QJsonObject, std::string>>{{tooMany, "busiest hour"},
                                                              {notARow, "is not an object"},
                                                              {textPoint, "polygon point"}}) {
            write(broken);
            auto next = registry.create(QStringLiteral("traffic"));
            const Status status = prepare(*next.value());
            QVERIFY(!status.ok());
            QVERIFY2(status.error().find("od.json") != std::string::npos &&
                         status.error().find(expected) != std::string::npos &&
                         status.error().find('\n') == std::string::npos,
                     status.error().c_str());
        }
        {
            QFile file(dir.filePath(QStringLiteral("od.json")));
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write("[1, 2, 3]");
        }
        auto array = registry.create(QStringLiteral("traffic"));
        const Status notObject = prepare(*array.value());
        QVERIFY2(!notObject.ok() && notObject.error().find("not an OD matrix") != std::string::npos,
                 notObject.ok() ? "" : notObject.error().c_str());
    }

    void pluginRunsOnTheDemoCityThroughTheRegistry() {
        sim::PluginRegistry registry;
        registry.scan({test::binaryPath(QStringLiteral("lib/urbantwin/plugins"))});
        const auto* entry = registry.find(QStringLiteral("traffic"));
        QVERIFY(entry);
        QVERIFY(entry->metadata.entityKinds == std::vector<sim::EntityKind>{sim::EntityKind::Link});
        auto project = app::readProject(test::sourcePath(QStringLiteral("data/demo/demo.utwin")));
        QVERIFY(project.ok());
        const app::LoadedProject loaded = app::loadProject(project.value());
        auto runWith = [&](const QVariantMap& given) {
            sim::SimulationContext context;
            context.city = &loaded.model;
            context.parameters = entry->metadata.resolveParameters(given).value();
            auto created = registry.create(QStringLiteral("traffic"));
            sim::ResultSet results;
            if (!created.ok()) return results;
            auto simulation = std::move(created.value());
            if (!simulation->prepare(context).ok()) return results;
            Feedback feedback;
            for (std::size_t s = 0; s < simulation->stepCount(); ++s)
                if (!simulation->advance(s, feedback).ok()) return results;
            simulation->writeResults(results);
            return results;
        };
        const QVariantMap given{{QStringLiteral("duration_h"), 1.0},
                                {QStringLiteral("peak_trips_per_hour"), 8000}};
        const sim::ResultSet fixed = runWith(given);
        const auto* speed = fixed.field("traffic.speed_kmh");
        QVERIFY(speed);
        QCOMPARE(speed->kind, sim::EntityKind::Link);
        QCOMPARE(speed->entityCount, loaded.model.roads.linkCount());
        QCOMPARE(speed->time.steps, std::size_t{12});
        QCOMPARE(speed->time.stepSeconds, 300);
        QCOMPARE(speed->time.start.time(), QTime(7, 0));
        for (const char* name : {"traffic.flow_veh_h", "traffic.density_veh_km", "traffic.queue_m"})
            QVERIFY(fixed.field(name) && fixed.field(name)->values.size() == speed->values.size());
        for (const char* name :
             {"traffic.mean_travel_time_s", "traffic.mean_speed_kmh", "traffic.total_delay_h",
              "traffic.throughput_veh", "traffic.vehicle_updates_per_s", "traffic.share_links_below_20kmh",
              "traffic.co2_t"})
            QVERIFY2(fixed.kpi(name), name);
        QVERIFY(fixed.kpi("traffic.throughput_veh")->value > 1000.0);
        const double share = fixed.kpi("traffic.share_links_below_20kmh")->value;
        QVERIFY(share >= 0.0 && share <= 1.0);
        QVERIFY(fixed.kpi("traffic.co2_t")->value > 0.0);
        QVERIFY(fixed.kpi("traffic.signals")->value >= 1.0);
        const sim::VehiclePlayback& playback = fixed.vehiclePlayback();
        QCOMPARE(playback.intervalS, 2.0);
        QCOMPARE(playback.frameCount(), std::size_t{1801});
        QCOMPARE(playback.start, speed->time.start);
        QVERIFY(!playback.truncated);
        qInfo("playback of 1 h at 8000 veh/h: %zu frames, %zu poses, %.1f MB", playback.frameCount(),
              playback.poses.size(), static_cast<double>(playback.memoryBytes()) / 1e6);
        QCOMPARE(playback.frame(playback.frameCount() - 1).size(),
                 static_cast<std::size_t>(fixed.kpi("traffic.running_veh")->value));

        QVariantMap retimed = given;
        retimed.insert(QStringLiteral("signal_timing"), QStringLiteral("webster"));
        const sim::ResultSet webster = runWith(retimed);
        QVERIFY(webster.kpi("traffic.signal_cycle_mean_s"));
        QVERIFY(webster.kpi("traffic.signal_cycle_mean_s")->value !=
                fixed.kpi("traffic.signal_cycle_mean_s")->value);
        QCOMPARE(webster.kpi("traffic.trips")->value, fixed.kpi("traffic.trips")->value);

        // A green wave along 올림픽로 on the re-timed plans (the demo's extract has one signal on it);
        // a road that is not there is an error (no results).
        QVariantMap wave = retimed;
        wave.insert(QStringLiteral("green_wave_corridor"), QStringLiteral("올림픽로"));
        const sim::ResultSet withWave = runWith(wave);
        QVERIFY(withWave.kpi("traffic.green_wave_nodes"));
        QVERIFY(withWave.kpi("traffic.green_wave_nodes")->value >= 1.0);
        QVERIFY(withWave.kpi("traffic.green_wave_corridor_stops"));
        QVERIFY(withWave.kpi("traffic.stops_per_vehicle"));
        QVariantMap unknown = given;
        unknown.insert(QStringLiteral("green_wave_corridor"), QStringLiteral("no such road"));
        QVERIFY(!runWith(unknown).kpi("traffic.trips"));
    }
};

QTEST_GUILESS_MAIN(TrafficTest)
#include "test_traffic.moc"
