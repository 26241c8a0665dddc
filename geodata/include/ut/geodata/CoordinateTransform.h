#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>

#include "ut/geodata/Result.h"

struct pj_ctx;
struct PJconsts;

namespace ut {

// A PROJ transformation between two CRSs, axis order normalised to x = easting/longitude.
// CRSs are given as "EPSG:n", WKT or a PROJ string. Owns its PROJ context: use one per thread.
class CoordinateTransform {
public:
    static Result<CoordinateTransform> create(const std::string& sourceCrs, const std::string& targetCrs);

    CoordinateTransform(CoordinateTransform&& other) noexcept;
    CoordinateTransform& operator=(CoordinateTransform&& other) noexcept;
    CoordinateTransform(const CoordinateTransform&) = delete;
    CoordinateTransform& operator=(const CoordinateTransform&) = delete;
    ~CoordinateTransform();

    // Transforms in place; points that fail become non-finite. Returns the number that failed.
    std::size_t forward(std::span<Eigen::Vector2d> points) const;
    std::size_t inverse(std::span<Eigen::Vector2d> points) const;

private:
    CoordinateTransform(pj_ctx* context, PJconsts* transform);
    std::size_t apply(std::span<Eigen::Vector2d> points, int direction) const;

    pj_ctx* m_context = nullptr;
    PJconsts* m_transform = nullptr;
};

// A transform for many points close together (a city's footprints): within cells of about 250 m it applies
// the affine map through PROJ's exact results at three cell corners, where PROJ's results at the fourth
// corner and the centre lie within 1 mm of it (smooth projections over a city), else PROJ point by point.
// Cells are remembered, so a city costs PROJ a few calls per cell instead of one per vertex.
class ApproximateTransform {
public:
    explicit ApproximateTransform(CoordinateTransform exact) : m_exact(std::move(exact)) {}

    // As CoordinateTransform::forward.
    std::size_t forward(std::span<Eigen::Vector2d> points);
    const CoordinateTransform& exact() const { return m_exact; }

private:
    struct Cell {
        bool affine = false;
        Eigen::Matrix2d linear;
        Eigen::Vector2d offset;
    };
    const Cell& cellAt(const Eigen::Vector2d& p);

    CoordinateTransform m_exact;
    double m_cellSize = 0.0;  // source units; 0 until the first point tells the scale, < 0 when unusable
    std::unordered_map<std::uint64_t, Cell> m_cells;
};

}  // namespace ut
