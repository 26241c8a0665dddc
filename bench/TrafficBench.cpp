// urbantwin-bench traffic [--osm FILE.osm.pbf] [--net NET.net.xml] [--peak TRIPS_PER_H] [--duration-s S]
//                         [--seed N] [--sumo PROGRAM | --sumo NET.net.xml ROUTES.rou.xml] [--osm-signals]
//                         [--routes ROUTES.rou.xml | --routes random] [--diagnose DIR]
// The traffic engine and SUMO on the same OSM extract and the same trips, in the same run: our engine
// drives the CityModel's network built from the extract, SUMO the .net.xml netconvert/netedit built
// from the same extract. Trips are drawn on our network and mapped to SUMO edges by position and
// heading; trips without a match on either side are dropped from both.
// With --routes both drive the .net.xml itself (ours through SumoNetLoader, with its signal programs) and
// the route file's vehicles, trips and flows (readSumoRoutes), written back for SUMO with the same IDM vType;
// "--routes random" draws our seeded morning-peak random trips (--peak per hour) on the net instead.
// --diagnose DIR keeps SUMO's files there with its per-edge exit times and writes ours beside them.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>

#include "BenchSupport.h"
#include "SumoReference.h"
#include "ut/geodata/SumoNetLoader.h"
#include "ut/geodata/VectorLoader.h"
#include "ut/traffic/TrafficEngine.h"

namespace ut::bench {

namespace {

using traffic::runSumo;
using traffic::SumoRun;
struct SumoEdge {
    QString id;
    Eigen::Vector2d mid;
    double headingRad = 0.0;
};

Eigen::Vector2d midpointAndHeading(const std::vector<Eigen::Vector2d>& line, double& headingRad) {
    double total = 0.0;
    for (std::size_t i = 1; i < line.size(); ++i) total += (line[i] - line[i - 1]).norm();
    double walked = 0.0;
    for (std::size_t i = 1; i < line.size(); ++i) {
        const double piece = (line[i] - line[i - 1]).norm();
        if (walked + piece >= 0.5 * total && piece > 0.0) {
            const Eigen::Vector2d d = line[i] - line[i - 1];
            headingRad = std::atan2(d.y(), d.x());
            return line[i - 1] + d * ((0.5 * total - walked) / piece);
        }
        walked += piece;
    }
    headingRad = 0.0;
    return line.empty() ? Eigen::Vector2d(0, 0) : line.front();
}

std::vector<Eigen::Vector2d> parseShape(const QString& shape, const Eigen::Vector2d& offset) {
    std::vector<Eigen::Vector2d> out;
    for (const QString& pair : shape.split(' ', Qt::SkipEmptyParts)) {
        const QStringList xy = pair.split(',');
        if (xy.size() >= 2) out.emplace_back(xy[0].toDouble() - offset.x(), xy[1].toDouble() - offset.y());
    }
    return out;
}

// Normal edges of a SUMO network with their midpoints in UTM (net coordinates minus netOffset), and
// the positions of its traffic-light junctions.
std::vector<SumoEdge> readSumoEdges(const QString& path, QString& error,
                                    std::vector<Eigen::Vector2d>& lights) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = path + QStringLiteral(": cannot open");
        return {};
    }
    QXmlStreamReader xml(&file);
    Eigen::Vector2d offset(0, 0);
    std::vector<SumoEdge> edges;
    QString currentId;
    bool firstLane = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) continue;
        const auto name = xml.name();
        const auto attributes = xml.attributes();
        if (name == QStringLiteral("location")) {
            const QStringList o = attributes.value(QStringLiteral("netOffset")).toString().split(',');
            if (o.size() == 2) offset = {o[0].toDouble(), o[1].toDouble()};
        } else if (name == QStringLiteral("junction") &&
                   attributes.value(QStringLiteral("type")) == QStringLiteral("traffic_light")) {
            lights.emplace_back(attributes.value(QStringLiteral("x")).toDouble() - offset.x(),
                                attributes.value(QStringLiteral("y")).toDouble() - offset.y());
        } else if (name == QStringLiteral("edge")) {
            currentId.clear();
            if (attributes.hasAttribute(QStringLiteral("function"))) continue;  // internal, walking areas …
            currentId = attributes.value(QStringLiteral("id")).toString();
            firstLane = true;
            if (attributes.hasAttribute(QStringLiteral("shape"))) {
                SumoEdge e{currentId, {}, 0.0};
                e.mid = midpointAndHeading(
                    parseShape(attributes.value(QStringLiteral("shape")).toString(), offset), e.headingRad);
                edges.push_back(e);
                firstLane = false;
            }
        } else if (name == QStringLiteral("lane") && !currentId.isEmpty() && firstLane) {
            const QString allow = attributes.value(QStringLiteral("allow")).toString();
            const QString disallow = attributes.value(QStringLiteral("disallow")).toString();
            if ((!allow.isEmpty() && !allow.contains(QStringLiteral("passenger"))) ||
                disallow.contains(QStringLiteral("passenger"))) {
                currentId.clear();
                continue;
            }
            SumoEdge e{currentId, {}, 0.0};
            e.mid = midpointAndHeading(
                parseShape(attributes.value(QStringLiteral("shape")).toString(), offset), e.headingRad);
            edges.push_back(e);
            firstLane = false;
        }
    }
    if (xml.hasError()) error = path + QStringLiteral(": ") + xml.errorString();
    return edges;
}

QJsonObject comparison(const traffic::TrafficResult& ours, const SumoRun& anchor, double seconds,
                       const traffic::TrafficParameters& p) {
    const double anchorMeanTravel = anchor.arrived > 0 ? anchor.durationSum / anchor.arrived : 0.0;
    QJsonObject line;
    line["simulated_s"] = p.durationS;
    line["step_s"] = p.stepS;
    line["seconds"] = seconds;
    line["anchor"] = anchor.version;
    line["anchor_seconds"] = anchor.seconds;
    line["vehicle_updates_per_s"] = ours.vehicleUpdatesPerS;
    line["anchor_vehicle_updates_per_s"] = anchor.updatesPerS;
    line["updates_ratio"] = anchor.updatesPerS > 0 ? ours.vehicleUpdatesPerS / anchor.updatesPerS : 0.0;
    line["mean_travel_time_s"] = ours.meanTravelTimeS;
    line["anchor_mean_travel_time_s"] = anchorMeanTravel;
    line["travel_time_ratio"] = anchorMeanTravel > 0 ? ours.meanTravelTimeS / anchorMeanTravel : 0.0;
    line["arrived"] = static_cast<qint64>(ours.arrived);
    line["anchor_arrived"] = anchor.arrived;
    line["inserted"] = static_cast<qint64>(ours.inserted);
    line["anchor_inserted"] = anchor.inserted;
    line["running_at_end"] = static_cast<qint64>(ours.running);
    line["anchor_running_at_end"] = anchor.running;
    line["mean_trip_km"] = ours.meanTripKm;
    line["anchor_mean_route_km"] = anchor.arrived > 0 ? anchor.routeM / anchor.arrived / 1000.0 : 0.0;
    line["mean_speed_kmh"] = ours.meanSpeedKmh;
    line["gridlocked"] = static_cast<qint64>(ours.gridlocked);
    return line;
}

// Both simulators on the SUMO network itself and the route file's demand.
// Per vehicle (numbered as in the SUMO file the bench writes) the time it left each edge, to compare
// with SUMO's --vehroute-output.exit-times: DIR/ours_exits.csv.
void writeOurExits(const QString& dir, const traffic::TrafficEngine& engine,
                   const std::vector<traffic::Trip>& trips,
                   const std::function<std::string(std::uint32_t)>& sumoId) {
    std::vector<std::size_t> order(trips.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return trips[a].departS < trips[b].departS; });
    QFile file(QDir(dir).filePath(QStringLiteral("ours_exits.csv")));
    if (!file.open(QIODevice::WriteOnly)) return;
    QByteArray out = "vehicle,edge,exit_s,insert_s\n";
    for (const auto& x : engine.edgeExits())
        out += QStringLiteral("%1,%2,%3,%4\n")
                   .arg(order[x.vehicle])
                   .arg(QString::fromStdString(sumoId(x.edge)))
                   .arg(x.timeS)
                   .arg(engine.insertedAtS(x.vehicle))
                   .toUtf8();
    file.write(out);
}

int benchTrafficOnSumoNet(const QString& netPath, const QString& routesPath, const QString& sumo,
                          double durationS, std::uint64_t seed, double peak, const QString& diagnoseDir) {
    CityModel city;
    auto report = VectorLoader::load(netPath.toStdString(), {}, city);
    if (!report) return failed(report.error());
    const traffic::LaneGraph graph = traffic::buildLaneGraph(city.roads);
    traffic::TrafficParameters p;
    p.seed = seed;
    p.durationS = durationS;
    const std::vector<traffic::SignalPlan> plans =
        traffic::networkSignalPlans(graph, city.roads, p.signalCycleS, p.intergreenS);
    // "--routes random": our seeded morning-peak random trips drawn on the net (for nets without demand)
    const bool random = routesPath == QStringLiteral("random");
    SumoRoutes fileRoutes;
    traffic::SumoDemand demand;
    if (random) {
        p.peakTripsPerHour = peak;
        p.startHour = 7.5;
        demand.trips = traffic::randomTrips(graph, p);
    } else {
        auto routes = readSumoRoutes(routesPath.toStdString());
        if (!routes) return failed(routes.error());
        fileRoutes = std::move(routes.value());
        demand = traffic::tripsFromSumo(graph, city.roads, fileRoutes.trips);
    }

    traffic::TrafficEngine engine(graph, p, demand.trips, plans);
    engine.recordEdgeExits(!diagnoseDir.isEmpty());
    const auto start = Clock::now();
    engine.runUntil(p.durationS);
    const double seconds = secondsSince(start);
    const traffic::TrafficResult ours = engine.result();
    const auto sumoId = [&](std::uint32_t e) { return city.roads.link(graph.edgeLink[e]).id; };
    if (!diagnoseDir.isEmpty()) {
        writeOurExits(diagnoseDir, engine, demand.trips, sumoId);
        // where the vehicles on the road at the end stand: per lane, count and positions of the front
        QFile end(QDir(diagnoseDir).filePath(QStringLiteral("ours_end.csv")));
        if (end.open(QIODevice::WriteOnly)) {
            QByteArray out = "edge,lane,vehicles,front_pos,front_speed,edge_length\n";
            for (std::uint32_t lane = 0; lane < graph.laneCount; ++lane) {
                const auto vehicles = engine.laneVehicles(lane);
                if (vehicles.empty()) continue;
                const std::uint32_t e = graph.laneEdge[lane];
                out += QStringLiteral("%1,%2,%3,%4,%5,%6\n")
                           .arg(QString::fromStdString(sumoId(e)))
                           .arg(lane - graph.edgeFirstLane[e])
                           .arg(vehicles.size())
                           .arg(vehicles.front().first)
                           .arg(vehicles.front().second)
                           .arg(graph.edgeLengthM[e])
                           .toUtf8();
            }
            end.write(out);
        }
    }

    const SumoRun anchor = runSumo(sumo, netPath, demand.trips, p, seed, sumoId, diagnoseDir);
    if (!anchor.error.empty()) return failed(anchor.error);
    QJsonObject line = comparison(ours, anchor, seconds, p);
    line["bench"] = "traffic";
    line["network"] = QFileInfo(netPath).fileName();
    line["routes"] = QFileInfo(routesPath).fileName();
    line["n"] = static_cast<qint64>(demand.trips.size());
    line["trips_in_file"] = static_cast<qint64>(fileRoutes.trips.size());
    if (random) line["peak_trips_per_hour"] = peak;
    line["trips_dropped"] = static_cast<qint64>(demand.unknownEdges);
    line["given_routes"] = static_cast<qint64>(demand.givenRoutes);
    line["links"] = static_cast<qint64>(city.roads.linkCount());
    line["signals"] = static_cast<qint64>(plans.size());
    line["signals_from"] = "sumo_programs";
    line["signal_programs"] = static_cast<qint64>(city.roads.signalPrograms().size());
    line["lane_clamps"] = static_cast<qint64>(ours.laneClamps);
    line["lane_changes"] = static_cast<qint64>(ours.laneChanges);
    line["mandatory_lane_changes"] = static_cast<qint64>(ours.mandatoryLaneChanges);
    line["wrong_lane_stops"] = static_cast<qint64>(ours.wrongLaneStops);
    line["junction_overlaps"] = static_cast<qint64>(ours.junctionOverlaps);
    printLine(line);
    return 0;
}
}  // namespace

int benchTraffic(const QStringList& arguments) {
    const QString shared = QStringLiteral(UT_SOURCE_DIR "/../shared/data/korea/seoul_jamsil_osm_sumo/");
    QString osmPath = shared + QStringLiteral("asanH.osm.pbf"),
            netPath = shared + QStringLiteral("asanH.net.xml");
    QString sumo = QStringLiteral("sumo"), routesPath, diagnoseDir;
    double peak = 6000.0, durationS = 3600.0;
    std::uint64_t seed = 1;
    bool netSignals = !arguments.contains(QStringLiteral("--osm-signals"));
    for (int i = 0; i + 1 < arguments.size(); ++i) {
        if (arguments[i] == QStringLiteral("--osm")) osmPath = arguments[i + 1];
        if (arguments[i] == QStringLiteral("--net")) netPath = arguments[i + 1];
        if (arguments[i] == QStringLiteral("--peak")) peak = arguments[i + 1].toDouble();
        if (arguments[i] == QStringLiteral("--duration-s")) durationS = arguments[i + 1].toDouble();
        if (arguments[i] == QStringLiteral("--seed")) seed = arguments[i + 1].toULongLong();
        if (arguments[i] == QStringLiteral("--sumo")) {
            // the form: --sumo NET.net.xml ROUTES.rou.xml; otherwise --sumo names the SUMO program
            if (arguments[i + 1].endsWith(QStringLiteral(".net.xml")) && i + 2 < arguments.size()) {
                netPath = arguments[i + 1];
                routesPath = arguments[i + 2];
            } else {
                sumo = arguments[i + 1];
            }
        }
        if (arguments[i] == QStringLiteral("--routes")) routesPath = arguments[i + 1];
        if (arguments[i] == QStringLiteral("--diagnose")) diagnoseDir = arguments[i + 1];
    }
    if (!routesPath.isEmpty())
        return benchTrafficOnSumoNet(netPath, routesPath, sumo, durationS, seed, peak, diagnoseDir);
    CityModel city;
    city.frame = LocalFrame("EPSG:32652", Eigen::Vector2d(0.0, 0.0));  // SUMO's projection, no offset
    auto report = VectorLoader::load(osmPath.toStdString(), {}, city);
    if (!report) return failed(report.error());
    QString error;
    std::vector<Eigen::Vector2d> lights;
    const std::vector<SumoEdge> sumoEdges = readSumoEdges(netPath, error, lights);
    if (!error.isEmpty()) return failed(error.toStdString());
    std::size_t osmSignals = 0;
    for (std::size_t n = 0; n < city.roads.nodeCount(); ++n)
        osmSignals += city.roads.node(n).hasSignal ? 1 : 0;
    // By default signals stand where SUMO's network has traffic lights (our nodes within 20 m of one),
    // with our default plans; --osm-signals keeps only the extract's highway=traffic_signals nodes.
    if (netSignals)
        for (std::uint32_t n = 0; n < city.roads.nodeCount(); ++n) {
            bool near = false;
            for (const auto& light : lights)
                near = near || (light - city.roads.node(n).position).norm() < 20.0;
            city.roads.setSignal(n, near);
        }

    const traffic::LaneGraph graph = traffic::buildLaneGraph(city.roads);
    traffic::TrafficParameters p;
    p.seed = seed;
    p.durationS = durationS;
    p.peakTripsPerHour = peak;
    p.startHour = 7.5;  // an hour around the peak
    const std::vector<traffic::Trip> drawn = traffic::randomTrips(graph, p);
    const std::vector<traffic::SignalPlan> plans =
        traffic::defaultSignalPlans(graph, p.signalCycleS, p.intergreenS);

    // Our edge → the SUMO edge nearest its midpoint with a heading within 45°, within 25 m.
    std::vector<int> match(graph.edgeCount(), -2);
    auto sumoFor = [&](std::uint32_t e) {
        if (match[e] != -2) return match[e];
        std::vector<Eigen::Vector2d> line(city.roads.geometry(graph.edgeLink[e]).begin(),
                                          city.roads.geometry(graph.edgeLink[e]).end());
        if (graph.edgeBackward[e]) std::reverse(line.begin(), line.end());
        double heading = 0.0;
        const Eigen::Vector2d mid = midpointAndHeading(line, heading);
        int best = -1;
        double bestD = 25.0;
        for (std::size_t i = 0; i < sumoEdges.size(); ++i) {
            const double d = (sumoEdges[i].mid - mid).norm();
            const double turn =
                std::abs(std::remainder(sumoEdges[i].headingRad - heading, 2.0 * std::numbers::pi));
            if (d < bestD && turn < std::numbers::pi / 4.0) {
                bestD = d;
                best = static_cast<int>(i);
            }
        }
        match[e] = best;
        return best;
    };
    std::vector<traffic::Trip> trips;
    for (const auto& t : drawn)
        if (sumoFor(t.originEdge) >= 0 && sumoFor(t.destinationEdge) >= 0 &&
            sumoFor(t.originEdge) != sumoFor(t.destinationEdge))
            trips.push_back(t);

    // Ours.
    traffic::TrafficEngine engine(graph, p, trips, plans);
    engine.recordEdgeExits(!diagnoseDir.isEmpty());
    const auto start = Clock::now();
    engine.runUntil(p.durationS);
    const double seconds = secondsSince(start);
    const traffic::TrafficResult ours = engine.result();
    if (!diagnoseDir.isEmpty())  // our edges by link id (OSM way id#piece), "-" for the backward direction
        writeOurExits(diagnoseDir, engine, trips, [&](std::uint32_t e) {
            return (graph.edgeBackward[e] ? "-" : "") + city.roads.link(graph.edgeLink[e]).id;
        });

    const SumoRun anchor = runSumo(
        sumo, netPath, trips, p, seed,
        [&](std::uint32_t e) { return sumoEdges[static_cast<std::size_t>(match[e])].id.toStdString(); },
        diagnoseDir);
    if (!anchor.error.empty()) return failed(anchor.error);
    QJsonObject line = comparison(ours, anchor, seconds, p);
    line["bench"] = "traffic";
    line["network"] = QFileInfo(osmPath).fileName();
    line["n"] = static_cast<qint64>(trips.size());
    line["trips_drawn"] = static_cast<qint64>(drawn.size());
    line["signals"] = static_cast<qint64>(plans.size());
    line["signals_from"] = netSignals ? "sumo_traffic_lights" : "osm";
    line["osm_signal_nodes"] = static_cast<qint64>(osmSignals);
    line["anchor_traffic_light_junctions"] = static_cast<qint64>(lights.size());
    printLine(line);
    return 0;
}

}  // namespace ut::bench
