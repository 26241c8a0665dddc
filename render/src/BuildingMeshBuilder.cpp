#include "ut/render/BuildingMeshBuilder.h"
#include "OsgArrays.h"

#include <osg/TriangleIndexFunctor>
#include <osgUtil/Tessellator>

#include <algorithm>
#include <cmath>

namespace ut::render {

namespace {
const osg::Vec4ub kWallColor(219, 214, 204, 255);
const osg::Vec4ub kRoofColor(242, 240, 235, 255);

struct TriangleCollector {
    std::vector<unsigned int> indices;
    void operator()(unsigned int a, unsigned int b, unsigned int c) {
        indices.insert(indices.end(), {a, b, c});
    }
};
}  // namespace

BuildingMeshBuilder::BuildingMeshBuilder(MeshDetail detail)
    : m_detail(detail),
      m_vertices(new osg::Vec3Array),
      m_normals(new osg::Vec3Array),
      m_colors(new osg::Vec4ubArray),
      m_buildingIndices(new osg::FloatArray),
      m_triangles(new osg::DrawElementsUInt(GL_TRIANGLES)) {}

void BuildingMeshBuilder::addBuilding(const BuildingTable& buildings, std::size_t index) {
    if (buildings.hasParts(index)) return;  // its building:part rows draw it
    const auto bottom = static_cast<float>(buildings.baseElevationM(index) + buildings.minHeightM(index));
    const auto top = static_cast<float>(buildings.baseElevationM(index) + buildings.heightM(index));
    std::vector<std::vector<Eigen::Vector2d>> simplified;
    std::vector<std::span<const Eigen::Vector2d>> rings;
    if (buildings.footprintAreaM2(index) < m_detail.minFootprintM2 && buildings.heightM(index) < m_detail.minHeightM) return;
    if (m_detail.simplifyToleranceM > 0.0) {
        // Never coarser than a sixth of the building's size, so that slim towers keep their shape.
        const double tolerance = std::min(m_detail.simplifyToleranceM, std::sqrt(buildings.footprintAreaM2(index)) / 6.0);
        for (std::uint32_t r = buildings.ringBegin(index); r < buildings.ringEnd(index); ++r) {
            auto ring = simplifyRing(buildings.ring(r), tolerance);
            if (ring.size() >= 3) simplified.push_back(std::move(ring));
            else if (r == buildings.ringBegin(index)) return;
        }
        for (const auto& ring : simplified) rings.emplace_back(ring);
    } else {
        for (std::uint32_t r = buildings.ringBegin(index); r < buildings.ringEnd(index); ++r) rings.push_back(buildings.ring(r));
    }
    for (const auto& ring : rings) addWalls(ring, bottom, top);
    addRoof(rings, top);
    m_buildingIndices->resize(m_vertices->size(), static_cast<float>(index));
}

std::vector<Eigen::Vector2d> simplifyRing(std::span<const Eigen::Vector2d> ring, double toleranceM) {
    // Douglas–Peucker on the ring opened at its first vertex and at the vertex farthest from it.
    const std::size_t n = ring.size();
    if (n <= 4) return {ring.begin(), ring.end()};
    std::size_t far = 0;
    for (std::size_t i = 1; i < n; ++i)
        if ((ring[i] - ring[0]).squaredNorm() > (ring[far] - ring[0]).squaredNorm()) far = i;
    std::vector<char> keep(n, 0);
    keep[0] = keep[far] = 1;
    std::vector<std::pair<std::size_t, std::size_t>> stack{{0, far}, {far, n}};
    while (!stack.empty()) {
        const auto [first, last] = stack.back();
        stack.pop_back();
        const Eigen::Vector2d& a = ring[first];
        const Eigen::Vector2d& b = ring[last % n];
        const Eigen::Vector2d ab = b - a;
        const double length = ab.norm();
        double worst = 0.0;
        std::size_t worstIndex = first;
        for (std::size_t i = first + 1; i < last; ++i) {
            const Eigen::Vector2d ap = ring[i] - a;
            const double distance = length > 1e-9 ? std::abs(ab.x() * ap.y() - ab.y() * ap.x()) / length : ap.norm();
            if (distance > worst) {
                worst = distance;
                worstIndex = i;
            }
        }
        if (worst > toleranceM) {
            keep[worstIndex] = 1;
            stack.push_back({first, worstIndex});
            stack.push_back({worstIndex, last});
        }
    }
    std::vector<Eigen::Vector2d> out;
    for (std::size_t i = 0; i < n; ++i)
        if (keep[i]) out.push_back(ring[i]);
    return out;
}

void BuildingMeshBuilder::addWalls(std::span<const Eigen::Vector2d> ring, float bottom, float top) {
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
        const Eigen::Vector2d& a = ring[i];
        const Eigen::Vector2d& b = ring[(i + 1) % n];
        const Eigen::Vector2d edge = b - a;
        const double length = edge.norm();
        if (length < 1e-6) continue;
        const osg::Vec3 normal(static_cast<float>(edge.y() / length), static_cast<float>(-edge.x() / length), 0.0f);
        const auto first = static_cast<unsigned int>(m_vertices->size());
        const osg::Vec3 ab(static_cast<float>(a.x()), static_cast<float>(a.y()), bottom);
        const osg::Vec3 bb(static_cast<float>(b.x()), static_cast<float>(b.y()), bottom);
        appendAll(*m_vertices, {ab, bb, osg::Vec3(bb.x(), bb.y(), top), osg::Vec3(ab.x(), ab.y(), top)});
        m_normals->insert(m_normals->end(), 4, normal);
        m_colors->insert(m_colors->end(), 4, kWallColor);
        appendAll(*m_triangles, {first, first + 1, first + 2, first, first + 2, first + 3});
    }
}

void BuildingMeshBuilder::addRoof(const std::vector<std::span<const Eigen::Vector2d>>& rings, float top) {
    std::vector<std::vector<osg::Vec3>> rings3d;
    for (const auto& ring : rings) {
        auto& out = rings3d.emplace_back();
        for (const auto& v : ring) out.emplace_back(static_cast<float>(v.x()), static_cast<float>(v.y()), top);
    }
    addPolygon(rings3d, osg::Vec3(0.0f, 0.0f, 1.0f), kRoofColor);
}

void BuildingMeshBuilder::addPolygon(const std::vector<std::vector<osg::Vec3>>& rings, const osg::Vec3& normal,
                                     const osg::Vec4ub& colour) {
    osg::ref_ptr<osg::Geometry> polygon = new osg::Geometry;
    osg::ref_ptr<osg::Vec3Array> outline = new osg::Vec3Array;
    for (const auto& ring : rings) {
        const auto first = static_cast<GLint>(outline->size());
        outline->insert(outline->end(), ring.begin(), ring.end());
        polygon->addPrimitiveSet(new osg::DrawArrays(GL_POLYGON, first, static_cast<GLsizei>(ring.size())));
    }
    polygon->setVertexArray(outline);
    osg::ref_ptr<osgUtil::Tessellator> tessellator = new osgUtil::Tessellator;
    tessellator->setTessellationType(osgUtil::Tessellator::TESS_TYPE_GEOMETRY);
    tessellator->setWindingType(osgUtil::Tessellator::TESS_WINDING_ODD);
    tessellator->setBoundaryOnly(false);
    tessellator->setTessellationNormal(normal);
    tessellator->retessellatePolygons(*polygon);

    osg::TriangleIndexFunctor<TriangleCollector> collector;
    polygon->accept(collector);
    const auto* vertices = static_cast<const osg::Vec3Array*>(polygon->getVertexArray());
    const auto base = static_cast<unsigned int>(m_vertices->size());
    m_vertices->insert(m_vertices->end(), vertices->begin(), vertices->end());
    m_normals->insert(m_normals->end(), vertices->size(), normal);
    m_colors->insert(m_colors->end(), vertices->size(), colour);
    const auto& t = collector.indices;
    for (std::size_t i = 0; i + 2 < t.size(); i += 3) {
        const osg::Vec3& a = (*vertices)[t[i]];
        const osg::Vec3& b = (*vertices)[t[i + 1]];
        const osg::Vec3& c = (*vertices)[t[i + 2]];
        const bool facesNormal = ((b - a) ^ (c - a)) * normal >= 0.0f;
        appendAll(*m_triangles, {base + t[i], base + t[facesNormal ? i + 1 : i + 2], base + t[facesNormal ? i + 2 : i + 1]});
    }
}

void BuildingMeshBuilder::addSurfaces(const BuildingSurfaces& surfaces, std::span<const std::uint32_t> surfaceIndices,
                                      std::size_t building) {
    m_hasSurfaces = true;
    for (const std::uint32_t s : surfaceIndices) {
        const SurfaceType type = surfaces.type(s);
        if (type == SurfaceType::Ground || type == SurfaceType::Closure) continue;
        std::vector<std::vector<osg::Vec3>> rings;
        osg::Vec3d newell;
        for (std::uint32_t r = surfaces.ringBegin(s); r < surfaces.ringEnd(s); ++r) {
            const auto ring = surfaces.ring(r);
            auto& out = rings.emplace_back();
            for (std::size_t i = 0; i < ring.size(); ++i) {
                const Eigen::Vector3d& p = ring[i];
                out.emplace_back(static_cast<float>(p.x()), static_cast<float>(p.y()), static_cast<float>(p.z()));
                if (r != surfaces.ringBegin(s)) continue;
                const Eigen::Vector3d& q = ring[(i + 1) % ring.size()];
                newell += osg::Vec3d((p.y() - q.y()) * (p.z() + q.z()), (p.z() - q.z()) * (p.x() + q.x()),
                                     (p.x() - q.x()) * (p.y() + q.y()));
            }
        }
        if (rings.front().size() < 3 || newell.length2() < 1e-12) continue;
        newell.normalize();
        addPolygon(rings, osg::Vec3(newell), type == SurfaceType::Roof ? kRoofColor : kWallColor);
    }
    m_buildingIndices->resize(m_vertices->size(), static_cast<float>(building));
}

osg::ref_ptr<osg::Geometry> BuildingMeshBuilder::finish() {
    osg::ref_ptr<osg::Geometry> geometry = new osg::Geometry;
    geometry->setUseDisplayList(false);
    geometry->setUseVertexBufferObjects(true);
    geometry->setVertexArray(m_vertices);
    geometry->setNormalArray(m_normals, osg::Array::BIND_PER_VERTEX);
    m_colors->setNormalize(true);
    geometry->setColorArray(m_colors, osg::Array::BIND_PER_VERTEX);
    geometry->setVertexAttribArray(kBuildingIndexAttribute, m_buildingIndices, osg::Array::BIND_PER_VERTEX);
    geometry->addPrimitiveSet(m_triangles);
    return geometry;
}

}  // namespace ut::render
