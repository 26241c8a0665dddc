#pragma once

#include <Eigen/Core>
#include <map>
#include <string>
#include <vector>

#include "ut/geodata/CityModel.h"
#include "ut/geodata/Feedback.h"
#include "ut/geodata/Result.h"
#include "ut/geodata/VectorLoader.h"

namespace ut {

// A SUMO network (.net.xml) as the file has it, in the net's own coordinates (projParameter's CRS minus
// netOffset). Internal edges (function="internal") are kept only as their lanes' lengths and speeds, and
// connections from internal lanes only as the next internal lane they lead through (via).
struct SumoNetDocument {
    struct Lane {
        double speedMps = 0.0;
        double lengthM = 0.0;
        bool allowsPassenger = true;  // allow/disallow let a passenger car drive it
        std::vector<Eigen::Vector2d> shape;
    };
    struct Edge {
        std::string id, from, to, type, name;
        std::vector<Eigen::Vector2d> shape;  // the edge's own shape attribute; empty when it has none
        std::vector<Lane> lanes;
    };
    struct Junction {
        std::string id, type;
        Eigen::Vector2d position = Eigen::Vector2d::Zero();
        std::vector<std::string>
            internalLanes;                   // intLanes: the first internal lane of each link, by link index
        std::vector<std::string> responses;  // per link index, its <request response>
    };
    struct Connection {
        std::string from, to, tl, via;
        int fromLane = 0, toLane = 0, linkIndex = -1;
        char state = 0;
    };
    struct InternalLane {
        double lengthM = 0.0, speedMps = 0.0;
        std::string next;  // the internal lane it continues into (an internal junction), if any
    };
    struct TlLogic {
        std::string id, type, programId;
        double offsetS = 0.0;
        std::vector<SignalProgram::Phase> phases;
    };
    std::string version;
    Eigen::Vector2d netOffset = Eigen::Vector2d::Zero();
    std::string projParameter;  // a PROJ string, or "!" for an unprojected net
    std::vector<Edge> edges;
    std::vector<Junction> junctions;
    std::vector<Connection> connections;
    std::map<std::string, InternalLane> internalLanes;  // by lane id (":J_0_0")
    std::vector<TlLogic> tlLogics;
    std::size_t internalEdges = 0;
};

// Streams a .net.xml (QXmlStreamReader). Errors name the file and the line.
Result<SumoNetDocument> parseSumoNet(const std::string& path);

// Loads a SUMO network into model.roads: each normal edge with a lane a passenger car may use becomes a
// one-way link (id = the edge id, class = its type without "highway.", lanes = those passenger lanes,
// speed limit = their highest speed) whose geometry is the edge's shape (else the straight line) from its
// from junction to its to junction; traffic_light junctions are signalised nodes; connections between kept
// edges are the network's given turns; each tlLogic program (any type, run as fixed-time) is kept as a
// SignalProgram whose connections are those with its tl, by linkIndex. Coordinates are projParameter's
// CRS after adding back netOffset, reprojected into the project frame (a frame without a CRS takes the
// UTM zone of the net's centre); an unprojected net ("!") is taken as the frame's CRS, or as local
// metres when the frame has none.
class SumoNetLoader {
public:
    static bool isSumoNet(const std::string& path);
    static Result<LoadReport> load(const std::string& path, const LoadOptions& options, CityModel& model,
                                   Feedback* feedback = nullptr);
};

// A demand item of a SUMO route file: a vehicle with a route, or a trip from one edge to another.
struct SumoTrip {
    std::string id;
    double departS = 0.0;
    std::vector<std::string> edges;  // the route, when the file gives one
    std::string from, to;            // first and last edge (the route's ends when it has one)
};

struct SumoRoutes {
    std::vector<SumoTrip> trips;  // in file order; flows expanded
    std::map<std::string, std::size_t> skipReasons;
};

// Reads <vehicle> (with a <route> child or a route="id" reference), <trip from to> and <flow> (begin,
// end and one of number, vehsPerHour or period; with a route or from/to) from a .rou.xml. Vehicles of a
// flow depart evenly spaced from begin. Departures that are not a number of seconds ("triggered") and
// probability flows are skipped and counted. Errors name the file and the line.
Result<SumoRoutes> readSumoRoutes(const std::string& path);

}  // namespace ut
