#include "ut/geodata/VectorLoader.h"

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <span>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "GdalSupport.h"
#include "OsmConfig.h"
#include "ut/geodata/CoordinateTransform.h"
#include "ut/geodata/CityGmlLoader.h"
#include "ut/geodata/CityJsonLoader.h"
#include "ut/geodata/SumoNetLoader.h"
#include "ut/geodata/DemLoader.h"
#include "ut/geodata/OsmTags.h"

namespace ut {

std::size_t LoadReport::skipped() const {
    std::size_t total = 0;
    for (const auto& [reason, count] : skipReasons) total += count;
    return total;
}

namespace {

// NotRoads: a line layer with no road fields (contours, boundaries…), skipped and counted.
enum class LayerRole { Ignored, Buildings, Roads, Signals, BuildingRelations, NotRoads };

struct LayerState {
    LayerRole role = LayerRole::Ignored;
    std::string crs;
    std::unique_ptr<ApproximateTransform> toFrame;
    std::string error;
};

// A GIS line layer is a road layer when the project names its road fields or it has one of the
// common road field names.
bool namesRoadFields(OGRLayer& layer, const RoadFieldNames& named) {
    if (!named.lanes.empty() || !named.speedLimit.empty() || !named.oneWay.empty() || !named.roadClass.empty() ||
        !named.name.empty())
        return true;
    const OGRFeatureDefn* definition = layer.GetLayerDefn();
    for (int i = 0; i < definition->GetFieldCount(); ++i)
        if (isRoadFieldName(definition->GetFieldDefn(i)->GetNameRef())) return true;
    return false;
}

const std::unordered_set<std::string> kNonDrivableHighways = {
    "footway", "path", "cycleway", "steps", "pedestrian", "bridleway", "corridor", "construction",
    "proposed", "platform", "elevator", "abandoned", "razed", "bus_stop", "via_ferrata", "track"};

bool isPolygonal(OGRwkbGeometryType type) {
    const auto flat = wkbFlatten(type);
    return flat == wkbPolygon || flat == wkbMultiPolygon || flat == wkbCurvePolygon || flat == wkbMultiSurface;
}

bool isLinear(OGRwkbGeometryType type) {
    const auto flat = wkbFlatten(type);
    return flat == wkbLineString || flat == wkbMultiLineString || flat == wkbCompoundCurve ||
           flat == wkbMultiCurve;
}

// Numbers as text with std::to_chars (shortest round trip), which is several times faster than GDAL's
// printf formatting; reals with a declared width or precision (Shapefiles) keep GDAL's text.
bool formatNumber(const OGRFeature& feature, int field, const OGRFieldDefn& definition, std::array<char, 32>& text) {
    std::to_chars_result result{};
    switch (definition.GetType()) {
        case OFTInteger:
        case OFTInteger64:
            if (definition.GetSubType() == OFSTBoolean) return false;
            result = std::to_chars(text.data(), text.data() + text.size() - 1, feature.GetFieldAsInteger64(field));
            break;
        case OFTReal:
            if (definition.GetWidth() != 0 || definition.GetPrecision() != 0) return false;
            result = std::to_chars(text.data(), text.data() + text.size() - 1, feature.GetFieldAsDouble(field));
            break;
        default:
            return false;
    }
    if (result.ec != std::errc()) return false;
    *result.ptr = '\0';
    return true;
}

AttributeList attributesOf(const OGRFeature& feature) {
    AttributeList attributes;
    const OGRFeatureDefn* definition = feature.GetDefnRef();
    std::array<char, 32> number{};
    for (int i = 0; i < definition->GetFieldCount(); ++i) {
        if (!feature.IsFieldSetAndNotNull(i)) continue;
        const OGRFieldDefn& field = *definition->GetFieldDefn(i);
        const char* name = field.GetNameRef();
        const char* value = formatNumber(feature, i, field, number) ? number.data() : feature.GetFieldAsString(i);
        if (std::string_view(name) == "other_tags") {
            appendOsmOtherTags(value, attributes);
        } else {
            attributes.emplace_back(name, value);
        }
    }
    return attributes;
}

std::string valueOr(const AttributeList& attributes, std::initializer_list<std::string_view> names,
                    std::string fallback = {}) {
    if (auto value = findAttribute(attributes, names)) return std::string(*value);
    return fallback;
}

// Points of a ring or line, transformed into the frame and cleaned of repeats.
// Returns false when a point could not be transformed.
bool framePoints(const OGRSimpleCurve& curve, ApproximateTransform& toFrame, const Eigen::Vector2d& origin,
                 bool closed, std::vector<Eigen::Vector2d>& out) {
    out.clear();
    const int n = curve.getNumPoints();
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) out.emplace_back(curve.getX(i), curve.getY(i));
    if (toFrame.forward(out) > 0) return false;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        Eigen::Vector2d p = out[i] - origin;
        if (kept > 0 && (p - out[kept - 1]).squaredNorm() < 1e-8) continue;
        out[kept++] = p;
    }
    out.resize(kept);
    if (closed && out.size() > 1 && (out.front() - out.back()).squaredNorm() < 1e-8) out.pop_back();
    return true;
}

// Marks a building:part until the read is over and its building can be found.
constexpr std::uint32_t kPartWithoutBuilding = kNoBuilding - 1;

// Orientation-free identity of a ring: its vertex count and its lowest and highest vertex. The same
// OSM way reaches us as a polygon in multipolygons and as a member of its relation in other_relations.
struct RingKey {
    std::size_t count = 0;
    Eigen::Vector2d low;
    Eigen::Vector2d high;
};

std::uint64_t hashOf(const RingKey& key) {
    return RoadNetwork::positionKey(key.low) * 31u + RoadNetwork::positionKey(key.high) * 7u + key.count;
}

RingKey ringKeyOf(std::span<const Eigen::Vector2d> ring) {
    auto less = [](const Eigen::Vector2d& a, const Eigen::Vector2d& b) {
        return a.x() < b.x() || (a.x() == b.x() && a.y() < b.y());
    };
    const auto [low, high] = std::minmax_element(ring.begin(), ring.end(), less);
    return {ring.size(), *low, *high};
}

// A type=building relation: its tags and the rings of its polygon members.
struct BuildingRelation {
    std::string id;
    AttributeList attributes;
    std::vector<RingKey> members;
};


bool insideRing(const Eigen::Vector2d& p, std::span<const Eigen::Vector2d> ring) {
    bool inside = false;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const auto& a = ring[i];
        const auto& b = ring[j];
        if ((a.y() > p.y()) != (b.y() > p.y()) && p.x() < (b.x() - a.x()) * (p.y() - a.y()) / (b.y() - a.y()) + a.x()) {
            inside = !inside;
        }
    }
    return inside;
}

double areaOf(const BuildingDraft& draft) {
    double area = 0.0;
    for (const auto& ring : draft.outerRings) area += std::abs(signedArea(ring));
    for (const auto& ring : draft.holes) area -= std::abs(signedArea(ring));
    return area;
}

Eigen::Vector2d centroidOf(std::span<const Eigen::Vector2d> ring) {
    double twiceArea = 0.0;
    Eigen::Vector2d sum = Eigen::Vector2d::Zero();
    const Eigen::Vector2d o = ring.front();
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
        const Eigen::Vector2d a = ring[i] - o;
        const Eigen::Vector2d b = ring[(i + 1) % n] - o;
        const double cross = a.x() * b.y() - b.x() * a.y();
        twiceArea += cross;
        sum += (a + b) * cross;
    }
    if (std::abs(twiceArea) < 1e-9) return o;
    return o + sum / (3.0 * twiceArea);
}

bool covers(const BuildingDraft& building, const Eigen::Vector2d& p) {
    for (const auto& hole : building.holes)
        if (insideRing(p, hole)) return false;
    return std::any_of(building.outerRings.begin(), building.outerRings.end(),
                       [&](const auto& ring) { return insideRing(p, ring); });
}

struct PendingRestriction {
    TurnRestriction::Kind kind = TurnRestriction::Kind::No;
    std::vector<Eigen::Vector2d> fromLine;
    Eigen::Vector2d via = Eigen::Vector2d::Constant(std::numeric_limits<double>::quiet_NaN());
    std::vector<Eigen::Vector2d> toLine;
};

struct LoaderRun {
    const std::string& path;
    const LoadOptions& options;
    CityModel& model;
    LoadReport& report;
    Eigen::Vector2d origin;
    bool isOsm = false;
    std::vector<Eigen::Vector2d> scratch;
    std::vector<BuildingDraft> osmBuildings;  // held back until parts find their buildings
    std::vector<BuildingRelation> relations;
    std::vector<RoadNetwork::Way> roads;
    std::vector<Eigen::Vector2d> signalPositions;
    std::vector<PendingRestriction> restrictions;

    void skip(const std::string& reason) { ++report.skipReasons[reason]; }

    void describe(BuildingDraft& draft) const {
        const auto height = resolveHeight(draft.attributes, options.heights);
        draft.heightM = height.heightM;
        draft.heightSource = height.source;
        draft.minHeightM = resolveMinHeight(draft.attributes, options.heights);
        if (draft.minHeightM >= draft.heightM) draft.minHeightM = 0.0;
        draft.name = valueOr(draft.attributes, {"name", "BLD_NM", "BULD_NM"});
        if (draft.name.empty() && isAlD010Layout(draft.attributes)) draft.name = valueOr(draft.attributes, {"A24"});
        draft.useType = rawUseType(draft.attributes);
        draft.useClass = classifyUse(draft.attributes);
        draft.yearBuilt = resolveYearBuilt(draft.attributes);
    }

    void addBuilding(const OGRFeature& feature, const OGRGeometry& geometry, ApproximateTransform& toFrame,
                     const std::string& id, bool isPart) {
        BuildingDraft draft;
        std::vector<const OGRPolygon*> polygons;
        const auto flat = wkbFlatten(geometry.getGeometryType());
        std::unique_ptr<OGRGeometry> linear;
        const OGRGeometry* source = &geometry;
        if (geometry.hasCurveGeometry()) {
            linear.reset(geometry.getLinearGeometry());
            source = linear.get();
        }
        if (wkbFlatten(source->getGeometryType()) == wkbPolygon) {
            polygons.push_back(source->toPolygon());
        } else if (wkbFlatten(source->getGeometryType()) == wkbMultiPolygon) {
            for (const OGRPolygon* part : *source->toMultiPolygon()) polygons.push_back(part);
        } else {
            skip("unsupported geometry " + std::string(OGRGeometryTypeToName(flat)));
            return;
        }
        for (const OGRPolygon* polygon : polygons) {
            for (int r = 0; r < polygon->getNumInteriorRings() + 1; ++r) {
                const OGRLinearRing* ring = r == 0 ? polygon->getExteriorRing() : polygon->getInteriorRing(r - 1);
                if (!ring) continue;
                if (!framePoints(*ring, toFrame, origin, true, scratch)) {
                    skip("reprojection failed");
                    return;
                }
                if (scratch.size() < 3 || std::abs(signedArea(scratch)) < 0.01) continue;
                (r == 0 ? draft.outerRings : draft.holes).push_back(scratch);
            }
        }
        if (draft.outerRings.empty()) {
            skip("degenerate footprint");
            return;
        }
        draft.attributes = attributesOf(feature);
        draft.id = id;
        describe(draft);
        if (isPart) draft.partOf = kPartWithoutBuilding;
        if (isOsm) {
            osmBuildings.push_back(std::move(draft));
        } else {
            tally(draft);
            model.buildings.add(std::move(draft));
        }
    }

    void tally(const BuildingDraft& draft) {
        if (draft.partOf != kNoBuilding) {
            ++report.buildingParts;
            return;
        }
        ++report.buildings;
        ++report.heightSources[static_cast<std::size_t>(draft.heightSource)];
    }

    void addRelation(const OGRFeature& feature, const OGRGeometry& geometry, ApproximateTransform& toFrame,
                     const std::string& id) {
        BuildingRelation relation;
        relation.id = id;
        relation.attributes = attributesOf(feature);
        if (wkbFlatten(geometry.getGeometryType()) != wkbGeometryCollection) return;
        for (const OGRGeometry* member : *geometry.toGeometryCollection()) {
            const OGRSimpleCurve* ring = nullptr;
            const auto type = wkbFlatten(member->getGeometryType());
            if (type == wkbPolygon) {
                ring = member->toPolygon()->getExteriorRing();
            } else if (type == wkbLineString && member->toLineString()->get_IsClosed()) {
                ring = member->toLineString();
            }
            if (ring && framePoints(*ring, toFrame, origin, true, scratch) && scratch.size() >= 3) {
                relation.members.push_back(ringKeyOf(scratch));
            }
        }
        relations.push_back(std::move(relation));
    }

    // GDAL gives a relation's members as geometries in member order, without their roles: a restriction's
    // from way is taken as its first line, its to way as its last, and its via as its one point (the order
    // OSM editors write; a via way is not supported).
    void addTurnRestriction(const OGRFeature& feature, const OGRGeometry& geometry, ApproximateTransform& toFrame) {
        const AttributeList attributes = attributesOf(feature);
        const std::string value = valueOr(attributes, {"restriction", "restriction:motorcar"});
        PendingRestriction restriction;
        if (value.starts_with("no_")) {
            restriction.kind = TurnRestriction::Kind::No;
        } else if (value.starts_with("only_")) {
            restriction.kind = TurnRestriction::Kind::Only;
        } else {
            skip("turn restriction of an unknown kind");
            return;
        }
        if (wkbFlatten(geometry.getGeometryType()) != wkbGeometryCollection) return;
        int points = 0;
        std::vector<std::vector<Eigen::Vector2d>> lines;
        for (const OGRGeometry* member : *geometry.toGeometryCollection()) {
            const auto type = wkbFlatten(member->getGeometryType());
            if (type == wkbPoint) {
                ++points;
                Eigen::Vector2d p(member->toPoint()->getX(), member->toPoint()->getY());
                if (toFrame.forward({&p, 1}) == 0) restriction.via = p - origin;
            } else if (type == wkbLineString && framePoints(*member->toLineString(), toFrame, origin, false, scratch)) {
                lines.push_back(scratch);
            }
        }
        if (points != 1 || lines.size() < 2) {
            skip("turn restriction without from, via node and to");
            return;
        }
        restriction.fromLine = std::move(lines.front());
        restriction.toLine = std::move(lines.back());
        restrictions.push_back(std::move(restriction));
    }

    // The directed link at the via node that runs along line: arriving there when arriving is true,
    // else leaving.
    std::optional<DirectedLink> directedLinkAlong(std::uint32_t via, const std::vector<Eigen::Vector2d>& line,
                                                  bool arriving,
                                                  const std::unordered_multimap<std::uint32_t, std::size_t>& linksAt) const {
        const auto& network = model.roads;
        const std::uint64_t viaKey = RoadNetwork::positionKey(network.node(via).position);
        std::vector<std::uint64_t> besideVia;
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (RoadNetwork::positionKey(line[i]) != viaKey) continue;
            if (i > 0) besideVia.push_back(RoadNetwork::positionKey(line[i - 1]));
            if (i + 1 < line.size()) besideVia.push_back(RoadNetwork::positionKey(line[i + 1]));
        }
        const auto [first, last] = linksAt.equal_range(via);
        for (auto it = first; it != last; ++it) {
            const std::size_t l = it->second;
            const auto geometry = network.geometry(l);
            for (const bool backward : {false, true}) {
                const DirectedLink d = directedLink(l, backward);
                if (!network.isDriven(d) || (arriving ? network.endNode(d) : network.startNode(d)) != via) continue;
                // The vertex next to the via node along the link.
                const bool viaAtEnd = arriving != backward;
                const auto& beside = viaAtEnd ? geometry[geometry.size() - 2] : geometry[1];
                if (std::find(besideVia.begin(), besideVia.end(), RoadNetwork::positionKey(beside)) != besideVia.end()) {
                    return d;
                }
            }
        }
        return std::nullopt;
    }

    void finishTurnRestrictions(std::size_t firstLink) {
        if (restrictions.empty()) return;
        std::unordered_multimap<std::uint32_t, std::size_t> linksAt;
        for (std::size_t l = firstLink; l < model.roads.linkCount(); ++l) {
            linksAt.emplace(model.roads.link(l).fromNode, l);
            if (model.roads.link(l).toNode != model.roads.link(l).fromNode) linksAt.emplace(model.roads.link(l).toNode, l);
        }
        for (const auto& pending : restrictions) {
            const auto via = model.roads.findNode(pending.via);
            const auto from = via ? directedLinkAlong(*via, pending.fromLine, true, linksAt) : std::nullopt;
            const auto to = via ? directedLinkAlong(*via, pending.toLine, false, linksAt) : std::nullopt;
            if (!from || !to) {
                skip("turn restriction not on the drivable roads");
                continue;
            }
            model.roads.addTurnRestriction({pending.kind, *from, *via, *to});
            ++report.turnRestrictions;
        }
        restrictions.clear();
    }

    // Gives each building:part its building (the type=building relation's outline, or the convex hull
    // of its parts where it has no outline; else the building whose footprint holds the part's
    // centroid), moves relation tags onto the outline, and adds all.
    void finishOsmBuildings() {
        auto& drafts = osmBuildings;
        std::unordered_multimap<std::uint64_t, std::size_t> byRing;
        for (std::size_t d = 0; d < drafts.size(); ++d)
            for (const auto& ring : drafts[d].outerRings) byRing.emplace(hashOf(ringKeyOf(ring)), d);
        auto matches = [](const RingKey& a, const RingKey& b) {
            return a.count == b.count && (a.low - b.low).squaredNorm() < 1e-8 && (a.high - b.high).squaredNorm() < 1e-8;
        };
        std::vector<std::size_t> relationBuildings;  // drawn by their parts, as the relation declares
        for (auto& relation : relations) {
            std::vector<std::size_t> outlines;
            std::vector<std::size_t> parts;
            for (const auto& key : relation.members) {
                const auto [begin, end] = byRing.equal_range(hashOf(key));
                for (auto it = begin; it != end; ++it) {
                    const auto& draft = drafts[it->second];
                    if (!std::any_of(draft.outerRings.begin(), draft.outerRings.end(),
                                     [&](const auto& ring) { return matches(ringKeyOf(ring), key); })) {
                        continue;
                    }
                    auto& list = draft.partOf == kPartWithoutBuilding ? parts : outlines;
                    if (std::find(list.begin(), list.end(), it->second) == list.end()) list.push_back(it->second);
                }
            }
            if (outlines.empty() && parts.empty()) {
                skip("building relation without members");
                continue;
            }
            std::size_t building = 0;
            if (!outlines.empty()) {
                building = outlines.front();
                AttributeList merged = relation.attributes;
                for (auto& attribute : drafts[building].attributes) {
                    if (!findAttribute(merged, {attribute.first})) merged.push_back(std::move(attribute));
                }
                drafts[building].attributes = std::move(merged);
            } else {
                BuildingDraft outline;
                std::vector<Eigen::Vector2d> points;
                for (std::size_t p : parts)
                    for (const auto& ring : drafts[p].outerRings) points.insert(points.end(), ring.begin(), ring.end());
                outline.outerRings.push_back(convexHull(std::move(points)));
                outline.attributes = relation.attributes;
                building = drafts.size();
                drafts.push_back(std::move(outline));
            }
            drafts[building].id = relation.id;
            describe(drafts[building]);
            for (std::size_t p : parts) drafts[p].partOf = static_cast<std::uint32_t>(building);
            if (!parts.empty()) relationBuildings.push_back(building);
        }
        assignPartsByContainment();

        std::vector<double> partArea(drafts.size(), 0.0);
        for (auto& draft : drafts) {
            if (draft.partOf == kPartWithoutBuilding) draft.partOf = kNoBuilding;
            if (draft.partOf != kNoBuilding) partArea[draft.partOf] += areaOf(draft);
        }
        for (std::size_t d = 0; d < drafts.size(); ++d) {
            // Parts found by position that cover most of the footprint draw the building; a few parts
            // inside a larger building stand beside its own extrusion.
            drafts[d].hasParts = partArea[d] >= 0.5 * areaOf(drafts[d]);
        }
        for (std::size_t d : relationBuildings) drafts[d].hasParts = true;
        for (auto& draft : drafts) {
            if (draft.partOf == kNoBuilding) continue;
            inheritFromBuilding(draft, drafts[draft.partOf]);
        }
        const auto first = static_cast<std::uint32_t>(model.buildings.size());
        for (auto& draft : drafts) {
            if (draft.partOf != kNoBuilding) draft.partOf += first;
            tally(draft);
            model.buildings.add(std::move(draft));
        }
        drafts.clear();
    }

    void assignPartsByContainment() {
        auto& drafts = osmBuildings;
                constexpr double kCell = 100.0;
        auto cellOf = [](double x, double y) {
            const auto i = static_cast<std::uint64_t>(static_cast<std::int64_t>(std::floor(x / kCell)));
            const auto j = static_cast<std::uint64_t>(static_cast<std::int64_t>(std::floor(y / kCell)));
            return i * 0x9E3779B97F4A7C15ull ^ j;
        };
        std::unordered_multimap<std::uint64_t, std::size_t> grid;
        bool anyUnassigned = false;
        for (const auto& draft : drafts) anyUnassigned = anyUnassigned || draft.partOf == kPartWithoutBuilding;
        if (!anyUnassigned) return;
        for (std::size_t d = 0; d < drafts.size(); ++d) {
            if (drafts[d].partOf != kNoBuilding) continue;
            Eigen::AlignedBox2d box;
            for (const auto& ring : drafts[d].outerRings)
                for (const auto& v : ring) box.extend(v);
            const Eigen::Vector2d low = (box.min() / kCell).array().floor();
            const Eigen::Vector2d high = (box.max() / kCell).array().floor();
            if ((high - low).maxCoeff() > 50) continue;  // not a building outline but a district
            for (double x = low.x(); x <= high.x(); ++x)
                for (double y = low.y(); y <= high.y(); ++y) grid.emplace(cellOf(x * kCell, y * kCell), d);
        }
        for (auto& part : drafts) {
            if (part.partOf != kPartWithoutBuilding) continue;
            const Eigen::Vector2d centre = centroidOf(part.outerRings.front());
            double bestArea = std::numeric_limits<double>::infinity();
            const auto [begin, end] = grid.equal_range(cellOf(centre.x(), centre.y()));
            for (auto it = begin; it != end; ++it) {
                const auto& building = drafts[it->second];
                const double area = areaOf(building);
                if (area < bestArea && covers(building, centre)) {
                    bestArea = area;
                    part.partOf = static_cast<std::uint32_t>(it->second);
                }
            }
            if (part.partOf == kPartWithoutBuilding) part.partOf = kNoBuilding;
        }
    }

    // A part with levels but no height takes its building's storey height where the building has
    // both (Lotte World Tower: 555 m over 123 levels), and its use and year where it has none.
    void inheritFromBuilding(BuildingDraft& part, const BuildingDraft& building) const {
        if (part.heightSource == HeightSource::Levels && building.heightSource == HeightSource::Attribute) {
            const auto levels = findAttribute(building.attributes, {"building:levels", "levels", "GRND_FLR"});
            if (const auto count = levels ? parsePositiveNumber(*levels) : std::nullopt) {
                const double storey = building.heightM / *count;
                if (storey >= 2.0 && storey <= 8.0) {
                    part.heightM = std::min(part.heightM / options.heights.storeyHeightM * storey, building.heightM);
                }
            }
        }
        if (part.useClass == UseClass::Other) part.useClass = building.useClass;
        if (part.yearBuilt == 0) part.yearBuilt = building.yearBuilt;
    }

    void addRoad(const OGRFeature& feature, const OGRGeometry& geometry, ApproximateTransform& toFrame,
                 const std::string& id, const std::string& roadClass) {
        std::unique_ptr<OGRGeometry> linear;
        const OGRGeometry* source = &geometry;
        if (geometry.hasCurveGeometry()) {
            linear.reset(geometry.getLinearGeometry());
            source = linear.get();
        }
        std::vector<const OGRLineString*> parts;
        if (wkbFlatten(source->getGeometryType()) == wkbLineString) {
            parts.push_back(source->toLineString());
        } else if (wkbFlatten(source->getGeometryType()) == wkbMultiLineString) {
            for (const OGRLineString* part : *source->toMultiLineString()) parts.push_back(part);
        }
        const AttributeList attributes = attributesOf(feature);
        const RoadAttributes road = readRoadAttributes(attributes, isOsm ? RoadFieldNames{} : options.roadFields);
        const bool reversed = road.oneWay == OneWay::Backward;
        RoadLink link;
        link.roadClass = roadClass;
        link.name = road.name;
        link.oneWay = road.oneWay != OneWay::No || roadClass == "motorway" ||
                      valueOr(attributes, {"junction"}) == "roundabout";
        setLanes(link, attributes, road.lanes, reversed);
        const std::string& maxspeed = road.speedLimit;
        if (auto speed = parsePositiveNumber(maxspeed)) {
            link.speedLimitKmh = *speed;
        } else if (maxspeed.ends_with("mph")) {
            if (auto mph = parsePositiveNumber(maxspeed.substr(0, maxspeed.size() - 3))) link.speedLimitKmh = *mph * 1.609344;
        }
        if (link.speedLimitKmh <= 0.0) {
            link.speedLimitKmh = defaultSpeedLimitForRoadClass(roadClass);
            link.speedLimitEstimated = true;
        }
        int partIndex = 0;
        for (const OGRLineString* part : parts) {
            if (!framePoints(*part, toFrame, origin, false, scratch)) {
                skip("reprojection failed");
                continue;
            }
            if (scratch.size() < 2) {
                skip("degenerate line");
                continue;
            }
            if (reversed) std::reverse(scratch.begin(), scratch.end());
            RoadNetwork::Way way{link, scratch};
            way.link.id = parts.size() > 1 ? id + "#" + std::to_string(partIndex) : id;
            roads.push_back(std::move(way));
            ++report.roadWays;
            ++partIndex;
        }
    }

    // Lanes from lanes, lanes:forward and lanes:backward (OSM directions, swapped for oneway=-1),
    // else the class default (half of it for one carriageway of a one-way pair); a one-way link has
    // all of them forward, a two-way link at least one each way.
    static void setLanes(RoadLink& link, const AttributeList& attributes, std::string_view lanes, bool reversed) {
        auto count = [](std::optional<std::string_view> value) -> int {
            const auto number = value ? parsePositiveNumber(*value) : std::nullopt;
            return number && *number < 50.0 ? static_cast<int>(*number) : 0;
        };
        int total = count(lanes);
        int forward = count(findAttribute(attributes, {"lanes:forward"}));
        int backward = count(findAttribute(attributes, {"lanes:backward"}));
        if (reversed) std::swap(forward, backward);
        if (total == 0) total = forward + backward;
        if (total == 0) total = link.oneWay ? std::max(1, defaultLanesForRoadClass(link.roadClass) / 2)
                                            : defaultLanesForRoadClass(link.roadClass);
        if (link.oneWay) {
            link.lanes = link.lanesForward = total;
            link.lanesBackward = 0;
            return;
        }
        total = std::max(total, 2);
        if (forward == 0 && backward == 0) {
            backward = total / 2;
            forward = total - backward;
        } else if (forward == 0) {
            forward = std::max(1, total - backward);
        } else if (backward == 0) {
            backward = std::max(1, total - forward);
        }
        link.lanesForward = forward;
        link.lanesBackward = backward;
        link.lanes = forward + backward;
    }

    void finishRoads() {
        const std::size_t firstLink = model.roads.linkCount();
        const std::size_t firstNode = model.roads.nodeCount();
        report.roadLinks = model.roads.addWays(roads, signalPositions);
        roads.clear();
        report.roadNodes = model.roads.nodeCount() - firstNode;
        for (const auto& position : signalPositions) {
            const auto node = model.roads.findNode(position);
            if (!node || model.roads.node(*node).hasSignal) continue;
            model.roads.setSignal(*node, true);
            ++report.trafficSignals;
        }
        for (std::size_t l = firstLink; l < model.roads.linkCount(); ++l) {
            report.laneKm += model.roads.link(l).lengthM * model.roads.link(l).lanes / 1000.0;
        }
        finishTurnRestrictions(firstLink);
        if (model.roads.linkCount() == 0) return;
        model.roads.updateConnectivity();
        for (std::size_t l = firstLink; l < model.roads.linkCount(); ++l) {
            for (const bool backward : {false, true}) report.turns += model.roads.turnsFrom(directedLink(l, backward)).size();
            const bool inLargest = model.roads.inLargestComponent(directedLink(l, false)) ||
                                   model.roads.inLargestComponent(directedLink(l, true));
            if (inLargest) ++report.largestComponentLinks;
        }
    }
};

bool isValidUtf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (length == 0 || i + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k)
            if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return false;
        i += length;
    }
    return true;
}

bool isKoreanCrs(const std::string& crs) {
    if (!crs.starts_with("EPSG:")) return false;
    const int code = std::atoi(crs.c_str() + 5);
    return (code >= 5167 && code <= 5191) || (code >= 2096 && code <= 2098) || code == 4737 || code == 4162;
}

// The encoding to reopen a Shapefile with, or empty when GDAL already knows it (.cpg, language driver id)
// or the strings are valid UTF-8.
std::string guessShapefileEncoding(GDALDataset& dataset) {
    if (dataset.GetLayerCount() < 1) return {};
    OGRLayer* layer = dataset.GetLayer(0);
    const char* declared = layer->GetMetadataItem("SOURCE_ENCODING", "SHAPEFILE");
    if (declared && *declared) return {};
    bool valid = true;
    int read = 0;
    layer->ResetReading();
    for (OGRFeatureUniquePtr feature(layer->GetNextFeature()); feature && valid && read < 2000;
         feature.reset(layer->GetNextFeature()), ++read) {
        for (int i = 0; i < feature->GetFieldCount() && valid; ++i) {
            if (feature->GetFieldDefnRef(i)->GetType() != OFTString || !feature->IsFieldSetAndNotNull(i)) continue;
            valid = isValidUtf8(feature->GetFieldAsString(i));
        }
    }
    layer->ResetReading();
    if (valid) return {};
    // Korean data: a Korean CRS, or features within Korea (124–132° E, 33–39° N).
    const OGRSpatialReference* srs = layer->GetSpatialRef();
    if (!srs) return "ISO-8859-1";
    if (isKoreanCrs(crsName(*srs))) return "CP949";
    OGREnvelope envelope;
    if (layer->GetExtent(&envelope, TRUE) != OGRERR_NONE) return "ISO-8859-1";
    auto toGeographic = CoordinateTransform::create(crsForProj(*srs), "EPSG:4326");
    if (!toGeographic) return "ISO-8859-1";
    Eigen::Vector2d centre((envelope.MinX + envelope.MaxX) / 2.0, (envelope.MinY + envelope.MaxY) / 2.0);
    if (toGeographic->forward({&centre, 1}) > 0) return "ISO-8859-1";
    const bool inKorea = centre.x() > 124.0 && centre.x() < 132.0 && centre.y() > 33.0 && centre.y() < 39.0;
    return inKorea ? "CP949" : "ISO-8859-1";
}

std::string featureId(const OGRFeature& feature, OGRLayer& layer, bool isOsm) {
    if (isOsm) {
        const int wayField = feature.GetFieldIndex("osm_way_id");
        if (wayField >= 0 && feature.IsFieldSetAndNotNull(wayField)) {
            return std::string("way/") + feature.GetFieldAsString(wayField);
        }
        const int idField = feature.GetFieldIndex("osm_id");
        if (idField >= 0 && feature.IsFieldSetAndNotNull(idField)) {
            const std::string_view layerName = layer.GetName();
            const bool relation = layerName == "multipolygons" || layerName == "other_relations";
            return std::string(relation ? "relation/" : "way/") + feature.GetFieldAsString(idField);
        }
    }
    return std::string(layer.GetName()) + ":" + std::to_string(feature.GetFID());
}

}  // namespace

Result<LoadReport> VectorLoader::load(const std::string& path, const LoadOptions& options, CityModel& model,
                                      Feedback* feedback) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return Error{path + ": no such file"};
    if (std::filesystem::is_directory(path, ec) && std::filesystem::is_empty(path, ec)) {
        return Error{path + ": empty folder, not a GIS dataset"};
    }
    if (CityJsonLoader::isCityJson(path)) return CityJsonLoader::load(path, options, model, feedback);
    if (CityGmlLoader::isCityGml(path)) return CityGmlLoader::load(path, options, model, feedback);
    if (SumoNetLoader::isSumoNet(path)) return SumoNetLoader::load(path, options, model, feedback);
    if (DemLoader::isRaster(path)) return DemLoader::load(path, options, model, feedback);
    GDALAllRegister();
    GdalErrorScope errors;
    GDALDriverH identified = GDALIdentifyDriverEx(path.c_str(), GDAL_OF_VECTOR, nullptr, nullptr);
    const bool osmFile = identified && std::string_view(GDALGetDriverShortName(identified)) == "OSM";
    const std::string configOption = "CONFIG_FILE=" + osmConfigPath();
    const char* const osmOptions[] = {configOption.c_str(), nullptr};
    GDALDatasetUniquePtr dataset(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                                   osmFile && !osmConfigPath().empty() ? osmOptions : nullptr,
                                                   nullptr));
    if (!dataset) {
        const std::string reason = errors.lastMessage();
        return Error{path + ": not a vector GIS file GDAL can read" + (reason.empty() ? "" : " (" + reason + ")")};
    }
    std::string encoding;
    if (std::string_view(dataset->GetDriverName()) == "ESRI Shapefile") {
        encoding = options.encoding.empty() ? guessShapefileEncoding(*dataset) : options.encoding;
        if (!encoding.empty()) {
            const std::string encodingOption = "ENCODING=" + encoding;
            const char* const shapefileOptions[] = {encodingOption.c_str(), nullptr};
            dataset.reset(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, shapefileOptions, nullptr));
            if (!dataset) return Error{path + ": cannot read with the encoding " + encoding + " (" + errors.lastMessage() + ")"};
        } else if (dataset->GetLayerCount() > 0) {
            const char* declared = dataset->GetLayer(0)->GetMetadataItem("SOURCE_ENCODING", "SHAPEFILE");
            encoding = declared ? declared : "";
        }
    }
    const bool isOsm = std::string_view(dataset->GetDriverName()) == "OSM";

    LoadReport report;
    report.path = path;
    report.driver = dataset->GetDriverName();
    report.encoding = encoding;
    const bool originWasSet = model.frame.origin().has_value();
    LoaderRun run{path, options, model, report, model.frame.origin().value_or(Eigen::Vector2d::Zero()), isOsm,
                  {}, {}, {}, {}, {}, {}};
    const std::size_t firstBuilding = model.buildings.size();
    const std::size_t firstLink = model.roads.linkCount();

    std::unordered_map<OGRLayer*, LayerState> layers;
    auto stateOf = [&](OGRLayer* layer, const OGRGeometry* firstGeometry) -> LayerState& {
        auto [it, inserted] = layers.try_emplace(layer);
        LayerState& state = it->second;
        if (!inserted) return state;
        const std::string name = layer->GetName();
        if (isOsm) {
            state.role = name == "multipolygons"     ? LayerRole::Buildings
                         : name == "lines"           ? LayerRole::Roads
                         : name == "points"          ? LayerRole::Signals
                         : name == "other_relations" ? LayerRole::BuildingRelations
                                                     : LayerRole::Ignored;
        } else {
            const auto type = layer->GetGeomType();
            const auto geometryType = firstGeometry ? firstGeometry->getGeometryType() : type;
            state.role = isPolygonal(geometryType) ? LayerRole::Buildings
                         : isLinear(geometryType)  ? LayerRole::Roads
                                                   : LayerRole::Ignored;
            if (state.role == LayerRole::Roads && !namesRoadFields(*layer, options.roadFields)) state.role = LayerRole::NotRoads;
        }
        if (state.role == LayerRole::Ignored || state.role == LayerRole::NotRoads) return state;
        const OGRSpatialReference* srs = layer->GetSpatialRef();
        if (!srs) {
            state.error = path + ": layer '" + name + "' has no coordinate reference system (add a .prj or name one)";
            return state;
        }
        state.crs = crsName(*srs);
        if (!model.frame.hasCrs()) {
            if (!firstGeometry) return state;
            OGRPoint centre;
            firstGeometry->Centroid(&centre);
            auto toGeographic = CoordinateTransform::create(crsForProj(*srs), "EPSG:4326");
            if (!toGeographic) {
                state.error = path + ": " + toGeographic.error();
                return state;
            }
            Eigen::Vector2d lonLat(centre.getX(), centre.getY());
            toGeographic->forward({&lonLat, 1});
            model.frame.setCrs(LocalFrame::utmCrsFor(lonLat.x(), lonLat.y()));
        }
        auto toFrame = CoordinateTransform::create(crsForProj(*srs), model.frame.crs());
        if (!toFrame) {
            state.error = path + ": " + toFrame.error();
            return state;
        }
        state.toFrame = std::make_unique<ApproximateTransform>(std::move(toFrame.value()));
        return state;
    };

    OGRLayer* layer = nullptr;
    double progress = 0.0;
    std::size_t featureCount = 0;
    for (OGRFeatureUniquePtr feature(dataset->GetNextFeature(&layer, &progress, nullptr, nullptr)); feature;
         feature.reset(dataset->GetNextFeature(&layer, &progress, nullptr, nullptr))) {
        if (feedback && (++featureCount & 1023) == 0) {
            if (feedback->isCanceled()) return Error{path + ": loading canceled"};
            feedback->setProgress(progress);
        }
        const OGRGeometry* geometry = feature->GetGeometryRef();
        LayerState& state = stateOf(layer, geometry);
        if (state.role == LayerRole::Ignored) continue;
        if (state.role == LayerRole::NotRoads) {
            run.skip("line without road fields (class, lanes, speed limit, one-way or name): not a road");
            continue;
        }

        std::string roadClass;
        bool isPart = false;
        if (isOsm) {
            if (state.role == LayerRole::Signals || state.role == LayerRole::BuildingRelations) {
                const char* field = state.role == LayerRole::Signals ? "highway" : "type";
                const int index = feature->GetFieldIndex(field);
                const std::string_view value =
                    index >= 0 && feature->IsFieldSetAndNotNull(index) ? feature->GetFieldAsString(index) : "";
                const bool wanted = state.role == LayerRole::Signals
                                        ? value == "traffic_signals"
                                        : value == "building" || value == "restriction";
                if (!wanted) continue;
            }
            const AttributeList attributes = attributesOf(*feature);
            if (state.role == LayerRole::Buildings) {
                const std::string building = valueOr(attributes, {"building"});
                const std::string part = valueOr(attributes, {"building:part"});
                isPart = (building.empty() || building == "no") && !part.empty() && part != "no";
                if ((building.empty() || building == "no") && !isPart) continue;
            } else if (state.role == LayerRole::Roads) {
                roadClass = valueOr(attributes, {"highway"});
                if (roadClass.empty() || kNonDrivableHighways.contains(roadClass)) continue;
            }
        } else if (state.role == LayerRole::Roads) {
            roadClass = readRoadAttributes(attributesOf(*feature), options.roadFields).roadClass;
            if (roadClass.empty()) roadClass = "road";
            if (kNonDrivableHighways.contains(roadClass)) {
                run.skip("not a drivable road");
                continue;
            }
        }
        if (!geometry || geometry->IsEmpty()) {
            run.skip("no geometry");
            continue;
        }
        if (!state.error.empty()) return Error{state.error};
        if (!state.toFrame) {
            layers.erase(layer);
            LayerState& retry = stateOf(layer, geometry);
            if (!retry.error.empty()) return Error{retry.error};
        }
        LayerState& ready = layers.at(layer);
        if (report.sourceCrs.empty()) report.sourceCrs = ready.crs;
        const std::string id = featureId(*feature, *layer, isOsm);
        if (ready.role == LayerRole::Signals) {
            if (wkbFlatten(geometry->getGeometryType()) != wkbPoint) continue;
            Eigen::Vector2d p(geometry->toPoint()->getX(), geometry->toPoint()->getY());
            if (ready.toFrame->forward({&p, 1}) == 0) run.signalPositions.push_back(p - run.origin);
        } else if (ready.role == LayerRole::BuildingRelations) {
            const int typeField = feature->GetFieldIndex("type");
            if (std::string_view(feature->GetFieldAsString(typeField)) == "restriction") {
                run.addTurnRestriction(*feature, *geometry, *ready.toFrame);
            } else {
                run.addRelation(*feature, *geometry, *ready.toFrame, id);
            }
        } else if (ready.role == LayerRole::Buildings) {
            if (!isPolygonal(geometry->getGeometryType())) {
                run.skip("not a polygon");
                continue;
            }
            run.addBuilding(*feature, *geometry, *ready.toFrame, id, isPart);
        } else {
            if (!isLinear(geometry->getGeometryType())) {
                run.skip("not a line");
                continue;
            }
            run.addRoad(*feature, *geometry, *ready.toFrame, id, roadClass);
        }
    }
    run.finishOsmBuildings();
    run.finishRoads();
    if (report.sourceCrs.empty()) {
        for (int i = 0; i < dataset->GetLayerCount(); ++i) {
            if (const auto* srs = dataset->GetLayer(i)->GetSpatialRef()) {
                report.sourceCrs = crsName(*srs);
                break;
            }
        }
    }

    Eigen::AlignedBox2d added;
    for (std::size_t b = firstBuilding; b < model.buildings.size(); ++b)
        for (std::uint32_t r = model.buildings.ringBegin(b); r < model.buildings.ringEnd(b); ++r)
            for (const auto& v : model.buildings.ring(r)) added.extend(v);
    for (std::size_t l = firstLink; l < model.roads.linkCount(); ++l)
        for (const auto& v : model.roads.geometry(l)) added.extend(v);

    if (!originWasSet && !added.isEmpty()) {
        const Eigen::Vector2d centre = added.center().array().round();
        model.buildings.translate(-centre);
        model.roads.translate(-centre);
        model.frame.setOrigin(centre);
        added.translate(-centre);
    }
    report.extent = added;
    report.buildingsOnTerrain = placeOnTerrain(model, firstBuilding);
    if (feedback) feedback->setProgress(1.0);
    return report;
}

}  // namespace ut
