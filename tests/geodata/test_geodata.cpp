#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "TestSupport.h"
#include "ut/geodata/AttributeMapping.h"
#include "ut/geodata/GeographicConverter.h"
#include "ut/geodata/OsmTags.h"
#include "ut/geodata/VectorLoader.h"

using namespace ut;

namespace {
const QString kDemoOsm = test::sourcePath(QStringLiteral("data/demo/jamsil.osm.pbf"));

void writeFile(const QString& path, const QByteArray& content) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
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
        const long long roads = test::ogrinfoCount(
            kDemoOsm, QStringLiteral("SELECT COUNT(*) FROM lines WHERE highway IS NOT NULL AND highway NOT IN "
                                     "('footway','path','cycleway','steps','pedestrian','bridleway','corridor',"
                                     "'construction','proposed','platform','elevator','abandoned','razed',"
                                     "'bus_stop','via_ferrata','track')"));
        QVERIFY(buildings > 1000);
        QCOMPARE(qint64(report->buildings), qint64(buildings));
        QCOMPARE(qint64(model.buildings.size()), qint64(buildings));
        QCOMPARE(qint64(report->roadLinks), qint64(roads));
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
        QVERIFY(withHeight > 0 && levelsOnly > 0);
        QCOMPARE(qint64(report->heightSources[0]), qint64(withHeight));
        QCOMPARE(qint64(report->heightSources[1]), qint64(levelsOnly));
        QCOMPARE(qint64(report->heightSources[2]), qint64(report->buildings) - withHeight - levelsOnly);
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
        auto report = VectorLoader::load(path.toStdString(), {HeightRules{3.5, 7.0}}, model);
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
