#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

#include "SumoReference.h"
#include "TestSupport.h"
#include "ut/app/ProjectLoader.h"
#include "ut/app/ProjectRun.h"
#include "ut/geodata/SumoNetLoader.h"
#include "ut/geodata/VectorLoader.h"
#include "ut/sim/PluginRegistry.h"
#include "ut/traffic/TrafficEngine.h"

using namespace ut;
using namespace ut::traffic;

namespace {
// tests/data/sumo/grid3.net.xml: netgenerate's 3 × 3 grid, 200 m blocks, two lanes, every junction a
// traffic light. The counts below (and the Jamsil ones) are Python xml.etree.ElementTree counts of the
// same files: edges without function="internal", their lanes, connections not from internal edges.
const QString kGrid = QStringLiteral("tests/data/sumo/grid3.net.xml");
const QString kGridRoutes = QStringLiteral("tests/data/sumo/grid3.rou.xml");
const QString kJamsil = QStringLiteral("/work/shared/data/korea/seoul_jamsil_osm_sumo/");

std::uint32_t edgeNamed(const LaneGraph& g, const RoadNetwork& roads, const std::string& id) {
    for (std::uint32_t e = 0; e < g.edgeCount(); ++e)
        if (roads.link(g.edgeLink[e]).id == id) return e;
    return LaneGraph::kNoEdge;
}

const SignalProgram* programNamed(const RoadNetwork& roads, const std::string& id) {
    for (const auto& program : roads.signalPrograms())
        if (program.id == id) return &program;
    return nullptr;
}
}  // namespace

class SumoImportTest : public QObject {
    Q_OBJECT

private slots:
    void gridNetworkLoads() {
        CityModel model;
        auto report = VectorLoader::load(test::sourcePath(kGrid).toStdString(), {}, model);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        QCOMPARE(report->driver, std::string("SUMO"));
        QCOMPARE(report->roadLinks, std::size_t(24));
        QCOMPARE(report->roadNodes, std::size_t(9));
        QCOMPARE(report->trafficSignals, std::size_t(9));
        QCOMPARE(report->skipReasons.at("internal edge"), std::size_t(52));
        QCOMPARE(model.roads.givenTurnCount(), std::size_t(68));  // lane-to-lane connections
        QCOMPARE(model.roads.turnCount(), std::size_t(44));       // distinct edge-to-edge turns
        QCOMPARE(report->largestComponentLinks, std::size_t(24));
        int lanes = 0;
        for (std::size_t l = 0; l < model.roads.linkCount(); ++l) lanes += model.roads.link(l).lanes;
        QCOMPARE(lanes, 48);
        // Unprojected net, no project CRS: net coordinates less the rounded centre (200, 200).
        QVERIFY(!model.frame.hasCrs());
        QCOMPARE(*model.frame.origin(), Eigen::Vector2d(200.0, 200.0));
        QVERIFY(model.roads.findNode({0.0, 0.0}).has_value());  // junction B1 at (200, 200)
        const RoadLink& link = model.roads.link(0);
        QCOMPARE(link.id, std::string("A0A1"));
        QVERIFY(link.oneWay);
        QCOMPARE(link.lanesForward, 2);
        QCOMPARE(link.speedLimitKmh, 13.89 * 3.6);
        QCOMPARE(link.lengthM, 200.0);  // junction to junction

        QCOMPARE(model.roads.signalPrograms().size(), std::size_t(9));
        const SignalProgram* b1 = programNamed(model.roads, "B1");
        QVERIFY(b1);
        QCOMPARE(b1->phases.size(), std::size_t(4));
        QCOMPARE(b1->cycleS(), 90.0);
        QCOMPARE(b1->phases[0].state, std::string("GGGgrrrrGGGgrrrr"));
        QCOMPARE(b1->phases[2].durationS, 42.0);
        QCOMPARE(b1->connections.size(), std::size_t(16));
        QVERIFY(
            std::all_of(b1->connectionKnown.begin(), b1->connectionKnown.end(), [](bool k) { return k; }));
    }

    // Lane-to-lane connections keep their way through the junction (SUMO's internal lanes: length,
    // slowest speed), the junction's right of way (the <request> of their internal lane) and state.
    void gridLaneTurnsKeepTheirJunctionDetails() {
        CityModel model;
        auto report = VectorLoader::load(test::sourcePath(kGrid).toStdString(), {}, model);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        auto linkNamed = [&](const std::string& id) {
            for (std::size_t l = 0; l < model.roads.linkCount(); ++l)
                if (model.roads.link(l).id == id) return directedLink(l, false);
            return DirectedLink(~DirectedLink{0});
        };
        auto turn = [&](const std::string& from, const std::string& to, int fromLane) {
            const DirectedLink f = linkNamed(from), t = linkNamed(to);
            for (const RoadNetwork::LaneTurn& lt : model.roads.givenLaneTurns())
                if (lt.from == f && lt.to == t && lt.fromLane == fromLane) return std::optional(lt);
            return std::optional<RoadNetwork::LaneTurn>();
        };
        // grid3.net.xml: <connection from="A0A1" to="A1A2" fromLane="0" via=":A1_7_0" state="O"/>,
        // lane :A1_7_0 20.80 m at 13.89 m/s, <request index="7" response="000000000">.
        const auto straight = turn("A0A1", "A1A2", 0);
        QVERIFY(straight);
        QCOMPARE(straight->viaLengthM, 20.80);
        QCOMPARE(straight->viaSpeedMps, 13.89);
        QCOMPARE(straight->junctionLink, 7);
        QCOMPARE(straight->response, std::string("000000000"));
        QCOMPARE(straight->state, 'O');
        // The left turn from B1A1 (lane 1) to A1A0 through :A1_5_0 (19.35 m, 9.26 m/s) yields to links
        // 0–2 and 7–8: <request index="5" response="110000111">.
        const auto left = turn("B1A1", "A1A0", 1);
        QVERIFY(left);
        QCOMPARE(left->viaLengthM, 19.35);
        QCOMPARE(left->viaSpeedMps, 9.26);
        QCOMPARE(left->junctionLink, 5);
        QCOMPARE(left->response, std::string("110000111"));
        QCOMPARE(left->state, 'o');
    }

    // A net whose request or link numbers are not numbers a junction can have: one line naming the
    // file, the line and the attribute, not a crash or a huge allocation.
    void brokenIndicesAreOneLineErrors() {
        QFile grid(test::sourcePath(kGrid));
        QVERIFY(grid.open(QIODevice::ReadOnly));
        const QByteArray text = grid.readAll();
        QTemporaryDir dir;
        const struct {
            QByteArray from, to, attribute;
        } cases[] = {{R"(<request index="1" )", R"(<request index="-1" )", "index \"-1\""},
                     {R"(<request index="1" )", R"(<request index="3e9" )", "index \"3e9\""},
                     {R"(linkIndex="0")", R"(linkIndex="2000000000")", "linkIndex \"2000000000\""},
                     {R"(fromLane="0")", R"(fromLane="x")", "fromLane \"x\""}};
        for (const auto& c : cases) {
            QVERIFY(text.contains(c.from));
            QByteArray broken = text;
            broken.replace(broken.indexOf(c.from), c.from.size(), c.to);
            const QString path = dir.filePath(QStringLiteral("broken.net.xml"));
            QFile out(path);
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
            out.write(broken);
            out.close();
            CityModel model;
            const auto report = VectorLoader::load(path.toStdString(), {}, model);
            QVERIFY(!report.ok());
            const QString error = QString::fromStdString(report.error());
            QVERIFY2(error.startsWith(path + QStringLiteral(": line ")) && error.contains(c.attribute) &&
                         !error.contains('\n'),
                     qPrintable(error));
        }
    }

    void routesRead() {
        auto routes = readSumoRoutes(test::sourcePath(kGridRoutes).toStdString());
        QVERIFY2(routes.ok(), routes.ok() ? "" : routes.error().c_str());
        // v0, v1, t0, 30 of f0 (number), 30 of f1 (360 veh/h for 300 s); "triggered" and p0 skipped
        QCOMPARE(routes->trips.size(), std::size_t(63));
        QCOMPARE(routes->skipReasons.at("departure not in seconds"), std::size_t(1));
        QCOMPARE(routes->skipReasons.at("probability flow"), std::size_t(1));
        const SumoTrip& v0 = routes->trips[0];
        QCOMPARE(v0.edges, (std::vector<std::string>{"A0A1", "A1B1", "B1C1", "C1C2"}));
        QCOMPARE(v0.from, std::string("A0A1"));
        QCOMPARE(routes->trips[1].edges, (std::vector<std::string>{"A1B1", "B1C1"}));  // route="westEast"
        QCOMPARE(routes->trips[2].from, std::string("A0B0"));
        QVERIFY(routes->trips[2].edges.empty());
        QCOMPARE(routes->trips[4].departS, 10.0);  // f0.1
        QCOMPARE(routes->trips[4].id, std::string("f0.1"));

        auto missing = readSumoRoutes("no/such.rou.xml");
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error(), std::string("no/such.rou.xml: no such file"));
    }

    void gridRunsItsProgramsAndRoutes() {
        CityModel model;
        QVERIFY(VectorLoader::load(test::sourcePath(kGrid).toStdString(), {}, model).ok());
        const LaneGraph g = buildLaneGraph(model.roads);
        QCOMPARE(g.edgeCount(), std::size_t(24));
        const auto plans = networkSignalPlans(g, model.roads, 90.0, 4.0);
        QCOMPARE(plans.size(), std::size_t(9));
        // At B1 the approach from the west (A1B1, connections 12-15) is red in phase 0 (0-42 s) and green in
        // phase 2 (45-87 s); the approach from the south (B0B1, connections 0-3) the other way round.
        const std::uint32_t west = edgeNamed(g, model.roads, "A1B1"),
                            south = edgeNamed(g, model.roads, "B0B1");
        const SignalPlan* b1 = nullptr;
        for (const auto& plan : plans)
            if (std::find(plan.incomingEdges.begin(), plan.incomingEdges.end(), west) !=
                plan.incomingEdges.end())
                b1 = &plan;
        QVERIFY(b1);
        QCOMPARE(b1->cycleS, 90.0);
        const auto indexOf = [&](std::uint32_t e) {
            return static_cast<std::size_t>(std::find(b1->incomingEdges.begin(), b1->incomingEdges.end(), e) -
                                            b1->incomingEdges.begin());
        };
        QVERIFY(!isEdgeGreen(*b1, indexOf(west), 10.0));
        QVERIFY(isEdgeGreen(*b1, indexOf(west), 50.0));
        QVERIFY(isEdgeGreen(*b1, indexOf(south), 10.0));
        QVERIFY(!isEdgeGreen(*b1, indexOf(south), 43.0));  // amber counts as red
        QVERIFY(!isEdgeGreen(*b1, indexOf(south), 50.0));
        QVERIFY(isEdgeGreen(*b1, indexOf(south), 100.0));  // next cycle

        auto routes = readSumoRoutes(test::sourcePath(kGridRoutes).toStdString());
        QVERIFY(routes.ok());
        SumoDemand demand = tripsFromSumo(g, model.roads, routes->trips);
        QCOMPARE(demand.trips.size(), std::size_t(63));
        QCOMPARE(demand.givenRoutes, std::size_t(32));  // v0, v1, f1
        QCOMPARE(demand.unknownEdges, std::size_t(0));
        QCOMPARE(demand.trips[0].route.size(), std::size_t(4));

        TrafficParameters p;
        p.durationS = 900.0;
        p.intervalS = 300.0;
        TrafficEngine engine(g, p, demand.trips, plans);
        engine.runUntil(p.durationS);
        const TrafficResult r = engine.result();
        QCOMPARE(r.unroutable, std::size_t(0));
        QCOMPARE(r.arrived, std::size_t(63));
        QCOMPARE(r.laneClamps, std::size_t(0));
        QVERIFY(engine.minGapSeenM() > 0.0);
        // 600 m through three signals at 50 km/h: 43 s free, plus the reds.
        QVERIFY2(r.meanTravelTimeS > 40.0 && r.meanTravelTimeS < 200.0,
                 QByteArray::number(r.meanTravelTimeS));
    }

    void routingTakesOnlyTheGivenTurns() {
        // The grid has no turnaround connections: from A0A1 back to A1A0 a vehicle goes round the block
        // through A2 (6 edges, 1.2 km), not back at A1 (0.4 km).
        CityModel model;
        QVERIFY(VectorLoader::load(test::sourcePath(kGrid).toStdString(), {}, model).ok());
        const LaneGraph g = buildLaneGraph(model.roads);
        QCOMPARE(g.turnEdges.size(), std::size_t(44));
        const std::uint32_t from = edgeNamed(g, model.roads, "A0A1"), to = edgeNamed(g, model.roads, "A1A0");
        TrafficParameters p;
        p.durationS = 600.0;
        p.intervalS = 300.0;
        TrafficEngine engine(g, p, {Trip{0.0, from, to}}, networkSignalPlans(g, model.roads, 90.0, 4.0));
        engine.runUntil(p.durationS);
        const TrafficResult r = engine.result();
        QCOMPARE(r.arrived, std::size_t(1));
        QVERIFY2(std::abs(r.meanTripKm - 1.2) < 0.02, QByteArray::number(r.meanTripKm));  // + the last step
    }

    void projectRunsTheSumoDemandThroughThePlugin() {
        auto project = app::readProject(test::sourcePath(QStringLiteral("tests/data/sumo/grid3.utwin")));
        QVERIFY2(project.ok(), project.ok() ? "" : project.error().c_str());
        const app::LoadedProject loaded = app::loadProject(project.value());
        QCOMPARE(loaded.model.roads.linkCount(), std::size_t(24));
        sim::PluginRegistry registry;
        registry.scan({test::binaryPath(QStringLiteral("lib/urbantwin/plugins"))});
        Feedback feedback;
        const app::RunOutcome outcome =
            app::runProject(loaded, registry, QStringLiteral("baseline"), feedback);
        QVERIFY2(!outcome.failure, outcome.failure ? qPrintable(outcome.failure->message) : "");
        QCOMPARE(outcome.results.kpi("traffic.trips")->value, 63.0);  // routes_path, relative to the project
        QCOMPARE(outcome.results.kpi("traffic.throughput_veh")->value, 63.0);
        QCOMPARE(outcome.results.kpi("traffic.signals")->value, 9.0);
        QCOMPARE(outcome.results.kpi("traffic.signal_cycle_mean_s")->value, 90.0);
    }

    void jamsilNetworkAndRoutes() {
        const QString net = kJamsil + QStringLiteral("asanH.net.xml");
        if (!QFileInfo::exists(net)) QSKIP("the Jamsil SUMO scenario is not in ../shared/data");
        CityModel model;
        auto report = VectorLoader::load(net.toStdString(), {}, model);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        // ElementTree: 1,206 normal edges, 42 of them without a lane open to passenger cars; 1,580 passenger
        // lanes; 3,507 connections between the kept edges (3,083 distinct edge pairs); 36 tlLogic.
        QCOMPARE(report->roadLinks, std::size_t(1164));
        QCOMPARE(report->skipReasons.at("edge closed to passenger cars"), std::size_t(42));
        int lanes = 0;
        for (std::size_t l = 0; l < model.roads.linkCount(); ++l) lanes += model.roads.link(l).lanes;
        QCOMPARE(lanes, 1580);
        QCOMPARE(model.roads.givenTurnCount(), std::size_t(3507));
        // Of the 36 tlLogic, 3583849869 controls only connections of edges closed to cars.
        QCOMPARE(model.roads.signalPrograms().size(), std::size_t(35));
        QCOMPARE(report->skipReasons.at("signal program controlling no kept edge"), std::size_t(1));
        QCOMPARE(model.frame.crs(), std::string("EPSG:32652"));
        const SignalProgram* first = programNamed(model.roads, "10833309607");
        QVERIFY(first);
        QCOMPARE(first->phases.size(), std::size_t(3));
        QCOMPARE(first->cycleS(), 90.0);
        QCOMPARE(first->phases[1].state, std::string("y"));

        const LaneGraph g = buildLaneGraph(model.roads);
        const auto plans = networkSignalPlans(g, model.roads, 90.0, 4.0);
        std::size_t programmed = 0;
        for (const auto& plan : plans) programmed += plan.programDurationS.empty() ? 0 : 1;
        QCOMPARE(programmed, std::size_t(35));
        auto routes = readSumoRoutes((kJamsil + QStringLiteral("asanH.rou.xml")).toStdString());
        QVERIFY(routes.ok());
        QCOMPARE(routes->trips.size(), std::size_t(661));  // 7 flows, 660 vehicles, and the ambulance
        SumoDemand demand = tripsFromSumo(g, model.roads, routes->trips);
        // The ambulance's route ends on -856525750, open to emergency vehicles only: dropped.
        QCOMPARE(demand.trips.size(), std::size_t(660));
        QCOMPARE(demand.unknownEdges, std::size_t(1));
        TrafficParameters p;
        p.durationS = 600.0;
        p.intervalS = 300.0;
        TrafficEngine engine(g, p, demand.trips, plans);
        engine.runUntil(p.durationS);
        const TrafficResult r = engine.result();
        qInfo(
            "Jamsil, SUMO routes, 600 s: %zu inserted, %zu arrived, %zu running, %zu unroutable, mean travel "
            "%.0f s, "
            "%zu lane clamps, smallest gap %.2f m",
            r.inserted, r.arrived, r.running, r.unroutable, r.meanTravelTimeS, r.laneClamps,
            engine.minGapSeenM());
        QCOMPARE(r.unroutable, std::size_t(0));
        QVERIFY(r.arrived > 300);
        // No collision: no vehicle ever overlaps the one ahead. A move cut short (a clamp) leaves them
        // bumper to bumper (gap 0); two happen where cars enter a lane across a junction.
        QVERIFY2(r.laneClamps < 20, QByteArray::number(static_cast<qulonglong>(r.laneClamps)));
        QVERIFY(engine.minGapSeenM() >= 0.0);
    }
    // docs/VALIDATION.md: mean travel time within 15 % of SUMO 1.15's on the same network and demand,
    // SUMO run here with the same IDM parameters (as urbantwin-bench traffic --routes).
    void jamsilMeanTravelTimeWithinFifteenPercentOfSumo() {
        const QString net = kJamsil + QStringLiteral("asanH.net.xml");
        if (!QFileInfo::exists(net)) QSKIP("the Jamsil SUMO scenario is not in ../shared/data");
        const QString sumo = QStandardPaths::findExecutable(QStringLiteral("sumo"));
        if (sumo.isEmpty()) QSKIP("sumo is not installed (scripts/install-deps.sh installs it)");
        CityModel model;
        QVERIFY(VectorLoader::load(net.toStdString(), {}, model).ok());
        const LaneGraph g = buildLaneGraph(model.roads);
        auto routes = readSumoRoutes((kJamsil + QStringLiteral("asanH.rou.xml")).toStdString());
        QVERIFY(routes.ok());
        const SumoDemand demand = tripsFromSumo(g, model.roads, routes->trips);
        TrafficParameters p;
        p.durationS = 3600.0;
        TrafficEngine engine(g, p, demand.trips,
                             networkSignalPlans(g, model.roads, p.signalCycleS, p.intergreenS));
        engine.runUntil(p.durationS);
        const TrafficResult ours = engine.result();

        for (const Trip& t : demand.trips) QVERIFY(t.route.empty());  // flows from/to: both sides route them
        const SumoRun sumoRun = runSumo(sumo, net, demand.trips, p, 1, [&](std::uint32_t e) {
            return model.roads.link(g.edgeLink[e]).id;
        });
        QVERIFY2(sumoRun.error.empty(), sumoRun.error.c_str());
        const double sumoSum = sumoRun.durationSum, sumoArrived = sumoRun.arrived;
        const double sumoMean = sumoSum / sumoArrived;
        qInfo(
            "Jamsil, same net and demand, 3,600 s: ours %.1f s (%zu arrived), SUMO %.1f s (%.0f arrived), "
            "ratio %.2f",
            ours.meanTravelTimeS, ours.arrived, sumoMean, sumoArrived, ours.meanTravelTimeS / sumoMean);
        QCOMPARE(ours.arrived, demand.trips.size());
        QCOMPARE(sumoArrived, static_cast<double>(demand.trips.size()));
        QVERIFY(ours.meanTravelTimeS > 0.85 * sumoMean);
        QVERIFY(ours.meanTravelTimeS < 1.15 * sumoMean);
    }
};

QTEST_GUILESS_MAIN(SumoImportTest)
#include "test_sumo_import.moc"
