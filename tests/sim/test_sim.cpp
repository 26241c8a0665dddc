#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <numeric>

#include "TestSupport.h"
#include "ut/sim/EpwReader.h"
#include "ut/sim/ResultSet.h"
#include "ut/sim/VehiclePlayback.h"

using namespace ut;

class SimTest : public QObject {
    Q_OBJECT
private slots:
    void incheonWeatherMatchesPublishedStatistics() {
        auto weather = sim::readEpw(test::sourcePath(QStringLiteral("data/demo/KOR_Inchon.471120_IWEC.epw")).toStdString());
        QVERIFY2(weather.ok(), weather.ok() ? "" : weather.error().c_str());
        QCOMPARE(weather->hours(), std::size_t(8760));
        QCOMPARE(weather->station.name, std::string("INCH'ON"));
        QCOMPARE(weather->station.wmo, std::string("471120"));
        QVERIFY(std::abs(weather->station.latitudeDeg - 37.48) < 0.01);
        QVERIFY(std::abs(weather->station.longitudeDeg - 126.55) < 0.01);
        QCOMPARE(weather->station.timeZoneHours, 9.0);
        // Statistics in shared/data/weather/SOURCE.md: dry bulb −11.8 … 32.7 °C, mean 11.91 °C, GHI ≈ 1176 kWh/m².
        const auto& t = weather->dryBulbC;
        QVERIFY(std::abs(*std::min_element(t.begin(), t.end()) - -11.8) < 0.05);
        QVERIFY(std::abs(*std::max_element(t.begin(), t.end()) - 32.7) < 0.05);
        QVERIFY(std::abs(std::accumulate(t.begin(), t.end(), 0.0) / 8760.0 - 11.91) < 0.01);
        const auto& ghi = weather->globalHorizontalWhM2;
        const double annualKwh = std::accumulate(ghi.begin(), ghi.end(), 0.0) / 1000.0;
        QVERIFY2(std::abs(annualKwh - 1176.0) < 1.0, qPrintable(QString::number(annualKwh)));
    }

    void truncatedWeatherFileNamesTheProblem() {
        QFile source(test::sourcePath(QStringLiteral("data/demo/KOR_Inchon.471120_IWEC.epw")));
        QVERIFY(source.open(QIODevice::ReadOnly));
        QByteArray text = source.readAll();
        text.truncate(text.indexOf('\n', text.size() / 2));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("short.epw"));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(text);
        out.close();
        auto weather = sim::readEpw(path.toStdString());
        QVERIFY(!weather.ok());
        QVERIFY2(QString::fromStdString(weather.error()).startsWith(path + QStringLiteral(": expected 8760")),
                 weather.error().c_str());

        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("LOCATION,X,,KOR,,1,north,126,9,70\n");
        out.close();
        auto badHeader = sim::readEpw(path.toStdString());
        QVERIFY(!badHeader.ok());
        QVERIFY2(QString::fromStdString(badHeader.error()).startsWith(path + QStringLiteral(":1: ")), badHeader.error().c_str());
    }

    void vehiclePlaybackInterpolatesBetweenFrames() {
        sim::VehiclePlayback playback;
        playback.intervalS = 2.0;
        // Vehicle 1 drives east, 3 turns from heading 170° to -170° (across ±180°), 5 arrives, 7 enters.
        const float deg = 3.14159265f / 180.0f;
        playback.poses = {{1, 0, 0, 0, 10}, {3, 50, 0, 170 * deg, 4}, {5, 9, 9, 0, 1},
                          {1, 20, 0, 0, 10}, {3, 40, 0, -170 * deg, 6}, {7, -5, 0, 0, 0}};
        playback.frameBegin = {0, 3, 6};
        QCOMPARE(playback.frameCount(), std::size_t{2});
        QCOMPARE(playback.durationS(), 2.0);
        std::vector<sim::VehiclePose> out;
        playback.sample(0.5, out);  // a quarter of the way
        QCOMPARE(out.size(), std::size_t{3});
        QCOMPARE(out[0].vehicle, 1u);
        QCOMPARE(out[0].x, 5.0f);
        QCOMPARE(out[1].vehicle, 3u);
        QCOMPARE(out[1].x, 47.5f);
        QCOMPARE(out[1].speedMps, 4.5f);
        QVERIFY(std::abs(out[1].headingRad - 175.0f * deg) < 1e-4f);  // the short way round
        QCOMPARE(out[2].vehicle, 5u);
        playback.sample(1.5, out);  // three quarters: vehicle 5 has gone, 7 is there
        QCOMPARE(out.size(), std::size_t{3});
        QCOMPARE(out[0].x, 15.0f);
        QCOMPARE(out[2].vehicle, 7u);
        playback.sample(10.0, out);  // after the last frame: the last frame
        QCOMPARE(out.size(), std::size_t{3});
        QCOMPARE(out[0].x, 20.0f);
        playback.sample(-1.0, out);
        QCOMPARE(out[0].x, 0.0f);

        sim::ResultSet results, merged;
        results.vehiclePlayback() = playback;
        merged.merge(results);
        QCOMPARE(merged.vehiclePlayback().poses.size(), playback.poses.size());
        merged.merge(sim::ResultSet());  // a set without vehicles keeps them
        QCOMPARE(merged.vehiclePlayback().frameCount(), std::size_t{2});
    }
};

QTEST_GUILESS_MAIN(SimTest)
#include "test_sim.moc"
