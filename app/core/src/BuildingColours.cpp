#include "ut/app/BuildingColours.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ut::app {

sim::ResultSet attributeFields(const BuildingTable& buildings) {
    const std::size_t n = buildings.size();
    sim::ResultSet fields;
    auto& height = fields.addField("city.height_m", "m", sim::EntityKind::Building, n);
    auto& area = fields.addField("city.footprint_area_m2", "m²", sim::EntityKind::Building, n);
    auto& year = fields.addField("city.year_built", "", sim::EntityKind::Building, n);
    auto& use = fields.addField("city.use_class", "", sim::EntityKind::Building, n);
    auto& source = fields.addField("city.height_source", "", sim::EntityKind::Building, n);
    for (UseClass c : {UseClass::Residential, UseClass::Office, UseClass::Retail, UseClass::Education, UseClass::Health,
                       UseClass::Industrial, UseClass::Warehouse, UseClass::Other}) {
        use.categories.push_back(toString(c));
    }
    source.categories = {"attribute", "levels", "default"};
    for (std::size_t i = 0; i < n; ++i) {
        height.values[i] = buildings.heightM(i);
        area.values[i] = buildings.footprintAreaM2(i);
        year.values[i] = buildings.yearBuilt(i) > 0 ? buildings.yearBuilt(i) : std::numeric_limits<double>::quiet_NaN();
        const auto useName = std::string(toString(buildings.useClass(i)));
        use.values[i] = static_cast<double>(std::find(use.categories.begin(), use.categories.end(), useName) - use.categories.begin());
        source.values[i] = static_cast<double>(buildings.heightSource(i));
    }
    return fields;
}

BuildingColours buildingColours(const sim::Field& field, const BuildingTable& buildings, std::size_t step, bool difference) {
    BuildingColours colours = fieldColours(field, step, difference);
    for (std::size_t i = 0; i < colours.values.size() && i < buildings.size(); ++i) {
        if (buildings.isPart(i) && std::isfinite(colours.values[buildings.partOf(i)])) {
            colours.values[i] = colours.values[buildings.partOf(i)];
        }
    }
    return colours;
}

BuildingColours fieldColours(const sim::Field& field, std::size_t step, bool difference) {
    BuildingColours colours;
    const std::size_t at = field.time.isStatic() ? 0 : std::min(step, field.time.steps - 1);
    const auto first = field.values.begin() + static_cast<std::ptrdiff_t>(at * field.entityCount);
    colours.values.assign(first, first + static_cast<std::ptrdiff_t>(field.entityCount));
    render::LegendSpec& legend = colours.legend;
    legend.title = QString::fromStdString(field.name);
    legend.unit = QString::fromStdString(field.unit);
    if (!field.categories.empty()) {
        legend.map = render::ColorMap::categorical(field.categories);
        for (const auto& c : field.categories) legend.categories << QString::fromStdString(c);
        return colours;
    }
    // The scale spans the 2nd to the 98th percentile of all values, so that a few outliers (one
    // huge building) do not wash out the rest; values beyond take the end colours.
    std::vector<double> finite;
    finite.reserve(field.values.size());
    for (double v : field.values)
        if (std::isfinite(v)) finite.push_back(v);
    double lo = 0.0;
    double hi = 0.0;
    if (!finite.empty()) {
        auto percentile = [&finite](double fraction) {
            const auto k = static_cast<std::ptrdiff_t>(fraction * static_cast<double>(finite.size() - 1));
            std::nth_element(finite.begin(), finite.begin() + k, finite.end());
            return finite[static_cast<std::size_t>(k)];
        };
        lo = percentile(0.02);
        hi = percentile(0.98);
        if (hi <= lo) {
            const auto [minimum, maximum] = std::minmax_element(finite.begin(), finite.end());
            lo = *minimum;
            hi = *maximum;
        }
    }
    if (difference) {
        const double extent = std::max({std::abs(lo), std::abs(hi), 1e-12});
        legend.map = render::ColorMap::blueWhiteRed();
        legend.minimum = -extent;
        legend.maximum = extent;
    } else {
        legend.map = render::ColorMap::viridis();
        legend.minimum = lo;
        legend.maximum = hi;
    }
    return colours;
}

}  // namespace ut::app
