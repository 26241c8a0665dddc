#include "ut/geodata/LocalFrame.h"

#include <cmath>

#include "ut/geodata/GeographicConverter.h"

namespace ut {

LocalFrame::LocalFrame(std::string crs, std::optional<Eigen::Vector2d> origin)
    : m_crs(std::move(crs)), m_origin(std::move(origin)) {}

std::string LocalFrame::utmCrsFor(double longitude, double latitude) {
    int zone = static_cast<int>(std::floor((longitude + 180.0) / 6.0)) + 1;
    zone = std::clamp(zone, 1, 60);
    return "EPSG:" + std::to_string((latitude >= 0 ? 32600 : 32700) + zone);
}

Result<GeographicConverter> GeographicConverter::create(const LocalFrame& frame) {
    if (!frame.hasCrs()) return Error{"the project frame has no CRS yet"};
    auto transform = CoordinateTransform::create("EPSG:4326", frame.crs());
    if (!transform) return Error{transform.error()};
    return GeographicConverter(std::move(transform.value()), frame.origin().value_or(Eigen::Vector2d::Zero()));
}

GeographicConverter::GeographicConverter(CoordinateTransform transform, Eigen::Vector2d origin)
    : m_geographicToFrame(std::move(transform)), m_origin(std::move(origin)) {}

Eigen::Vector2d GeographicConverter::toLonLat(const Eigen::Vector2d& local) const {
    Eigen::Vector2d p = local + m_origin;
    m_geographicToFrame.inverse({&p, 1});
    return p;
}

Eigen::Vector2d GeographicConverter::toLocal(const Eigen::Vector2d& lonLat) const {
    Eigen::Vector2d p = lonLat;
    m_geographicToFrame.forward({&p, 1});
    return p - m_origin;
}

}  // namespace ut
