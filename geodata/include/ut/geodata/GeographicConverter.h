#pragma once

#include <Eigen/Core>

#include "ut/geodata/CoordinateTransform.h"
#include "ut/geodata/LocalFrame.h"

namespace ut {

// Converts local frame coordinates (metres from the frame's origin) to WGS 84
// longitude/latitude in degrees, and back.
class GeographicConverter {
public:
    static Result<GeographicConverter> create(const LocalFrame& frame);

    Eigen::Vector2d toLonLat(const Eigen::Vector2d& local) const;
    Eigen::Vector2d toLocal(const Eigen::Vector2d& lonLat) const;

private:
    GeographicConverter(CoordinateTransform transform, Eigen::Vector2d origin);

    CoordinateTransform m_geographicToFrame;
    Eigen::Vector2d m_origin;
};

}  // namespace ut
