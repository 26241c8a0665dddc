// Terrain (DEM), CityJSON, CityGML and encoded shapefiles: loaders checked against independent counts and
// values (gdallocationinfo, gdalinfo, python's json module, ogrinfo).
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "TestSupport.h"
#include "ut/geodata/DemLoader.h"
#include "ut/geodata/VectorLoader.h"

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
