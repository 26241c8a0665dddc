#pragma once

#include <string_view>

#include "ut/geodata/BuildingTable.h"

namespace ut {

// Parses the HSTORE text of GDAL's OSM other_tags field ("k"=>"v","k2"=>"v2") and appends
// the pairs to attributes.
void appendOsmOtherTags(std::string_view hstore, AttributeList& attributes);

}  // namespace ut
