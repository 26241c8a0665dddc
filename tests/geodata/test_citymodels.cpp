// Terrain (DEM), CityJSON, CityGML and encoded shapefiles: loaders checked against independent counts and
// values (gdallocationinfo, gdalinfo, python's json module, ogrinfo).
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <osg/Geometry>
#include <cmath>

#include "TestSupport.h"
#include "ut/app/Project.h"
#include "ut/app/ProjectLoader.h"
#include "ut/geodata/AttributeMapping.h"
#include "ut/geodata/CityGmlLoader.h"
#include "ut/geodata/CityJsonLoader.h"
#include "ut/geodata/DemLoader.h"
#include "ut/geodata/VectorLoader.h"
#include "ut/render/CityScene.h"

using namespace ut;

namespace {
const QString kDem = test::sourcePath(QStringLiteral("tests/data/srtm_bigtujunga_40x30_utm11.tif"));
// The fixture's georeferencing (gdalinfo): origin of its north-west corner, 30 m pixels, 40 × 30.
constexpr double kDemX0 = 394313.655454263498541;
constexpr double kDemY0 = 3798917.827628375496715;
constexpr double kPixel = 30.0;

// The DEM's value at a pixel, as GDAL's own tool reads it.
double gdalPixel(const QString& path, int column, int row) {
    const auto result = test::runProgram(QStringLiteral("gdallocationinfo"),
                                         {QStringLiteral("-valonly"), path, QString::number(column), QString::number(row)});
    bool ok = false;
    const double v = result.out.trimmed().toDouble(&ok);
    return ok ? v : NAN;
}

// Where pixel (column, row)'s centre lies in a frame whose origin is the centre of pixel (0, rows - 1).
Eigen::Vector2d pixelCentre(int column, int row) {
    return {kDemX0 + (column + 0.5) * kPixel, kDemY0 - (row + 0.5) * kPixel};
}

void writeFile(const QString& path, const QByteArray& content) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

// A GeoJSON square footprint in EPSG:32611 with its corners on the given DEM pixel centres.
QByteArray squareOnPixels(int c0, int r0, int c1, int r1) {
    const Eigen::Vector2d a = pixelCentre(c0, r0);
    const Eigen::Vector2d b = pixelCentre(c1, r1);
    QJsonArray ring{QJsonArray{a.x(), a.y()}, QJsonArray{b.x(), a.y()}, QJsonArray{b.x(), b.y()},
                    QJsonArray{a.x(), b.y()}, QJsonArray{a.x(), a.y()}};
    QJsonObject feature{{"type", "Feature"},
                        {"properties", QJsonObject{{"height", 12.0}}},
                        {"geometry", QJsonObject{{"type", "Polygon"}, {"coordinates", QJsonArray{ring}}}}};
    QJsonObject collection{{"type", "FeatureCollection"},
                           {"crs", QJsonObject{{"type", "name"},
                                               {"properties", QJsonObject{{"name", "urn:ogc:def:crs:EPSG::32611"}}}}},
                           {"features", QJsonArray{feature}}};
    return QJsonDocument(collection).toJson();
}

const QString kDenHaag = test::sourcePath(QStringLiteral("tests/data/denhaag_DH_01_subs.city.json"));
const QString kSharedCityModels = QStringLiteral("/work/shared/data/citymodel/");

// tests/geodata/citymodel_check.py COMMAND ARGS… (python's json and ElementTree, not our parsers): its stdout.
QString python(const QString& command, const QStringList& arguments) {
    const auto result = test::runProgram(
        QStringLiteral("python3"),
        QStringList{test::sourcePath(QStringLiteral("tests/geodata/citymodel_check.py")), command} + arguments);
    return result.exitCode == 0 ? result.out.trimmed() : QStringLiteral("python failed: ") + result.err;
}






}  // namespace

class CityModelsTest : public QObject {
    Q_OBJECT
private slots:
    void demHeightsMatchGdal() {
        // Frame nodes on the DEM's pixel centres: the terrain holds the DEM's own values there.
        CityModel model;
        model.frame = LocalFrame("EPSG:32611", pixelCentre(0, 29));
        auto report = VectorLoader::load(kDem.toStdString(), {}, model);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        QVERIFY(report->raster.has_value());
        QCOMPARE(report->raster->columns, 40);
        QCOMPARE(report->raster->rows, 30);
        QCOMPARE(report->raster->resolutionX, 30.0);
        QCOMPARE(report->sourceCrs, std::string("EPSG:32611"));
        QCOMPARE(report->raster->nodataValue.value_or(0.0), 32767.0);
        QCOMPARE(report->raster->minElevationM, 984.0);  // gdalinfo -mm: 984 … 1308
        QCOMPARE(report->raster->maxElevationM, 1308.0);
        QCOMPARE(model.terrain.columns(), 40);
        QCOMPARE(model.terrain.rows(), 30);
        QCOMPARE(model.terrain.cellSizeM(), 30.0);
        for (const auto& [c, r] : {std::pair{0, 0}, {39, 29}, {17, 11}, {3, 25}, {31, 6}}) {
            const double expected = gdalPixel(kDem, c, r);
            QVERIFY(std::isfinite(expected));
            const auto height = model.terrain.heightAt(pixelCentre(c, r) - *model.frame.origin());
            QVERIFY(height.has_value());
            QVERIFY2(std::abs(*height - expected) < 1e-3,
                     qPrintable(QStringLiteral("pixel %1,%2: %3 vs gdal %4").arg(c).arg(r).arg(*height).arg(expected)));
        }
        // Between four nodes: bilinear.
        const double mid = (gdalPixel(kDem, 10, 10) + gdalPixel(kDem, 11, 10) + gdalPixel(kDem, 10, 11) +
                            gdalPixel(kDem, 11, 11)) / 4.0;
        const auto h = model.terrain.heightAt((pixelCentre(10, 10) + pixelCentre(11, 11)) / 2.0 - *model.frame.origin());
        QVERIFY(h && std::abs(*h - mid) < 1e-3);
        QVERIFY(!model.terrain.heightAt(Eigen::Vector2d(-100.0, -100.0)));
    }

    void buildingsStandOnTheTerrainWhicheverLoadsFirst() {
        QTemporaryDir dir;
        const QString footprint = dir.filePath(QStringLiteral("square.geojson"));
        writeFile(footprint, squareOnPixels(5, 5, 8, 9));
        double lowest = INFINITY;
        for (const auto& [c, r] : {std::pair{5, 5}, {8, 5}, {8, 9}, {5, 9}}) lowest = std::min(lowest, gdalPixel(kDem, c, r));
        for (const bool demFirst : {true, false}) {
            CityModel model;
            model.frame = LocalFrame("EPSG:32611", pixelCentre(0, 29));
            const QString first = demFirst ? kDem : footprint;
            const QString second = demFirst ? footprint : kDem;
            auto a = VectorLoader::load(first.toStdString(), {}, model);
            auto b = VectorLoader::load(second.toStdString(), {}, model);
            QVERIFY(a.ok() && b.ok());
            QCOMPARE(model.buildings.size(), std::size_t(1));
            QVERIFY(model.buildings.baseElevationKnown(0));
            QVERIFY2(std::abs(model.buildings.baseElevationM(0) - lowest) < 1e-3,
                     qPrintable(QString::number(model.buildings.baseElevationM(0)) + " vs " + QString::number(lowest)));
            QCOMPARE((demFirst ? b : a)->buildingsOnTerrain, std::size_t(demFirst ? 1 : 0));
            QCOMPARE((demFirst ? a : b)->buildingsOnTerrain, std::size_t(demFirst ? 0 : 1));
        }
    }

    void demInAnotherCrsIsWarpedIntoTheFrame() {
        // The UTM 11 DEM in a lon/lat-free other projection (California zone 5, EPSG:2229 is in feet: use
        // EPSG:3310 California Albers, metres): heights stay within the DEM's range and the grid is filled.
        CityModel model;
        model.frame = LocalFrame("EPSG:3310");
        auto report = VectorLoader::load(kDem.toStdString(), {}, model);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        const auto range = model.terrain.range();
        QVERIFY(range.has_value());
        QVERIFY(range->first >= 984.0f - 1e-3f && range->second <= 1308.0f + 1e-3f);
        QVERIFY(model.terrain.validCount() > model.terrain.heights().size() / 2);
        // The centre of the DEM, taken to Albers by PROJ, sits on about the DEM's centre value.
        QVERIFY(model.frame.origin().has_value());
        const auto centre = model.terrain.heightAt(Eigen::Vector2d::Zero());
        QVERIFY(centre.has_value());
        QVERIFY(*centre >= 984.0 && *centre <= 1308.0);
    }

    void koreanDemTilesMosaic() {
        const QString dir = QStringLiteral("/work/shared/data/korea/dem/");
        if (!QFile::exists(dir + "34707051.tif")) QSKIP("shared Korean DEM tiles not present");
        CityModel model;
        model.frame = LocalFrame("EPSG:5186");
        std::size_t nodes = 0;
        for (const char* tile : {"34707051.tif", "34707052.tif", "34707053.tif"}) {
            auto report = VectorLoader::load((dir + tile).toStdString(), {}, model);
            QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
            QCOMPARE(report->sourceCrs, std::string("EPSG:5186"));
            QVERIFY(model.terrain.heights().size() > nodes);
            nodes = model.terrain.heights().size();
        }
        // Union E 245,800–252,800 at 5 m (SOURCE.md), pixel centres.
        QCOMPARE(model.terrain.cellSizeM(), 5.0);
        QVERIFY(std::abs(model.terrain.extent().sizes().x() - (252800.0 - 245800.0 - 5.0)) <= 5.0);
        const auto range = model.terrain.range();
        QVERIFY(range && range->first >= -0.5f && range->second <= 292.7f && range->second > 292.0f);
        // A pixel centre of the middle tile, outside the first tile: its own value.
        const double e = 249000.0 + 2.5;
        const double n = 224000.0 - 2.5;
        const auto value = test::runProgram(QStringLiteral("gdallocationinfo"),
                                            {QStringLiteral("-valonly"), QStringLiteral("-geoloc"), dir + "34707052.tif",
                                             QString::number(e, 'f', 3), QString::number(n, 'f', 3)});
        const auto h = model.terrain.heightAt(Eigen::Vector2d(e, n) - *model.frame.origin());
        QVERIFY(h.has_value());
        QVERIFY2(std::abs(*h - value.out.trimmed().toDouble()) < 0.01,
                 qPrintable(QString::number(*h) + " vs " + value.out.trimmed()));
    }

    void roadsLieOnTheKoreanDem() {
        // A straight two-vertex road 2.1 km across the first 5 m tile (EPSG:5186) over its hills: the ribbon
        // and the link highlight follow the terrain, sampled at least every cell of the terrain mesh (10 m:
        // the 482 × 578 grid drawn with every second node).
        const QString dir = QStringLiteral("/work/shared/data/korea/dem/");
        if (!QFile::exists(dir + "34707051.tif")) QSKIP("shared Korean DEM tile not present");
        QTemporaryDir work;
        const QString road = work.filePath(QStringLiteral("road.geojson"));
        writeFile(road, R"({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:5186"}},
  "features": [{"type": "Feature", "properties": {"highway": "primary", "lanes": 2},
    "geometry": {"type": "LineString", "coordinates": [[246000, 223000], [247500, 224500]]}}]})");
        CityModel model;
        model.frame = LocalFrame("EPSG:5186");
        QVERIFY(VectorLoader::load((dir + "34707051.tif").toStdString(), {}, model).ok());
        auto report = VectorLoader::load(road.toStdString(), {}, model);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        QCOMPARE(model.roads.linkCount(), std::size_t(1));
        const auto line = model.roads.geometry(0);
        QCOMPARE(line.size(), std::size_t(2));

        const auto draped = model.terrain.drape(line, 5.0);
        const double length = (line[1] - line[0]).norm();
        QVERIFY(draped.size() >= static_cast<std::size_t>(length / 5.0));
        double lowest = INFINITY, highest = -INFINITY;
        for (std::size_t i = 0; i < draped.size(); ++i) {
            if (i > 0) QVERIFY((draped[i] - draped[i - 1]).head<2>().norm() <= 5.0 + 1e-9);
            const auto h = model.terrain.heightAt(draped[i].head<2>());
            QVERIFY(h.has_value());
            QCOMPARE(draped[i].z(), *h);
            lowest = std::min(lowest, draped[i].z());
            highest = std::max(highest, draped[i].z());
        }
        QVERIFY2(highest - lowest > 20.0, qPrintable(QStringLiteral("relief %1 m").arg(highest - lowest)));
        // Outside the terrain a line keeps the nearest height along it.
        const Eigen::Vector2d beyond[] = {line[0], line[0] + Eigen::Vector2d(-1e5, 0.0)};
        const auto overhang = model.terrain.drape(beyond, 0.0);
        QCOMPARE(overhang.back().z(), overhang.front().z());

        // The viewport's ribbon: each cross-section's centre lies 0.15 m above the terrain under it.
        const render::CityScene scene = render::buildCityScene(model);
        const auto* roads = scene.roads->asGeometry();
        QVERIFY(roads);
        const auto* vertices = dynamic_cast<const osg::Vec3Array*>(roads->getVertexArray());
        QVERIFY(vertices && vertices->size() >= 2 * static_cast<std::size_t>(length / 10.0));
        double worst = 0.0;
        for (std::size_t i = 0; i + 1 < vertices->size(); i += 2) {
            const osg::Vec3 centre = ((*vertices)[i] + (*vertices)[i + 1]) * 0.5f;
            const auto h = model.terrain.heightAt(Eigen::Vector2d(centre.x(), centre.y()));
            QVERIFY(h.has_value());
            worst = std::max(worst, std::abs(centre.z() - 0.15 - *h));
        }
        QVERIFY2(worst < 0.05, qPrintable(QStringLiteral("ribbon off the terrain by %1 m").arg(worst)));
        const auto highlight = render::buildLinkHighlight(model.roads, model.terrain, 0);
        const auto* highlightVertices = dynamic_cast<const osg::Vec3Array*>(highlight->asGeometry()->getVertexArray());
        QVERIFY(highlightVertices && highlightVertices->size() == vertices->size());
        QVERIFY(std::abs((*highlightVertices)[10].z() - (*vertices)[10].z() - 0.1f) < 0.01f);
    }

    void cityJsonCountsMatchPython_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("frame");
        QTest::addColumn<QString>("crs");
        QTest::newRow("Den Haag 1.1 LoD2 (no CRS)") << kDenHaag << "EPSG:7415" << "EPSG:7415";
        QTest::newRow("Delft 2.0 LoD1") << kSharedCityModels + "delft.city.json" << "" << "EPSG:7415";
        QTest::newRow("Zurich 1.1 LoD2") << kSharedCityModels + "zurich_subset_lod2.city.json" << "" << "EPSG:2056";
    }

    void cityJsonCountsMatchPython() {
        QFETCH(QString, path);
        QFETCH(QString, frame);
        QFETCH(QString, crs);
        if (!QFile::exists(path)) QSKIP("shared city models not present");
        const QStringList expected = python(QStringLiteral("count"), {path}).split(' ');
        QCOMPARE(expected.size(), 5);
        CityModel model;
        if (!frame.isEmpty()) model.frame = LocalFrame(frame.toStdString());
        auto report = VectorLoader::load(path.toStdString(), {}, model);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        QCOMPARE(report->sourceCrs, crs.toStdString());
        QCOMPARE(qint64(report->buildings), expected[0].toLongLong());
        QCOMPARE(qint64(report->buildingParts), expected[1].toLongLong());
        QCOMPARE(report->skipped(), std::size_t(0));
        QCOMPARE(model.buildings.buildingCount(), report->buildings);
        // Semantic surfaces kept as the file types them (LoD1 Delft has none: typed by their normals).
        if (expected[2].toLongLong() > 0) {
            QCOMPARE(qint64(model.surfaces.count(SurfaceType::Roof)), expected[2].toLongLong());
            QCOMPARE(qint64(model.surfaces.count(SurfaceType::Wall)), expected[3].toLongLong());
            QCOMPARE(qint64(model.surfaces.count(SurfaceType::Ground)), expected[4].toLongLong());
        } else {
            QVERIFY(model.surfaces.count(SurfaceType::Roof) > 0 && model.surfaces.count(SurfaceType::Wall) > 0);
        }
        for (std::size_t i = 0; i < model.buildings.size(); ++i) {
            QVERIFY(model.buildings.baseElevationKnown(i));
            QVERIFY(model.buildings.heightM(i) > 0.0 && model.buildings.heightM(i) < 200.0);
            // Parts may be tiny (a 0.15 m² chimney in Den Haag, a 0.97 m² one in Zürich).
            QVERIFY2(model.buildings.footprintAreaM2(i) > (model.buildings.isPart(i) ? 0.0 : 1.0), qPrintable(QString::fromStdString(model.buildings.id(i)) + " " + QString::number(model.buildings.footprintAreaM2(i)) + " rings " + QString::number(model.buildings.ringEnd(i) - model.buildings.ringBegin(i))));
        }
    }

    void cityJsonHeightsBasesAndFootprints() {
        CityModel model;
        model.frame = LocalFrame("EPSG:7415");
        auto report = VectorLoader::load(kDenHaag.toStdString(), {}, model);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        for (std::size_t i = 0; i < model.buildings.size(); ++i) {
            if (model.buildings.isPart(i)) {
                QVERIFY(model.buildings.partOf(i) < i);
                continue;
            }
            QVERIFY(model.buildings.hasParts(i) || !model.buildings.isPart(i));
            const QStringList range = python(QStringLiteral("zrange"), {kDenHaag, QString::fromStdString(model.buildings.id(i))}).split(' ');
            QCOMPARE(range.size(), 2);
            QVERIFY(std::abs(model.buildings.baseElevationM(i) - range[0].toDouble()) < 1e-6);
            QVERIFY(std::abs(model.buildings.heightM(i) - (range[1].toDouble() - range[0].toDouble())) < 1e-6);
        }
        // Surfaces are in the frame: x, y near the origin, z absolute (NAP).
        QVERIFY(!model.surfaces.empty());
        for (std::uint32_t r = model.surfaces.ringBegin(0); r < model.surfaces.ringEnd(0); ++r)
            for (const auto& v : model.surfaces.ring(r)) QVERIFY(std::abs(v.x()) < 500.0 && v.z() > 3.0 && v.z() < 15.0);

        const QString delft = kSharedCityModels + "delft.city.json";
        if (!QFile::exists(delft)) QSKIP("shared Delft model not present");
        CityModel delftModel;
        delftModel.frame = LocalFrame("EPSG:7415");  // RD New: areas as the file has them
        QVERIFY(VectorLoader::load(delft.toStdString(), {}, delftModel).ok());
        for (std::size_t i = 0; i < delftModel.buildings.size(); i += 37) {
            const QString id = QString::fromStdString(delftModel.buildings.id(i));
            // measuredHeight wins over the geometry.
            const auto measured = findAttribute(delftModel.buildings.attributes(i), {"measuredHeight"});
            QVERIFY(measured.has_value());
            QCOMPARE(delftModel.buildings.heightM(i), std::stod(std::string(*measured)));
            // The footprint is the outline of the roof triangles: the same area, in one ring per piece.
            const double roofArea = python(QStringLiteral("roofarea"), {delft, id}).toDouble();
            QVERIFY2(std::abs(delftModel.buildings.footprintAreaM2(i) - roofArea) < 0.01 * roofArea + 0.01,
                     qPrintable(id + ": " + QString::number(delftModel.buildings.footprintAreaM2(i)) + " vs " + QString::number(roofArea)));
            QVERIFY(delftModel.buildings.ringEnd(i) - delftModel.buildings.ringBegin(i) < 5);
        }
    }

    void cityJsonWithoutReferenceSystemAsksForOne() {
        CityModel model;
        auto report = VectorLoader::load(kDenHaag.toStdString(), {}, model);
        QVERIFY(!report.ok());
        QVERIFY2(QString::fromStdString(report.error()).startsWith(kDenHaag + ": metadata.referenceSystem is missing"),
                 report.error().c_str());
        QVERIFY(model.buildings.empty());
    }

    void cityJsonSeqLoadsLikeTheDocument() {
        QTemporaryDir dir;
        const QString seq = dir.filePath(QStringLiteral("denhaag.city.jsonl"));
        QCOMPARE(python(QStringLiteral("toseq"), {kDenHaag, seq}), QString());
        CityModel whole;
        whole.frame = LocalFrame("EPSG:7415");
        auto a = VectorLoader::load(kDenHaag.toStdString(), {}, whole);
        CityModel streamed;
        streamed.frame = LocalFrame("EPSG:7415");
        auto b = VectorLoader::load(seq.toStdString(), {}, streamed);
        QVERIFY2(a.ok() && b.ok(), b.ok() ? "" : b.error().c_str());
        QCOMPARE(b->buildings, a->buildings);
        QCOMPARE(b->buildingParts, a->buildingParts);
        QCOMPARE(streamed.surfaces.size(), whole.surfaces.size());
        double areaA = 0.0;
        double areaB = 0.0;
        for (std::size_t i = 0; i < whole.buildings.size(); ++i) areaA += whole.buildings.footprintAreaM2(i);
        for (std::size_t i = 0; i < streamed.buildings.size(); ++i) areaB += streamed.buildings.footprintAreaM2(i);
        QVERIFY(std::abs(areaA - areaB) < 1e-6 * areaA);
    }

    void badCityJsonIsCleanErrorsOrSkips() {
        QTemporaryDir dir;
        QFile source(kDenHaag);
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QByteArray text = source.readAll();
        CityModel model;
        model.frame = LocalFrame("EPSG:7415");

        const QString truncated = dir.filePath(QStringLiteral("truncated.city.json"));
        writeFile(truncated, text.left(text.size() / 2));
        auto cut = VectorLoader::load(truncated.toStdString(), {}, model);
        QVERIFY(!cut.ok());
        QVERIFY2(QString::fromStdString(cut.error()).startsWith(truncated + ":") && QString::fromStdString(cut.error()).contains(QStringLiteral("invalid JSON")), cut.error().c_str());

        QJsonObject root = QJsonDocument::fromJson(text).object();
        root["version"] = "3.0";
        const QString future = dir.filePath(QStringLiteral("future.city.json"));
        writeFile(future, QJsonDocument(root).toJson());
        auto refused = VectorLoader::load(future.toStdString(), {}, model);
        QVERIFY(!refused.ok() && QString::fromStdString(refused.error()).contains(QStringLiteral("version '3.0'")));

        // A vertex index past the end: that surface is skipped and counted; the rest loads.
        root["version"] = "1.1";
        QJsonArray vertices = root["vertices"].toArray();
        vertices.removeLast();
        root["vertices"] = vertices;
        const QString shortened = dir.filePath(QStringLiteral("shortened.city.json"));
        writeFile(shortened, QJsonDocument(root).toJson());
        auto partial = VectorLoader::load(shortened.toStdString(), {}, model);
        QVERIFY2(partial.ok(), partial.ok() ? "" : partial.error().c_str());
        QVERIFY(partial->skipReasons.at("vertex index out of range") >= 1);
        QCOMPARE(partial->buildings, std::size_t(4));

        root["vertices"] = QJsonArray{QJsonArray{1, 2}};
        const QString badVertex = dir.filePath(QStringLiteral("badvertex.city.json"));
        writeFile(badVertex, QJsonDocument(root).toJson());
        auto bad = VectorLoader::load(badVertex.toStdString(), {}, model);
        QVERIFY(!bad.ok() && QString::fromStdString(bad.error()).contains(QStringLiteral("vertices[0]: expected [x, y, z]")));
    }

    void cityGmlBerlinCountsMatchPython() {
        const QString berlin = kSharedCityModels + "berlin_open_data_sample_data.citygml";
        if (!QFile::exists(berlin)) QSKIP("shared Berlin CityGML not present");
        const QStringList expected = python(QStringLiteral("gmlcount"), {berlin}).split(' ');
        QCOMPARE(expected.size(), 5);
        CityModel model;
        auto report = VectorLoader::load(berlin.toStdString(), {}, model);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        QCOMPARE(report->sourceCrs, std::string("EPSG:25833"));
        QCOMPARE(qint64(report->buildings), expected[0].toLongLong());  // 61 (SOURCE.md)
        QCOMPARE(qint64(report->buildingParts), expected[1].toLongLong());
        QCOMPARE(report->skipped(), std::size_t(0));
        QCOMPARE(qint64(model.surfaces.count(SurfaceType::Roof)), expected[2].toLongLong());
        QCOMPARE(qint64(model.surfaces.count(SurfaceType::Wall)), expected[3].toLongLong());
        QCOMPARE(qint64(model.surfaces.count(SurfaceType::Ground)), expected[4].toLongLong());
        // Envelope z 27.52 … 64.22 (SOURCE.md): bases and tops inside it.
        for (std::size_t i = 0; i < model.buildings.size(); ++i) {
            QVERIFY(model.buildings.baseElevationM(i) >= 27.5 && model.buildings.baseElevationM(i) < 64.3);
            QVERIFY(model.buildings.baseElevationM(i) + model.buildings.heightM(i) <= 64.23);
            QVERIFY(model.buildings.footprintAreaM2(i) > 1.0);
        }
    }

    void cityGmlSmallBuildingWithPart() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("box.gml"));
        QFile fixture(test::sourcePath(QStringLiteral("tests/data/fixture_building_lod1.gml")));
        QVERIFY(fixture.open(QIODevice::ReadOnly));
        const QByteArray gml = fixture.readAll();
        writeFile(path, gml);
        CityModel model;
        auto refused = VectorLoader::load(path.toStdString(), {}, model);
        QVERIFY(!refused.ok() && QString::fromStdString(refused.error()).contains(QStringLiteral("no srsName")));
        model.frame = LocalFrame("EPSG:25833", Eigen::Vector2d::Zero());
        auto report = VectorLoader::load(path.toStdString(), {}, model);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        QCOMPARE(report->buildings, std::size_t(1));
        QCOMPARE(report->buildingParts, std::size_t(1));
        const auto& b = model.buildings;
        QCOMPARE(b.heightM(0), 12.5);  // measuredHeight, not the z range
        QCOMPARE(b.baseElevationM(0), 4.0);
        QCOMPARE(b.name(0), std::string("Box"));
        QCOMPARE(b.yearBuilt(0), 1987);
        QCOMPARE(std::string(findAttribute(b.attributes(0), {"owner"}).value_or("")), std::string("city"));
        QCOMPARE(b.footprintAreaM2(0), 60.0);
        QCOMPARE(b.partOf(1), 0u);
        QCOMPARE(b.baseElevationM(1), 16.0);
        QCOMPARE(b.heightM(1), 3.0);
        QCOMPARE(b.footprintAreaM2(1), 4.0);
        // No semantics: faces are typed by their normals (the box's and the part's bottom and top).
        QCOMPARE(model.surfaces.count(SurfaceType::Ground), std::size_t(2));
        QCOMPARE(model.surfaces.count(SurfaceType::Wall), std::size_t(4));
        QCOMPARE(model.surfaces.count(SurfaceType::Roof), std::size_t(2));

        const QString broken = dir.filePath(QStringLiteral("broken.gml"));
        writeFile(broken, gml.left(1500));
        auto cut = VectorLoader::load(broken.toStdString(), {}, model);
        QVERIFY2(!cut.ok() && QString::fromStdString(cut.error()).startsWith(broken + ":"), cut.ok() ? "" : cut.error().c_str());
    }

    void koreanShapefileEncodings() {
        // Five named Jamsil buildings from the demo OSM extract, written by ogr2ogr as a CP949 shapefile and,
        // for reference, as UTF-8 GeoJSON.
        QTemporaryDir dir;
        const QString osm = test::sourcePath(QStringLiteral("data/demo/jamsil.osm.pbf"));
        const QStringList select = {osm, QStringLiteral("multipolygons"), QStringLiteral("-where"),
                                    QStringLiteral("building IS NOT NULL AND name IS NOT NULL"), QStringLiteral("-select"),
                                    QStringLiteral("name,building"), QStringLiteral("-limit"), QStringLiteral("5")};
        const QString geojson = dir.filePath(QStringLiteral("named.geojson"));
        QCOMPARE(test::runProgram(QStringLiteral("ogr2ogr"), QStringList{QStringLiteral("-f"), QStringLiteral("GeoJSON"), geojson} + select).exitCode, 0);
        auto shapefile = [&](const QString& name, const QString& srs) {
            const QString shp = dir.filePath(name + QStringLiteral(".shp"));
            const auto made = test::runProgram(QStringLiteral("ogr2ogr"),
                                               QStringList{QStringLiteral("-f"), QStringLiteral("ESRI Shapefile"),
                                                           QStringLiteral("-lco"), QStringLiteral("ENCODING=CP949"),
                                                           QStringLiteral("-t_srs"), srs, shp} + select);
            return made.exitCode == 0 ? shp : QString();
        };
        auto names = [](const QString& path, const LoadOptions& options, std::string* encoding = nullptr) {
            CityModel model;
            auto report = VectorLoader::load(path.toStdString(), options, model);
            QStringList out;
            if (!report) return QStringList{QString::fromStdString(report.error())};
            if (encoding) *encoding = report->encoding;
            for (std::size_t i = 0; i < model.buildings.size(); ++i) out << QString::fromStdString(model.buildings.name(i));
            out.sort();
            return out;
        };
        const QStringList expected = names(geojson, {});
        QCOMPARE(expected.size(), 5);
        QVERIFY(expected.contains(QStringLiteral("롯데월드")));

        std::string encoding;
        const QString korean = shapefile(QStringLiteral("korean"), QStringLiteral("EPSG:5186"));
        QVERIFY(!korean.isEmpty());
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("korean.cpg"))));
        QCOMPARE(names(korean, {}, &encoding), expected);  // the .cpg says CP949
        QCOMPARE(encoding, std::string("CP949"));
        LoadOptions eucKr;
        eucKr.encoding = "EUC-KR";  // explicit, overriding the .cpg: the same Hangul
        QCOMPARE(names(korean, eucKr, &encoding), expected);
        QCOMPARE(encoding, std::string("EUC-KR"));

        // Without a .cpg (and no language driver id in the DBF): not UTF-8, a Korean CRS → CP949.
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("korean.cpg"))));
        QCOMPARE(names(korean, {}, &encoding), expected);
        QCOMPARE(encoding, std::string("CP949"));
        // Lon/lat, without a .cpg: features in Korea → CP949 as well.
        const QString lonLat = shapefile(QStringLiteral("lonlat"), QStringLiteral("EPSG:4326"));
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("lonlat.cpg"))));
        QCOMPARE(names(lonLat, {}, &encoding), expected);
        // Moved to Europe (same bytes): ISO-8859-1, valid UTF-8 out, never raw bytes.
        const QString moved = dir.filePath(QStringLiteral("moved.shp"));
        QCOMPARE(test::runProgram(QStringLiteral("ogr2ogr"),
                                  {QStringLiteral("-f"), QStringLiteral("ESRI Shapefile"), QStringLiteral("-oo"),
                                   QStringLiteral("ENCODING="), QStringLiteral("-lco"), QStringLiteral("ENCODING="),
                                   QStringLiteral("-dialect"), QStringLiteral("SQLite"), QStringLiteral("-sql"),
                                   QStringLiteral("SELECT name, ST_Translate(geometry, -120, 15, 0) FROM lonlat"), moved, lonLat})
                     .exitCode, 0);
        QFile::remove(dir.filePath(QStringLiteral("moved.cpg")));
        const QStringList latin = names(moved, {}, &encoding);
        QCOMPARE(encoding, std::string("ISO-8859-1"));
        QCOMPARE(latin.size(), 5);
        QVERIFY(latin != expected);
        LoadOptions cp949;
        cp949.encoding = "CP949";
        QCOMPARE(names(moved, cp949), expected);
    }

    void projectWithDemAndBuildingLayers() {
        // A project whose buildings layer comes before its DEM layer (type "dem"): the building stands on the
        // terrain; a "dem" layer that is no raster is that layer's error; "encoding" reaches the loader.
        QTemporaryDir dir;
        const QString footprint = dir.filePath(QStringLiteral("square.geojson"));
        writeFile(footprint, squareOnPixels(5, 5, 8, 9));
        const Eigen::Vector2d origin = pixelCentre(0, 29);
        QJsonObject project{{"format", "urbantwin-project"},
                            {"version", 1},
                            {"frame", QJsonObject{{"crs", "EPSG:32611"}, {"origin", QJsonArray{origin.x(), origin.y()}}}},
                            {"layers", QJsonArray{QJsonObject{{"path", footprint}, {"encoding", "UTF-8"}},
                                                  QJsonObject{{"path", kDem}, {"type", "dem"}},
                                                  QJsonObject{{"path", footprint}, {"type", "dem"}}}}};
        const QString path = dir.filePath(QStringLiteral("terrain.utwin"));
        writeFile(path, QJsonDocument(project).toJson());
        auto read = app::readProject(path);
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().c_str());
        QVERIFY2(read->warnings.isEmpty(), qPrintable(read->warnings.join('\n')));
        const app::LoadedProject loaded = app::loadProject(read.value());
        QCOMPARE(loaded.layers.size(), std::size_t(3));
        QVERIFY(loaded.layers[0].ok() && loaded.layers[1].ok());
        QVERIFY(loaded.layers[2].error.contains(QStringLiteral("not a raster DEM")));
        QCOMPARE(loaded.layers[1].report->buildingsOnTerrain, std::size_t(1));
        QVERIFY(!loaded.model.terrain.empty());
        double lowest = INFINITY;
        for (const auto& [c, r] : {std::pair{5, 5}, {8, 5}, {8, 9}, {5, 9}}) lowest = std::min(lowest, gdalPixel(kDem, c, r));
        QVERIFY(std::abs(loaded.model.buildings.baseElevationM(0) - lowest) < 1e-3);
    }

    void badDemsAreCleanErrors() {
        QTemporaryDir dir;
        const QString noCrs = dir.filePath(QStringLiteral("nocrs.tif"));
        const auto made = test::runProgram(QStringLiteral("gdal_translate"),
                                           {QStringLiteral("-q"), QStringLiteral("-co"), QStringLiteral("PROFILE=BASELINE"), kDem, noCrs});
        QCOMPARE(made.exitCode, 0);
        QFile::remove(noCrs + ".aux.xml");
        CityModel model;
        auto report = VectorLoader::load(noCrs.toStdString(), {}, model);
        QVERIFY(!report.ok());
        QVERIFY2(QString::fromStdString(report.error()).startsWith(noCrs + ": "), report.error().c_str());

        const QString truncated = dir.filePath(QStringLiteral("truncated.tif"));
        QFile source(kDem);
        QVERIFY(source.open(QIODevice::ReadOnly));
        writeFile(truncated, source.read(600));
        auto broken = VectorLoader::load(truncated.toStdString(), {}, model);
        QVERIFY(!broken.ok());
        QVERIFY2(QString::fromStdString(broken.error()).startsWith(truncated + ": "), broken.error().c_str());
        QVERIFY(model.terrain.empty());
    }
};

QTEST_GUILESS_MAIN(CityModelsTest)
#include "test_citymodels.moc"
