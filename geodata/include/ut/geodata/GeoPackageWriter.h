#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ut/geodata/CityModel.h"
#include "ut/geodata/Result.h"

class GDALDataset;

namespace ut {

// One numeric attribute column: a value per entity.
struct NumericColumn {
    std::string name;
    std::vector<double> values;
};

// Writes city entities with plain numeric columns to a GeoPackage, geometries back in the
// frame's CRS (the local origin added again), so that QGIS shows them where they belong.
// Knows nothing of simulations: callers hand over columns.
class GeoPackageWriter {
public:
    // Creates (or replaces) the file.
    static Result<GeoPackageWriter> create(const std::string& path, const CityModel& city);
    GeoPackageWriter(GeoPackageWriter&&) noexcept;
    GeoPackageWriter& operator=(GeoPackageWriter&&) noexcept;
    ~GeoPackageWriter();

    Status writeBuildings(const std::string& layer, const std::vector<NumericColumn>& columns);
    Status writeRoadLinks(const std::string& layer, const std::vector<NumericColumn>& columns);
    Status writeRoadNodes(const std::string& layer, const std::vector<NumericColumn>& columns);

private:
    struct State;
    explicit GeoPackageWriter(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

}  // namespace ut
