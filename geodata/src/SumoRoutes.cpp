#include <QFile>
#include <QXmlStreamReader>
#include <cmath>
#include <optional>
#include <unordered_map>

#include "ut/geodata/SumoNetLoader.h"

namespace ut {

namespace {

std::string attribute(const QXmlStreamReader& xml, const char* name) {
    return xml.attributes().value(QLatin1String(name)).toString().toStdString();
}

std::vector<std::string> edgeList(const std::string& text) {
    std::vector<std::string> edges;
    for (const QString& id : QString::fromStdString(text).split(QLatin1Char(' '), Qt::SkipEmptyParts))
        edges.push_back(id.toStdString());
    return edges;
}

// A vehicle, trip or flow while its element is open: its route may come as a child element.
struct Pending {
    enum class Kind { Vehicle, Trip, Flow } kind = Kind::Vehicle;
    SumoTrip trip;
    std::string routeRef;
    double begin = 0.0, end = 3600.0;
    double number = -1.0, vehsPerHour = -1.0, period = -1.0;
    bool probability = false;
    bool departOk = true;
};

}  // namespace

Result<SumoRoutes> readSumoRoutes(const std::string& path) {
    QFile file(QString::fromStdString(path));
    if (!file.exists()) return Error{path + ": no such file"};
    if (!file.open(QIODevice::ReadOnly))
        return Error{path + ": cannot read: " + file.errorString().toStdString()};
    QXmlStreamReader xml(&file);
    SumoRoutes routes;
    std::unordered_map<std::string, std::vector<std::string>> namedRoutes;
    std::optional<Pending> open;
    bool sawRoutes = false;

    const auto finish = [&](Pending& p) -> Status {
        if (!p.routeRef.empty()) {
            const auto it = namedRoutes.find(p.routeRef);
            if (it == namedRoutes.end()) {
                return Error{path + ": line " + std::to_string(xml.lineNumber()) + ": " + p.trip.id +
                             " refers to the unknown route " + p.routeRef};
            }
            p.trip.edges = it->second;
        }
        if (!p.trip.edges.empty()) {
            p.trip.from = p.trip.edges.front();
            p.trip.to = p.trip.edges.back();
        }
        if (p.trip.from.empty() || p.trip.to.empty()) {
            ++routes.skipReasons["no route and no from/to"];
            return {};
        }
        if (!p.departOk) {
            ++routes.skipReasons["departure not in seconds"];
            return {};
        }
        if (p.kind != Pending::Kind::Flow) {
            routes.trips.push_back(std::move(p.trip));
            return {};
        }
        if (p.probability) {
            ++routes.skipReasons["probability flow"];
            return {};
        }
        double spacing = 0.0;
        std::size_t count = 0;
        const double span = std::max(0.0, p.end - p.begin);
        if (p.number >= 0.0) {
            count = static_cast<std::size_t>(std::lround(p.number));
            spacing = count > 0 ? span / static_cast<double>(count) : 0.0;
        } else if (p.vehsPerHour > 0.0) {
            spacing = 3600.0 / p.vehsPerHour;
            count = static_cast<std::size_t>(std::ceil(span / spacing - 1e-9));
        } else if (p.period > 0.0) {
            spacing = p.period;
            count = static_cast<std::size_t>(std::ceil(span / spacing - 1e-9));
        } else {
            ++routes.skipReasons["flow without number, vehsPerHour or period"];
            return {};
        }
        for (std::size_t i = 0; i < count; ++i) {
            SumoTrip trip = p.trip;
            trip.id = p.trip.id + "." + std::to_string(i);
            trip.departS = p.begin + static_cast<double>(i) * spacing;
            routes.trips.push_back(std::move(trip));
        }
        return {};
    };

    while (!xml.atEnd()) {
        const auto token = xml.readNext();
        const auto name = xml.name();
        if (token == QXmlStreamReader::EndElement && open &&
            (name == QLatin1String("vehicle") || name == QLatin1String("trip") ||
             name == QLatin1String("flow"))) {
            if (const Status status = finish(*open); !status.ok()) return Error{status.error()};
            open.reset();
            continue;
        }
        if (token != QXmlStreamReader::StartElement) continue;
        if (name == QLatin1String("routes")) {
            sawRoutes = true;
        } else if (name == QLatin1String("route")) {
            const std::vector<std::string> edges = edgeList(attribute(xml, "edges"));
            if (open) {
                open->trip.edges = edges;
                open->routeRef.clear();
            } else {
                namedRoutes[attribute(xml, "id")] = edges;
            }
        } else if (name == QLatin1String("vehicle") || name == QLatin1String("trip") ||
                   name == QLatin1String("flow")) {
            Pending p;
            p.kind = name == QLatin1String("vehicle") ? Pending::Kind::Vehicle
                     : name == QLatin1String("trip")  ? Pending::Kind::Trip
                                                      : Pending::Kind::Flow;
            p.trip.id = attribute(xml, "id");
            p.trip.from = attribute(xml, "from");
            p.trip.to = attribute(xml, "to");
            p.routeRef = attribute(xml, "route");
            const auto a = xml.attributes();
            const auto read = [&](const char* key, double& out) {
                bool ok = false;
                const double v = a.value(QLatin1String(key)).toDouble(&ok);
                if (ok) out = v;
                return ok;
            };
            if (p.kind == Pending::Kind::Flow) {
                read("begin", p.begin);
                read("end", p.end);
                read("number", p.number);
                read("vehsPerHour", p.vehsPerHour);
                read("period", p.period);
                p.probability = a.hasAttribute(QLatin1String("probability"));
            } else {
                p.departOk = read("depart", p.trip.departS);
            }
            open = std::move(p);
        }
    }
    if (xml.hasError())
        return Error{path + ": line " + std::to_string(xml.lineNumber()) + ": " +
                     xml.errorString().toStdString()};
    if (!sawRoutes) return Error{path + ": not a SUMO route file (no <routes> element)"};
    return routes;
}

}  // namespace ut
