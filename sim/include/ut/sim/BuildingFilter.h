#pragma once

#include <memory>
#include <string>

#include "ut/geodata/BuildingTable.h"
#include "ut/geodata/Result.h"

namespace ut::sim {

// A selection of buildings written as a filter expression, e.g.
//   year_built < 1990 and use == "residential"
//   height >= 60 or (use == "office" and not footprint_area < 500)
// Names: id, name, use (the use class: residential, office, retail, education, health, industrial,
// warehouse, other), use_type (the source's value), height, year_built (0 when unknown),
// footprint_area, height_source (attribute, levels, default), and any attribute of the building
// ("building:levels", "GRND_FLR" …; quote names that are not plain words). Comparisons: == != < <= > >=;
// numbers compare as numbers, everything else as text; an attribute a building lacks makes the
// comparison false. Combine with and, or, not and parentheses.
class BuildingFilter {
public:
    // The error names the position in the expression and what was expected there.
    static Result<BuildingFilter> parse(const std::string& expression);

    BuildingFilter(BuildingFilter&&) noexcept;
    BuildingFilter& operator=(BuildingFilter&&) noexcept;
    ~BuildingFilter();

    bool matches(const BuildingTable& buildings, std::size_t building) const;

    struct Node;

private:
    explicit BuildingFilter(std::unique_ptr<Node> root);
    std::unique_ptr<Node> m_root;
};

}  // namespace ut::sim
