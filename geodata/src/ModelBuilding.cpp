#include "ModelBuilding.h"

#include "ut/geodata/CoordinateTransform.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>

namespace ut {

namespace {



// The outline of polygons that tile a region (the triangles of an LoD1 roof, the faces of an LoD2 roof):
// edges shared by two polygons (same positions to the millimetre, opposite directions) cancel, and what
// is left chains into rings, counter-clockwise outside and clockwise around holes. Returns false when the
// edges do not close into rings.
bool outlineOf(const std::vector<std::vector<Eigen::Vector2d>>& outers, const std::vector<std::vector<Eigen::Vector2d>>& holes,
               std::vector<std::vector<Eigen::Vector2d>>& outOuter, std::vector<std::vector<Eigen::Vector2d>>& outHoles) {
    using Key = std::pair<long long, long long>;
    auto keyOf = [](const Eigen::Vector2d& p) { return Key{std::llround(p.x() * 1000.0), std::llround(p.y() * 1000.0)}; };
    std::map<std::pair<Key, Key>, int> edges;  // directed edge → multiplicity
    std::map<Key, Eigen::Vector2d> positions;
    auto addRing = [&](const std::vector<Eigen::Vector2d>& ring, bool hole) {
        const bool ccw = signedArea(ring) > 0.0;
        const bool reverse = ccw == hole;
        for (std::size_t i = 0; i < ring.size(); ++i) {
            Eigen::Vector2d a = ring[i];
            Eigen::Vector2d b = ring[(i + 1) % ring.size()];
            if (reverse) std::swap(a, b);
            const Key ka = keyOf(a);
            const Key kb = keyOf(b);
            if (ka == kb) continue;
            positions.emplace(ka, a);
            positions.emplace(kb, b);
            auto opposite = edges.find({kb, ka});
            if (opposite != edges.end()) {
                if (--opposite->second == 0) edges.erase(opposite);
            } else {
                ++edges[{ka, kb}];
            }
        }
    };
    for (const auto& ring : outers) addRing(ring, false);
    for (const auto& ring : holes) addRing(ring, true);
    std::multimap<Key, Key> next;
    for (const auto& [edge, count] : edges)
        for (int i = 0; i < count; ++i) next.emplace(edge.first, edge.second);
    while (!next.empty()) {
        auto it = next.begin();
        const Key start = it->first;
        std::vector<Eigen::Vector2d> ring;
        Key at = start;
        for (std::size_t guard = 0; guard <= edges.size() + 1; ++guard) {
            ring.push_back(positions[at]);
            const Key to = it->second;
            next.erase(it);
            if (to == start) break;
            at = to;
            it = next.find(at);
            if (it == next.end()) return false;
        }
        if (ring.size() < 3) continue;
        const double area = signedArea(ring);
        if (std::abs(area) < 0.01) continue;
        (area > 0.0 ? outOuter : outHoles).push_back(std::move(ring));
    }
    return !outOuter.empty();
}

}  // namespace

ModelBuilding::ModelBuilding(CityModel& model, const HeightRules& rules, LoadReport& report,
                             const std::vector<Eigen::Vector2d>& planar, const std::vector<Eigen::Vector3d>& points)
    : m_model(model), m_rules(rules), m_report(report), m_planar(planar), m_points(points) {
    if (!model.frame.origin()) {
        Eigen::AlignedBox2d box;
        for (const auto& p : planar)
            if (p.allFinite()) box.extend(p);
        model.frame.setOrigin(box.isEmpty() ? Eigen::Vector2d::Zero() : Eigen::Vector2d(box.center().array().round()));
    }
    m_origin = *model.frame.origin();
}

ModelBuilding::Shape ModelBuilding::shapeOf(const Item& item, bool footprintRequired) {
    Shape shape;
    const Surfaces& surfaces = *item.surfaces;
    if (surfaces.empty()) return shape;
    shape.minZ = std::numeric_limits<double>::infinity();
    shape.maxZ = -std::numeric_limits<double>::infinity();
    for (const auto& surface : surfaces)
        for (const auto& ring : surface.rings)
            for (std::uint32_t v : ring) {
                if (!m_planar[v].allFinite()) {
                    skip("reprojection failed");
                    return shape;
                }
                shape.minZ = std::min(shape.minZ, m_points[v].z());
                shape.maxZ = std::max(shape.maxZ, m_points[v].z());
            }
    // Types: the file's semantics; where it has none at all, the normal tells (LoD1 solids).
    const bool untyped = std::all_of(surfaces.begin(), surfaces.end(), [](const auto& s) { return s.type == SurfaceType::Other; });
    shape.types.reserve(surfaces.size());
    for (const auto& surface : surfaces) {
        if (!untyped) {
            shape.types.push_back(surface.type);
            continue;
        }
        Eigen::Vector3d normal = Eigen::Vector3d::Zero();
        double meanZ = 0.0;
        const auto& ring = surface.rings.front();
        for (std::size_t i = 0; i < ring.size(); ++i) {
            const Eigen::Vector3d a = m_points[ring[i]];
            const Eigen::Vector3d b = m_points[ring[(i + 1) % ring.size()]];
            normal += Eigen::Vector3d((a.y() - b.y()) * (a.z() + b.z()), (a.z() - b.z()) * (a.x() + b.x()),
                                      (a.x() - b.x()) * (a.y() + b.y()));
            meanZ += a.z();
        }
        meanZ /= static_cast<double>(ring.size());
        const double nz = normal.norm() > 0.0 ? normal.z() / normal.norm() : 0.0;
        if (std::abs(nz) < 0.3) {
            shape.types.push_back(SurfaceType::Wall);
        } else if (meanZ - shape.minZ < 0.05 * std::max(shape.maxZ - shape.minZ, 0.1) && nz < 0.0) {
            shape.types.push_back(SurfaceType::Ground);
        } else if (meanZ - shape.minZ < 0.05 * std::max(shape.maxZ - shape.minZ, 0.1) && shape.maxZ - meanZ > 0.5) {
            shape.types.push_back(SurfaceType::Ground);  // bottom of a shell oriented the other way
        } else {
            shape.types.push_back(SurfaceType::Roof);
        }
    }
    // Footprint: the ground surfaces, else the roofs seen from above, else the hull.
    for (SurfaceType wanted : {SurfaceType::Ground, SurfaceType::Roof}) {
        for (std::size_t s = 0; s < surfaces.size(); ++s) {
            if (shape.types[s] != wanted) continue;
            for (std::size_t r = 0; r < surfaces[s].rings.size(); ++r) {
                std::vector<Eigen::Vector2d> ring;
                ring.reserve(surfaces[s].rings[r].size());
                for (std::uint32_t v : surfaces[s].rings[r]) ring.push_back(m_planar[v] - m_origin);
                if (std::abs(signedArea(ring)) < 0.01) continue;
                (r == 0 ? shape.draft.outerRings : shape.draft.holes).push_back(std::move(ring));
            }
        }
        if (!shape.draft.outerRings.empty()) break;
        shape.draft.holes.clear();
    }
    if (shape.draft.outerRings.size() + shape.draft.holes.size() > 1) {
        std::vector<std::vector<Eigen::Vector2d>> outers;
        std::vector<std::vector<Eigen::Vector2d>> holes;
        if (outlineOf(shape.draft.outerRings, shape.draft.holes, outers, holes)) {
            shape.draft.outerRings = std::move(outers);
            shape.draft.holes = std::move(holes);
        }
    }
    if (shape.draft.outerRings.empty()) {
        std::vector<Eigen::Vector2d> all;
        for (const auto& surface : surfaces)
            for (const auto& ring : surface.rings)
                for (std::uint32_t v : ring) all.push_back(m_planar[v] - m_origin);
        auto hull = convexHull(std::move(all));
        if (hull.size() >= 3 && std::abs(signedArea(hull)) >= 0.01) shape.draft.outerRings.push_back(std::move(hull));
    }
    if (shape.draft.outerRings.empty() && footprintRequired) {
        skip("degenerate footprint");
        return shape;
    }
    shape.ok = true;
    return shape;
}

void ModelBuilding::describe(BuildingDraft& draft, const Item& item, double geometricHeight) {
    draft.id = item.id;
    draft.attributes = *item.attributes;
    const auto height = resolveHeight(draft.attributes, m_rules);
    if (height.source == HeightSource::Attribute) {
        draft.heightM = height.heightM;
        draft.heightSource = HeightSource::Attribute;
    } else {
        // Measured from the 3D geometry.
        draft.heightM = geometricHeight;
        draft.heightSource = HeightSource::Attribute;
    }
    draft.name = std::string(findAttribute(draft.attributes, {"name", "Name", "gml:name"}).value_or(""));
    draft.useType = rawUseType(draft.attributes);
    draft.useClass = classifyUse(draft.attributes);
    draft.yearBuilt = resolveYearBuilt(draft.attributes);
    draft.baseElevationKnown = true;
}

void ModelBuilding::addSurfaces(const Item& item, const Shape& shape, std::size_t row) {
    const Surfaces& surfaces = *item.surfaces;
    std::vector<std::vector<Eigen::Vector3d>> rings;
    for (std::size_t s = 0; s < surfaces.size(); ++s) {
        rings.clear();
        for (const auto& ring : surfaces[s].rings) {
            std::vector<Eigen::Vector3d> points;
            points.reserve(ring.size());
            for (std::uint32_t v : ring) {
                const Eigen::Vector2d p = m_planar[v] - m_origin;
                points.emplace_back(p.x(), p.y(), m_points[v].z());
            }
            rings.push_back(std::move(points));
        }
        m_model.surfaces.add(static_cast<std::uint32_t>(row), shape.types[s], rings);
        ++m_report.surfaces[toString(shape.types[s])];
    }
}

void ModelBuilding::add(const Item& building) {
    Shape own = shapeOf(building, building.parts.empty());
    std::vector<Shape> parts;
    std::vector<const Item*> partItems;
    for (const auto& part : building.parts) {
        Shape shape = shapeOf(part, true);
        if (!shape.ok) continue;
        parts.push_back(std::move(shape));
        partItems.push_back(&part);
    }
    if (!own.ok && parts.empty()) {
        if (building.surfaces->empty() && std::all_of(building.parts.begin(), building.parts.end(),
                                                      [](const Item& p) { return p.surfaces->empty(); })) {
            skip("no geometry");
        }
        return;
    }
    double minZ = own.ok ? own.minZ : std::numeric_limits<double>::infinity();
    double maxZ = own.ok ? own.maxZ : -std::numeric_limits<double>::infinity();
    for (const auto& part : parts) {
        minZ = std::min(minZ, part.minZ);
        maxZ = std::max(maxZ, part.maxZ);
    }
    BuildingDraft draft = own.ok ? own.draft : BuildingDraft{};
    if (draft.outerRings.empty()) {
        for (const auto& part : parts) {
            draft.outerRings.insert(draft.outerRings.end(), part.draft.outerRings.begin(), part.draft.outerRings.end());
            draft.holes.insert(draft.holes.end(), part.draft.holes.begin(), part.draft.holes.end());
        }
    }
    describe(draft, building, maxZ - minZ);
    draft.baseElevationM = minZ;
    draft.hasParts = !parts.empty();
    if (!(draft.heightM > 0.0 && draft.heightM < 1000.0)) {
        skip("absurd height");
        return;
    }
    const std::size_t row = m_model.buildings.add(std::move(draft));
    ++m_report.buildings;
    ++m_report.heightSources[static_cast<std::size_t>(m_model.buildings.heightSource(row))];
    if (own.ok) addSurfaces(building, own, row);
    for (std::size_t p = 0; p < parts.size(); ++p) {
        BuildingDraft partDraft = std::move(parts[p].draft);
        describe(partDraft, *partItems[p], parts[p].maxZ - parts[p].minZ);
        partDraft.baseElevationM = parts[p].minZ;
        partDraft.partOf = static_cast<std::uint32_t>(row);
        if (!(partDraft.heightM > 0.0 && partDraft.heightM < 1000.0)) {
            skip("absurd height");
            continue;
        }
        const std::size_t partRow = m_model.buildings.add(std::move(partDraft));
        ++m_report.buildingParts;
        addSurfaces(*partItems[p], parts[p], partRow);
    }
    for (std::uint32_t r = m_model.buildings.ringBegin(row); r < m_model.buildings.ringEnd(row); ++r)
        for (const auto& v : m_model.buildings.ring(r)) m_report.extent.extend(v);
}

namespace {

// PROJ takes tens of milliseconds to set up a transformation (database lookups), more than reading a
// city model; each thread keeps the ones it made, so later files in the same CRS skip that.
Result<ApproximateTransform*> cachedTransform(const std::string& sourceCrs, const std::string& targetCrs) {
    thread_local std::map<std::pair<std::string, std::string>, std::unique_ptr<ApproximateTransform>> transforms;
    auto& slot = transforms[{sourceCrs, targetCrs}];
    if (!slot) {
        auto created = CoordinateTransform::create(sourceCrs, targetCrs);
        if (!created) {
            transforms.erase({sourceCrs, targetCrs});
            return Error{created.error()};
        }
        slot = std::make_unique<ApproximateTransform>(std::move(created.value()));
    }
    return slot.get();
}

}  // namespace

Result<std::vector<Eigen::Vector2d>> planarVerticesInFrame(const std::vector<Eigen::Vector3d>& vertices,
                                                           const std::string& crs, CityModel& model,
                                                           const std::string& path) {
    std::vector<Eigen::Vector2d> planar(vertices.size());
    for (std::size_t i = 0; i < planar.size(); ++i) planar[i] = vertices[i].head<2>();
    if (!model.frame.hasCrs()) {
        if (planar.empty()) return Error{path + ": no building geometry"};
        Eigen::AlignedBox2d box;
        for (const auto& p : planar) box.extend(p);
        auto toGeographic = cachedTransform(crs, "EPSG:4326");
        if (!toGeographic) return Error{path + ": " + toGeographic.error()};
        Eigen::Vector2d centre = box.center();
        if (toGeographic.value()->exact().forward({&centre, 1}) > 0) return Error{path + ": cannot locate the model in " + crs};
        model.frame.setCrs(LocalFrame::utmCrsFor(centre.x(), centre.y()));
    }
    auto toFrame = cachedTransform(crs, model.frame.crs());
    if (!toFrame) return Error{path + ": " + toFrame.error()};
    toFrame.value()->forward(planar);
    return planar;
}

}  // namespace ut
