#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "LanguageManager.h"
#include "MainWindow.h"
#include "SensorPanel.h"
#include "TestSupport.h"
#include "sensors/MosquittoBroker.h"
#include "ut/app/SensorSession.h"
#include "ut/sensors/FeedCounters.h"
#include "ut/sensors/ObservationStore.h"

using namespace ut;

namespace {

const QString kAirMapping = test::sourcePath(QStringLiteral("data/demo/sensors/seoul-air_hourly_2022-03.mapping.json"));
const QString kAirCsv = test::sourcePath(QStringLiteral("data/demo/sensors/seoul-air_hourly_2022-03.csv"));

// PM2.5 of the CSV's rows: (time, value), read here independently of the replay.
std::vector<std::pair<qint64, double>> pm25Rows() {
    std::vector<std::pair<qint64, double>> rows;
    QFile file(kAirCsv);
    if (!file.open(QIODevice::ReadOnly)) return rows;
    file.readLine();
    while (!file.atEnd()) {
        const QStringList cells = QString::fromUtf8(file.readLine()).trimmed().split(QLatin1Char(','));
        if (cells.size() < 3) continue;
        const QString date = cells[1].left(10);
        const int hour = cells[1].mid(11, 2).toInt();
        QDateTime time(QDate::fromString(date, QStringLiteral("yyyy-MM-dd")), QTime(0, 0), Qt::OffsetFromUTC, 9 * 3600);
        time = time.addSecs(3600LL * hour);  // 24:00 is the next day's 00:00
        bool ok = false;
        const double value = cells[2].toDouble(&ok);
        if (ok) rows.emplace_back(time.toMSecsSinceEpoch(), value);
    }
    return rows;
}

app::Project projectWithFeed(const QString& source, double speed, const QString& catalog = {}) {
    app::Project project;
    project.name = QStringLiteral("sensor test");
    project.filePath = QDir::temp().filePath(QStringLiteral("sensor-test.utwin"));
    app::SensorFeedEntry feed;
    feed.name = QStringLiteral("test feed");
    feed.source = source;
    feed.speed = speed;
    feed.catalogPath = catalog;
    project.sensors.feeds.push_back(feed);
    return project;
}

bool waitFor(const std::function<bool()>& done, int timeoutMs) {
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs) return false;
        QTest::qWait(20);
    }
    return true;
}

QString writeCatalog(const QTemporaryDir& folder) {
    const QJsonObject point{{"type", "Point"}, {"coordinates", QJsonArray{127.1, 37.513}}};
    const QJsonObject datastream{{"@iot.id", 7},
                                 {"name", "PM2.5 at Jamsil"},
                                 {"unitOfMeasurement", QJsonObject{{"name", "microgram per cubic metre"}, {"symbol", "µg/m³"}}},
                                 {"ObservedProperty", QJsonObject{{"name", "PM2.5"}}}};
    const QJsonObject thing{{"@iot.id", "jamsil-1"},
                            {"name", "Jamsil station"},
                            {"Locations", QJsonArray{QJsonObject{{"location", point}}}},
                            {"Datastreams", QJsonArray{datastream}}};
    const QString path = folder.filePath(QStringLiteral("things.json"));
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(QJsonDocument(QJsonObject{{"value", QJsonArray{thing}}}).toJson());
    return path;
}

}  // namespace

class SensorLayerTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("UrbanTwinTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_sensor_layer"));
        QStandardPaths::setTestModeEnabled(true);
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).removeRecursively();
    }

    void replayFillsTheStoreAndReadingsFollowTheCsv() {
        const auto rows = pm25Rows();
        QVERIFY(rows.size() > 500);
        QTemporaryDir folder;
        const QString store = folder.filePath(QStringLiteral("observations.sqlite"));
        auto session = app::SensorSession::start(projectWithFeed(kAirMapping, 0.0), store);
        QVERIFY2(session, session ? "" : session.error().c_str());
        QCOMPARE((*session)->placedThings().size(), std::size_t(1));
        QVERIFY((*session)->observedProperties().contains(QStringLiteral("PM2.5")));
        const auto& feeds = (*session)->feeds();
        QVERIFY(feeds.front().error.isEmpty());
        QVERIFY(waitFor([&] { return (*session)->store().size(QStringLiteral("seoul-average/pm25")) == rows.size(); }, 20000));

        // The newest reading is the last row; not stale, as replays run on their own clock.
        const auto latest = (*session)->readings(QStringLiteral("PM2.5"));
        QVERIFY(latest[0].hasValue);
        QCOMPARE(latest[0].time, rows.back().first);
        QCOMPARE(latest[0].value, rows.back().second);
        QVERIFY(!latest[0].stale);
        // Mid-replay on the timeline: the newest row at or before that time, 30 min after row 100.
        const auto mid = (*session)->readings(QStringLiteral("PM2.5"), rows[100].first + 30 * 60000);
        QCOMPARE(mid[0].value, rows[100].second);
        QVERIFY(!mid[0].stale);
        // Three hours past a sensor's last value it is stale (the project keeps 90 minutes).
        const auto late = (*session)->readings(QStringLiteral("PM2.5"), rows.back().first + 3 * 3600000);
        QVERIFY(late[0].stale);
        const auto range = (*session)->timeRange(QStringLiteral("PM2.5"));
        QVERIFY(range);
        QCOMPARE(range->first, rows.front().first);
        QCOMPARE(range->second, rows.back().first);

        // A restart reopens the same store: nothing lost, a second replay only brings duplicates.
        session->reset();
        auto again = app::SensorSession::start(projectWithFeed(kAirMapping, 0.0), store);
        QVERIFY(again);
        QCOMPARE((*again)->store().size(QStringLiteral("seoul-average/pm25")), std::uint64_t(rows.size()));
        const sensors::FeedCounters* counters = (*again)->feeds().front().counters;
        QVERIFY(waitFor([&] { return counters->count(sensors::FeedProblem::Duplicate) >= rows.size(); }, 20000));
        QCOMPARE((*again)->store().size(QStringLiteral("seoul-average/pm25")), std::uint64_t(rows.size()));
    }

    void feedThatCannotStartIsListedAndTheOthersRun() {
        app::Project project = projectWithFeed(kAirMapping, 0.0);
        app::SensorFeedEntry broken;
        broken.name = QStringLiteral("broken");
        broken.source = QStringLiteral("/no/such/mapping.json");
        project.sensors.feeds.push_back(broken);
        QTemporaryDir folder;
        auto session = app::SensorSession::start(project, folder.filePath(QStringLiteral("o.sqlite")));
        QVERIFY(session);
        const auto feeds = (*session)->feeds();
        QCOMPARE(feeds.size(), std::size_t(2));
        QVERIFY(feeds[0].error.isEmpty());
        QVERIFY(feeds[1].error.contains(QStringLiteral("/no/such/mapping.json")));
    }

    void liveMqttObservationColoursItsPinWithinASecond() {
        if (test::MosquittoBroker::program().isEmpty()) QSKIP("mosquitto is not installed (scripts/install-deps.sh installs it)");
        test::MosquittoBroker broker;
        QVERIFY2(broker.start(), qPrintable(broker.error()));
        QTemporaryDir folder;
        const QString catalog = writeCatalog(folder);
        app::Project project = projectWithFeed(
            QStringLiteral("mqtt://127.0.0.1:%1/?topic=v1.1/+/Observations").arg(broker.port()),
            1.0, catalog);
        app::ProjectLayer layer;
        layer.id = QStringLiteral("jamsil");
        layer.name = QStringLiteral("Jamsil");
        layer.path = test::sourcePath(QStringLiteral("data/demo/jamsil.osm.pbf"));
        project.layers.push_back(layer);
        project.frameCrs = QStringLiteral("EPSG:5186");
        const QString projectPath = folder.filePath(QStringLiteral("live.utwin"));
        QVERIFY(app::saveProject(project, projectPath));

        app::LanguageManager language;
        language.apply(QStringLiteral("en"));
        app::MainWindow window(&language);
        window.resize(1000, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy loaded(&window, &app::MainWindow::cityLoaded);
        window.openPath(projectPath);
        QVERIFY(loaded.wait(60000));
        QVERIFY(window.sensorSession());
        QCOMPARE(window.sensorMarkers().count, std::size_t(1));
        QVERIFY(!window.sensorPanel()->readings().empty());
        QVERIFY(!window.sensorPanel()->readings()[0].hasValue);
        // Wait until the feed is subscribed: a first observation must arrive at all.
        test::MqttTestPublisher publisher(broker.port());
        QVERIFY2(publisher.connect(), qPrintable(publisher.error()));
        const QByteArray topic("v1.1/Datastreams(7)/Observations");
        auto publish = [&](double value) {
            const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
            return publisher.publish(topic, QJsonDocument(QJsonObject{{"phenomenonTime", now}, {"result", value}}).toJson(), 1);
        };
        QVERIFY(waitFor([&] {
            publish(10.0);
            QTest::qWait(200);
            return window.sensorPanel()->readings()[0].hasValue;
        }, 15000));

        QElapsedTimer latency;
        latency.start();
        QVERIFY(publish(42.5));
        QVERIFY(waitFor([&] { return window.sensorPanel()->readings()[0].value == 42.5; }, 5000));
        const qint64 ms = latency.elapsed();
        qInfo("live observation shown after %lld ms", static_cast<long long>(ms));
        QVERIFY2(ms < 1000, qPrintable(QStringLiteral("took %1 ms").arg(ms)));
        QVERIFY(!window.sensorPanel()->readings()[0].stale);
        const auto* colours = dynamic_cast<const osg::Vec4Array*>(window.sensorMarkers().geometry->getColorArray());
        QVERIFY(colours && !colours->empty());
        const osg::Vec4 head = colours->front();
        QVERIFY(!(std::abs(head.r() - head.g()) < 0.01f && std::abs(head.g() - head.b()) < 0.01f));  // not grey
        QVERIFY(window.sensorPanel()->describe(0).contains(QStringLiteral("42.5")));
        // With no new observation, the panel's polls (every 250 ms) leave the pins and the 3D view alone.
        QSignalSpy pins(window.sensorPanel(), &app::SensorPanel::pinsChanged);
        QTest::qWait(1000);
        QCOMPARE(pins.count(), 0);
    }
};

QTEST_MAIN(SensorLayerTest)
#include "test_sensor_layer.moc"
