// The SensorThings HTTP client against tests/sensors/sensorthings_server.py, a SensorThings 1.1
// server (paging with @iot.nextLink, $filter on phenomenonTime, $expand) serving the first
// 300 hours of Seoul's hourly air quality at three S-DoT sensor sites.

#include "TestSupport.h"
#include "ut/sensors/ObservationPayload.h"
#include "ut/sensors/SensorThingsClient.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>

#include <memory>
#include <mutex>

using namespace ut::sensors;

namespace {

constexpr TimeMs kHourMs = 3600 * 1000;

struct HourlyRow {
    TimeMs time = 0;
    QStringList values;  // PM2.5, PM10, O3, NO2, CO, SO2 as in the file
};

// The fixture series read independently of the server: "2018-01-01 24:00" KST is 2018-01-01T15:00Z.
std::vector<HourlyRow> readHourlySeries()
{
    QFile file(ut::test::sourcePath(
        QStringLiteral("tests/data/sensors/sensorthings/seoul-air_hourly_2018-01-01_300h.csv")));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    std::vector<HourlyRow> rows;
    file.readLine();
    while (!file.atEnd()) {
        const QStringList fields = QString::fromUtf8(file.readLine()).trimmed().split(u',');
        if (fields.size() != 8)
            continue;
        const QStringList dayAndClock = fields[1].split(u' ');
        const QDate day = QDate::fromString(dayAndClock[0], QStringLiteral("yyyy-MM-dd"));
        const int hour = dayAndClock[1].left(2).toInt();
        HourlyRow row;
        row.time = QDateTime(day, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch() + (hour - 9) * kHourMs;
        row.values = fields.mid(2);
        rows.push_back(row);
    }
    return rows;
}

class StaServer {
public:
    explicit StaServer(QStringList arguments)
    {
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        arguments.prepend(ut::test::sourcePath(QStringLiteral("tests/sensors/sensorthings_server.py")));
        arguments << QStringLiteral("--data")
                  << ut::test::sourcePath(QStringLiteral("tests/data/sensors/sensorthings"));
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(python, arguments);
        QElapsedTimer clock;
        clock.start();
        QByteArray output;
        while (!output.contains('\n') && clock.elapsed() < 15000 &&
               m_process.state() != QProcess::NotRunning) {
            m_process.waitForReadyRead(200);
            output += m_process.readAllStandardOutput();
        }
        if (output.startsWith("listening on "))
            m_port = output.mid(13).trimmed().toInt();
    }
    ~StaServer()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    bool isRunning() const { return m_port > 0; }
    QUrl root(const QString& version = QStringLiteral("v1.1")) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/FROST-Server/%2").arg(m_port).arg(version));
    }

private:
    QProcess m_process;
    int m_port = 0;
};

class CollectingSink final : public ObservationSink {
public:
    void deliver(std::vector<IncomingObservation> batch) override
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (IncomingObservation& incoming : batch)
            m_observations.push_back(std::move(incoming.observation));
    }
    std::vector<Observation> of(const QString& datastreamId) const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        std::vector<Observation> found;
        for (const Observation& observation : m_observations) {
            if (observation.datastreamId == datastreamId)
                found.push_back(observation);
        }
        return found;
    }
    std::size_t size() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_observations.size();
    }

private:
    mutable std::mutex m_mutex;
    std::vector<Observation> m_observations;
};

int deadPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const int port = probe.serverPort();
    probe.close();
    return port;
}

SensorThingsFeed::Options fastFeedOptions()
{
    SensorThingsFeed::Options options;
    options.pollIntervalMs = 100;
    options.retryInitialMs = 50;
    options.retryMaxMs = 200;
    options.http.transferTimeoutMs = 3000;
    return options;
}

// Creates an Observation the way a sensor would: POST to the datastream's Observations.
int postObservation(const QUrl& collection, TimeMs time, double result)
{
    QNetworkAccessManager network;
    QNetworkRequest request(collection);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    const QJsonObject body{{QStringLiteral("phenomenonTime"), formatTime(time)},
                           {QStringLiteral("result"), result}};
    std::unique_ptr<QNetworkReply> reply(
        network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact)));
    QEventLoop loop;
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

}  // namespace

class TestSensorThings : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("python3")).isEmpty(),
                 "python3 is needed for the test server");
        m_series = readHourlySeries();
        QCOMPARE(m_series.size(), std::size_t(300));
    }

    void serviceRoot()
    {
        QCOMPARE(sensorThingsServiceRoot(QStringLiteral("http://h:8080/FROST-Server/v1.1/"))->toString(),
                 QStringLiteral("http://h:8080/FROST-Server/v1.1"));
        QCOMPARE(sensorThingsServiceRoot(QStringLiteral("https://h/sta/v1.0"))->toString(),
                 QStringLiteral("https://h/sta/v1.0"));
        QCOMPARE(sensorThingsServiceRoot(QStringLiteral("http://h/FROST-Server"))->toString(),
                 QStringLiteral("http://h/FROST-Server/v1.1"));
        QVERIFY(!sensorThingsServiceRoot(QStringLiteral("mqtt://h:1883")).ok());
        QVERIFY(!sensorThingsServiceRoot(QStringLiteral("not a url")).ok());
    }

    void catalogueFollowsNextLinks()
    {
        // Two Things per page and one expanded Datastream per Thing: both levels page.
        StaServer server({QStringLiteral("--expand-top"), QStringLiteral("1")});
        QVERIFY(server.isRunning());
        SensorThingsHttpOptions options;
        options.pageSize = 2;
        FeedCounters counters(QStringLiteral("test"));
        const ut::Result<SensorCatalog> catalog = fetchCatalog(server.root(), options, &counters);
        QVERIFY2(catalog.ok(), catalog.ok() ? "" : catalog.error().c_str());
        QCOMPARE(catalog->things().size(), std::size_t(3));
        QCOMPARE(catalog->datastreams().size(), std::size_t(6));
        for (int problem = 0; problem < static_cast<int>(FeedProblem::Count); ++problem)
            QCOMPARE(counters.count(static_cast<FeedProblem>(problem)), std::uint64_t(0));

        const Thing* first = catalog->thing(QStringLiteral("1"));
        QVERIFY(first);
        QCOMPARE(first->name, QStringLiteral("S-DoT V02Q1940612"));
        QCOMPARE(first->location.longitude, 126.8951928);
        QCOMPARE(first->location.latitude, 37.57807617);
        const Thing* third = catalog->thing(QStringLiteral("3"));  // a GeoJSON Feature location
        QVERIFY(third);
        QCOMPARE(third->location.longitude, 127.0455215);
        QCOMPARE(third->location.latitude, 37.56667486);

        const Datastream* pm25 = catalog->datastream(QStringLiteral("1"));
        QVERIFY(pm25);
        QCOMPARE(pm25->thingId, QStringLiteral("1"));
        QCOMPARE(pm25->observedProperty.name, QStringLiteral("PM2.5"));
        QCOMPARE(pm25->unit.symbol, QStringLiteral("µg/m³"));
        QCOMPARE(pm25->unit.name, QStringLiteral("Microgram per cubic metre"));
        const Datastream* so2 = catalog->datastream(QStringLiteral("6"));  // from a nested nextLink
        QVERIFY(so2);
        QCOMPARE(so2->thingId, QStringLiteral("3"));
        QCOMPARE(so2->observedProperty.name, QStringLiteral("SO2"));
        QCOMPARE(so2->unit.symbol, QStringLiteral("ppm"));
        QCOMPARE(catalog->datastreamsOf(QStringLiteral("2")).size(), std::size_t(2));
    }

    void version10IsRead()
    {
        StaServer server({});
        QVERIFY(server.isRunning());
        const ut::Result<SensorCatalog> catalog = fetchCatalog(server.root(QStringLiteral("v1.0")));
        QVERIFY(catalog.ok());
        QCOMPARE(catalog->datastreams().size(), std::size_t(6));
    }

    void observationsBetweenTwoTimesAcrossPages()
    {
        StaServer server({});
        QVERIFY(server.isRunning());
        SensorThingsHttpOptions options;
        options.pageSize = 50;
        // A week from row 20 on: 168 hours, four pages of at most 50.
        const TimeMs from = m_series[20].time;
        const TimeMs to = m_series[20 + 167].time;
        FeedCounters counters(QStringLiteral("test"));
        const auto observations =
            fetchObservations(server.root(), QStringLiteral("2"), from, to, options, &counters);
        QVERIFY2(observations.ok(), observations.ok() ? "" : observations.error().c_str());
        QCOMPARE(observations->size(), std::size_t(168));
        for (std::size_t i = 0; i < observations->size(); ++i) {
            const Observation& observation = (*observations)[i];
            QCOMPARE(observation.datastreamId, QStringLiteral("2"));
            QCOMPARE(observation.phenomenonTime, m_series[20 + i].time);
            QCOMPARE(observation.result, m_series[20 + i].values[1].toDouble());  // PM10
        }
        QCOMPARE(counters.count(FeedProblem::MalformedPayload), std::uint64_t(0));

        const auto none =
            fetchObservations(server.root(), QStringLiteral("2"), to + kHourMs * 1000, to + kHourMs * 2000);
        QVERIFY(none.ok());
        QVERIFY(none->empty());
    }

    void stringIds()
    {
        StaServer server({QStringLiteral("--string-ids")});
        QVERIFY(server.isRunning());
        const ut::Result<SensorCatalog> catalog = fetchCatalog(server.root());
        QVERIFY2(catalog.ok(), catalog.ok() ? "" : catalog.error().c_str());
        const QString o3 = QStringLiteral("V02Q1940068-O3");
        QVERIFY(catalog->thing(QStringLiteral("sdot-V02Q1940068")));
        QVERIFY(catalog->datastream(o3));
        QCOMPARE(catalog->datastream(o3)->thingId, QStringLiteral("sdot-V02Q1940068"));

        const auto observations = fetchObservations(server.root(), o3, m_series[0].time, m_series[9].time);
        QVERIFY2(observations.ok(), observations.ok() ? "" : observations.error().c_str());
        QCOMPARE(observations->size(), std::size_t(10));
        QCOMPARE(observations->back().result, m_series[9].values[2].toDouble());

        CollectingSink sink;
        SensorThingsFeed feed(server.root(), fastFeedOptions());
        QVERIFY(feed.start(sink).ok());
        QTRY_VERIFY_WITH_TIMEOUT(feed.completedPolls() >= 1, 10000);
        QCOMPARE(sink.of(o3).size(), std::size_t(1));
        QCOMPARE(sink.of(o3).front().phenomenonTime, m_series.back().time);
        feed.stop();
    }

    void pollingPicksUpNewObservations()
    {
        StaServer server({QStringLiteral("--hours"), QStringLiteral("240")});
        QVERIFY(server.isRunning());
        CollectingSink sink;
        SensorThingsFeed feed(server.root(), fastFeedOptions());
        QVERIFY(feed.loadCatalog().ok());
        QCOMPARE(feed.catalog().datastreams().size(), std::size_t(6));
        QVERIFY(feed.start(sink).ok());
        // The first round brings the newest observation of each datastream.
        QTRY_VERIFY_WITH_TIMEOUT(feed.completedPolls() >= 1, 10000);
        QCOMPARE(sink.size(), std::size_t(6));
        QCOMPARE(sink.of(QStringLiteral("1")).front().phenomenonTime, m_series[239].time);

        const QUrl pm25 = QUrl(server.root().toString() + QStringLiteral("/Datastreams(1)/Observations"));
        for (int row = 240; row < 245; ++row)
            QCOMPARE(postObservation(pm25, m_series[row].time, m_series[row].values[0].toDouble()), 201);
        QTRY_COMPARE_WITH_TIMEOUT(sink.of(QStringLiteral("1")).size(), std::size_t(6), 10000);
        const std::vector<Observation> received = sink.of(QStringLiteral("1"));
        for (int row = 240; row < 245; ++row) {
            QCOMPARE(received[row - 239].phenomenonTime, m_series[row].time);
            QCOMPARE(received[row - 239].result, m_series[row].values[0].toDouble());
        }
        QCOMPARE(sink.size(), std::size_t(11));
        QCOMPARE(feed.counters().received(), std::uint64_t(11));

        QElapsedTimer clock;
        clock.start();
        feed.stop();
        QVERIFY(clock.elapsed() < 1000);
    }

    void backfillFromATime()
    {
        StaServer server({QStringLiteral("--hours"), QStringLiteral("240")});
        QVERIFY(server.isRunning());
        CollectingSink sink;
        SensorThingsFeed::Options options = fastFeedOptions();
        options.backfillFrom = m_series[200].time;
        options.http.pageSize = 16;
        options.datastreamIds = {QStringLiteral("5")};
        SensorThingsFeed feed(server.root(), options);
        QVERIFY(feed.start(sink).ok());
        QTRY_VERIFY_WITH_TIMEOUT(feed.completedPolls() >= 2, 10000);
        feed.stop();
        const std::vector<Observation> co = sink.of(QStringLiteral("5"));
        QCOMPARE(co.size(), std::size_t(40));
        QCOMPARE(co.front().phenomenonTime, m_series[200].time);
        QCOMPARE(co.back().result, m_series[239].values[4].toDouble());
        QCOMPARE(sink.size(), std::size_t(40));
    }

    void serverErrorsAreCounted_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<int>("problem");
        QTest::addColumn<QString>("message");
        QTest::newRow("HTTP 500") << "http500" << int(FeedProblem::ConnectionLost) << "HTTP 500";
        QTest::newRow("malformed JSON")
            << "malformed" << int(FeedProblem::MalformedPayload) << "malformed JSON";
    }

    void serverErrorsAreCounted()
    {
        QFETCH(QString, fault);
        QFETCH(int, problem);
        QFETCH(QString, message);
        StaServer server({QStringLiteral("--fault"), fault});
        QVERIFY(server.isRunning());
        FeedCounters counters(QStringLiteral("test"));
        const ut::Result<SensorCatalog> catalog = fetchCatalog(server.root(), {}, &counters);
        QVERIFY(!catalog.ok());
        QVERIFY2(QString::fromStdString(catalog.error()).contains(message), catalog.error().c_str());
        QVERIFY(QString::fromStdString(catalog.error())
                    .startsWith(QStringLiteral("SensorThings http://127.0.0.1:")));
        QCOMPARE(counters.count(static_cast<FeedProblem>(problem)), std::uint64_t(1));

        CollectingSink sink;
        SensorThingsFeed feed(server.root(), fastFeedOptions());
        QElapsedTimer clock;
        clock.start();
        QVERIFY(feed.start(sink).ok());
        QVERIFY(clock.elapsed() < 200);
        QTRY_VERIFY_WITH_TIMEOUT(feed.counters().count(static_cast<FeedProblem>(problem)) >= 3, 10000);
        clock.restart();
        feed.stop();
        QVERIFY(clock.elapsed() < 1000);
        QCOMPARE(sink.size(), std::size_t(0));
        QVERIFY(feed.catalog().isEmpty());
    }

    void nextLinkLoopIsCut()
    {
        StaServer server({QStringLiteral("--fault"), QStringLiteral("nextlink-loop")});
        QVERIFY(server.isRunning());
        SensorThingsHttpOptions options;
        options.pageSize = 2;
        FeedCounters counters(QStringLiteral("test"));
        const ut::Result<SensorCatalog> catalog = fetchCatalog(server.root(), options, &counters);
        QVERIFY(catalog.ok());
        QCOMPARE(catalog->things().size(), std::size_t(2));  // the first page, read once
        QCOMPARE(counters.count(FeedProblem::MalformedPayload), std::uint64_t(1));
    }

    void missingFieldsAreCountedAndSkipped()
    {
        StaServer server({QStringLiteral("--fault"), QStringLiteral("missing-fields")});
        QVERIFY(server.isRunning());
        FeedCounters counters(QStringLiteral("test"));
        const ut::Result<SensorCatalog> catalog = fetchCatalog(server.root(), {}, &counters);
        QVERIFY(catalog.ok());
        QCOMPARE(catalog->datastreams().size(), std::size_t(6));
        QVERIFY(!catalog->thing(QStringLiteral("2"))->location.isValid());
        QVERIFY(catalog->datastream(QStringLiteral("2"))->unit.symbol.isEmpty());
        QCOMPARE(counters.count(FeedProblem::MalformedPayload), std::uint64_t(2));

        const auto observations = fetchObservations(server.root(), QStringLiteral("1"), m_series[0].time,
                                                    m_series[9].time, {}, &counters);
        QVERIFY(observations.ok());
        QCOMPARE(observations->size(), std::size_t(9));  // the sixth has a text result
        QCOMPARE(counters.count(FeedProblem::MalformedPayload), std::uint64_t(3));
    }

    void deadPortIsRetried()
    {
        const QUrl root(QStringLiteral("http://127.0.0.1:%1/FROST-Server/v1.1").arg(deadPort()));
        FeedCounters counters(QStringLiteral("test"));
        const ut::Result<SensorCatalog> catalog = fetchCatalog(root, {}, &counters);
        QVERIFY(!catalog.ok());
        QCOMPARE(counters.count(FeedProblem::ConnectionLost), std::uint64_t(1));

        CollectingSink sink;
        SensorThingsFeed feed(root, fastFeedOptions());
        QElapsedTimer clock;
        clock.start();
        QVERIFY(feed.start(sink).ok());
        QVERIFY(clock.elapsed() < 200);
        QTRY_VERIFY_WITH_TIMEOUT(feed.counters().count(FeedProblem::ConnectionLost) >= 3, 10000);
        clock.restart();
        feed.stop();
        QVERIFY(clock.elapsed() < 1000);
    }

    void unavailableServerRecovers()
    {
        StaServer server({QStringLiteral("--fail-first"), QStringLiteral("3")});
        QVERIFY(server.isRunning());
        CollectingSink sink;
        SensorThingsFeed feed(server.root(), fastFeedOptions());
        QVERIFY(feed.start(sink).ok());
        QTRY_VERIFY_WITH_TIMEOUT(feed.completedPolls() >= 1, 10000);
        feed.stop();
        QCOMPARE(feed.counters().count(FeedProblem::ConnectionLost), std::uint64_t(3));
        QCOMPARE(feed.catalog().datastreams().size(), std::size_t(6));
        QCOMPARE(sink.size(), std::size_t(6));
    }

    void stalledServerTimesOutAndStopsPromptly()
    {
        StaServer server({QStringLiteral("--fault"), QStringLiteral("hang")});
        QVERIFY(server.isRunning());
        SensorThingsHttpOptions options;
        options.transferTimeoutMs = 300;
        FeedCounters counters(QStringLiteral("test"));
        QElapsedTimer clock;
        clock.start();
        const ut::Result<SensorCatalog> catalog = fetchCatalog(server.root(), options, &counters);
        QVERIFY(!catalog.ok());
        QVERIFY2(QString::fromStdString(catalog.error()).contains(QStringLiteral("no answer within 300 ms")),
                 catalog.error().c_str());
        QVERIFY(clock.elapsed() < 5000);
        QCOMPARE(counters.count(FeedProblem::ConnectionLost), std::uint64_t(1));

        CollectingSink sink;
        SensorThingsFeed::Options feedOptions = fastFeedOptions();
        feedOptions.http.transferTimeoutMs = 30000;
        SensorThingsFeed feed(server.root(), feedOptions);
        QVERIFY(feed.start(sink).ok());
        QTest::qWait(300);  // the catalogue request is in flight, unanswered
        clock.restart();
        feed.stop();
        QVERIFY(clock.elapsed() < 1000);
    }

private:
    std::vector<HourlyRow> m_series;
};

QTEST_GUILESS_MAIN(TestSensorThings)
#include "test_sensorthings.moc"
