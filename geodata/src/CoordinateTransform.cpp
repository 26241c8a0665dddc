#include "ut/geodata/CoordinateTransform.h"

#include <proj.h>

#include <cmath>
#include <limits>

namespace ut {

Result<CoordinateTransform> CoordinateTransform::create(const std::string& sourceCrs,
                                                        const std::string& targetCrs) {
    PJ_CONTEXT* context = proj_context_create();
    proj_log_level(context, PJ_LOG_NONE);
    PJ* raw = proj_create_crs_to_crs(context, sourceCrs.c_str(), targetCrs.c_str(), nullptr);
    if (!raw) {
        std::string reason = proj_context_errno_string(context, proj_context_errno(context));
        proj_context_destroy(context);
        return Error{"cannot transform from " + sourceCrs.substr(0, 80) + " to " + targetCrs + ": " + reason};
    }
    PJ* normalised = proj_normalize_for_visualization(context, raw);
    proj_destroy(raw);
    if (!normalised) {
        proj_context_destroy(context);
        return Error{"cannot normalise the axis order from " + sourceCrs.substr(0, 80) + " to " + targetCrs};
    }
    return CoordinateTransform(context, normalised);
}

CoordinateTransform::CoordinateTransform(pj_ctx* context, PJconsts* transform)
    : m_context(context), m_transform(transform) {}

CoordinateTransform::CoordinateTransform(CoordinateTransform&& other) noexcept
    : m_context(std::exchange(other.m_context, nullptr)), m_transform(std::exchange(other.m_transform, nullptr)) {}

CoordinateTransform& CoordinateTransform::operator=(CoordinateTransform&& other) noexcept {
    if (this != &other) {
        this->~CoordinateTransform();
        m_context = std::exchange(other.m_context, nullptr);
        m_transform = std::exchange(other.m_transform, nullptr);
    }
    return *this;
}

CoordinateTransform::~CoordinateTransform() {
    if (m_transform) proj_destroy(m_transform);
    if (m_context) proj_context_destroy(m_context);
}

std::size_t CoordinateTransform::forward(std::span<Eigen::Vector2d> points) const {
    return apply(points, PJ_FWD);
}

std::size_t CoordinateTransform::inverse(std::span<Eigen::Vector2d> points) const {
    return apply(points, PJ_INV);
}

std::size_t CoordinateTransform::apply(std::span<Eigen::Vector2d> points, int direction) const {
    if (points.empty()) return 0;
    double* x = points.data()->data();
    constexpr std::size_t stride = sizeof(Eigen::Vector2d);
    proj_trans_generic(m_transform, static_cast<PJ_DIRECTION>(direction), x, stride, points.size(), x + 1, stride,
                       points.size(), nullptr, 0, 0, nullptr, 0, 0);
    std::size_t failed = 0;
    for (auto& p : points) {
        if (!std::isfinite(p.x()) || !std::isfinite(p.y()) || p.x() == HUGE_VAL || p.y() == HUGE_VAL) {
            p.setConstant(std::numeric_limits<double>::quiet_NaN());
            ++failed;
        }
    }
    return failed;
}

namespace {
constexpr double kCellTargetM = 250.0;
constexpr double kToleranceM = 1e-3;
}  // namespace

const ApproximateTransform::Cell& ApproximateTransform::cellAt(const Eigen::Vector2d& p) {
    const double i = std::floor(p.x() / m_cellSize);
    const double j = std::floor(p.y() / m_cellSize);
    const std::uint64_t key = (static_cast<std::uint64_t>(static_cast<std::int64_t>(i)) * 0x9E3779B97F4A7C15ull) ^
                              static_cast<std::uint64_t>(static_cast<std::int64_t>(j));
    const auto [it, inserted] = m_cells.try_emplace(key);
    Cell& cell = it->second;
    if (!inserted) return cell;
    const Eigen::Vector2d corner(i * m_cellSize, j * m_cellSize);
    Eigen::Vector2d probe[5] = {corner, corner + Eigen::Vector2d(m_cellSize, 0.0), corner + Eigen::Vector2d(0.0, m_cellSize),
                                corner + Eigen::Vector2d(m_cellSize, m_cellSize),
                                corner + Eigen::Vector2d(m_cellSize, m_cellSize) / 2.0};
    if (m_exact.forward(probe) > 0) return cell;
    cell.linear.col(0) = (probe[1] - probe[0]) / m_cellSize;
    cell.linear.col(1) = (probe[2] - probe[0]) / m_cellSize;
    cell.offset = probe[0] - cell.linear * corner;
    const Eigen::Vector2d farCorner = corner + Eigen::Vector2d(m_cellSize, m_cellSize);
    const Eigen::Vector2d centre = corner + Eigen::Vector2d(m_cellSize, m_cellSize) / 2.0;
    cell.affine = (cell.linear * farCorner + cell.offset - probe[3]).norm() < kToleranceM &&
                  (cell.linear * centre + cell.offset - probe[4]).norm() < kToleranceM;
    return cell;
}

std::size_t ApproximateTransform::forward(std::span<Eigen::Vector2d> points) {
    if (points.empty()) return 0;
    if (m_cellSize == 0.0) {
        // Source units per target metre, from the first point: a cell spans about kCellTargetM.
        Eigen::Vector2d probe[2] = {points[0], points[0] + Eigen::Vector2d(1e-3, 0.0)};
        if (m_exact.forward(probe) == 0 && (probe[1] - probe[0]).norm() > 0.0) {
            m_cellSize = kCellTargetM * 1e-3 / (probe[1] - probe[0]).norm();
        } else {
            m_cellSize = -1.0;
        }
    }
    if (m_cellSize < 0.0) return m_exact.forward(points);
    std::size_t failed = 0;
    for (auto& p : points) {
        if (!std::isfinite(p.x()) || !std::isfinite(p.y())) {
            failed += m_exact.forward({&p, 1});
            continue;
        }
        const Cell& cell = cellAt(p);
        if (cell.affine) {
            p = cell.linear * p + cell.offset;
        } else {
            failed += m_exact.forward({&p, 1});
        }
    }
    return failed;
}

}  // namespace ut
