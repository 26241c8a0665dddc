#include "OsmConfig.h"

#include <QDir>
#include <QTemporaryFile>

namespace ut {

namespace {
// GDAL's osmconf.ini (3.6) with building:part among the closed ways that are polygons. Other tags stay
// in other_tags under their OSM names (fields would be laundered: building:levels → building_levels).
constexpr char kOsmConf[] = R"ini(closed_ways_are_polygons=aeroway,amenity,boundary,building,building:part,craft,geological,historic,landuse,leisure,military,natural,office,place,shop,sport,tourism,highway=platform,public_transport=platform

[points]
osm_id=yes
osm_version=no
osm_timestamp=no
osm_uid=no
osm_user=no
osm_changeset=no
attributes=name,barrier,highway,ref,address,is_in,place,man_made
unsignificant=created_by,converted_by,source,time,ele,attribution
ignore=created_by,converted_by,source,time,ele,note,todo,openGeoDB:,fixme,FIXME

[lines]
osm_id=yes
osm_version=no
osm_timestamp=no
osm_uid=no
osm_user=no
osm_changeset=no
attributes=name,highway,waterway,aerialway,barrier,man_made,railway
ignore=created_by,converted_by,source,time,ele,note,todo,openGeoDB:,fixme,FIXME

[multipolygons]
osm_id=yes
osm_version=no
osm_timestamp=no
osm_uid=no
osm_user=no
osm_changeset=no
attributes=name,type,aeroway,amenity,admin_level,barrier,boundary,building,craft,geological,historic,land_area,landuse,leisure,man_made,military,natural,office,place,shop,sport,tourism
ignore=area,created_by,converted_by,source,time,ele,note,todo,openGeoDB:,fixme,FIXME

[multilinestrings]
osm_id=yes
osm_version=no
osm_timestamp=no
osm_uid=no
osm_user=no
osm_changeset=no
attributes=name,type
ignore=area,created_by,converted_by,source,time,ele,note,todo,openGeoDB:,fixme,FIXME

[other_relations]
osm_id=yes
osm_version=no
osm_timestamp=no
osm_uid=no
osm_user=no
osm_changeset=no
attributes=name,type
ignore=area,created_by,converted_by,source,time,ele,note,todo,openGeoDB:,fixme,FIXME
)ini";
}  // namespace

const std::string& osmConfigPath() {
    // The OSM driver reads its configuration with the C library, so it must be a real file; it lives
    // as long as the process.
    static QTemporaryFile file(QDir::tempPath() + QStringLiteral("/urbantwin-osmconf-XXXXXX.ini"));
    static const std::string path = [] {
        if (!file.open()) return std::string();
        const qint64 size = static_cast<qint64>(sizeof(kOsmConf) - 1);
        if (file.write(kOsmConf, size) != size || !file.flush()) return std::string();
        return file.fileName().toStdString();
    }();
    return path;
}

}  // namespace ut
