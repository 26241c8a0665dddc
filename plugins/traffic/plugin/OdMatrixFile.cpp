#include "OdMatrixFile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <unordered_map>

#include "ut/geodata/GeographicConverter.h"

namespace ut::traffic {

Result<OdMatrix> readOdMatrix(const std::string& path, const LaneGraph& graph, const CityModel& city,
                              const TrafficParameters& p) {
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly)) return Error{path + ": cannot read the OD matrix"};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (document.isNull())
        return Error{path + ": at byte " + std::to_string(parseError.offset) + ": " +
                     parseError.errorString().toStdString()};
    if (!document.isObject()) return Error{path + ": not an OD matrix (a JSON object with \"zones\")"};
    const QJsonObject root = document.object();
    const QString coordinates = root.value(QStringLiteral("coordinates")).toString(QStringLiteral("lonlat"));
    if (coordinates != QStringLiteral("lonlat") && coordinates != QStringLiteral("local"))
        return Error{path + ": \"coordinates\" must be \"lonlat\" or \"local\""};
    std::optional<GeographicConverter> geographic;
    const std::vector<std::uint8_t> candidates = tripEdgeCandidates(graph, p);
    std::unordered_map<std::string, std::vector<std::uint32_t>> edgesOfLink;
    for (std::uint32_t e = 0; e < graph.edgeCount(); ++e)
        if (candidates[e]) edgesOfLink[city.roads.link(graph.edgeLink[e]).id].push_back(e);

    OdMatrix od;
    std::unordered_map<std::string, std::size_t> zoneIndex;
    const QJsonArray zones = root.value(QStringLiteral("zones")).toArray();
    if (zones.isEmpty()) return Error{path + ": no \"zones\""};
    for (qsizetype z = 0; z < zones.size(); ++z) {
        if (!zones[z].isObject())
            return Error{path + ": zone " + std::to_string(z + 1) + " is not an object with \"id\""};
        const QJsonObject zone = zones[z].toObject();
        const std::string id = zone.value(QStringLiteral("id")).toString().toStdString();
        std::string where = path;
        where.append(": zone ");
        if (id.empty()) {
            where.append(std::to_string(z + 1));
        } else {
            where.append(1, '"').append(id).append(1, '"');
        }
        if (id.empty()) return Error{where + " has no \"id\""};
        if (!zoneIndex.emplace(id, od.zoneIds.size()).second) return Error{where + " is given twice"};
        std::vector<std::uint32_t> edges;
        if (zone.contains(QStringLiteral("polygon"))) {
            std::vector<Eigen::Vector2d> polygon;
            for (const QJsonValue& point : zone.value(QStringLiteral("polygon")).toArray()) {
                const QJsonArray xy = point.toArray();
                if (xy.size() < 2 || !xy[0].isDouble() || !xy[1].isDouble())
                    return Error{where + ": a polygon point is not [x, y]"};
                polygon.emplace_back(xy[0].toDouble(), xy[1].toDouble());
            }
            if (polygon.size() < 3) return Error{where + ": the polygon has fewer than 3 points"};
            if (coordinates == QStringLiteral("lonlat")) {
                if (!geographic) {
                    auto converter = GeographicConverter::create(city.frame);
                    if (!converter)
                        return Error{where + ": cannot convert longitude/latitude into the project frame: " +
                                     converter.error()};
                    geographic.emplace(std::move(converter.value()));
                }
                for (Eigen::Vector2d& q : polygon) q = geographic->toLocal(q);
            }
            edges = edgesInPolygon(graph, city.roads, polygon, candidates);
        } else if (zone.contains(QStringLiteral("links"))) {
            for (const QJsonValue& link : zone.value(QStringLiteral("links")).toArray()) {
                if (!link.isString()) return Error{where + ": a link is not a link id (a string)"};
                const auto it = edgesOfLink.find(link.toString().toStdString());
                if (it != edgesOfLink.end()) edges.insert(edges.end(), it->second.begin(), it->second.end());
            }
        } else {
            return Error{where + " has neither \"polygon\" nor \"links\""};
        }
        if (edges.empty()) return Error{where + " holds no drivable road that trips can start or end on"};
        od.zoneIds.push_back(id);
        od.zoneEdges.push_back(std::move(edges));
    }
    const std::size_t n = od.zoneIds.size();
    od.tripsPerHour.assign(n * n, 0.0);
    const QJsonObject matrix = root.value(QStringLiteral("trips_per_hour")).toObject();
    if (matrix.isEmpty()) return Error{path + ": no \"trips_per_hour\""};
    for (auto from = matrix.begin(); from != matrix.end(); ++from) {
        const auto o = zoneIndex.find(from.key().toStdString());
        if (o == zoneIndex.end())
            return Error{path + ": trips_per_hour: no zone \"" + from.key().toStdString() + "\""};
        if (!from.value().isObject())
            return Error{path + ": trips_per_hour[\"" + from.key().toStdString() +
                         "\"] is not an object of destination zones"};
        const QJsonObject row = from.value().toObject();
        for (auto to = row.begin(); to != row.end(); ++to) {
            const auto d = zoneIndex.find(to.key().toStdString());
            if (d == zoneIndex.end())
                return Error{path + ": trips_per_hour[\"" + from.key().toStdString() + "\"]: no zone \"" +
                             to.key().toStdString() + "\""};
            const double q = to.value().toDouble(-1.0);
            if (!(q >= 0.0))
                return Error{path + ": trips_per_hour[\"" + from.key().toStdString() + "\"][\"" +
                             to.key().toStdString() + "\"] is not a number of trips ≥ 0"};
            od.tripsPerHour[o->second * n + d->second] = q;
        }
    }
    if (root.contains(QStringLiteral("profile"))) {
        const QJsonArray profile = root.value(QStringLiteral("profile")).toArray();
        if (profile.size() != 24)
            return Error{path + ": \"profile\" must have 24 factors, one per clock hour"};
        for (const QJsonValue& f : profile) {
            if (!(f.toDouble(-1.0) >= 0.0))
                return Error{path + ": \"profile\" has a factor that is not a number ≥ 0"};
            od.hourlyProfile.push_back(f.toDouble());
        }
    }
    // At most the random demand's peak (traffic.json's peak_trips_per_hour) in the busiest hour: beyond
    // it a run would start millions of vehicles an hour.
    constexpr double kMaxTripsPerHour = 200000.0;
    double total = 0.0, busiest = od.hourlyProfile.empty() ? 1.0 : 0.0;
    for (double q : od.tripsPerHour) total += q;
    for (double f : od.hourlyProfile) busiest = std::max(busiest, f);
    if (total * busiest > kMaxTripsPerHour)
        return Error{path + ": " + std::to_string(static_cast<long long>(total * busiest)) +
                     " trips in the busiest hour, more than the " +
                     std::to_string(static_cast<long long>(kMaxTripsPerHour)) + " a run takes"};
    return od;
}

}  // namespace ut::traffic
