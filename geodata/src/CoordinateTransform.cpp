#include "ut/geodata/CoordinateTransform.h"

#include <proj.h>

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

}  // namespace ut
