#include "ut/geodata/VectorLoader.h"

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "ut/geodata/CoordinateTransform.h"
#include "ut/geodata/OsmTags.h"

namespace ut {

std::size_t LoadReport::skipped() const {
    std::size_t total = 0;
    for (const auto& [reason, count] : skipReasons) total += count;
    return total;
}

namespace {

// Silences GDAL's own printing for the scope and keeps the last message for our error line.
class GdalErrorScope {
public:
    GdalErrorScope() {
        CPLPushErrorHandler(CPLQuietErrorHandler);
        CPLErrorReset();
    }
    ~GdalErrorScope() { CPLPopErrorHandler(); }
    std::string lastMessage() const { return CPLGetLastErrorMsg(); }
};

enum class LayerRole { Ignored, Buildings, Roads };

struct LayerState {
    LayerRole role = LayerRole::Ignored;
    std::string crs;
    std::unique_ptr<CoordinateTransform> toFrame;
    std::string error;
};

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

std::string crsName(const OGRSpatialReference& srs) {
    OGRSpatialReference copy(srs);
    if (!copy.GetAuthorityCode(nullptr)) copy.AutoIdentifyEPSG();
    const char* authority = copy.GetAuthorityName(nullptr);
    const char* code = copy.GetAuthorityCode(nullptr);
    if (authority && code) return std::string(authority) + ":" + code;
    const char* name = copy.GetName();
    return name ? name : "unknown";
}

std::string crsForProj(const OGRSpatialReference& srs) {
    const std::string name = crsName(srs);
    if (name.starts_with("EPSG:")) return name;
    char* wkt = nullptr;
    const char* options[] = {"FORMAT=WKT2_2018", nullptr};
    srs.exportToWkt(&wkt, options);
    std::string result = wkt ? wkt : "";
    CPLFree(wkt);
    return result;
}

AttributeList attributesOf(const OGRFeature& feature) {
    AttributeList attributes;
    const OGRFeatureDefn* definition = feature.GetDefnRef();
    for (int i = 0; i < definition->GetFieldCount(); ++i) {
        if (!feature.IsFieldSetAndNotNull(i)) continue;
        const char* name = definition->GetFieldDefn(i)->GetNameRef();
        const char* value = feature.GetFieldAsString(i);
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
bool framePoints(const OGRSimpleCurve& curve, const CoordinateTransform& toFrame, const Eigen::Vector2d& origin,
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

struct LoaderRun {
    const std::string& path;
    const LoadOptions& options;
    CityModel& model;
    LoadReport& report;
    Eigen::Vector2d origin;
    std::vector<Eigen::Vector2d> scratch;

    void skip(const std::string& reason) { ++report.skipReasons[reason]; }

    void addBuilding(const OGRFeature& feature, const OGRGeometry& geometry, const CoordinateTransform& toFrame,
                     const std::string& id) {
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
        const auto height = resolveHeight(draft.attributes, options.heights);
        draft.heightM = height.heightM;
        draft.heightSource = height.source;
        draft.id = id;
        draft.name = valueOr(draft.attributes, {"name", "BLD_NM", "BULD_NM"});
        draft.useType = valueOr(draft.attributes, {"building", "use", "usage", "building_use", "function"});
        model.buildings.add(std::move(draft));
        ++report.buildings;
        ++report.heightSources[static_cast<std::size_t>(height.source)];
    }

    void addRoad(const OGRFeature& feature, const OGRGeometry& geometry, const CoordinateTransform& toFrame,
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
        const std::string oneway = valueOr(attributes, {"oneway"});
        const bool reversed = oneway == "-1";
        RoadLink link;
        link.roadClass = roadClass;
        link.name = valueOr(attributes, {"name", "RN", "ROAD_NM"});
        link.oneWay = oneway == "yes" || oneway == "1" || oneway == "true" || reversed ||
                      roadClass == "motorway" || valueOr(attributes, {"junction"}) == "roundabout";
        const auto lanes = parsePositiveNumber(valueOr(attributes, {"lanes", "RDLN", "LANES"}));
        link.lanes = lanes ? static_cast<int>(*lanes) : defaultLanesForRoadClass(roadClass);
        const std::string maxspeed = valueOr(attributes, {"maxspeed", "MAX_SPD"});
        if (auto speed = parsePositiveNumber(maxspeed)) {
            link.speedLimitKmh = *speed;
        } else if (maxspeed.ends_with("mph")) {
            if (auto mph = parsePositiveNumber(maxspeed.substr(0, maxspeed.size() - 3))) link.speedLimitKmh = *mph * 1.609344;
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
            RoadLink copy = link;
            copy.id = parts.size() > 1 ? id + "#" + std::to_string(partIndex) : id;
            model.roads.addLink(std::move(copy), scratch);
            ++report.roadLinks;
            ++partIndex;
        }
    }
};

std::string featureId(const OGRFeature& feature, OGRLayer& layer, bool isOsm) {
    if (isOsm) {
        const int wayField = feature.GetFieldIndex("osm_way_id");
        if (wayField >= 0 && feature.IsFieldSetAndNotNull(wayField)) {
            return std::string("way/") + feature.GetFieldAsString(wayField);
        }
        const int idField = feature.GetFieldIndex("osm_id");
        if (idField >= 0 && feature.IsFieldSetAndNotNull(idField)) {
            const bool relation = std::string_view(layer.GetName()) == "multipolygons";
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
    GDALAllRegister();
    GdalErrorScope errors;
    GDALDatasetUniquePtr dataset(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!dataset) {
        const std::string reason = errors.lastMessage();
        return Error{path + ": not a vector GIS file GDAL can read" + (reason.empty() ? "" : " (" + reason + ")")};
    }
    const bool isOsm = std::string_view(dataset->GetDriverName()) == "OSM";

    LoadReport report;
    report.path = path;
    report.driver = dataset->GetDriverName();
    const bool originWasSet = model.frame.origin().has_value();
    LoaderRun run{path, options, model, report, model.frame.origin().value_or(Eigen::Vector2d::Zero()), {}};
    const std::size_t firstBuilding = model.buildings.size();
    const std::size_t firstLink = model.roads.linkCount();

    std::unordered_map<OGRLayer*, LayerState> layers;
    auto stateOf = [&](OGRLayer* layer, const OGRGeometry* firstGeometry) -> LayerState& {
        auto [it, inserted] = layers.try_emplace(layer);
        LayerState& state = it->second;
        if (!inserted) return state;
        const std::string name = layer->GetName();
        if (isOsm) {
            state.role = name == "multipolygons" ? LayerRole::Buildings
                         : name == "lines"       ? LayerRole::Roads
                                                 : LayerRole::Ignored;
        } else {
            const auto type = layer->GetGeomType();
            const auto geometryType = firstGeometry ? firstGeometry->getGeometryType() : type;
            state.role = isPolygonal(geometryType) ? LayerRole::Buildings
                         : isLinear(geometryType)  ? LayerRole::Roads
                                                   : LayerRole::Ignored;
        }
        if (state.role == LayerRole::Ignored) return state;
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
        state.toFrame = std::make_unique<CoordinateTransform>(std::move(toFrame.value()));
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

        std::string roadClass;
        if (isOsm) {
            const AttributeList attributes = attributesOf(*feature);
            if (state.role == LayerRole::Buildings) {
                const std::string building = valueOr(attributes, {"building"});
                if (building.empty() || building == "no") continue;
            } else {
                roadClass = valueOr(attributes, {"highway"});
                if (roadClass.empty() || kNonDrivableHighways.contains(roadClass)) continue;
            }
        } else if (state.role == LayerRole::Roads) {
            roadClass = valueOr(attributesOf(*feature), {"highway", "fclass", "road_class", "class"}, "road");
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
        if (ready.role == LayerRole::Buildings) {
            if (!isPolygonal(geometry->getGeometryType())) {
                run.skip("not a polygon");
                continue;
            }
            run.addBuilding(*feature, *geometry, *ready.toFrame, id);
        } else {
            if (!isLinear(geometry->getGeometryType())) {
                run.skip("not a line");
                continue;
            }
            run.addRoad(*feature, *geometry, *ready.toFrame, id, roadClass);
        }
    }
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
    if (feedback) feedback->setProgress(1.0);
    return report;
}

}  // namespace ut
