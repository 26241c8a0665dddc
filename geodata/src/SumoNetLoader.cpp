#include "ut/geodata/SumoNetLoader.h"

#include <QFile>
#include <QXmlStreamReader>
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "ModelBuilding.h"

namespace ut {

namespace {

std::string attribute(const QXmlStreamReader& xml, const char* name) {
    return xml.attributes().value(QLatin1String(name)).toString().toStdString();
}

double number(const QXmlStreamReader& xml, const char* name, double fallback) {
    bool ok = false;
    const double value = xml.attributes().value(QLatin1String(name)).toDouble(&ok);
    return ok ? value : fallback;
}

std::vector<Eigen::Vector2d> parseShape(const std::string& text) {
    std::vector<Eigen::Vector2d> points;
    const QStringList pairs = QString::fromStdString(text).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString& pair : pairs) {
        const QStringList xy = pair.split(QLatin1Char(','));
        if (xy.size() < 2) continue;
        points.emplace_back(xy[0].toDouble(), xy[1].toDouble());
    }
    return points;
}

bool hasWord(const std::string& list, std::string_view word) {
    std::size_t start = 0;
    while (start < list.size()) {
        std::size_t end = list.find(' ', start);
        if (end == std::string::npos) end = list.size();
        if (std::string_view(list).substr(start, end - start) == word) return true;
        start = end + 1;
    }
    return false;
}

bool allowsPassenger(const std::string& allow, const std::string& disallow) {
    if (!allow.empty()) return hasWord(allow, "passenger") || hasWord(allow, "all");
    return !hasWord(disallow, "passenger") && !hasWord(disallow, "all");
}

std::string roadClassOf(const std::string& type) {
    std::string first = type.substr(0, type.find('|'));
    const std::size_t dot = first.rfind('.');
    if (dot != std::string::npos) first = first.substr(dot + 1);
    return first.empty() ? std::string("road") : first;
}

std::string lineError(const std::string& path, const QXmlStreamReader& xml) {
    return path + ": line " + std::to_string(xml.lineNumber()) + ": " + xml.errorString().toStdString();
}

// A lane, link or request number: `fallback` where the attribute is absent, else a whole number from
// 0 to kMaxIndex (SUMO's junctions have at most a few hundred links), or an error naming the line.
constexpr int kMaxIndex = 65535;
Result<int> indexAttribute(const std::string& path, const QXmlStreamReader& xml, const char* name, int fallback) {
    const auto text = xml.attributes().value(QLatin1String(name));
    if (text.isNull()) return fallback;
    bool ok = false;
    const int value = text.toInt(&ok);
    if (ok && value >= 0 && value <= kMaxIndex) return value;
    return Error{path + ": line " + std::to_string(xml.lineNumber()) + ": <" + xml.name().toString().toStdString() +
                 "> " + name + " \"" + text.toString().toStdString() + "\" is not a whole number from 0 to " +
                 std::to_string(kMaxIndex)};
}

}  // namespace

Result<SumoNetDocument> parseSumoNet(const std::string& path) {
    QFile file(QString::fromStdString(path));
    if (!file.exists()) return Error{path + ": no such file"};
    if (!file.open(QIODevice::ReadOnly))
        return Error{path + ": cannot read: " + file.errorString().toStdString()};
    QXmlStreamReader xml(&file);
    SumoNetDocument net;
    bool sawNet = false;
    bool inInternalEdge = false;
    bool inKeptJunction = false;  // requests belong to the junction element they are in
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement) continue;
        const auto name = xml.name();
        if (name == QLatin1String("net")) {
            sawNet = true;
            net.version = attribute(xml, "version");
        } else if (name == QLatin1String("location")) {
            const auto offset = parseShape(attribute(xml, "netOffset"));
            if (!offset.empty()) net.netOffset = offset.front();
            net.projParameter = attribute(xml, "projParameter");
        } else if (name == QLatin1String("edge")) {
            inInternalEdge = attribute(xml, "function") == "internal";
            if (inInternalEdge) {
                ++net.internalEdges;
                continue;
            }
            SumoNetDocument::Edge edge;
            edge.id = attribute(xml, "id");
            edge.from = attribute(xml, "from");
            edge.to = attribute(xml, "to");
            edge.type = attribute(xml, "type");
            edge.name = attribute(xml, "name");
            edge.shape = parseShape(attribute(xml, "shape"));
            net.edges.push_back(std::move(edge));
        } else if (name == QLatin1String("lane")) {
            if (inInternalEdge) {
                net.internalLanes[attribute(xml, "id")] = {
                    number(xml, "length", 0.0), number(xml, "speed", 0.0), {}};
                continue;
            }
            if (net.edges.empty()) continue;
            SumoNetDocument::Lane lane;
            lane.speedMps = number(xml, "speed", 13.89);
            lane.lengthM = number(xml, "length", 0.0);
            lane.allowsPassenger = allowsPassenger(attribute(xml, "allow"), attribute(xml, "disallow"));
            lane.shape = parseShape(attribute(xml, "shape"));
            net.edges.back().lanes.push_back(std::move(lane));
        } else if (name == QLatin1String("junction")) {
            inInternalEdge = false;
            const std::string type = attribute(xml, "type");
            inKeptJunction = type != "internal";
            if (!inKeptJunction) continue;
            SumoNetDocument::Junction junction{
                attribute(xml, "id"), type, {number(xml, "x", 0.0), number(xml, "y", 0.0)}, {}, {}};
            for (const QString& lane : QString::fromStdString(attribute(xml, "intLanes"))
                                           .split(QLatin1Char(' '), Qt::SkipEmptyParts))
                junction.internalLanes.push_back(lane.toStdString());
            net.junctions.push_back(std::move(junction));
        } else if (name == QLatin1String("request")) {
            if (!inKeptJunction || net.junctions.empty()) continue;
            const Result<int> request = indexAttribute(path, xml, "index", 0);
            if (!request) return Error{request.error()};
            const auto index = static_cast<std::size_t>(request.value());
            auto& responses = net.junctions.back().responses;
            if (responses.size() <= index) responses.resize(index + 1);
            responses[index] = attribute(xml, "response");
        } else if (name == QLatin1String("connection")) {
            const std::string from = attribute(xml, "from");
            if (from.starts_with(':')) {  // from an internal lane: where it leads through the junction
                const std::string via = attribute(xml, "via");
                if (!via.empty()) {
                    const auto lane = net.internalLanes.find(from + "_" + attribute(xml, "fromLane"));
                    if (lane != net.internalLanes.end()) lane->second.next = via;
                }
                continue;
            }
            SumoNetDocument::Connection c;
            c.from = from;
            c.to = attribute(xml, "to");
            c.tl = attribute(xml, "tl");
            const Result<int> fromLane = indexAttribute(path, xml, "fromLane", 0);
            const Result<int> toLane = indexAttribute(path, xml, "toLane", 0);
            const Result<int> linkIndex = indexAttribute(path, xml, "linkIndex", -1);
            for (const Result<int>* checked : {&fromLane, &toLane, &linkIndex})
                if (!*checked) return Error{checked->error()};
            c.fromLane = fromLane.value();
            c.toLane = toLane.value();
            c.linkIndex = linkIndex.value();
            c.via = attribute(xml, "via");
            const std::string state = attribute(xml, "state");
            c.state = state.empty() ? '\0' : state.front();
            net.connections.push_back(std::move(c));
        } else if (name == QLatin1String("tlLogic")) {
            inInternalEdge = false;
            net.tlLogics.push_back({attribute(xml, "id"),
                                    attribute(xml, "type"),
                                    attribute(xml, "programID"),
                                    number(xml, "offset", 0.0),
                                    {}});
        } else if (name == QLatin1String("phase")) {
            if (net.tlLogics.empty()) continue;
            net.tlLogics.back().phases.push_back({number(xml, "duration", 0.0), attribute(xml, "state")});
        }
    }
    if (xml.hasError()) return Error{lineError(path, xml)};
    if (!sawNet) return Error{path + ": not a SUMO network (no <net> element)"};
    return net;
}

bool SumoNetLoader::isSumoNet(const std::string& path) {
    return path.size() > 8 &&
           QString::fromStdString(path).endsWith(QLatin1String(".net.xml"), Qt::CaseInsensitive);
}

Result<LoadReport> SumoNetLoader::load(const std::string& path, const LoadOptions&, CityModel& model,
                                       Feedback* feedback) {
    auto parsed = parseSumoNet(path);
    if (!parsed) return Error{parsed.error()};
    const SumoNetDocument& net = parsed.value();
    if (feedback && feedback->isCanceled()) return Error{path + ": loading canceled"};
    LoadReport report;
    report.path = path;
    report.driver = "SUMO";
    if (net.internalEdges > 0) report.skipReasons["internal edge"] = net.internalEdges;

    std::unordered_map<std::string, std::size_t> junctionByName;
    for (std::size_t j = 0; j < net.junctions.size(); ++j) junctionByName.emplace(net.junctions[j].id, j);

    // Every kept edge's polyline from its from junction to its to junction, in net coordinates.
    struct KeptEdge {
        std::size_t edge = 0;
        int lanes = 0;
        double speedMps = 0.0;
        std::size_t firstPoint = 0, pointCount = 0;
    };
    std::vector<KeptEdge> kept;
    std::vector<Eigen::Vector3d> points;
    for (std::size_t e = 0; e < net.edges.size(); ++e) {
        const auto& edge = net.edges[e];
        const auto from = junctionByName.find(edge.from), to = junctionByName.find(edge.to);
        if (from == junctionByName.end() || to == junctionByName.end()) {
            ++report.skipReasons["edge without its junctions"];
            continue;
        }
        KeptEdge k{e, 0, 0.0, points.size(), 0};
        for (const auto& lane : edge.lanes) {
            if (!lane.allowsPassenger) continue;
            ++k.lanes;
            k.speedMps = std::max(k.speedMps, lane.speedMps);
        }
        if (k.lanes == 0) {
            ++report.skipReasons["edge closed to passenger cars"];
            continue;
        }
        // SUMO writes an edge's shape only where it is not the straight line between its junctions.
        std::vector<Eigen::Vector2d> shape = edge.shape;
        const Eigen::Vector2d start = net.junctions[from->second].position,
                              end = net.junctions[to->second].position;
        if (shape.empty() || (shape.front() - start).norm() > 0.01) shape.insert(shape.begin(), start);
        if ((shape.back() - end).norm() > 0.01) shape.push_back(end);
        for (const auto& p : shape) points.emplace_back(p.x(), p.y(), 0.0);
        k.pointCount = shape.size();
        kept.push_back(k);
    }
    std::vector<Eigen::Vector2d> planar;
    const bool unprojected = net.projParameter.empty() || net.projParameter == "!";
    if (unprojected) {
        report.sourceCrs =
            model.frame.hasCrs() ? model.frame.crs() : std::string("local metres (unprojected net)");
        planar.reserve(points.size());
        for (const auto& p : points) planar.push_back(p.head<2>());
    } else {
        report.sourceCrs = net.projParameter;
        for (auto& p : points) p.head<2>() -= net.netOffset;
        auto inFrame = planarVerticesInFrame(points, net.projParameter, model, path);
        if (!inFrame) return Error{inFrame.error()};
        planar = std::move(inFrame.value());
    }
    if (!model.frame.origin()) {
        Eigen::AlignedBox2d box;
        for (const auto& p : planar)
            if (p.allFinite()) box.extend(p);
        model.frame.setOrigin(box.isEmpty() ? Eigen::Vector2d::Zero()
                                            : Eigen::Vector2d(box.center().array().round()));
    }
    const Eigen::Vector2d origin = *model.frame.origin();

    const std::size_t firstLink = model.roads.linkCount(), firstNode = model.roads.nodeCount();
    std::unordered_map<std::string, std::size_t> linkByEdge;
    std::unordered_map<std::string, std::uint32_t> nodeByJunction;
    std::vector<Eigen::Vector2d> polyline;
    for (const auto& k : kept) {
        const auto& edge = net.edges[k.edge];
        polyline.clear();
        bool finite = true;
        for (std::size_t i = 0; i < k.pointCount; ++i) {
            const Eigen::Vector2d p = planar[k.firstPoint + i] - origin;
            finite = finite && p.allFinite();
            polyline.push_back(p);
        }
        if (!finite) {
            ++report.skipReasons["edge outside the frame's CRS"];
            continue;
        }
        RoadLink link;
        link.id = edge.id;
        link.roadClass = roadClassOf(edge.type);
        link.name = edge.name;
        link.lanes = link.lanesForward = k.lanes;
        link.lanesBackward = 0;
        link.oneWay = true;
        link.speedLimitKmh = k.speedMps * 3.6;
        linkByEdge.emplace(edge.id, model.roads.linkCount());
        model.roads.addLink(std::move(link), polyline);
        nodeByJunction.emplace(edge.from, model.roads.link(model.roads.linkCount() - 1).fromNode);
        nodeByJunction.emplace(edge.to, model.roads.link(model.roads.linkCount() - 1).toNode);
        ++report.roadWays;
    }
    report.roadLinks = model.roads.linkCount() - firstLink;
    report.roadNodes = model.roads.nodeCount() - firstNode;
    for (std::size_t l = firstLink; l < model.roads.linkCount(); ++l) {
        report.laneKm += model.roads.link(l).lengthM * model.roads.link(l).lanes / 1000.0;
        for (const auto& p : model.roads.geometry(l)) report.extent.extend(p);
    }

    // Signalised nodes: a traffic_light junction is the end node of the edges that arrive at it.
    for (const auto& junction : net.junctions) {
        if (!junction.type.starts_with("traffic_light")) continue;
        const auto node = nodeByJunction.find(junction.id);
        if (node == nodeByJunction.end() || model.roads.node(node->second).hasSignal) continue;
        model.roads.setSignal(node->second, true);
        ++report.trafficSignals;
    }

    std::unordered_map<std::string, std::size_t> programByTl;
    std::vector<SignalProgram> programs;
    for (const auto& logic : net.tlLogics) {
        // SUMO runs the program of a tl it loaded last (each one loaded becomes the default; checked with
        // SaveTLSStates on the A10KW net, whose three GS programs per tl differ).
        const auto [it, added] = programByTl.emplace(logic.id, programs.size());
        if (added) programs.emplace_back();
        SignalProgram& program = programs[it->second];
        program.id = logic.id;
        program.offsetS = logic.offsetS;
        program.phases = logic.phases;
    }
    // A SUMO lane index (0 rightmost, sidewalks and bus lanes included) → the index among the lanes a
    // passenger car may use, which the link keeps; -1 for the others.
    std::unordered_map<std::string, std::size_t> edgeByName;
    for (std::size_t e = 0; e < net.edges.size(); ++e) edgeByName.emplace(net.edges[e].id, e);
    const auto keptLane = [&](const std::string& edgeId, int sumoLane) {
        const auto& lanes = net.edges[edgeByName.at(edgeId)].lanes;
        if (sumoLane < 0 || static_cast<std::size_t>(sumoLane) >= lanes.size() ||
            !lanes[sumoLane].allowsPassenger)
            return -1;
        int index = 0;
        for (int i = 0; i < sumoLane; ++i) index += lanes[i].allowsPassenger ? 1 : 0;
        return index;
    };
    // Each junction link's first internal lane → (junction, link index), for the right of way.
    std::unordered_map<std::string, std::pair<std::size_t, int>> junctionLinkOfVia;
    for (std::size_t j = 0; j < net.junctions.size(); ++j)
        for (std::size_t i = 0; i < net.junctions[j].internalLanes.size(); ++i)
            junctionLinkOfVia.emplace(net.junctions[j].internalLanes[i],
                                      std::make_pair(j, static_cast<int>(i)));
    for (const auto& c : net.connections) {
        const auto from = linkByEdge.find(c.from), to = linkByEdge.find(c.to);
        if (from == linkByEdge.end() || to == linkByEdge.end()) continue;
        const DirectedLink fromLink = directedLink(from->second, false),
                           toLink = directedLink(to->second, false);
        model.roads.addGivenTurn(fromLink, toLink);
        const int fromLane = keptLane(c.from, c.fromLane), toLane = keptLane(c.to, c.toLane);
        if (fromLane < 0 || toLane < 0) continue;  // a connection of a lane cars may not use
        RoadNetwork::LaneTurn laneTurn{fromLink, toLink, fromLane, toLane, 0.0, 0.0, c.state};
        if (const auto link = junctionLinkOfVia.find(c.via); link != junctionLinkOfVia.end()) {
            const auto& responses = net.junctions[link->second.first].responses;
            laneTurn.junctionLink = link->second.second;
            if (static_cast<std::size_t>(link->second.second) < responses.size())
                laneTurn.response = responses[static_cast<std::size_t>(link->second.second)];
        }
        // The way through the junction: the internal lanes from via on, lengths summed, the slowest speed.
        std::string via = c.via;
        for (int hops = 0; !via.empty() && hops < 4; ++hops) {
            const auto lane = net.internalLanes.find(via);
            if (lane == net.internalLanes.end()) break;
            laneTurn.viaLengthM += lane->second.lengthM;
            laneTurn.viaSpeedMps = laneTurn.viaSpeedMps > 0.0
                                       ? std::min(laneTurn.viaSpeedMps, lane->second.speedMps)
                                       : lane->second.speedMps;
            via = lane->second.next;
        }
        model.roads.addGivenLaneTurn(laneTurn);
        if (c.tl.empty() || c.linkIndex < 0) continue;
        const auto program = programByTl.find(c.tl);
        if (program == programByTl.end()) continue;
        SignalProgram& p = programs[program->second];
        const auto index = static_cast<std::size_t>(c.linkIndex);
        if (p.connections.size() <= index) {
            p.connections.resize(index + 1);
            p.connectionKnown.resize(index + 1, false);
        }
        p.connections[index] = {fromLink, toLink, fromLane, toLane};
        p.connectionKnown[index] = true;
    }
    for (auto& program : programs) {
        if (program.connections.empty()) {
            ++report.skipReasons["signal program controlling no kept edge"];
            continue;
        }
        model.roads.addSignalProgram(std::move(program));
    }

    if (model.roads.linkCount() > 0) {
        model.roads.updateConnectivity();
        for (std::size_t l = firstLink; l < model.roads.linkCount(); ++l) {
            report.turns += model.roads.turnsFrom(directedLink(l, false)).size();
            if (model.roads.inLargestComponent(directedLink(l, false))) ++report.largestComponentLinks;
        }
    }
    if (feedback) feedback->setProgress(1.0);
    return report;
}

}  // namespace ut
