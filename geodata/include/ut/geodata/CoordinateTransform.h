#pragma once

#include <Eigen/Core>
#include <span>
#include <string>

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

}  // namespace ut
