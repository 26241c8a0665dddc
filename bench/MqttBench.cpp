// urbantwin-bench mqtt [--messages N] [--datastreams D] [--store sqlite|memory]
// Live-sensor ingest from a local mosquitto (started here on a free loopback port): a publisher thread
// sends N SensorThings observations (QoS 0, topic v1.1/Datastreams(id)/Observations) as fast as the
// broker takes them. Measured in the same run:
//  - anchor: a bare libmosquitto subscriber that only counts messages (the broker/transport ceiling);
//  - decode: MqttFeed decoding every payload into a sink that only counts;
//  - ours: MqttFeed → SensorHub → ObservationStore (SQLite write-through by default), the app's path,
//    while a 16 ms QTimer on the main thread records the longest gap between its ticks.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include <atomic>
#include <functional>
#include <thread>

#include "BenchSupport.h"
#include "MosquittoBroker.h"
#include "ut/sensors/MqttFeed.h"
#include "ut/sensors/ObservationStore.h"
#include "ut/sensors/SensorHub.h"

namespace ut::bench {

namespace {

constexpr std::int64_t kBaseTime = 1714554000000;  // 2024-05-01T09:00:00Z

struct Messages {
    std::vector<QByteArray> topics;
    std::vector<QByteArray> payloads;
};

// Observation i belongs to datastream i % D, at base + (i / D) s: no two share datastream and time.
Messages makeMessages(std::size_t count, std::size_t datastreams) {
    Messages messages;
    messages.topics.reserve(count);
    messages.payloads.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        messages.topics.push_back("v1.1/Datastreams(" + QByteArray::number(static_cast<qulonglong>(i % datastreams)) +
                                  ")/Observations");
        messages.payloads.push_back(ut::test::sensorThingsObservation(
            kBaseTime + static_cast<std::int64_t>(i / datastreams) * 1000, 20.0 + static_cast<double>(i % 97) * 0.1));
    }
    return messages;
}

// Publishes every message from its own thread; the time the first publish starts.
class PublisherThread {
public:
    PublisherThread(int port, const Messages& messages) {
        m_thread = std::thread([this, port, &messages] {
            test::MqttTestPublisher publisher(port);
            if (!publisher.connect()) {
                m_error = publisher.error();
                m_done = true;
                return;
            }
            m_start = Clock::now();
            m_started = true;
            for (std::size_t i = 0; i < messages.topics.size(); ++i) {
                if (!publisher.publish(messages.topics[i], messages.payloads[i], 0)) {
                    m_error = publisher.error();
                    break;
                }
            }
            publisher.waitUntilDelivered(60000);
            m_done = true;
        });
    }
    ~PublisherThread() { m_thread.join(); }
    Clock::time_point start() const { return m_start; }
    bool started() const { return m_started; }
    QString error() const { return m_error; }

private:
    std::thread m_thread;
    Clock::time_point m_start;
    std::atomic<bool> m_started{false};
    std::atomic<bool> m_done{false};
    QString m_error;
};

// Waits (running the main thread's event loop) until count() reaches n or nothing arrives for 5 s.
// Returns the seconds from the publisher's start to the last arrival, and the longest gap between
// ticks of a 16 ms timer on this thread.
struct Waited {
    double seconds = 0.0;
    std::uint64_t arrived = 0;
    double maxTimerGapMs = 0.0;
};

template <class Count>
Waited waitForArrivals(std::uint64_t n, const PublisherThread& publisher, Count count) {
    Waited waited;
    QEventLoop loop;
    QTimer frame;
    frame.setTimerType(Qt::PreciseTimer);
    frame.setInterval(16);
    QElapsedTimer sinceTick;
    sinceTick.start();
    std::uint64_t lastCount = 0;
    Clock::time_point lastArrival = Clock::now();
    QObject::connect(&frame, &QTimer::timeout, [&] {
        waited.maxTimerGapMs = std::max(waited.maxTimerGapMs, sinceTick.nsecsElapsed() / 1e6);
        sinceTick.restart();
        const std::uint64_t now = count();
        if (now != lastCount) {
            lastCount = now;
            lastArrival = Clock::now();
        }
        if (now >= n || secondsSince(lastArrival) > 5.0) loop.quit();
    });
    frame.start();
    loop.exec();
    waited.arrived = lastCount;
    if (publisher.started()) waited.seconds = std::chrono::duration<double>(lastArrival - publisher.start()).count();
    return waited;
}

class CountingSink : public sensors::ObservationSink {
public:
    void deliver(std::vector<sensors::IncomingObservation> batch) override { m_count += batch.size(); }
    std::uint64_t count() const { return m_count; }

private:
    std::atomic<std::uint64_t> m_count{0};
};

// The anchor: libmosquitto's own loop, a callback that counts, nothing decoded.
struct RawSubscriber {
    std::atomic<std::uint64_t> count{0};
    std::atomic<bool> subscribed{false};
    std::atomic<bool> stop{false};
    std::thread thread;

    explicit RawSubscriber(int port) {
        thread = std::thread([this, port] {
            mosquitto* mosq = mosquitto_new(nullptr, true, this);
            mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
            mosquitto_connect_callback_set(mosq, [](mosquitto* m, void*, int rc) {
                if (rc == 0) mosquitto_subscribe(m, nullptr, "v1.1/+/Observations", 0);
            });
            mosquitto_subscribe_callback_set(mosq, [](mosquitto*, void* self, int, int, const int*) {
                static_cast<RawSubscriber*>(self)->subscribed = true;
            });
            mosquitto_message_callback_set(mosq, [](mosquitto*, void* self, const mosquitto_message*) {
                static_cast<RawSubscriber*>(self)->count.fetch_add(1, std::memory_order_relaxed);
            });
            if (mosquitto_connect(mosq, "127.0.0.1", port, 30) == MOSQ_ERR_SUCCESS) {
                while (!stop && mosquitto_loop(mosq, 50, 1) == MOSQ_ERR_SUCCESS) {
                }
                mosquitto_disconnect(mosq);
            }
            mosquitto_destroy(mosq);
        });
    }
    ~RawSubscriber() {
        stop = true;
        thread.join();
    }
};

template <class Ready>
bool waitUntil(Ready ready, int timeoutMs = 10000) {
    QElapsedTimer waited;
    waited.start();
    while (!ready()) {
        if (waited.elapsed() > timeoutMs) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

// A feed is subscribed once a probe published after its connection arrives.
bool feedSubscribed(int port, const std::function<std::uint64_t()>& received) {
    test::MqttTestPublisher probe(port);
    if (!probe.connect()) return false;
    for (int attempt = 0; attempt < 200; ++attempt) {
        probe.publish("v1.1/Datastreams(probe)/Observations", "1", 1);
        probe.waitUntilDelivered(1000);
        if (waitUntil([&] { return received() > 0; }, 50)) return true;
    }
    return false;
}

}  // namespace

int benchMqtt(const QStringList& arguments) {
    std::size_t messageCount = 500000, datastreams = 100;
    QString storeKind = QStringLiteral("sqlite");
    for (int i = 0; i + 1 < arguments.size(); ++i) {
        if (arguments[i] == QStringLiteral("--messages")) messageCount = arguments[i + 1].toULongLong();
        if (arguments[i] == QStringLiteral("--datastreams")) datastreams = std::max<qulonglong>(1, arguments[i + 1].toULongLong());
        if (arguments[i] == QStringLiteral("--store")) storeKind = arguments[i + 1];
    }
    if (test::MosquittoBroker::program().isEmpty()) return failed("mosquitto is not installed (Debian package mosquitto)");
    test::MosquittoBroker broker;  // drops no QoS 0 message for a subscriber that falls behind
    if (!broker.start()) return failed(broker.error().toStdString());
    const Messages messages = makeMessages(messageCount, datastreams);

    // The same 16 ms timer with nothing to ingest: what this machine's scheduling alone costs.
    double idleTimerGapMs = 0.0;
    {
        QEventLoop loop;
        QTimer frame;
        frame.setTimerType(Qt::PreciseTimer);
        frame.setInterval(16);
        QElapsedTimer sinceTick, total;
        sinceTick.start();
        total.start();
        QObject::connect(&frame, &QTimer::timeout, [&] {
            idleTimerGapMs = std::max(idleTimerGapMs, sinceTick.nsecsElapsed() / 1e6);
            sinceTick.restart();
            if (total.elapsed() > 1000) loop.quit();
        });
        frame.start();
        loop.exec();
    }

    // Anchor: counting only.
    Waited anchor;
    {
        RawSubscriber raw(broker.port());
        if (!waitUntil([&] { return raw.subscribed.load(); })) return failed("the raw subscriber did not subscribe");
        PublisherThread publisher(broker.port(), messages);
        anchor = waitForArrivals(messageCount, publisher, [&] { return raw.count.load(); });
    }

    // MqttFeed decoding into a counting sink.
    sensors::MqttOptions options;
    options.port = broker.port();
    options.topics = {QStringLiteral("v1.1/+/Observations")};
    options.qos = 0;
    Waited decode;
    {
        CountingSink sink;
        sensors::MqttFeed feed(options);
        if (!feed.start(sink)) return failed("the feed did not start");
        if (!feedSubscribed(broker.port(), [&] { return sink.count(); })) return failed("the feed did not subscribe");
        const std::uint64_t probes = sink.count();
        PublisherThread publisher(broker.port(), messages);
        decode = waitForArrivals(messageCount, publisher, [&] { return sink.count() - probes; });
        feed.stop();
    }

    // MqttFeed → SensorHub → ObservationStore.
    QTemporaryDir folder;
    sensors::ObservationStore::Options storeOptions;
    if (storeKind == QStringLiteral("sqlite")) storeOptions.path = folder.filePath(QStringLiteral("observations.sqlite"));
    auto store = sensors::ObservationStore::open(storeOptions);
    if (!store) return failed(store.error());
    sensors::SensorHub hub(**store, {}, {5 * 60 * 1000, true});
    {
        auto feed = std::make_unique<sensors::MqttFeed>(options);
        if (Status added = hub.addFeed(std::move(feed)); !added) return failed(added.error());
    }
    sensors::FeedCounters& counters = hub.feeds().front()->counters();
    if (!feedSubscribed(broker.port(), [&] { return counters.accepted(); })) return failed("the hub's feed did not subscribe");
    const std::uint64_t probes = counters.accepted();
    const double rssBefore = residentMiB();
    Waited ours;
    {
        PublisherThread publisher(broker.port(), messages);
        ours = waitForArrivals(messageCount, publisher, [&] { return counters.accepted() - probes; });
        if (!publisher.error().isEmpty()) return failed(publisher.error().toStdString());
    }
    hub.stopAll();
    std::uint64_t stored = 0;
    for (const QString& id : (*store)->datastreamIds()) {
        if (!id.contains(QLatin1String("probe"))) stored += (*store)->size(id);
    }

    QJsonObject line;
    line["bench"] = "mqtt_ingest";
    line["n"] = static_cast<qint64>(messageCount);
    line["datastreams"] = static_cast<qint64>(datastreams);
    line["qos"] = 0;
    line["store"] = storeKind;
    line["seconds"] = ours.seconds;
    line["observations_per_s"] = static_cast<double>(ours.arrived) / ours.seconds;
    line["stored"] = static_cast<qint64>(stored);
    line["malformed"] = static_cast<qint64>(counters.count(sensors::FeedProblem::MalformedPayload));
    line["max_ui_timer_gap_ms"] = ours.maxTimerGapMs;
    line["idle_ui_timer_gap_ms"] = idleTimerGapMs;
    line["rss_growth_mib"] = residentMiB() - rssBefore;
    line["decode_only_seconds"] = decode.seconds;
    line["decode_only_observations_per_s"] = static_cast<double>(decode.arrived) / decode.seconds;
    line["anchor"] = "raw_libmosquitto_subscriber_counting";
    line["anchor_seconds"] = anchor.seconds;
    line["anchor_n"] = static_cast<qint64>(anchor.arrived);
    line["anchor_observations_per_s"] = static_cast<double>(anchor.arrived) / anchor.seconds;
    line["frost_quoted_inserts_per_s"] = 5000;
    printLine(line);
    return stored == messageCount ? 0 : 1;
}

}  // namespace ut::bench
