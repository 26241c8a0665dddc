#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>

namespace ut {

// The project's metric frame: a projected CRS plus a local origin subtracted from every
// coordinate, so that coordinates stay small enough for float rendering.
class LocalFrame {
public:
    LocalFrame() = default;
    explicit LocalFrame(std::string crs, std::optional<Eigen::Vector2d> origin = std::nullopt);

    // Empty until a project names one or the first loaded file picks a UTM zone.
    const std::string& crs() const { return m_crs; }
    void setCrs(std::string crs) { m_crs = std::move(crs); }
    bool hasCrs() const { return !m_crs.empty(); }

    const std::optional<Eigen::Vector2d>& origin() const { return m_origin; }
    void setOrigin(const Eigen::Vector2d& origin) { m_origin = origin; }

    // "EPSG:326zz" or "EPSG:327zz": the UTM zone containing a WGS 84 longitude/latitude.
    static std::string utmCrsFor(double longitude, double latitude);

private:
    std::string m_crs;
    std::optional<Eigen::Vector2d> m_origin;
};

}  // namespace ut
