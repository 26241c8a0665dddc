// urbantwin-bench traffic [--osm FILE.osm.pbf] [--net NET.net.xml] [--peak TRIPS_PER_H] [--duration-s S]
//                         [--seed N] [--sumo PROGRAM] [--osm-signals]
// The traffic engine and SUMO on the same OSM extract and the same trips, in the same run: our engine
// drives the CityModel's network built from the extract, SUMO the .net.xml netconvert/netedit built
// from the same extract. Trips are drawn on our network and mapped to SUMO edges by position and
// heading; trips without a match on either side are dropped from both.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <cmath>
#include <numbers>

#include "BenchSupport.h"
#include "ut/geodata/VectorLoader.h"
#include "ut/traffic/TrafficEngine.h"

namespace ut::bench {

namespace {
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
std::vector<SumoEdge> readSumoEdges(const QString& path, QString& error, std::vector<Eigen::Vector2d>& lights) {
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
                e.mid = midpointAndHeading(parseShape(attributes.value(QStringLiteral("shape")).toString(), offset), e.headingRad);
                edges.push_back(e);
                firstLane = false;
            }
        } else if (name == QStringLiteral("lane") && !currentId.isEmpty() && firstLane) {
            const QString allow = attributes.value(QStringLiteral("allow")).toString();
            const QString disallow = attributes.value(QStringLiteral("disallow")).toString();
            if ((!allow.isEmpty() && !allow.contains(QStringLiteral("passenger"))) || disallow.contains(QStringLiteral("passenger"))) {
                currentId.clear();
                continue;
            }
            SumoEdge e{currentId, {}, 0.0};
            e.mid = midpointAndHeading(parseShape(attributes.value(QStringLiteral("shape")).toString(), offset), e.headingRad);
            edges.push_back(e);
            firstLane = false;
        }
    }
    if (xml.hasError()) error = path + QStringLiteral(": ") + xml.errorString();
    return edges;
}
}  // namespace

int benchTraffic(const QStringList& arguments) {
    const QString shared = QStringLiteral(UT_SOURCE_DIR "/../shared/data/korea/seoul_jamsil_osm_sumo/");
    QString osmPath = shared + QStringLiteral("asanH.osm.pbf"), netPath = shared + QStringLiteral("asanH.net.xml");
    QString sumo = QStringLiteral("sumo");
    double peak = 6000.0, durationS = 3600.0;
    std::uint64_t seed = 1;
    bool netSignals = !arguments.contains(QStringLiteral("--osm-signals"));
    for (int i = 0; i + 1 < arguments.size(); ++i) {
        if (arguments[i] == QStringLiteral("--osm")) osmPath = arguments[i + 1];
        if (arguments[i] == QStringLiteral("--net")) netPath = arguments[i + 1];
        if (arguments[i] == QStringLiteral("--peak")) peak = arguments[i + 1].toDouble();
        if (arguments[i] == QStringLiteral("--duration-s")) durationS = arguments[i + 1].toDouble();
        if (arguments[i] == QStringLiteral("--seed")) seed = arguments[i + 1].toULongLong();
        if (arguments[i] == QStringLiteral("--sumo")) sumo = arguments[i + 1];
    }
    CityModel city;
    city.frame = LocalFrame("EPSG:32652", Eigen::Vector2d(0.0, 0.0));  // SUMO's projection, no offset
    auto report = VectorLoader::load(osmPath.toStdString(), {}, city);
    if (!report) return failed(report.error());
    QString error;
    std::vector<Eigen::Vector2d> lights;
    const std::vector<SumoEdge> sumoEdges = readSumoEdges(netPath, error, lights);
    if (!error.isEmpty()) return failed(error.toStdString());
    std::size_t osmSignals = 0;
    for (std::size_t n = 0; n < city.roads.nodeCount(); ++n) osmSignals += city.roads.node(n).hasSignal ? 1 : 0;
    // By default signals stand where SUMO's network has traffic lights (our nodes within 20 m of one),
    // with our default plans; --osm-signals keeps only the extract's highway=traffic_signals nodes.
    if (netSignals)
        for (std::uint32_t n = 0; n < city.roads.nodeCount(); ++n) {
            bool near = false;
            for (const auto& light : lights) near = near || (light - city.roads.node(n).position).norm() < 20.0;
            city.roads.setSignal(n, near);
        }

    const traffic::LaneGraph graph = traffic::buildLaneGraph(city.roads);
    traffic::TrafficParameters p;
    p.seed = seed;
    p.durationS = durationS;
    p.peakTripsPerHour = peak;
    p.startHour = 7.5;  // an hour around the peak
    const std::vector<traffic::Trip> drawn = traffic::randomTrips(graph, p);
    const std::vector<traffic::SignalPlan> plans = traffic::defaultSignalPlans(graph, p.signalCycleS, p.intergreenS);

    // Our edge → the SUMO edge nearest its midpoint with a heading within 45°, within 25 m.
    std::vector<int> match(graph.edgeCount(), -2);
    auto sumoFor = [&](std::uint32_t e) {
        if (match[e] != -2) return match[e];
        std::vector<Eigen::Vector2d> line(city.roads.geometry(graph.edgeLink[e]).begin(), city.roads.geometry(graph.edgeLink[e]).end());
        if (graph.edgeBackward[e]) std::reverse(line.begin(), line.end());
        double heading = 0.0;
        const Eigen::Vector2d mid = midpointAndHeading(line, heading);
        int best = -1;
        double bestD = 25.0;
        for (std::size_t i = 0; i < sumoEdges.size(); ++i) {
            const double d = (sumoEdges[i].mid - mid).norm();
            const double turn = std::abs(std::remainder(sumoEdges[i].headingRad - heading, 2.0 * std::numbers::pi));
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
        if (sumoFor(t.originEdge) >= 0 && sumoFor(t.destinationEdge) >= 0 && sumoFor(t.originEdge) != sumoFor(t.destinationEdge))
            trips.push_back(t);

    // Ours.
    traffic::TrafficEngine engine(graph, p, trips, plans);
    const auto start = Clock::now();
    engine.runUntil(p.durationS);
    const double seconds = secondsSince(start);
    const traffic::TrafficResult ours = engine.result();

    // SUMO: the same trips, IDM with the same parameters, no teleports, re-routing every 300 s.
    QTemporaryDir dir;
    QFile routes(dir.filePath(QStringLiteral("trips.rou.xml")));
    if (!routes.open(QIODevice::WriteOnly)) return failed("cannot write the SUMO trips");
    QByteArray xml = "<routes>\n  <vType id=\"car\" carFollowModel=\"IDM\" accel=\"1.5\" decel=\"2.0\" tau=\"1.5\" "
                     "minGap=\"2\" length=\"5\" delta=\"4\" sigma=\"0\" speedFactor=\"1\" speedDev=\"0\"/>\n";
    for (std::size_t i = 0; i < trips.size(); ++i)
        xml += QStringLiteral("  <trip id=\"%1\" type=\"car\" depart=\"%2\" from=\"%3\" to=\"%4\" departLane=\"best\" departSpeed=\"max\"/>\n")
                   .arg(i).arg(trips[i].departS, 0, 'f', 2)
                   .arg(sumoEdges[static_cast<std::size_t>(match[trips[i].originEdge])].id,
                        sumoEdges[static_cast<std::size_t>(match[trips[i].destinationEdge])].id).toUtf8();
    xml += "</routes>\n";
    routes.write(xml);
    routes.close();
    const QString tripinfo = dir.filePath(QStringLiteral("tripinfo.xml"));
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    const auto sumoStart = Clock::now();
    process.start(sumo, {QStringLiteral("-n"), netPath, QStringLiteral("-r"), routes.fileName(),
                         QStringLiteral("--end"), QString::number(p.durationS), QStringLiteral("--step-length"), QString::number(p.stepS),
                         QStringLiteral("--time-to-teleport"), QStringLiteral("-1"), QStringLiteral("--ignore-route-errors"),
                         QStringLiteral("--device.rerouting.probability"), QStringLiteral("1"),
                         QStringLiteral("--device.rerouting.period"), QStringLiteral("300"),
                         QStringLiteral("--no-step-log"), QStringLiteral("--no-warnings"), QStringLiteral("--duration-log.statistics"),
                         QStringLiteral("--tripinfo-output"), tripinfo, QStringLiteral("--seed"), QString::number(seed)});
    if (!process.waitForFinished(600000) || process.exitCode() != 0)
        return failed(("sumo failed: " + process.readAll()).toStdString());
    const double sumoSeconds = secondsSince(sumoStart);
    const QString log = QString::fromUtf8(process.readAll());
    auto figure = [&](const QString& pattern) {
        const auto m = QRegularExpression(pattern).match(log);
        return m.hasMatch() ? m.captured(1).toDouble() : std::nan("");
    };
    const double sumoUps = figure(QStringLiteral("UPS: ([0-9.]+)"));
    const double sumoInserted = figure(QStringLiteral("Inserted: ([0-9]+)"));
    const double sumoRunning = figure(QStringLiteral("Running: ([0-9]+)"));
    QFile info(tripinfo);
    double sumoDurationSum = 0.0, sumoArrived = 0.0, sumoRouteM = 0.0;
    if (info.open(QIODevice::ReadOnly)) {
        QXmlStreamReader r(&info);
        while (!r.atEnd()) {
            r.readNext();
            if (r.isStartElement() && r.name() == QStringLiteral("tripinfo")) {
                sumoDurationSum += r.attributes().value(QStringLiteral("duration")).toDouble();
                sumoRouteM += r.attributes().value(QStringLiteral("routeLength")).toDouble();
                sumoArrived += 1.0;
            }
        }
    }
    const double sumoMeanTravel = sumoArrived > 0 ? sumoDurationSum / sumoArrived : 0.0;
    QJsonObject line;
    line["bench"] = "traffic";
    line["network"] = QFileInfo(osmPath).fileName();
    line["n"] = static_cast<qint64>(trips.size());
    line["trips_drawn"] = static_cast<qint64>(drawn.size());
    line["simulated_s"] = p.durationS;
    line["step_s"] = p.stepS;
    line["seconds"] = seconds;
    QProcess version;
    version.start(sumo, {QStringLiteral("--version")});
    version.waitForFinished(30000);
    line["anchor"] = QString::fromUtf8(version.readAllStandardOutput()).section('\n', 0, 0).trimmed();
    line["anchor_seconds"] = sumoSeconds;
    line["vehicle_updates_per_s"] = ours.vehicleUpdatesPerS;
    line["anchor_vehicle_updates_per_s"] = sumoUps;
    line["updates_ratio"] = sumoUps > 0 ? ours.vehicleUpdatesPerS / sumoUps : 0.0;
    line["mean_travel_time_s"] = ours.meanTravelTimeS;
    line["anchor_mean_travel_time_s"] = sumoMeanTravel;
    line["travel_time_ratio"] = sumoMeanTravel > 0 ? ours.meanTravelTimeS / sumoMeanTravel : 0.0;
    line["arrived"] = static_cast<qint64>(ours.arrived);
    line["anchor_arrived"] = sumoArrived;
    line["inserted"] = static_cast<qint64>(ours.inserted);
    line["anchor_inserted"] = sumoInserted;
    line["running_at_end"] = static_cast<qint64>(ours.running);
    line["anchor_running_at_end"] = sumoRunning;
    line["mean_trip_km"] = ours.meanTripKm;
    line["anchor_mean_route_km"] = sumoArrived > 0 ? sumoRouteM / sumoArrived / 1000.0 : 0.0;
    line["mean_speed_kmh"] = ours.meanSpeedKmh;
    line["gridlocked"] = static_cast<qint64>(ours.gridlocked);
    line["signals"] = static_cast<qint64>(plans.size());
    line["signals_from"] = netSignals ? "sumo_traffic_lights" : "osm";
    line["osm_signal_nodes"] = static_cast<qint64>(osmSignals);
    line["anchor_traffic_light_junctions"] = static_cast<qint64>(lights.size());
    printLine(line);
    return 0;
}

}  // namespace ut::bench
