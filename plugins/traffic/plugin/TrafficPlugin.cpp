#include "TrafficPlugin.h"

#include <QDir>
#include <algorithm>
#include <cmath>
#include <optional>

#include "OdMatrixFile.h"
#include "ut/traffic/TrafficEngine.h"

namespace ut::traffic {

namespace {
// Runs the morning peak. With signal_timing = "webster" the run is done twice: a first pass under the
// default fixed-time plans measures the flows, Webster's cycle and splits are set from the busiest
// hour's flows, and the reported second pass runs under the re-timed plans. A green_wave_corridor sets
// offsets along that road (after re-timing, on the re-timed cycles).
class TrafficSimulation : public sim::Simulation {
public:
    Status prepare(const sim::SimulationContext& context) override {
        const auto number = [&](const char* id) {
            return context.parameters.value(QString::fromLatin1(id)).toDouble();
        };
        m_p.seed = static_cast<std::uint64_t>(context.parameters.value(QStringLiteral("seed")).toLongLong());
        m_p.startHour = number("start_hour");
        m_p.durationS = number("duration_h") * 3600.0;
        m_p.peakTripsPerHour = number("peak_trips_per_hour");
        m_p.stepS = number("step_s");
        m_p.threads = std::max(1, static_cast<int>(number("threads")));
        m_p.intervalS = number("interval_min") * 60.0;
        m_p.rerouteIntervalS = number("reroute_interval_s");
        m_p.signalCycleS = number("signal_cycle_s");
        m_p.idm.timeHeadwayS = number("time_headway_s");
        m_p.idm.maxAccelMps2 = number("max_accel_mps2");
        m_p.idm.comfortDecelMps2 = number("comfort_decel_mps2");
        m_playbackIntervalS = number("playback_interval_s");
        m_webster =
            context.parameters.value(QStringLiteral("signal_timing")).toString() == QStringLiteral("webster");
        m_roads = &context.city->roads;
        m_graph = buildLaneGraph(*m_roads);
        if (m_graph.edgeCount() == 0) return Error{"the city has no drivable roads (OSM highway=* lines)"};
        if (m_p.durationS < m_p.intervalS) return Error{"duration_h is shorter than one output interval"};
        QString routesPath = context.parameters.value(QStringLiteral("routes_path")).toString().trimmed();
        if (!routesPath.isEmpty() && QDir::isRelativePath(routesPath) && !context.projectFolder.isEmpty())
            routesPath = QDir(context.projectFolder).filePath(routesPath);
        QString odPath = context.parameters.value(QStringLiteral("od_path")).toString().trimmed();
        if (!odPath.isEmpty() && QDir::isRelativePath(odPath) && !context.projectFolder.isEmpty())
            odPath = QDir(context.projectFolder).filePath(odPath);
        if (!odPath.isEmpty() && !routesPath.isEmpty())
            return Error{routesPath.toStdString() + " and " + odPath.toStdString() +
                         ": routes_path and od_path are both set; the demand comes from one of them"};
        if (!odPath.isEmpty()) {
            auto od = readOdMatrix(odPath.toStdString(), m_graph, *context.city, m_p);
            if (!od) return Error{od.error()};
            m_trips = odTrips(m_graph, od.value(), m_p);
            if (m_trips.empty())
                return Error{odPath.toStdString() + ": the matrix gives no trips in the simulated time"};
        } else if (routesPath.isEmpty()) {
            m_trips = randomTrips(m_graph, m_p);
            if (m_trips.empty())
                return Error{
                    "no trips: the road network has no connected part to drive in, or the demand is zero"};
        } else {
            const std::string path = routesPath.toStdString();
            auto routes = readSumoRoutes(path);
            if (!routes) return Error{routes.error()};
            SumoDemand demand = tripsFromSumo(m_graph, *m_roads, routes->trips);
            if (demand.trips.empty()) {
                return Error{path + ": no trip starts and ends on an edge of the loaded network (" +
                             std::to_string(demand.unknownEdges) + " name edges it does not have)"};
            }
            m_trips = std::move(demand.trips);
        }
        m_plans = networkSignalPlans(m_graph, *m_roads, m_p.signalCycleS, m_p.intergreenS);
        // A road name, or link ids separated by commas.
        const QString corridorName =
            context.parameters.value(QStringLiteral("green_wave_corridor")).toString();
        std::vector<std::string> corridorKeys;
        for (const QString& key : corridorName.split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (!key.trimmed().isEmpty()) corridorKeys.push_back(key.trimmed().toStdString());
        if (!corridorKeys.empty()) {
            m_corridor = corridorEdges(m_graph, *m_roads, corridorKeys);
            if (m_corridor.empty())
                return Error{"green_wave_corridor: no drivable road has the name or link id \"" +
                             corridorName.trimmed().toStdString() + "\""};
            m_progressionSpeedMps = number("green_wave_speed_kmh") / 3.6;
            m_wave = applyGreenWave(m_graph, m_plans, m_corridor, m_progressionSpeedMps);
        }
        m_intervals = static_cast<std::size_t>(std::ceil(m_p.durationS / m_p.intervalS - 1e-9));
        startEngine();
        return {};
    }

    std::size_t stepCount() const override { return m_webster ? 2 * m_intervals : m_intervals; }

    Status advance(std::size_t step, Feedback&) override {
        if (m_webster && step == m_intervals) {
            const TrafficResult before = m_engine->result();
            m_measuredCycleS = meanCycle(m_plans);
            m_plans = websterSignalPlans(m_graph, m_plans, before.edgePeakFlowVehH);
            if (!m_corridor.empty())
                m_wave = applyGreenWave(m_graph, m_plans, m_corridor, m_progressionSpeedMps);
            startEngine();
        }
        const std::size_t local = step % m_intervals;
        m_engine->runUntil(static_cast<double>(local + 1) * m_p.intervalS);
        return {};
    }

    void writeResults(sim::ResultSet& results) override {
        const TrafficResult r = m_engine->result();
        sim::TimeAxis axis;
        const int startMinutes = static_cast<int>(std::lround(m_p.startHour * 60.0));
        axis.start =
            QDateTime(QDate(2026, 1, 1), QTime(0, 0)).addSecs(static_cast<qint64>(startMinutes) * 60);
        axis.stepSeconds = static_cast<int>(std::lround(m_p.intervalS));
        axis.steps = r.intervals;
        const std::size_t n = m_roads->linkCount();
        results.vehiclePlayback() = m_engine->takePlayback();
        results.vehiclePlayback().start = axis.start;
        results.addField("traffic.speed_kmh", "km/h", sim::EntityKind::Link, n, axis).values = r.linkSpeedKmh;
        results.addField("traffic.flow_veh_h", "veh/h", sim::EntityKind::Link, n, axis).values =
            r.linkFlowVehH;
        results.addField("traffic.density_veh_km", "veh/km", sim::EntityKind::Link, n, axis).values =
            r.linkDensityVehKm;
        results.addField("traffic.queue_m", "m", sim::EntityKind::Link, n, axis).values = r.linkQueueM;
        results.setKpi("traffic.mean_travel_time_s", r.meanTravelTimeS, "s");
        results.setKpi("traffic.mean_speed_kmh", r.meanSpeedKmh, "km/h");
        results.setKpi("traffic.total_delay_h", r.totalDelayH, "h");
        results.setKpi("traffic.throughput_veh", static_cast<double>(r.arrived), "veh");
        results.setKpi("traffic.vehicle_updates_per_s", r.vehicleUpdatesPerS, "1/s");
        results.setKpi("traffic.share_links_below_20kmh", r.shareLinksBelow20Kmh, "");
        results.setKpi("traffic.co2_t", r.co2T, "t");
        results.setKpi("traffic.trips", static_cast<double>(r.trips), "veh");
        results.setKpi("traffic.inserted_veh", static_cast<double>(r.inserted), "veh");
        results.setKpi("traffic.running_veh", static_cast<double>(r.running), "veh");
        results.setKpi("traffic.not_inserted_veh", static_cast<double>(r.notInserted), "veh");
        results.setKpi("traffic.gridlocked_veh", static_cast<double>(r.gridlocked), "veh");
        results.setKpi("traffic.signals", static_cast<double>(m_plans.size()), "");
        results.setKpi("traffic.signal_cycle_mean_s", meanCycle(m_plans), "s");
        const double vehicles = static_cast<double>(std::max<std::size_t>(r.inserted, 1));
        results.setKpi("traffic.stops_per_vehicle", static_cast<double>(r.stops) / vehicles, "");
        if (!m_corridor.empty()) {
            double corridorStops = 0.0;
            for (const std::uint32_t e : m_corridor) corridorStops += r.edgeStops[e];
            results.setKpi("traffic.green_wave_nodes", static_cast<double>(m_wave.nodes.size()), "");
            results.setKpi("traffic.green_wave_cycle_s", m_wave.cycleS, "s");
            results.setKpi("traffic.green_wave_corridor_stops", corridorStops, "");
        }
    }

private:
    void startEngine() {
        m_engine.emplace(m_graph, m_p, m_trips, m_plans);
        m_engine->recordPlayback(*m_roads, m_playbackIntervalS);
    }

    static double meanCycle(const std::vector<SignalPlan>& plans) {
        double sum = 0.0;
        for (const auto& p : plans) sum += p.cycleS;
        return plans.empty() ? 0.0 : sum / static_cast<double>(plans.size());
    }

    const RoadNetwork* m_roads = nullptr;
    TrafficParameters m_p;
    bool m_webster = false;
    double m_playbackIntervalS = 0.0;
    LaneGraph m_graph;
    std::vector<Trip> m_trips;
    std::vector<SignalPlan> m_plans;
    std::size_t m_intervals = 1;
    double m_measuredCycleS = 0.0;
    std::vector<std::uint32_t> m_corridor;
    double m_progressionSpeedMps = 0.0;
    GreenWave m_wave;
    std::optional<TrafficEngine> m_engine;
};
}  // namespace

std::unique_ptr<sim::Simulation> TrafficPlugin::create() const {
    return std::make_unique<TrafficSimulation>();
}

}  // namespace ut::traffic
