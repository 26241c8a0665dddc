#include <QFile>
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "TestSupport.h"
#include "ut/geodata/AttributeMapping.h"
#include "ut/geodata/CoordinateTransform.h"
#include "ut/geodata/GeographicConverter.h"
#include "ut/geodata/OsmTags.h"
#include "ut/geodata/VectorLoader.h"

using namespace ut;

namespace {
const QString kDemoOsm = test::sourcePath(QStringLiteral("data/demo/jamsil.osm.pbf"));
const QString kFixtureOsm = test::sourcePath(QStringLiteral("tests/data/fixture_city.osm"));
const QString kJamsilRoadsGpkg = test::sourcePath(QStringLiteral("tests/data/jamsil_roads_5186.gpkg"));
const QString kDrivable = QStringLiteral(
    "highway IS NOT NULL AND highway NOT IN ('footway','path','cycleway','steps','pedestrian','bridleway',"
    "'corridor','construction','proposed','platform','elevator','abandoned','razed','bus_stop','via_ferrata','track')");

std::optional<std::size_t> buildingById(const BuildingTable& buildings, const std::string& id) {
    for (std::size_t i = 0; i < buildings.size(); ++i)
        if (buildings.id(i) == id) return i;
    return std::nullopt;
}

std::vector<std::size_t> partsOf(const BuildingTable& buildings, std::size_t building) {
    std::vector<std::size_t> parts;
    for (std::size_t i = 0; i < buildings.size(); ++i)
        if (buildings.partOf(i) == building) parts.push_back(i);
    return parts;
}

// A one-row ogrinfo SQL answer read as a number (SQLite dialect, so that Spatialite functions work).
double ogrinfoSqliteValue(const QString& path, const QString& sql) {
    const auto result = test::runProgram(QStringLiteral("ogrinfo"),
                                         {QStringLiteral("-q"), QStringLiteral("-ro"), QStringLiteral("-dialect"),
                                          QStringLiteral("SQLite"), path, QStringLiteral("-sql"), sql});
    const QRegularExpression value(QStringLiteral("\\) = ([-0-9.e+]+)"));
    const auto match = value.match(result.out);
    return match.hasMatch() ? match.captured(1).toDouble() : -1.0;
}

void writeFile(const QString& path, const QByteArray& content) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

// A directed link by its link's id and direction.
std::optional<DirectedLink> directedById(const RoadNetwork& roads, const std::string& id, bool backward) {
    for (std::size_t l = 0; l < roads.linkCount(); ++l)
        if (roads.link(l).id == id) return directedLink(l, backward);
    return std::nullopt;
}

bool turnAllowed(const RoadNetwork& roads, DirectedLink from, DirectedLink to) {
    const auto turns = roads.turnsFrom(from);
    return std::find(turns.begin(), turns.end(), to) != turns.end();
}

// Directed links reachable from start along turns (forward) or against them (backward).
std::vector<std::uint8_t> reachable(const RoadNetwork& roads, DirectedLink start, bool forward) {
    std::vector<std::vector<DirectedLink>> against(2 * roads.linkCount());
    for (DirectedLink d = 0; d < against.size(); ++d)
        for (const DirectedLink t : roads.turnsFrom(d)) against[t].push_back(d);
    std::vector<std::uint8_t> seen(2 * roads.linkCount(), 0);
    std::vector<DirectedLink> stack{start};
    seen[start] = 1;
    while (!stack.empty()) {
        const DirectedLink d = stack.back();
        stack.pop_back();
        const auto next = forward ? roads.turnsFrom(d) : std::span<const DirectedLink>(against[d]);
        for (const DirectedLink t : next) {
            if (!seen[t]) {
                seen[t] = 1;
                stack.push_back(t);
            }
        }
    }
    return seen;
}

}  // namespace

class GeodataTest : public QObject {
    Q_OBJECT
private slots:
    void demoCountsMatchOgrinfo() {
        CityModel model;
        auto report = VectorLoader::load(kDemoOsm.toStdString(), {}, model);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        const long long buildings = test::ogrinfoCount(
            kDemoOsm, QStringLiteral("SELECT COUNT(*) FROM multipolygons WHERE building IS NOT NULL AND building <> 'no'"));
        const long long roads = test::ogrinfoCount(kDemoOsm, QStringLiteral("SELECT COUNT(*) FROM lines WHERE ") + kDrivable);
        // GDAL's default configuration leaves closed building:part ways (without building=*) among the lines.
        const long long parts = test::ogrinfoCount(
            kDemoOsm, QStringLiteral("SELECT COUNT(*) FROM lines WHERE other_tags LIKE '%\"building:part\"=>%'"));
        QVERIFY(buildings > 1000);
        QCOMPARE(qint64(report->buildings), qint64(buildings));
        QCOMPARE(qint64(report->buildingParts), qint64(parts));
        QCOMPARE(qint64(model.buildings.size()), qint64(buildings + parts));
        QCOMPARE(qint64(model.buildings.buildingCount()), qint64(buildings));
        QCOMPARE(qint64(report->roadWays), qint64(roads));
        QVERIFY(report->roadLinks > report->roadWays);
        QCOMPARE(report->sourceCrs, std::string("EPSG:4326"));
        QCOMPARE(report->skipped(), std::size_t(0));
    }

    void demoHeightSourcesMatchOgrinfo() {
        CityModel model;
        auto report = VectorLoader::load(kDemoOsm.toStdString(), {}, model);
        QVERIFY(report.ok());
        const long long withHeight = test::ogrinfoCount(
            kDemoOsm, QStringLiteral("SELECT COUNT(*) FROM multipolygons WHERE building IS NOT NULL AND "
                                     "other_tags LIKE '%\"height\"=>%'"));
        const long long levelsOnly = test::ogrinfoCount(
            kDemoOsm, QStringLiteral("SELECT COUNT(*) FROM multipolygons WHERE building IS NOT NULL AND "
                                     "other_tags LIKE '%\"building:levels\"=>%' AND other_tags NOT LIKE '%\"height\"=>%'"));
        // Lotte World Tower's outline way has no height; its type=building relation carries height=555.
        const long long relationsWithHeight = test::ogrinfoCount(
            kDemoOsm, QStringLiteral("SELECT COUNT(*) FROM other_relations WHERE type = 'building' AND "
                                     "other_tags LIKE '%\"height\"=>%'"));
        QVERIFY(withHeight > 0 && levelsOnly > 0);
        QCOMPARE(relationsWithHeight, 1LL);
        QCOMPARE(qint64(report->heightSources[0]), qint64(withHeight + relationsWithHeight));
        QCOMPARE(qint64(report->heightSources[1]), qint64(levelsOnly));
        QCOMPARE(qint64(report->heightSources[2]),
                 qint64(report->buildings) - withHeight - relationsWithHeight - levelsOnly);
        for (std::size_t i = 0; i < model.buildings.size(); ++i) {
            QVERIFY(model.buildings.heightM(i) > 0.0);
            QVERIFY(model.buildings.footprintAreaM2(i) > 0.0);
        }
    }

    void demoFrameIsLocalAndMetric() {
        CityModel model;
        model.frame.setCrs("EPSG:5186");
        auto report = VectorLoader::load(kDemoOsm.toStdString(), {}, model);
        QVERIFY(report.ok());
        QVERIFY(model.frame.origin().has_value());
        // The extract is about 4.9 km × 3.6 km (SOURCE.md), centred on the origin.
        const Eigen::Vector2d size = report->extent.sizes();
        QVERIFY2(std::abs(size.x() - 4900.0) < 150.0, qPrintable(QString::number(size.x())));
        QVERIFY2(std::abs(size.y() - 3600.0) < 150.0, qPrintable(QString::number(size.y())));
        QVERIFY(report->extent.center().norm() < 5.0);
    }

    void crsMatchesCs2cs() {
        // Lotte World Tower in EPSG:5186, against PROJ's own cs2cs command.
        const double lon = 127.10250;
        const double lat = 37.51250;
        QProcess cs2cs;
        cs2cs.start(QStringLiteral("cs2cs"), {QStringLiteral("-f"), QStringLiteral("%.4f"), QStringLiteral("EPSG:4326"),
                                              QStringLiteral("EPSG:5186")});
        QVERIFY(cs2cs.waitForStarted());
        cs2cs.write(QStringLiteral("%1 %2\n").arg(lat, 0, 'f', 5).arg(lon, 0, 'f', 5).toUtf8());
        cs2cs.closeWriteChannel();
        QVERIFY(cs2cs.waitForFinished());
        const QStringList fields = QString::fromUtf8(cs2cs.readAllStandardOutput()).split(QRegularExpression("\\s+"), Qt::SkipEmptyParts);
        QVERIFY(fields.size() >= 2);
        // EPSG:5186 is northing, easting in authority order; ours is normalised to easting, northing.
        const double expectedNorthing = fields[0].toDouble();
        const double expectedEasting = fields[1].toDouble();

        auto transform = CoordinateTransform::create("EPSG:4326", "EPSG:5186");
        QVERIFY(transform.ok());
        Eigen::Vector2d p(lon, lat);
        QCOMPARE(transform->forward({&p, 1}), std::size_t(0));
        QVERIFY2(std::abs(p.x() - expectedEasting) < 0.01, qPrintable(QString::number(p.x(), 'f', 3)));
        QVERIFY2(std::abs(p.y() - expectedNorthing) < 0.01, qPrintable(QString::number(p.y(), 'f', 3)));
    }

    void crsRoundTrip() {
        LocalFrame frame("EPSG:5186", Eigen::Vector2d(210000.0, 545000.0));
        auto converter = GeographicConverter::create(frame);
        QVERIFY(converter.ok());
        for (const Eigen::Vector2d& local : {Eigen::Vector2d(0, 0), Eigen::Vector2d(-2500, 1800), Eigen::Vector2d(3000, -2000)}) {
            const Eigen::Vector2d lonLat = converter->toLonLat(local);
            QVERIFY(lonLat.x() > 126.9 && lonLat.x() < 127.3 && lonLat.y() > 37.3 && lonLat.y() < 37.7);
            const Eigen::Vector2d back = converter->toLocal(lonLat);
            QVERIFY2((back - local).norm() < 1e-6, qPrintable(QString::number((back - local).norm())));
        }
        // The projection origin of EPSG:5186 (127° E, 38° N) lies at false easting 200000, false northing 600000.
        LocalFrame absolute("EPSG:5186", Eigen::Vector2d::Zero());
        auto atOrigin = GeographicConverter::create(absolute);
        const Eigen::Vector2d falseOrigin = atOrigin->toLocal(Eigen::Vector2d(127.0, 38.0));
        QVERIFY((falseOrigin - Eigen::Vector2d(200000.0, 600000.0)).norm() < 1e-6);
    }

    void utmZoneIsPickedFromLongitude() {
        QCOMPARE(LocalFrame::utmCrsFor(127.1, 37.5), std::string("EPSG:32652"));
        QCOMPARE(LocalFrame::utmCrsFor(-104.9, 39.7), std::string("EPSG:32613"));
        QCOMPARE(LocalFrame::utmCrsFor(151.2, -33.9), std::string("EPSG:32756"));
        CityModel model;
        QVERIFY(VectorLoader::load(kDemoOsm.toStdString(), {}, model).ok());
        QCOMPARE(model.frame.crs(), std::string("EPSG:32652"));
    }

    void fixtureHeightsHolesAndSkips() {
        // Three buildings (height, levels, nothing; one with a hole), a degenerate one, EPSG:5186.
        const QString path = test::sourcePath(QStringLiteral("tests/data/fixture_buildings_5186.geojson"));
        CityModel model;
        auto report = VectorLoader::load(path.toStdString(), LoadOptions{HeightRules{3.5, 7.0}, {}, {}}, model);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        QCOMPARE(report->buildings, std::size_t(3));
        QCOMPARE(report->skipReasons.at("degenerate footprint"), std::size_t(1));
        QCOMPARE(model.frame.crs(), std::string("EPSG:32652"));
        const auto& b = model.buildings;
        QCOMPARE(b.heightSource(0), HeightSource::Attribute);
        QCOMPARE(b.heightM(0), 30.0);
        QCOMPARE(b.name(0), std::string("A"));
        QCOMPARE(b.heightSource(1), HeightSource::Levels);
        QCOMPARE(b.heightM(1), 14.0);
        QCOMPARE(b.heightSource(2), HeightSource::Default);
        QCOMPARE(b.heightM(2), 7.0);
        // Areas survive reprojection to UTM within the scale error of both projections (< 0.1 %).
        QVERIFY(std::abs(b.footprintAreaM2(0) - 200.0) < 0.2);
        QVERIFY(std::abs(b.footprintAreaM2(1) - (1600.0 - 400.0)) < 1.2);
        QCOMPARE(b.ringEnd(1) - b.ringBegin(1), 2u);
        QVERIFY(b.ringIsHole(b.ringBegin(1) + 1));
        // Outer rings run counter-clockwise, holes clockwise, whatever the source did.
        QVERIFY(signedArea(b.ring(b.ringBegin(0))) > 0.0);
        QVERIFY(signedArea(b.ring(b.ringBegin(1) + 1)) < 0.0);
    }

    void missingAndBrokenFilesAreErrorsNamingTheFile() {
        CityModel model;
        auto missing = VectorLoader::load("/nonexistent/city.gpkg", {}, model);
        QVERIFY(!missing.ok());
        QVERIFY(QString::fromStdString(missing.error()).startsWith(QStringLiteral("/nonexistent/city.gpkg: ")));

        QTemporaryDir dir;
        const QString garbage = dir.filePath(QStringLiteral("broken.gpkg"));
        QByteArray noise(4096, '\0');
        for (int i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>((i * 7919) % 251);
        writeFile(garbage, noise);
        auto broken = VectorLoader::load(garbage.toStdString(), {}, model);
        QVERIFY(!broken.ok());
        QVERIFY(QString::fromStdString(broken.error()).contains(garbage));
        QCOMPARE(model.buildings.size(), std::size_t(0));
    }

    void shapefileWithoutCrsIsRefused() {
        QTemporaryDir dir;
        const QString shp = dir.filePath(QStringLiteral("roads.shp"));
        const auto converted = test::runProgram(QStringLiteral("ogr2ogr"),
                                                {QStringLiteral("-f"), QStringLiteral("ESRI Shapefile"), shp, kDemoOsm,
                                                 QStringLiteral("lines")});
        QCOMPARE(converted.exitCode, 0);
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("roads.prj"))));
        CityModel model;
        auto report = VectorLoader::load(shp.toStdString(), {}, model);
        QVERIFY(!report.ok());
        QVERIFY2(QString::fromStdString(report.error()).contains(QStringLiteral("no coordinate reference system")),
                 report.error().c_str());
    }

    void lotteWorldTowerStandsFromItsBuildingRelation() {
        CityModel model;
        auto report = VectorLoader::load(kDemoOsm.toStdString(), {}, model);
        QVERIFY(report.ok());
        const auto& b = model.buildings;
        const auto tower = buildingById(b, "relation/8824257");
        QVERIFY(tower);
        QCOMPARE(b.heightM(*tower), 555.0);
        QCOMPARE(b.heightSource(*tower), HeightSource::Attribute);
        QCOMPARE(b.useType(*tower), std::string("commercial"));
        QCOMPARE(b.useClass(*tower), UseClass::Office);
        QVERIFY(!b.isPart(*tower));
        QVERIFY(b.hasParts(*tower));  // drawn by its parts, not as a 555 m prism of its outline
        // Every building:part way of the extract belongs to the tower (SOURCE.md: 32 of its members).
        const auto parts = partsOf(b, *tower);
        QCOMPARE(qint64(parts.size()), qint64(report->buildingParts));
        double tallest = 0.0;
        for (std::size_t p : parts) {
            QVERIFY(b.heightM(p) > 0.0 && b.heightM(p) <= 555.0);
            QCOMPARE(b.minHeightM(p), 0.0);
            QCOMPARE(b.useClass(p), UseClass::Office);
            tallest = std::max(tallest, b.heightM(p));
        }
        // The crown's roof parts carry height=554.5; the 123-storey part (height=520) keeps its height.
        QCOMPARE(tallest, 554.5);
        // A part with building:levels=120 and no height takes the tower's storey height, 555 m / 123.
        const auto part120 = buildingById(b, "way/888605470");
        QVERIFY(part120);
        QCOMPARE(b.partOf(*part120), std::uint32_t(*tower));
        QVERIFY(std::abs(b.heightM(*part120) - 120.0 * 555.0 / 123.0) < 1e-9);
    }

    void fixtureBuildingPartsAndRelations() {
        CityModel model;
        auto report = VectorLoader::load(kFixtureOsm.toStdString(), {}, model);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        // Three building ways and a relation whose only members are parts; five parts.
        QCOMPARE(report->buildings, std::size_t(4));
        QCOMPARE(report->buildingParts, std::size_t(5));
        QCOMPARE(report->skipped(), std::size_t(0));
        const auto& b = model.buildings;
        // The relation's tags (height 50 over 10 levels, office) move onto its outline way.
        const auto tower = buildingById(b, "relation/1000");
        QVERIFY(tower);
        QCOMPARE(b.heightM(*tower), 50.0);
        QCOMPARE(b.name(*tower), std::string("Tower"));
        QVERIFY(b.hasParts(*tower));
        QCOMPARE(partsOf(b, *tower).size(), std::size_t(2));
        const auto west = buildingById(b, "way/101");
        const auto east = buildingById(b, "way/102");
        QVERIFY(west && east);
        QCOMPARE(b.heightM(*west), 20.0);  // 4 levels × 5 m, the tower's storey height
        QCOMPARE(b.minHeightM(*west), 0.0);
        QCOMPARE(b.heightM(*east), 50.0);
        QCOMPARE(b.minHeightM(*east), 20.0);  // floats from 20 m to 50 m
        // A small part inside a larger building without a relation belongs to it by position, but
        // covers too little of it to replace the building's own extrusion.
        const auto shop = buildingById(b, "way/104");
        const auto kiosk = buildingById(b, "way/103");
        QVERIFY(shop && kiosk);
        QCOMPARE(b.partOf(*kiosk), std::uint32_t(*shop));
        QVERIFY(!b.hasParts(*shop));
        QCOMPARE(b.useClass(*shop), UseClass::Retail);
        QCOMPARE(b.useClass(*kiosk), UseClass::Retail);
        // 5 levels + 1 roof level at 3 m; start_date gives the year.
        const auto flats = buildingById(b, "way/105");
        QVERIFY(flats);
        QCOMPARE(b.heightM(*flats), 18.0);
        QCOMPARE(b.heightSource(*flats), HeightSource::Levels);
        QCOMPARE(b.useClass(*flats), UseClass::Residential);
        QCOMPARE(b.useType(*flats), std::string("apartments"));
        QCOMPARE(b.yearBuilt(*flats), 1995);
        // Without an outline the relation's footprint is the convex hull of its parts (an L of
        // 2 × 2 and 2 × 1 units of 1e-4°, hull area 2 × 2 + 2 × 1 + the triangle 2 × 1 / 2), drawn by them.
        const auto school = buildingById(b, "relation/1001");
        QVERIFY(school);
        QVERIFY(b.hasParts(*school));
        QCOMPARE(b.useClass(*school), UseClass::Education);
        QCOMPARE(partsOf(b, *school).size(), std::size_t(2));
        const double unit = b.footprintAreaM2(*partsOf(b, *school).begin()) / 4.0;
        QVERIFY2(std::abs(b.footprintAreaM2(*school) / unit - 7.0) < 0.01,
                 qPrintable(QString::number(b.footprintAreaM2(*school) / unit)));
        const auto low = buildingById(b, "way/107");
        QVERIFY(low);
        QCOMPARE(b.heightM(*low), 10.0);  // 2 levels × 5 m, the relation's storey height
    }

    void fixtureRoadsSplitAtJunctionsAndSignals() {
        // Main road n1–n5 (lanes=4, maxspeed=60) crossed at n3 by a one-way residential street and
        // signalised at its interior node n4; a secondary road continues from n5 (lanes 2 + 1); a
        // footway crosses at n2 and does not split; a second signal stands on no road.
        CityModel model;
        auto report = VectorLoader::load(kFixtureOsm.toStdString(), {}, model);
        QVERIFY(report.ok());
        QCOMPARE(report->roadWays, std::size_t(3));
        QCOMPARE(report->roadLinks, std::size_t(6));
        QCOMPARE(report->roadNodes, std::size_t(7));
        QCOMPARE(report->trafficSignals, std::size_t(1));
        const auto& roads = model.roads;
        std::map<std::string, const RoadLink*> byId;
        for (std::size_t l = 0; l < roads.linkCount(); ++l) byId[roads.link(l).id] = &roads.link(l);
        QVERIFY(byId.contains("way/1#0") && byId.contains("way/1#2") && byId.contains("way/2#1") && byId.contains("way/3"));
        QCOMPARE(byId["way/1#0"]->lanes, 4);
        QCOMPARE(byId["way/1#0"]->lanesForward, 2);
        QCOMPARE(byId["way/1#0"]->speedLimitKmh, 60.0);
        QVERIFY(!byId["way/1#0"]->speedLimitEstimated);
        QCOMPARE(byId["way/1#0"]->vertexCount, 3u);  // n1, n2, n3: the footway does not split it
        QVERIFY(byId["way/2#1"]->oneWay);
        QCOMPARE(byId["way/2#1"]->lanesBackward, 0);
        QCOMPARE(byId["way/2#1"]->speedLimitKmh, 30.0);
        QVERIFY(byId["way/2#1"]->speedLimitEstimated);
        QCOMPARE(byId["way/3"]->lanesForward, 2);
        QCOMPARE(byId["way/3"]->lanesBackward, 1);
        QCOMPARE(byId["way/3"]->lanes, 3);
        QCOMPARE(byId["way/3"]->speedLimitKmh, 50.0);
        // The signal at n4 is the node where way/1#1 ends and way/1#2 starts.
        QCOMPARE(byId["way/1#1"]->toNode, byId["way/1#2"]->fromNode);
        QVERIFY(roads.node(byId["way/1#2"]->fromNode).hasSignal);
        // The crossing n3 joins four links.
        const std::uint32_t crossing = byId["way/1#0"]->toNode;
        int degree = 0;
        for (std::size_t l = 0; l < roads.linkCount(); ++l)
            degree += (roads.link(l).fromNode == crossing) + (roads.link(l).toNode == crossing);
        QCOMPARE(degree, 4);
    }

    void demoRoadNetworkIsSplitAtJunctions() {
        CityModel model;
        auto report = VectorLoader::load(kDemoOsm.toStdString(), {}, model);
        QVERIFY(report.ok());
        QCOMPARE(model.frame.crs(), std::string("EPSG:32652"));
        const auto& roads = model.roads;
        double length = 0.0;
        double laneKm = 0.0;
        std::vector<int> degree(roads.nodeCount(), 0);
        for (std::size_t l = 0; l < roads.linkCount(); ++l) {
            const auto& link = roads.link(l);
            const auto geometry = roads.geometry(l);
            length += link.lengthM;
            laneKm += link.lengthM * link.lanes / 1000.0;
            QVERIFY(link.speedLimitKmh > 0.0);
            QVERIFY(link.lanes >= 1 && link.lanesForward + link.lanesBackward == link.lanes);
            // Links meet only at their end nodes: no interior vertex is a node.
            QVERIFY((geometry.front() - roads.node(link.fromNode).position).norm() < 0.01);
            QVERIFY((geometry.back() - roads.node(link.toNode).position).norm() < 0.01);
            for (std::size_t v = 1; v + 1 < geometry.size(); ++v) QVERIFY(!roads.findNode(geometry[v]));
            ++degree[link.fromNode];
            ++degree[link.toNode];
        }
        QVERIFY(std::all_of(degree.begin(), degree.end(), [](int d) { return d > 0; }));
        QVERIFY(std::count_if(degree.begin(), degree.end(), [](int d) { return d >= 3; }) > 100);
        QCOMPARE(qint64(roads.nodeCount()), qint64(report->roadNodes));
        QVERIFY(std::abs(laneKm - report->laneKm) < 1e-6);
        // Splitting keeps every metre: the same lines measured by Spatialite in the same UTM zone.
        QTemporaryDir dir;
        const QString gpkg = dir.filePath(QStringLiteral("roads.gpkg"));
        QCOMPARE(test::runProgram(QStringLiteral("ogr2ogr"), {QStringLiteral("-f"), QStringLiteral("GPKG"), gpkg, kDemoOsm,
                                                             QStringLiteral("points"), QStringLiteral("lines")})
                     .exitCode,
                 0);
        const double expectedLength = ogrinfoSqliteValue(
            gpkg, QStringLiteral("SELECT SUM(ST_Length(ST_Transform(geom, 32652))) FROM lines WHERE ") + kDrivable);
        QVERIFY2(std::abs(length - expectedLength) < 0.5,
                 qPrintable(QStringLiteral("%1 vs %2").arg(length, 0, 'f', 2).arg(expectedLength, 0, 'f', 2)));
        // Signals: the traffic_signals nodes that lie on a drivable road (within 1e-7°, ~1 cm).
        const double onRoad = ogrinfoSqliteValue(
            gpkg, QStringLiteral("SELECT COUNT(*) FROM points p WHERE p.highway = 'traffic_signals' AND EXISTS "
                                 "(SELECT 1 FROM lines l WHERE ") +
                      QString(kDrivable).replace(QStringLiteral("highway"), QStringLiteral("l.highway")) +
                      QStringLiteral(" AND ST_Distance(l.geom, p.geom) < 1e-7)"));
        const long long allSignals = test::ogrinfoCount(
            kDemoOsm, QStringLiteral("SELECT COUNT(*) FROM points WHERE highway = 'traffic_signals'"));
        QVERIFY(onRoad > 0);
        QVERIFY(qint64(onRoad) <= allSignals);
        QCOMPARE(qint64(report->trafficSignals), qint64(onRoad));
        std::size_t marked = 0;
        for (std::size_t n = 0; n < roads.nodeCount(); ++n) marked += roads.node(n).hasSignal ? 1 : 0;
        QCOMPARE(marked, report->trafficSignals);
    }

    void turnsRespectOneWaysUTurnsAndRestrictions() {
        // A(0,0) – B(100,0) – C(200,0) two-way; B → D(100,100) one-way into a dead end; E(100,-100) – B
        // two-way from a dead end.
        RoadNetwork roads;
        auto add = [&](const char* id, Eigen::Vector2d a, Eigen::Vector2d b, bool oneWay) {
            RoadLink link;
            link.id = id;
            link.oneWay = oneWay;
            const std::vector<Eigen::Vector2d> line{a, b};
            roads.addLink(link, line);
        };
        add("AB", {0, 0}, {100, 0}, false);
        add("BC", {100, 0}, {200, 0}, false);
        add("BD", {100, 0}, {100, 100}, true);
        add("EB", {100, -100}, {100, 0}, false);
        QVERIFY(!roads.connectivityKnown());
        roads.updateConnectivity();
        QVERIFY(roads.connectivityKnown());
        const DirectedLink ab = directedLink(0, false), ba = directedLink(0, true), bc = directedLink(1, false),
                           bd = directedLink(2, false), eb = directedLink(3, false), be = directedLink(3, true);
        QVERIFY(!roads.isDriven(directedLink(2, true)));
        QVERIFY(turnAllowed(roads, ab, bc) && turnAllowed(roads, ab, bd) && turnAllowed(roads, ab, be));
        QVERIFY(!turnAllowed(roads, ab, ba));  // no U-turn at a junction
        QCOMPARE(roads.turnsFrom(ab).size(), std::size_t(3));
        QVERIFY(turnAllowed(roads, ba, ab));  // A is a dead end: turn round
        QVERIFY(roads.turnsFrom(bd).empty());  // D: a one-way into a dead end
        QCOMPARE(roads.largestComponentLinks(), std::size_t(3));
        QVERIFY(roads.inLargestComponent(ab) && roads.inLargestComponent(be) && !roads.inLargestComponent(bd));

        // No left turn from A→B into B→D; from E only straight on (into B→D), which traps E–B too.
        roads.addTurnRestriction({TurnRestriction::Kind::No, ab, roads.link(0).toNode, bd});
        roads.addTurnRestriction({TurnRestriction::Kind::Only, eb, roads.link(0).toNode, bd});
        roads.updateConnectivity();
        QVERIFY(!turnAllowed(roads, ab, bd) && turnAllowed(roads, ab, bc));
        QCOMPARE(roads.turnsFrom(eb).size(), std::size_t(1));
        QVERIFY(turnAllowed(roads, eb, bd));
        QCOMPARE(roads.largestComponentLinks(), std::size_t(2));
        QVERIFY(!roads.inLargestComponent(eb) && !roads.inLargestComponent(be));
    }

    void osmTurnRestrictionsAreRead() {
        // A crossing of four residential ways at node 2; from the west no left turn (north), from the
        // south only straight on (north); a restriction whose via node is on no road is skipped.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("crossing.osm"));
        writeFile(path, R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="37.5100" lon="127.0990"/>
  <node id="2" lat="37.5100" lon="127.1000"/>
  <node id="3" lat="37.5100" lon="127.1010"/>
  <node id="4" lat="37.5110" lon="127.1000"/>
  <node id="5" lat="37.5090" lon="127.1000"/>
  <node id="6" lat="37.5200" lon="127.1000"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/></way>
  <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/></way>
  <way id="12"><nd ref="2"/><nd ref="4"/><tag k="highway" v="residential"/></way>
  <way id="13"><nd ref="5"/><nd ref="2"/><tag k="highway" v="residential"/></way>
  <relation id="100">
    <member type="way" ref="10" role="from"/><member type="node" ref="2" role="via"/>
    <member type="way" ref="12" role="to"/>
    <tag k="type" v="restriction"/><tag k="restriction" v="no_left_turn"/>
  </relation>
  <relation id="101">
    <member type="way" ref="13" role="from"/><member type="node" ref="2" role="via"/>
    <member type="way" ref="12" role="to"/>
    <tag k="type" v="restriction"/><tag k="restriction" v="only_straight_on"/>
  </relation>
  <relation id="102">
    <member type="way" ref="10" role="from"/><member type="node" ref="6" role="via"/>
    <member type="way" ref="12" role="to"/>
    <tag k="type" v="restriction"/><tag k="restriction" v="no_u_turn"/>
  </relation>
</osm>
)");
        CityModel model;
        auto report = VectorLoader::load(path.toStdString(), {}, model);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        QCOMPARE(report->roadLinks, std::size_t(4));
        QCOMPARE(report->turnRestrictions, std::size_t(2));
        QCOMPARE(report->skipReasons.at("turn restriction not on the drivable roads"), std::size_t(1));
        const auto& roads = model.roads;
        QVERIFY(roads.connectivityKnown());
        const auto westIn = directedById(roads, "way/10", false), southIn = directedById(roads, "way/13", false),
                   northOut = directedById(roads, "way/12", false), eastOut = directedById(roads, "way/11", false),
                   westOut = directedById(roads, "way/10", true);
        QVERIFY(westIn && southIn && northOut && eastOut && westOut);
        QVERIFY(!turnAllowed(roads, *westIn, *northOut));
        QVERIFY(turnAllowed(roads, *westIn, *eastOut));
        QCOMPARE(roads.turnsFrom(*southIn).size(), std::size_t(1));
        QVERIFY(turnAllowed(roads, *southIn, *northOut));
        QVERIFY(!turnAllowed(roads, *southIn, *westOut));
        QCOMPARE(report->largestComponentLinks, std::size_t(4));
    }

    void largestComponentMatchesReachability() {
        // The demo network: the component Tarjan's algorithm marks is exactly the set of directed links
        // both reachable from and reaching one of its members; links outside it are few (dead-end
        // one-ways, isolated service roads), and each has no way into or out of it.
        CityModel model;
        auto report = VectorLoader::load(kDemoOsm.toStdString(), {}, model);
        QVERIFY(report.ok());
        const auto& roads = model.roads;
        QVERIFY(roads.connectivityKnown());
        QCOMPARE(report->largestComponentLinks, roads.largestComponentLinks());
        QVERIFY(roads.largestComponentLinks() > roads.linkCount() * 8 / 10);
        QVERIFY(roads.largestComponentLinks() < roads.linkCount());
        DirectedLink member = 0;
        while (!roads.inLargestComponent(member)) ++member;
        const auto from = reachable(roads, member, true);
        const auto to = reachable(roads, member, false);
        std::size_t directedInside = 0;
        for (DirectedLink d = 0; d < 2 * roads.linkCount(); ++d) {
            QCOMPARE(bool(roads.inLargestComponent(d)), from[d] && to[d]);
            directedInside += roads.inLargestComponent(d);
        }
        // No U-turns at junctions: a two-way link's directions are joined only through the network.
        std::size_t turnsBack = 0;
        for (DirectedLink d = 0; d < 2 * roads.linkCount(); ++d)
            turnsBack += turnAllowed(roads, d, reverseOf(d)) && roads.turnsFrom(d).size() > 1;
        QCOMPARE(turnsBack, std::size_t(0));
        QVERIFY(directedInside >= roads.largestComponentLinks());
    }

    void liechtensteinTurnRestrictions() {
        const QString pbf = QStringLiteral("/work/shared/data/osm/liechtenstein-2013-08-03.osm.pbf");
        if (!QFile::exists(pbf)) QSKIP("shared Liechtenstein extract not present");
        // ogrinfo finds two type=restriction relations; one (no_left_turn) lies on the drivable roads, the
        // other (only_right_turn) lost its to way at the extract's edge.
        const long long relations = test::ogrinfoCount(pbf, QStringLiteral("SELECT COUNT(*) FROM other_relations WHERE type = 'restriction'"));
        QCOMPARE(relations, 2LL);
        CityModel model;
        auto report = VectorLoader::load(pbf.toStdString(), {}, model);
        QVERIFY(report.ok());
        QCOMPARE(report->turnRestrictions, std::size_t(1));
        QCOMPARE(model.roads.turnRestrictionCount(), std::size_t(1));
        QCOMPARE(report->skipReasons.at("turn restriction without from, via node and to"), std::size_t(1));
    }

    void roadAttributesFromCommonFieldNames() {
        // Korean road centre line (수치지형도 도로중심선): RDLN lanes, RDDV road kind.
        auto centreLine = readRoadAttributes({{"RDLN", "4"}, {"RDDV", "일반국도"}, {"RN", "올림픽로"}}, {});
        QCOMPARE(centreLine.lanes, std::string("4"));
        QCOMPARE(centreLine.roadClass, std::string("primary"));
        QCOMPARE(centreLine.name, std::string("올림픽로"));
        // MOCT standard node-link: LANES, MAX_SPD, ROAD_RANK codes.
        auto link = readRoadAttributes({{"LANES", "2"}, {"MAX_SPD", "80"}, {"ROAD_RANK", "102"}}, {});
        QCOMPARE(link.speedLimit, std::string("80"));
        QCOMPARE(link.roadClass, std::string("trunk"));
        // Korean column names; Geofabrik's fclass and F/T/B one-way codes.
        auto korean = readRoadAttributes({{"차로수", "3"}, {"제한속도", "60"}, {"일방통행", "일방통행"}, {"도로구분", "고속국도"}}, {});
        QCOMPARE(korean.lanes, std::string("3"));
        QCOMPARE(korean.speedLimit, std::string("60"));
        QCOMPARE(korean.oneWay, OneWay::Forward);
        QCOMPARE(korean.roadClass, std::string("motorway"));
        QCOMPARE(readRoadAttributes({{"fclass", "Residential"}, {"oneway", "T"}}, {}).oneWay, OneWay::Backward);
        QCOMPARE(readRoadAttributes({{"fclass", "residential"}, {"oneway", "B"}}, {}).oneWay, OneWay::No);
        QCOMPARE(readRoadAttributes({{"fclass", "Residential"}}, {}).roadClass, std::string("residential"));
        // Explicit names win over the common ones.
        RoadFieldNames names;
        names.lanes = "NLANE";
        names.roadClass = "KIND";
        auto mapped = readRoadAttributes({{"lanes", "1"}, {"NLANE", "6"}, {"KIND", "도시고속도로"}}, names);
        QCOMPARE(mapped.lanes, std::string("6"));
        QCOMPARE(mapped.roadClass, std::string("trunk"));
    }

    void gisRoadLayerFieldsAreMapped() {
        // Jamsil's OSM roads as a GeoPackage in EPSG:5186 with Korean-style columns (차로수, 제한속도,
        // ONEWAY, ROAD_TYPE, RN): lanes, limits, one-ways and classes come through unnamed, and match
        // the counts ogrinfo gives on the same file.
        CityModel model;
        auto report = VectorLoader::load(kJamsilRoadsGpkg.toStdString(), {}, model);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        QCOMPARE(report->sourceCrs, std::string("EPSG:5186"));
        QCOMPARE(qint64(report->roadWays), test::ogrinfoCount(kJamsilRoadsGpkg, QStringLiteral("SELECT COUNT(*) FROM roads")));
        const auto& roads = model.roads;
        std::set<std::string> oneWayWays, limitedWays, primaryWays;
        std::map<std::string, int> lanesOf;
        for (std::size_t l = 0; l < roads.linkCount(); ++l) {
            const RoadLink& link = roads.link(l);
            const std::string way = link.id.substr(0, link.id.find('#'));
            if (link.oneWay) oneWayWays.insert(way);
            if (!link.speedLimitEstimated) limitedWays.insert(way);
            if (link.roadClass == "primary") primaryWays.insert(way);
            lanesOf[way] = link.lanes;
        }
        QCOMPARE(qint64(oneWayWays.size()),
                 test::ogrinfoCount(kJamsilRoadsGpkg, QStringLiteral("SELECT COUNT(*) FROM roads WHERE ONEWAY = 'yes' OR ROAD_TYPE = 'motorway'")));
        QCOMPARE(qint64(limitedWays.size()),
                 test::ogrinfoCount(kJamsilRoadsGpkg, QStringLiteral("SELECT COUNT(*) FROM roads WHERE \"제한속도\" IS NOT NULL")));
        QCOMPARE(qint64(primaryWays.size()),
                 test::ogrinfoCount(kJamsilRoadsGpkg, QStringLiteral("SELECT COUNT(*) FROM roads WHERE ROAD_TYPE = 'primary'")));
        // A way with 차로수 = 8 has eight lanes (two-way: four each way).
        const long long eightLaneWays = test::ogrinfoCount(kJamsilRoadsGpkg, QStringLiteral("SELECT COUNT(*) FROM roads WHERE \"차로수\" = '8'"));
        QVERIFY(eightLaneWays > 0);
        QCOMPARE(qint64(std::count_if(lanesOf.begin(), lanesOf.end(), [](const auto& entry) { return entry.second == 8; })),
                 eightLaneWays);

        // The same layer with unusual column names loads the same once the layer names them.
        QTemporaryDir dir;
        const QString renamed = dir.filePath(QStringLiteral("renamed.gpkg"));
        const auto converted = test::runProgram(
            QStringLiteral("ogr2ogr"),
            {QStringLiteral("-f"), QStringLiteral("GPKG"), renamed, kJamsilRoadsGpkg, QStringLiteral("-nln"), QStringLiteral("roads"),
             QStringLiteral("-sql"),
             QStringLiteral("SELECT UFID, ROAD_TYPE AS KIND, \"차로수\" AS NLANE, \"제한속도\" AS VMAX, ONEWAY AS DIR, GEOMETRY FROM roads")});
        QCOMPARE(converted.exitCode, 0);
        LoadOptions options;
        options.roadFields = {"NLANE", "VMAX", "DIR", "KIND", ""};
        CityModel mapped;
        auto mappedReport = VectorLoader::load(renamed.toStdString(), options, mapped);
        QVERIFY2(mappedReport.ok(), mappedReport.ok() ? "" : mappedReport.error().c_str());
        QCOMPARE(mapped.roads.linkCount(), roads.linkCount());
        for (std::size_t l = 0; l < roads.linkCount(); ++l) {
            QCOMPARE(mapped.roads.link(l).lanes, roads.link(l).lanes);
            QCOMPARE(mapped.roads.link(l).speedLimitKmh, roads.link(l).speedLimitKmh);
            QCOMPARE(mapped.roads.link(l).oneWay, roads.link(l).oneWay);
            QCOMPARE(mapped.roads.link(l).roadClass, roads.link(l).roadClass);
        }
        // Without the names no road field is recognised: a line layer like that (contours, boundaries) is
        // not taken for roads; every line is skipped with its reason.
        CityModel unmapped;
        auto unmappedReport = VectorLoader::load(renamed.toStdString(), {}, unmapped);
        QVERIFY(unmappedReport.ok());
        QCOMPARE(unmapped.roads.linkCount(), std::size_t(0));
        QCOMPARE(qint64(unmappedReport->skipped()), test::ogrinfoCount(renamed, QStringLiteral("SELECT COUNT(*) FROM roads")));
    }

    void approximateTransformStaysWithinAMillimetre() {
        // Points scattered over 20 km of Seoul, in a projected (EPSG:5179) and a geographic (EPSG:4326)
        // source, into UTM 52N: the cell-wise affine maps agree with PROJ point by point within 1 mm.
        for (const auto& [crs, centre, spread] : {std::tuple{"EPSG:5179", Eigen::Vector2d(948000.0, 1946000.0), 20000.0},
                                                  std::tuple{"EPSG:4326", Eigen::Vector2d(126.92, 37.52), 0.2}}) {
            auto exact = CoordinateTransform::create(crs, "EPSG:32652");
            QVERIFY(exact.ok());
            ApproximateTransform approximate(std::move(exact.value()));
            std::vector<Eigen::Vector2d> points;
            for (int i = 0; i < 2000; ++i) {
                const double u = std::fmod(i * 0.6180339887, 1.0) - 0.5, v = std::fmod(i * 0.7548776662, 1.0) - 0.5;
                points.push_back(centre + Eigen::Vector2d(u, v) * spread);
            }
            std::vector<Eigen::Vector2d> expected = points;
            QCOMPARE(approximate.exact().forward(expected), std::size_t(0));
            QCOMPARE(approximate.forward(points), std::size_t(0));
            double worst = 0.0;
            for (std::size_t i = 0; i < points.size(); ++i) worst = std::max(worst, (points[i] - expected[i]).norm());
            QVERIFY2(worst < 1e-3, qPrintable(QStringLiteral("%1: %2 m").arg(crs).arg(worst)));
        }
    }

    void yeouidoContoursNameEpsg5179() {
        const QString contours = QStringLiteral(
            "/work/shared/data/korea/seoul_yeouido_buildings/NF_L_F01000_L_F01000_000000.shp");
        if (!QFile::exists(contours)) QSKIP("shared Yeouido data not present");
        CityModel model;
        auto report = VectorLoader::load(contours.toStdString(), {}, model);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        QCOMPARE(report->sourceCrs, std::string("EPSG:5179"));
    }

    void useClasses_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("expected");  // -1: says nothing about use
        const int residential = int(UseClass::Residential), office = int(UseClass::Office),
                  retail = int(UseClass::Retail), education = int(UseClass::Education),
                  health = int(UseClass::Health), industrial = int(UseClass::Industrial),
                  warehouse = int(UseClass::Warehouse), other = int(UseClass::Other);
        QTest::newRow("apartments") << "apartments" << residential;
        QTest::newRow("house") << "house" << residential;
        QTest::newRow("officetel") << "officetel" << residential;
        QTest::newRow("commercial") << "commercial" << office;
        QTest::newRow("office") << "Office" << office;
        QTest::newRow("retail") << "retail" << retail;
        QTest::newRow("school") << "school" << education;
        QTest::newRow("hospital") << "hospital" << health;
        QTest::newRow("industrial") << "industrial" << industrial;
        QTest::newRow("warehouse") << "warehouse" << warehouse;
        QTest::newRow("hotel") << "hotel" << other;
        QTest::newRow("yes") << "yes" << -1;
        QTest::newRow("code 01000 단독주택") << "01000" << residential;
        QTest::newRow("code 02000 공동주택") << "02000" << residential;
        QTest::newRow("code 04000 근린생활") << "04000" << retail;
        QTest::newRow("code 09000 의료") << "09000" << health;
        QTest::newRow("code 10000 교육연구") << "10000" << education;
        QTest::newRow("code 14000 업무") << "14000" << office;
        QTest::newRow("code 17000 공장") << "17000" << industrial;
        QTest::newRow("code 18000 창고") << "18000" << warehouse;
        QTest::newRow("code 06000 종교") << "06000" << other;
        QTest::newRow("공동주택") << QStringLiteral("공동주택") << residential;
        QTest::newRow("오피스텔") << QStringLiteral("오피스텔") << residential;
        QTest::newRow("제2종근린생활시설") << QStringLiteral("제2종근린생활시설") << retail;
        QTest::newRow("업무시설") << QStringLiteral("업무시설") << office;
        QTest::newRow("교육연구시설") << QStringLiteral("교육연구시설") << education;
        QTest::newRow("의료시설") << QStringLiteral("의료시설") << health;
        QTest::newRow("창고시설") << QStringLiteral("창고시설") << warehouse;
        QTest::newRow("종교시설") << QStringLiteral("종교시설") << other;
    }

    void useClasses() {
        QFETCH(QString, value);
        QFETCH(int, expected);
        const auto useClass = useClassOf(value.toStdString());
        QCOMPARE(useClass ? int(*useClass) : -1, expected);
    }

    void useClassFromHintsAndKoreanLayouts() {
        QCOMPARE(classifyUse({{"building", "yes"}, {"amenity", "school"}}), UseClass::Education);
        QCOMPARE(classifyUse({{"building", "yes"}, {"shop", "convenience"}}), UseClass::Retail);
        QCOMPARE(classifyUse({{"building", "yes"}}), UseClass::Other);
        QCOMPARE(classifyUse({{"building", "apartments"}, {"shop", "bakery"}}), UseClass::Residential);
        // F_FAC_BUILDING: main-use code in USABILITY, approval date in USEAPR_DAY.
        const AttributeList facility = {{"UFID", "x"}, {"GRND_FLR", "12"}, {"USABILITY", "14000"}, {"USEAPR_DAY", "19880930"}};
        QCOMPARE(classifyUse(facility), UseClass::Office);
        QCOMPARE(rawUseType(facility), std::string("14000"));
        QCOMPARE(resolveYearBuilt(facility), 1988);
        // AL_D010: generic A0 … A28 columns (A9 use name, A13 approval date, A16 height, A26 floors).
        AttributeList alD010;
        for (int i = 0; i <= 28; ++i) alD010.emplace_back("A" + std::to_string(i), "");
        alD010[9].second = "공동주택";
        alD010[13].second = "2003-06-20";
        alD010[16].second = "0";
        alD010[26].second = "15";
        QVERIFY(isAlD010Layout(alD010));
        QCOMPARE(classifyUse(alD010), UseClass::Residential);
        QCOMPARE(rawUseType(alD010), std::string("공동주택"));
        QCOMPARE(resolveYearBuilt(alD010), 2003);
        const auto height = resolveHeight(alD010, HeightRules{});
        QCOMPARE(height.source, HeightSource::Levels);
        QCOMPARE(height.heightM, 45.0);
        QVERIFY(!isAlD010Layout({{"A1", "x"}, {"name", "y"}}));
    }

    void yearsBuilt_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("expected");
        QTest::newRow("year") << "start_date" << "1995" << 1995;
        QTest::newRow("date") << "start_date" << "1995-05-03" << 1995;
        QTest::newRow("approximate") << "start_date" << "~1987" << 1987;
        QTest::newRow("decade") << "start_date" << "1990s" << 1990;
        QTest::newRow("building:year") << "building:year" << "2011" << 2011;
        QTest::newRow("Korean approval day") << "USE_APR_DAY" << "20150412" << 2015;
        QTest::newRow("unknown approval day") << "USEAPR_DAY" << "00000000" << 0;
        QTest::newRow("century") << "start_date" << "C19" << 0;
        QTest::newRow("nothing") << "name" << "1995" << 0;
    }

    void yearsBuilt() {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(int, expected);
        QCOMPARE(resolveYearBuilt({{key.toStdString(), value.toStdString()}}), expected);
    }

    void roofLevelsAndMinHeight() {
        const HeightRules rules{};
        auto withRoof = resolveHeight({{"building:levels", "4"}, {"roof:levels", "2"}}, rules);
        QCOMPARE(withRoof.heightM, 18.0);
        QCOMPARE(withRoof.source, HeightSource::Levels);
        QCOMPARE(resolveHeight({{"height", "30"}, {"roof:levels", "2"}}, rules).heightM, 30.0);
        QCOMPARE(resolveMinHeight({{"min_height", "12.5"}}, rules), 12.5);
        QCOMPARE(resolveMinHeight({{"building:min_level", "3"}}, rules), 9.0);
        QCOMPARE(resolveMinHeight({{"height", "3"}}, rules), 0.0);
    }

    void osmOtherTagsParse() {
        AttributeList attributes;
        appendOsmOtherTags("\"height\"=>\"25\",\"name:en\"=>\"Say \\\"hi\\\"\",\"building:levels\"=>\"8\"", attributes);
        QCOMPARE(attributes.size(), std::size_t(3));
        QCOMPARE(attributes[0].second, std::string("25"));
        QCOMPARE(attributes[1].second, std::string("Say \"hi\""));
        QCOMPARE(attributes[2].first, std::string("building:levels"));
    }

    void heightRules_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<double>("expectedHeight");
        QTest::addColumn<int>("expectedSource");
        QTest::newRow("metres") << "height" << "12.5" << 12.5 << 0;
        QTest::newRow("metres with unit") << "height" << "12 m" << 12.0 << 0;
        QTest::newRow("feet") << "height" << "100 ft" << 30.48 << 0;
        QTest::newRow("Korean HEIGHT") << "HEIGHT" << "284" << 284.0 << 0;
        QTest::newRow("levels") << "building:levels" << "5" << 15.0 << 1;
        QTest::newRow("Korean GRND_FLR") << "GRND_FLR" << "60" << 180.0 << 1;
        QTest::newRow("unparseable height falls to default") << "height" << "tall" << 9.0 << 2;
        QTest::newRow("zero levels falls to default") << "building:levels" << "0" << 9.0 << 2;
        QTest::newRow("nothing") << "name" << "x" << 9.0 << 2;
    }

    void heightRules() {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(double, expectedHeight);
        QFETCH(int, expectedSource);
        const auto resolved = resolveHeight({{key.toStdString(), value.toStdString()}}, HeightRules{});
        QCOMPARE(static_cast<int>(resolved.source), expectedSource);
        QVERIFY(std::abs(resolved.heightM - expectedHeight) < 1e-9);
    }
};

QTEST_GUILESS_MAIN(GeodataTest)
#include "test_geodata.moc"
