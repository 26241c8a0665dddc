#include "ut/geodata/Terrain.h"

#include <algorithm>
#include <cmath>

namespace ut {

void Terrain::assign(int columns, int rows, double cellSizeM, const Eigen::Vector2d& origin, std::vector<float> heights) {
    m_columns = columns;
    m_rows = rows;
    m_cellSizeM = cellSizeM;
    m_origin = origin;
    m_heights = std::move(heights);
}

std::optional<double> Terrain::heightAt(const Eigen::Vector2d& p) const {
    if (empty()) return std::nullopt;
    const Eigen::Vector2d g = (p - m_origin) / m_cellSizeM;
    if (!(g.x() >= 0.0 && g.y() >= 0.0 && g.x() <= m_columns - 1 && g.y() <= m_rows - 1)) return std::nullopt;
    const int c0 = std::min(static_cast<int>(g.x()), std::max(m_columns - 2, 0));
    const int r0 = std::min(static_cast<int>(g.y()), std::max(m_rows - 2, 0));
    const int c1 = std::min(c0 + 1, m_columns - 1);
    const int r1 = std::min(r0 + 1, m_rows - 1);
    const double fx = g.x() - c0;
    const double fy = g.y() - r0;
    const double weights[4] = {(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy};
    const float values[4] = {at(c0, r0), at(c1, r0), at(c0, r1), at(c1, r1)};
    double sum = 0.0;
    double weight = 0.0;
    for (int i = 0; i < 4; ++i) {
        if (std::isnan(values[i])) continue;
        sum += weights[i] * values[i];
        weight += weights[i];
    }
    if (weight <= 1e-12) {
        // On a node or edge whose weighted neighbours are all missing: take any valid neighbour.
        for (float v : values)
            if (!std::isnan(v)) return v;
        return std::nullopt;
    }
    return sum / weight;
}

std::vector<Eigen::Vector3d> Terrain::drape(std::span<const Eigen::Vector2d> line, double maxStepM) const {
    std::vector<Eigen::Vector3d> draped;
    std::vector<std::uint8_t> known;
    auto add = [&](const Eigen::Vector2d& p) {
        const auto h = heightAt(p);
        draped.emplace_back(p.x(), p.y(), h.value_or(0.0));
        known.push_back(h ? 1 : 0);
    };
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (i > 0 && maxStepM > 0.0) {
            const double length = (line[i] - line[i - 1]).norm();
            const int pieces = static_cast<int>(std::ceil(length / maxStepM));
            for (int k = 1; k < pieces; ++k) add(line[i - 1] + (line[i] - line[i - 1]) * (double(k) / pieces));
        }
        add(line[i]);
    }
    // Fill the gaps from the last known height before them (the first known one for a gap at the start).
    const auto firstKnown = std::find(known.begin(), known.end(), std::uint8_t{1});
    if (firstKnown == known.end()) return draped;
    double last = draped[static_cast<std::size_t>(firstKnown - known.begin())].z();
    for (std::size_t i = 0; i < draped.size(); ++i) {
        if (known[i]) {
            last = draped[i].z();
        } else {
            draped[i].z() = last;
        }
    }
    return draped;
}

Eigen::AlignedBox2d Terrain::extent() const {
    if (empty()) return {};
    return {m_origin, m_origin + Eigen::Vector2d(m_columns - 1, m_rows - 1) * m_cellSizeM};
}

std::optional<std::pair<float, float>> Terrain::range() const {
    float lo = INFINITY;
    float hi = -INFINITY;
    for (float v : m_heights) {
        if (std::isnan(v)) continue;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    if (lo > hi) return std::nullopt;
    return std::pair{lo, hi};
}

std::size_t Terrain::validCount() const {
    return static_cast<std::size_t>(std::count_if(m_heights.begin(), m_heights.end(), [](float v) { return !std::isnan(v); }));
}

}  // namespace ut
