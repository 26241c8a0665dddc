// MqttFeed against a real mosquitto broker on free loopback ports: delivery (QoS 0/1, MQTT 3.1.1/5),
// a persistent session across broker restarts, malformed payloads, TLS, passwords, a dead broker,
// source URLs, and `urbantwin-cli feed`.
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <mutex>

#include "MosquittoBroker.h"
#include "TestSupport.h"
#include "ut/sensors/FeedFactory.h"
#include "ut/sensors/MqttFeed.h"
#include "ut/sensors/ObservationPayload.h"

using namespace ut::sensors;
using ut::test::MosquittoBroker;
using ut::test::MqttTestPublisher;

namespace {

const QByteArray kTopic = "v1.1/Datastreams(7)/Observations";
constexpr TimeMs kBaseTime = 1714554000000;  // 2024-05-01T09:00:00Z

class CollectingSink : public ObservationSink {
public:
    void deliver(std::vector<IncomingObservation> batch) override
    {
        std::lock_guard lock(m_mutex);
        for (IncomingObservation& incoming : batch)
            m_observations.push_back(std::move(incoming.observation));
    }
    std::size_t size() const
    {
        std::lock_guard lock(m_mutex);
        return m_observations.size();
    }
    // The datastream's observations told apart by time (QoS 1 may deliver one twice).
    int distinct(const QString& datastream) const
    {
        std::lock_guard lock(m_mutex);
        QSet<TimeMs> times;
        for (const Observation& observation : m_observations) {
            if (observation.datastreamId == datastream)
                times.insert(observation.phenomenonTime);
        }
        return static_cast<int>(times.size());
    }
    std::vector<Observation> all() const
    {
        std::lock_guard lock(m_mutex);
        return m_observations;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<Observation> m_observations;
};

MqttOptions optionsFor(int port, MqttProtocol protocol = MqttProtocol::V5, int qos = 1)
{
    MqttOptions options;
    options.port = port;
    options.topics = {QStringLiteral("v1.1/+/Observations")};
    options.protocol = protocol;
    options.qos = qos;
    options.reconnectMinMs = 100;
    options.reconnectMaxMs = 400;
    return options;
}

// Publishes observations first..first+count-1 of datastream 7 (time = base + i s, result = i).
bool publishRange(MqttTestPublisher& publisher, int first, int count, int qos)
{
    for (int i = first; i < first + count; ++i) {
        if (!publisher.publish(kTopic, ut::test::sensorThingsObservation(kBaseTime + i * 1000LL, i), qos))
            return false;
    }
    return publisher.waitUntilDelivered(10000);
}

bool waitConnected(const MqttFeed& feed, std::uint64_t connections = 1, int timeoutMs = 10000)
{
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < timeoutMs) {
        if (feed.isConnected() && feed.connectionCount() >= connections)
            return true;
        QTest::qWait(20);
    }
    return false;
}

}  // namespace

class TestMqtt : public QObject {
    Q_OBJECT

private:
    // The subscription reaches the broker shortly after the connection: a QoS 1 probe that arrives
    // tells the test that publishing now is safe.
    bool subscribed(CollectingSink& sink, int port)
    {
        MqttTestPublisher probe(port);
        if (!probe.connect())
            return false;
        QElapsedTimer waited;
        waited.start();
        const std::size_t before = sink.size();
        while (waited.elapsed() < 10000) {
            probe.publish("v1.1/Datastreams(probe)/Observations", "1", 1);
            probe.waitUntilDelivered(1000);
            QTest::qWait(50);
            if (sink.size() > before)
                return true;
        }
        return false;
    }

    static int countOf(const CollectingSink& sink, const QString& datastream)
    {
        int n = 0;
        for (const Observation& observation : sink.all())
            n += observation.datastreamId == datastream;
        return n;
    }

private slots:
    void initTestCase()
    {
        if (MosquittoBroker::program().isEmpty())
            QSKIP("mosquitto is not installed (Debian package mosquitto): the MQTT tests need a real broker");
    }

    void deliversObservations_data()
    {
        QTest::addColumn<int>("qos");
        QTest::addColumn<bool>("mqtt5");
        QTest::newRow("qos0 mqtt3.1.1") << 0 << false;
        QTest::newRow("qos1 mqtt3.1.1") << 1 << false;
        QTest::newRow("qos0 mqtt5") << 0 << true;
        QTest::newRow("qos1 mqtt5") << 1 << true;
    }

    void deliversObservations()
    {
        QFETCH(int, qos);
        QFETCH(bool, mqtt5);
        MosquittoBroker broker;
        QVERIFY2(broker.start(), qPrintable(broker.error()));
        CollectingSink sink;
        MqttFeed feed(optionsFor(broker.port(), mqtt5 ? MqttProtocol::V5 : MqttProtocol::V311, qos));
        QVERIFY(feed.start(sink).ok());
        QVERIFY2(waitConnected(feed), qPrintable(feed.lastError()));
        QVERIFY(subscribed(sink, broker.port()));

        MqttTestPublisher publisher(broker.port(), mqtt5);
        QVERIFY2(publisher.connect(), qPrintable(publisher.error()));
        const int n = 1000;
        QVERIFY2(publishRange(publisher, 0, n, qos), qPrintable(publisher.error()));
        QTRY_COMPARE_WITH_TIMEOUT(countOf(sink, QStringLiteral("7")), n, 10000);
        feed.stop();

        std::vector<Observation> received;
        for (const Observation& observation : sink.all()) {
            if (observation.datastreamId == QLatin1String("7"))
                received.push_back(observation);
        }
        QCOMPARE(received.front().phenomenonTime, kBaseTime);
        QCOMPARE(received.front().result, 0.0);
        QCOMPARE(received.back().phenomenonTime, kBaseTime + (n - 1) * 1000LL);
        QCOMPARE(received.back().result, double(n - 1));
        QCOMPARE(feed.counters().count(FeedProblem::MalformedPayload), 0u);
        QCOMPARE(feed.counters().count(FeedProblem::ConnectionLost), 0u);
    }

    // A persistent session (fixed client id, clean session off, QoS 1) with broker persistence loses
    // nothing: not while the broker restarts under a running feed, and not what was published while
    // the feed was away across another restart.
    void persistentSessionSurvivesBrokerRestart_data()
    {
        QTest::addColumn<bool>("mqtt5");
        QTest::newRow("mqtt3.1.1") << false;
        QTest::newRow("mqtt5") << true;
    }

    void persistentSessionSurvivesBrokerRestart()
    {
        QFETCH(bool, mqtt5);
        MosquittoBroker broker;
        QVERIFY2(broker.start(), qPrintable(broker.error()));
        MqttOptions options = optionsFor(broker.port(), mqtt5 ? MqttProtocol::V5 : MqttProtocol::V311, 1);
        options.clientId = QStringLiteral("urbantwin-test-persistent");
        options.cleanSession = false;
        CollectingSink sink;
        const int perPhase = 200;
        {
            MqttFeed feed(options);
            QVERIFY(feed.start(sink).ok());
            QVERIFY2(waitConnected(feed), qPrintable(feed.lastError()));
            QVERIFY(subscribed(sink, broker.port()));
            {
                MqttTestPublisher publisher(broker.port(), mqtt5);
                QVERIFY2(publisher.connect(), qPrintable(publisher.error()));
                QVERIFY2(publishRange(publisher, 0, perPhase, 1), qPrintable(publisher.error()));
            }
            QTRY_COMPARE_WITH_TIMEOUT(countOf(sink, QStringLiteral("7")), perPhase, 10000);

            // The broker restarts under the running feed, which reconnects on its own.
            broker.stop();
            QTRY_VERIFY_WITH_TIMEOUT(!feed.isConnected(), 5000);
            QVERIFY2(broker.start(), qPrintable(broker.error()));
            QVERIFY2(waitConnected(feed, 2), qPrintable(feed.lastError()));
            QVERIFY(feed.counters().count(FeedProblem::ConnectionLost) >= 1);
            {
                MqttTestPublisher publisher(broker.port(), mqtt5);
                QVERIFY2(publisher.connect(), qPrintable(publisher.error()));
                QVERIFY2(publishRange(publisher, perPhase, perPhase, 1), qPrintable(publisher.error()));
            }
            QTRY_COMPARE_WITH_TIMEOUT(sink.distinct(QStringLiteral("7")), 2 * perPhase, 10000);
            feed.stop();
        }

        // The feed is away: the broker queues for its session, restarts (saving and restoring the
        // queue), and the next feed with the same client id receives what was queued.
        {
            MqttTestPublisher publisher(broker.port(), mqtt5);
            QVERIFY2(publisher.connect(), qPrintable(publisher.error()));
            QVERIFY2(publishRange(publisher, 2 * perPhase, perPhase, 1), qPrintable(publisher.error()));
        }
        broker.stop();
        QVERIFY2(broker.start(), qPrintable(broker.error()));
        MqttFeed later(options);
        QVERIFY(later.start(sink).ok());
        QTRY_COMPARE_WITH_TIMEOUT(sink.distinct(QStringLiteral("7")), 3 * perPhase, 15000);
        later.stop();
        QVERIFY(sink.size() >= std::size_t(3 * perPhase));
    }

    void malformedPayloadsAreCountedAndSkipped()
    {
        MosquittoBroker broker;
        QVERIFY2(broker.start(), qPrintable(broker.error()));
        CollectingSink sink;
        MqttOptions options = optionsFor(broker.port());
        options.topics = {QStringLiteral("v1.1/+/Observations"), QStringLiteral("raw/#")};
        MqttFeed feed(options);
        QVERIFY(feed.start(sink).ok());
        QVERIFY2(waitConnected(feed), qPrintable(feed.lastError()));
        QVERIFY(subscribed(sink, broker.port()));

        MqttTestPublisher publisher(broker.port());
        QVERIFY2(publisher.connect(), qPrintable(publisher.error()));
        QVERIFY(publishRange(publisher, 0, 10, 1));
        const QList<QByteArray> malformed{"{not json", "", "{\"phenomenonTime\":\"yesterday\",\"result\":1}",
                                          "{\"phenomenonTime\":\"2024-05-01T09:00:00Z\",\"result\":\"high\"}",
                                          "[1,2,3]", QByteArray(5000, 'x')};
        for (const QByteArray& payload : malformed)
            QVERIFY(publisher.publish(kTopic, payload, 1));
        QVERIFY(publisher.publish("raw/no-number", "twelve", 1));
        QVERIFY(publishRange(publisher, 10, 10, 1));
        QVERIFY(publisher.publish("raw/meter-3", "42.5", 1));
        QVERIFY(publisher.waitUntilDelivered(5000));

        QTRY_COMPARE_WITH_TIMEOUT(countOf(sink, QStringLiteral("7")), 20, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(countOf(sink, QStringLiteral("raw/meter-3")), 1, 5000);
        QCOMPARE(feed.counters().count(FeedProblem::MalformedPayload), std::uint64_t(malformed.size() + 1));
        QVERIFY(feed.isConnected());
        feed.stop();
    }

    void tlsWithTestCertificate()
    {
        MosquittoBroker::Options brokerOptions;
        brokerOptions.tls = true;
        MosquittoBroker broker(brokerOptions);
        QVERIFY2(broker.start(), qPrintable(broker.error()));

        CollectingSink sink;
        const QString url = QStringLiteral("mqtts://127.0.0.1:%1/?topic=v1.1/+/Observations&ca=%2")
                                .arg(broker.tlsPort())
                                .arg(broker.caFile());
        auto made = makeFeed(url);
        QVERIFY2(made.ok(), made.ok() ? "" : made.error().c_str());
        auto* feed = dynamic_cast<MqttFeed*>(made->get());
        QVERIFY(feed);
        QVERIFY(feed->options().tls);
        QVERIFY(feed->start(sink).ok());
        QVERIFY2(waitConnected(*feed), qPrintable(feed->lastError()));
        MqttTestPublisher publisher(broker.port());
        QVERIFY2(publisher.connect(), qPrintable(publisher.error()));
        QVERIFY(subscribed(sink, broker.port()));
        QVERIFY(publishRange(publisher, 0, 50, 1));
        QTRY_COMPARE_WITH_TIMEOUT(countOf(sink, QStringLiteral("7")), 50, 10000);
        feed->stop();

        // Without the test CA the server's certificate is not trusted: refused, retried, no crash.
        MqttOptions untrusted = feed->options();
        QTemporaryDir other;
        QFile wrongCa(other.filePath(QStringLiteral("other-ca.crt")));
        QVERIFY(QFile::copy(broker.folder() + QStringLiteral("/server.crt"), wrongCa.fileName()));
        untrusted.caFile = wrongCa.fileName();
        MqttFeed refused(untrusted);
        CollectingSink nothing;
        QVERIFY(refused.start(nothing).ok());
        QTRY_VERIFY_WITH_TIMEOUT(refused.counters().count(FeedProblem::ConnectionLost) >= 1, 5000);
        QVERIFY(!refused.isConnected());
        QVERIFY(!refused.lastError().isEmpty());
        refused.stop();
        QCOMPARE(nothing.size(), 0u);
    }

    void usernameAndPassword()
    {
        MosquittoBroker::Options brokerOptions;
        brokerOptions.passwords = true;
        MosquittoBroker broker(brokerOptions);
        QVERIFY2(broker.addUser(QStringLiteral("sensor"), QStringLiteral("s3cret:pw")), qPrintable(broker.error()));
        QVERIFY2(broker.addUser(QStringLiteral("publisher"), QStringLiteral("pub")), qPrintable(broker.error()));
        QVERIFY2(broker.start(), qPrintable(broker.error()));

        CollectingSink sink;
        auto made = makeFeed(QStringLiteral("mqtt://sensor:s3cret%3Apw@127.0.0.1:%1/?topic=v1.1/+/Observations")
                                 .arg(broker.port()));
        QVERIFY2(made.ok(), made.ok() ? "" : made.error().c_str());
        auto* feed = dynamic_cast<MqttFeed*>(made->get());
        QCOMPARE(feed->options().password, QStringLiteral("s3cret:pw"));
        QVERIFY(feed->start(sink).ok());
        QVERIFY2(waitConnected(*feed), qPrintable(feed->lastError()));
        MqttTestPublisher publisher(broker.port(), true, QStringLiteral("publisher"), QStringLiteral("pub"));
        QVERIFY2(publisher.connect(), qPrintable(publisher.error()));
        QTest::qWait(200);
        QVERIFY(publishRange(publisher, 0, 20, 1));
        QTRY_COMPARE_WITH_TIMEOUT(countOf(sink, QStringLiteral("7")), 20, 10000);
        feed->stop();

        for (const MqttProtocol protocol : {MqttProtocol::V311, MqttProtocol::V5}) {
            MqttOptions wrong = optionsFor(broker.port(), protocol);
            wrong.username = QStringLiteral("sensor");
            wrong.password = QStringLiteral("guess");
            MqttFeed refused(wrong);
            CollectingSink nothing;
            QVERIFY(refused.start(nothing).ok());
            QTRY_VERIFY_WITH_TIMEOUT(refused.counters().count(FeedProblem::ConnectionLost) >= 2, 5000);
            QVERIFY(!refused.isConnected());
            QCOMPARE(refused.connectionCount(), 0u);
            QVERIFY2(refused.lastError().contains(QLatin1String("refused")), qPrintable(refused.lastError()));
            refused.stop();
        }
    }

    void deadBrokerNeitherBlocksNorCrashes()
    {
        MqttOptions options = optionsFor(MosquittoBroker::freePort());
        CollectingSink sink;
        MqttFeed feed(options);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(feed.start(sink).ok());
        QVERIFY2(clock.elapsed() < 100, qPrintable(QString::number(clock.elapsed())));
        QTRY_VERIFY_WITH_TIMEOUT(feed.counters().count(FeedProblem::ConnectionLost) >= 3, 5000);
        QVERIFY(!feed.isConnected());
        QVERIFY2(feed.lastError().startsWith(QLatin1String("could not connect")), qPrintable(feed.lastError()));
        clock.restart();
        feed.stop();
        QVERIFY2(clock.elapsed() < 500, qPrintable(QString::number(clock.elapsed())));

        // An unresolvable host: the name lookup happens on the feed's thread, not here.
        MqttOptions nowhere = options;
        nowhere.host = QStringLiteral("broker.invalid");
        MqttFeed lost(nowhere);
        clock.restart();
        QVERIFY(lost.start(sink).ok());
        QVERIFY(clock.elapsed() < 100);
        QTest::qWait(300);
        clock.restart();
        lost.stop();
        QVERIFY(clock.elapsed() < 2500);
        QCOMPARE(sink.size(), 0u);
    }

    void sourceUrls()
    {
        auto parsed = parseMqttUrl(QStringLiteral(
            "mqtt://user:pa%40ss@broker.example:1884/?topic=v1.1/+/Observations&topic=city/#&qos=0&client_id=twin&clean=0&protocol=3.1.1&keepalive=20"));
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().c_str());
        QCOMPARE(parsed->host, QStringLiteral("broker.example"));
        QCOMPARE(parsed->port, 1884);
        QCOMPARE(parsed->username, QStringLiteral("user"));
        QCOMPARE(parsed->password, QStringLiteral("pa@ss"));
        QCOMPARE(parsed->topics, (QStringList{QStringLiteral("v1.1/+/Observations"), QStringLiteral("city/#")}));
        QCOMPARE(parsed->qos, 0);
        QCOMPARE(parsed->clientId, QStringLiteral("twin"));
        QVERIFY(!parsed->cleanSession);
        QVERIFY(parsed->protocol == MqttProtocol::V311);
        QCOMPARE(parsed->keepAliveSeconds, 20);
        QVERIFY(!parsed->tls);
        QVERIFY(!mqttUrlOf(*parsed).contains(QLatin1String("pa")));

        auto secure = parseMqttUrl(QStringLiteral("mqtts://127.0.0.1?topic=a%23"));
        QVERIFY(secure.ok());
        QVERIFY(secure->tls);
        QCOMPARE(secure->port, 8883);
        QCOMPARE(secure->topics, QStringList{QStringLiteral("a#")});
        QCOMPARE(parseMqttUrl(QStringLiteral("mqtt://h")).value().topics, QStringList{QStringLiteral("#")});

        QVERIFY(!parseMqttUrl(QStringLiteral("mqtt://h/?qos=2")).ok());
        QVERIFY(!parseMqttUrl(QStringLiteral("mqtt://h/?colour=red")).ok());
        QVERIFY(!parseMqttUrl(QStringLiteral("mqtt:///?topic=a")).ok());
        QVERIFY(QString::fromStdString(parseMqttUrl(QStringLiteral("mqtt://u:secret@h/?qos=7")).error()).contains(QLatin1String("qos")));
        QVERIFY(!QString::fromStdString(parseMqttUrl(QStringLiteral("mqtt://u:secret@h/?qos=7")).error()).contains(QLatin1String("secret")));

        // A filter the broker would refuse, and a persistent session without a client id, are errors at start().
        CollectingSink sink;
        MqttOptions badFilter = optionsFor(1883);
        badFilter.topics = {QStringLiteral("a/#/b")};
        QVERIFY(!MqttFeed(badFilter).start(sink).ok());
        MqttOptions anonymousPersistent = optionsFor(1883);
        anonymousPersistent.cleanSession = false;
        QVERIFY(!MqttFeed(anonymousPersistent).start(sink).ok());

        FeedOptions overrides;
        overrides.topics = {QStringLiteral("x/+")};
        overrides.qos = 0;
        auto feed = makeFeed(QStringLiteral("mqtt://127.0.0.1:1999/?topic=y"), overrides);
        QVERIFY(feed.ok());
        QCOMPARE(dynamic_cast<MqttFeed*>(feed->get())->options().topics, QStringList{QStringLiteral("x/+")});
        QCOMPARE(dynamic_cast<MqttFeed*>(feed->get())->options().qos, 0);
        QVERIFY((*feed)->description().contains(QLatin1String("mqtt://127.0.0.1:1999")));

        QVERIFY(QString::fromStdString(makeFeed(QStringLiteral("/nowhere/obs.csv")).error()).contains(QLatin1String("no such file")));
        QVERIFY(!makeFeed(QStringLiteral("ftp://h/x")).ok());
        QVERIFY(!makeFeed(QStringLiteral("notes.txt")).ok());
    }

    void cliRecordsAFeed()
    {
        const QString cli = ut::test::binaryPath(QStringLiteral("bin/urbantwin-cli"));
        if (!QFile::exists(cli))
            QSKIP("urbantwin-cli is not built");
        MosquittoBroker broker;
        QVERIFY2(broker.start(), qPrintable(broker.error()));
        QTemporaryDir folder;
        const QString csv = folder.filePath(QStringLiteral("obs.csv"));
        QProcess process;
        process.start(cli, {QStringLiteral("feed"), QStringLiteral("mqtt://127.0.0.1:%1").arg(broker.port()),
                            QStringLiteral("--topic"), QStringLiteral("v1.1/+/Observations"), QStringLiteral("--for"),
                            QStringLiteral("2.5"), QStringLiteral("--out"), csv});
        QVERIFY(process.waitForStarted(5000));
        MqttTestPublisher publisher(broker.port());
        QVERIFY2(publisher.connect(), qPrintable(publisher.error()));
        QTest::qWait(500);
        QVERIFY(publishRange(publisher, 0, 100, 1));
        QVERIFY(publisher.publish(kTopic, "{broken", 1));
        QVERIFY(publisher.waitUntilDelivered(2000));
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 0);
        const QString summary = QString::fromUtf8(process.readAllStandardOutput());
        QVERIFY2(summary.contains(QLatin1String("\"written\":100")), qPrintable(summary));
        QVERIFY2(summary.contains(QLatin1String("\"malformed\":1")), qPrintable(summary));

        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 101);
        QCOMPARE(lines[0], QByteArray("datastream,phenomenon_time,result,received_at"));
        QVERIFY2(lines[1].startsWith("7,2024-05-01T09:00:00.000Z,0,2"), lines[1].constData());
        QVERIFY(lines[100].startsWith("7,2024-05-01T09:01:39.000Z,99,"));

        // A dead broker: retried until --for runs out, then one line and a failure status.
        QElapsedTimer clock;
        clock.start();
        const auto dead = ut::test::runProgram(
            cli, {QStringLiteral("feed"), QStringLiteral("mqtt://127.0.0.1:%1").arg(MosquittoBroker::freePort()),
                  QStringLiteral("--for"), QStringLiteral("1"), QStringLiteral("--out"), csv});
        QCOMPARE(dead.exitCode, 1);
        QVERIFY2(dead.err.contains(QLatin1String("could not connect to mqtt://127.0.0.1:")), qPrintable(dead.err));
        QVERIFY(clock.elapsed() < 5000);

        const auto bad = ut::test::runProgram(cli, {QStringLiteral("feed"), QStringLiteral("/nowhere/x.csv"),
                                                    QStringLiteral("--out"), csv});
        QCOMPARE(bad.exitCode, 2);
        QCOMPARE(bad.err.trimmed().count(QLatin1Char('\n')), 0);
        QVERIFY(bad.err.contains(QLatin1String("/nowhere/x.csv")));
        const auto badQos = ut::test::runProgram(
            cli, {QStringLiteral("feed"), QStringLiteral("mqtt://127.0.0.1:1"), QStringLiteral("--qos"),
                  QStringLiteral("2"), QStringLiteral("--out"), csv});
        QCOMPARE(badQos.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestMqtt)
#include "test_mqtt.moc"
