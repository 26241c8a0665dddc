#pragma once

#include <string>

#include "ut/geodata/CityModel.h"
#include "ut/geodata/Result.h"
#include "ut/traffic/TrafficEngine.h"

namespace ut::traffic {

// Reads an origin-destination matrix (JSON, see docs/traffic.md) for the lane graph built from
// city.roads:
//   {"coordinates": "lonlat" | "local",
//    "zones": [{"id": "A", "polygon": [[x, y], ...]}, {"id": "B", "links": ["id", ...]}, ...],
//    "trips_per_hour": {"A": {"B": 300, ...}, ...},
//    "profile": [24 factors by clock hour]}        (optional; without it the morning-peak profile)
// Polygons are WGS 84 longitude/latitude unless "coordinates" is "local" (metres in the project frame).
// A zone's edges are those trips can use whose midpoint lies in its polygon, or both directions of its
// links. Errors name the file and what is wrong in it.
Result<OdMatrix> readOdMatrix(const std::string& path, const LaneGraph& graph, const CityModel& city,
                              const TrafficParameters& p);

}  // namespace ut::traffic
