#pragma once

#include <Eigen/Geometry>
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace ut {

// A height grid in the project's local frame: node (c, r) lies at origin + (c, r) × cellSize, rows
// running south to north. Heights are metres above the DEM's vertical datum; NaN where the DEM has no
// data.
class Terrain {
public:
    bool empty() const { return m_heights.empty(); }
    int columns() const { return m_columns; }
    int rows() const { return m_rows; }
    double cellSizeM() const { return m_cellSizeM; }
    const Eigen::Vector2d& origin() const { return m_origin; }
    float at(int column, int row) const { return m_heights[static_cast<std::size_t>(row) * m_columns + column]; }
    const std::vector<float>& heights() const { return m_heights; }

    // Replaces the grid.
    void assign(int columns, int rows, double cellSizeM, const Eigen::Vector2d& origin, std::vector<float> heights);
    void translate(const Eigen::Vector2d& offset) { m_origin += offset; }

    // Bilinear height at a point, from the valid nodes around it; nullopt outside the grid or where
    // every surrounding node is NaN.
    std::optional<double> heightAt(const Eigen::Vector2d& p) const;

    // The line lying on the terrain: points added so that no segment is longer than maxStepM, each at
    // heightAt; where the terrain has no height, the nearest height along the line (0 when none has one).
    std::vector<Eigen::Vector3d> drape(std::span<const Eigen::Vector2d> line, double maxStepM) const;

    // Bounds of the nodes, local frame.
    Eigen::AlignedBox2d extent() const;
    // Lowest and highest valid height; nullopt when none is valid.
    std::optional<std::pair<float, float>> range() const;
    std::size_t validCount() const;

private:
    int m_columns = 0;
    int m_rows = 0;
    double m_cellSizeM = 0.0;
    Eigen::Vector2d m_origin = Eigen::Vector2d::Zero();
    std::vector<float> m_heights;
};

}  // namespace ut
