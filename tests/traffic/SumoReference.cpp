#include "SumoReference.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <algorithm>
#include <chrono>
#include <cmath>

namespace ut::traffic {

SumoRun runSumo(const QString& sumo, const QString& netPath, const std::vector<Trip>& trips,
                const TrafficParameters& p, std::uint64_t seed,
                const std::function<std::string(std::uint32_t)>& sumoId, const QString& keepDir) {
    SumoRun run;
    QTemporaryDir temporary;
    QDir dir(keepDir.isEmpty() ? temporary.path() : keepDir);
    QFile routes(dir.filePath(QStringLiteral("trips.rou.xml")));
    if (!routes.open(QIODevice::WriteOnly)) {
        run.error = "cannot write the SUMO trips";
        return run;
    }
    // SUMO's IDM with the engine's parameters, no driver imperfection, everyone at the speed limit.
    const IdmParameters& idm = p.idm;
    QByteArray xml = QStringLiteral("<routes>\n  <vType id=\"car\" carFollowModel=\"IDM\" accel=\"%1\" decel=\"%2\" "
                                    "tau=\"%3\" minGap=\"%4\" length=\"%5\" delta=\"%6\" sigma=\"0\" "
                                    "speedFactor=\"1\" speedDev=\"0\"/>\n")
                         .arg(idm.maxAccelMps2)
                         .arg(idm.comfortDecelMps2)
                         .arg(idm.timeHeadwayS)
                         .arg(idm.minGapM)
                         .arg(idm.vehicleLengthM)
                         .arg(idm.exponent)
                         .toUtf8();
    // SUMO reads route files as it goes: departures must come in order.
    std::vector<std::size_t> order(trips.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return trips[a].departS < trips[b].departS; });
    for (const std::size_t i : order) {
        const Trip& t = trips[i];
        const QString depart = QString::number(t.departS, 'f', 2);
        if (t.route.empty()) {
            xml += QStringLiteral(
                       "  <trip id=\"%1\" type=\"car\" depart=\"%2\" from=\"%3\" to=\"%4\" "
                       "departLane=\"best\" departSpeed=\"max\"/>\n")
                       .arg(i)
                       .arg(depart, QString::fromStdString(sumoId(t.originEdge)),
                            QString::fromStdString(sumoId(t.destinationEdge)))
                       .toUtf8();
            continue;
        }
        QStringList edges;
        for (const std::uint32_t e : t.route) edges << QString::fromStdString(sumoId(e));
        xml += QStringLiteral(
                   "  <vehicle id=\"%1\" type=\"car\" depart=\"%2\" departLane=\"best\" "
                   "departSpeed=\"max\"><route edges=\"%3\"/></vehicle>\n")
                   .arg(i)
                   .arg(depart, edges.join(QLatin1Char(' ')))
                   .toUtf8();
    }
    xml += "</routes>\n";
    routes.write(xml);
    routes.close();
    const QString tripinfo = dir.filePath(QStringLiteral("tripinfo.xml"));
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    const auto sumoStart = std::chrono::steady_clock::now();
    QStringList sumoArguments{QStringLiteral("-n"),
                              netPath,
                              QStringLiteral("-r"),
                              routes.fileName(),
                              QStringLiteral("--end"),
                              QString::number(p.durationS),
                              QStringLiteral("--step-length"),
                              QString::number(p.stepS),
                              QStringLiteral("--time-to-teleport"),
                              QStringLiteral("-1"),
                              QStringLiteral("--ignore-route-errors"),
                              QStringLiteral("--device.rerouting.probability"),
                              QStringLiteral("1"),
                              QStringLiteral("--device.rerouting.period"),
                              QStringLiteral("300"),
                              QStringLiteral("--no-step-log"),
                              QStringLiteral("--no-warnings"),
                              QStringLiteral("--duration-log.statistics"),
                              QStringLiteral("--tripinfo-output"),
                              tripinfo,
                              QStringLiteral("--seed"),
                              QString::number(seed)};
    if (!keepDir.isEmpty())
        sumoArguments << QStringLiteral("--vehroute-output") << dir.filePath(QStringLiteral("vehroutes.xml"))
                      << QStringLiteral("--vehroute-output.exit-times");
    process.start(sumo, sumoArguments);
    if (!process.waitForFinished(600000) || process.exitCode() != 0) {
        run.error = ("sumo failed: " + process.readAll()).toStdString();
        return run;
    }
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - sumoStart).count();
    const QString log = QString::fromUtf8(process.readAll());
    auto figure = [&](const QString& pattern) {
        const auto m = QRegularExpression(pattern).match(log);
        return m.hasMatch() ? m.captured(1).toDouble() : std::nan("");
    };
    run.updatesPerS = figure(QStringLiteral("UPS: ([0-9.]+)"));
    run.inserted = figure(QStringLiteral("Inserted: ([0-9]+)"));
    run.running = figure(QStringLiteral("Running: ([0-9]+)"));
    QFile info(tripinfo);
    if (info.open(QIODevice::ReadOnly)) {
        QXmlStreamReader r(&info);
        while (!r.atEnd()) {
            r.readNext();
            if (r.isStartElement() && r.name() == QStringLiteral("tripinfo")) {
                run.durationSum += r.attributes().value(QStringLiteral("duration")).toDouble();
                run.routeM += r.attributes().value(QStringLiteral("routeLength")).toDouble();
                run.arrived += 1.0;
            }
        }
    }
    QProcess version;
    version.start(sumo, {QStringLiteral("--version")});
    version.waitForFinished(30000);
    run.version = QString::fromUtf8(version.readAllStandardOutput()).section('\n', 0, 0).trimmed();
    return run;
}

}  // namespace ut::traffic
