#include "ut/geodata/BuildingTable.h"

#include <algorithm>

namespace ut {

const char* toString(HeightSource source) {
    switch (source) {
        case HeightSource::Attribute: return "attribute";
        case HeightSource::Levels: return "levels";
        case HeightSource::Default: return "default";
    }
    return "default";
}

const char* toString(UseClass useClass) {
    switch (useClass) {
        case UseClass::Residential: return "residential";
        case UseClass::Office: return "office";
        case UseClass::Retail: return "retail";
        case UseClass::Education: return "education";
        case UseClass::Health: return "health";
        case UseClass::Industrial: return "industrial";
        case UseClass::Warehouse: return "warehouse";
        case UseClass::Other: return "other";
    }
    return "other";
}

double signedArea(std::span<const Eigen::Vector2d> ring) {
    double twice = 0.0;
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
        const auto& a = ring[i];
        const auto& b = ring[(i + 1) % n];
        twice += a.x() * b.y() - b.x() * a.y();
    }
    return 0.5 * twice;
}

std::size_t BuildingTable::add(BuildingDraft draft) {
    for (const auto& ring : draft.outerRings) addRing(ring, false);
    for (const auto& ring : draft.holes) addRing(ring, true);
    m_firstRing.push_back(static_cast<std::uint32_t>(m_ringIsHole.size()));
    m_ids.push_back(std::move(draft.id));
    m_heightsM.push_back(draft.heightM);
    m_heightSources.push_back(draft.heightSource);
    m_baseElevationsM.push_back(draft.baseElevationM);
    m_baseElevationKnown.push_back(draft.baseElevationKnown ? 1 : 0);
    m_minHeightsM.push_back(draft.minHeightM);
    m_useTypes.push_back(std::move(draft.useType));
    m_useClasses.push_back(draft.useClass);
    m_yearsBuilt.push_back(draft.yearBuilt);
    m_partOf.push_back(draft.partOf);
    if (draft.partOf != kNoBuilding) ++m_partCount;
    m_hasParts.push_back(draft.hasParts ? 1 : 0);
    m_names.push_back(std::move(draft.name));
    m_attributes.push_back(std::move(draft.attributes));
    return m_ids.size() - 1;
}

void BuildingTable::addRing(const std::vector<Eigen::Vector2d>& ring, bool hole) {
    const bool counterClockwise = signedArea(ring) > 0.0;
    if (counterClockwise != hole) {
        m_vertices.insert(m_vertices.end(), ring.begin(), ring.end());
    } else {
        m_vertices.insert(m_vertices.end(), ring.rbegin(), ring.rend());
    }
    m_ringStart.push_back(static_cast<std::uint32_t>(m_vertices.size()));
    m_ringIsHole.push_back(hole ? 1 : 0);
}

void BuildingTable::translate(const Eigen::Vector2d& offset) {
    for (auto& v : m_vertices) v += offset;
}

void BuildingTable::setAttribute(std::size_t i, const std::string& key, const std::string& value) {
    for (auto& [existingKey, existingValue] : m_attributes[i]) {
        if (existingKey == key) {
            existingValue = value;
            return;
        }
    }
    m_attributes[i].emplace_back(key, value);
}

void BuildingTable::setHeightM(std::size_t i, double heightM, HeightSource source) {
    m_heightsM[i] = heightM;
    m_heightSources[i] = source;
}

double BuildingTable::footprintAreaM2(std::size_t i) const {
    double area = 0.0;
    for (std::uint32_t r = ringBegin(i); r < ringEnd(i); ++r) area += signedArea(ring(r));
    return area;
}

std::vector<Eigen::Vector2d> convexHull(std::vector<Eigen::Vector2d> points) {
    std::sort(points.begin(), points.end(), [](const Eigen::Vector2d& a, const Eigen::Vector2d& b) {
        return a.x() < b.x() || (a.x() == b.x() && a.y() < b.y());
    });
    if (points.size() < 3) return points;
    auto cross = [](const Eigen::Vector2d& o, const Eigen::Vector2d& a, const Eigen::Vector2d& b) {
        return (a.x() - o.x()) * (b.y() - o.y()) - (a.y() - o.y()) * (b.x() - o.x());
    };
    std::vector<Eigen::Vector2d> hull(2 * points.size());
    std::size_t k = 0;
    for (const auto& p : points) {
        while (k >= 2 && cross(hull[k - 2], hull[k - 1], p) <= 0.0) --k;
        hull[k++] = p;
    }
    for (std::size_t i = points.size() - 1, lower = k + 1; i-- > 0;) {
        while (k >= lower && cross(hull[k - 2], hull[k - 1], points[i]) <= 0.0) --k;
        hull[k++] = points[i];
    }
    hull.resize(k - 1);
    return hull;
}

}  // namespace ut
