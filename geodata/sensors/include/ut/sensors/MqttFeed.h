#pragma once

#include "ut/geodata/Result.h"
#include "ut/sensors/FeedSource.h"

#include <QString>
#include <QStringList>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>

namespace ut::sensors {

enum class MqttProtocol { V311, V5 };

struct MqttOptions {
    QString host = QStringLiteral("127.0.0.1");
    int port = 1883;
    QStringList topics{QStringLiteral("#")};
    int qos = 1;  // 0 or 1
    MqttProtocol protocol = MqttProtocol::V5;

    // A persistent session (cleanSession false) needs a fixed client id: the broker keeps the
    // subscriptions and queues QoS 1 messages for it while the feed is away. MQTT 5 keeps such a
    // session for sessionExpirySeconds after a disconnect; MQTT 3.1.1 keeps it until a clean one.
    QString clientId;  // empty: the broker or the library picks one
    bool cleanSession = true;
    std::uint32_t sessionExpirySeconds = 7 * 24 * 3600;

    QString username;
    QString password;

    bool tls = false;
    QString caFile;    // PEM; empty: the system's default trust store
    QString certFile;  // client certificate and key, both or neither
    QString keyFile;
    bool tlsInsecure = false;  // skip the server host name check (test certificates only)

    int keepAliveSeconds = 30;
    // After a failed attempt or a lost connection the feed waits, doubling from min to max.
    int reconnectMinMs = 1000;
    int reconnectMaxMs = 30000;

    // Observations reach the sink in batches: when this many have arrived, or when the oldest
    // waiting one is this old.
    std::size_t batchSize = 500;
    int batchIntervalMs = 20;
};

// mqtt://[user[:password]@]host[:port][/][?topic=FILTER&topic=...&qos=N&client_id=ID&clean=0|1
//        &protocol=3.1.1|5&keepalive=S&ca=FILE&cert=FILE&key=FILE&insecure=1]
// mqtts:// turns TLS on (default port 8883). Topic filters may be written as they are ('+' and '#'
// are wildcards, not URL syntax) or percent-encoded. Without a topic the feed subscribes to "#".
Result<MqttOptions> parseMqttUrl(const QString& url);
// The options as a URL, without the password.
QString mqttUrlOf(const MqttOptions& options);

// A feed from an MQTT broker over libmosquitto (MQTT 3.1.1 and 5, QoS 0 and 1, TLS, user name and
// password, persistent sessions). It runs on its own thread, which connects, reconnects with back-off,
// decodes each payload (decodePayload) and hands batches to the sink; start() and stop() never wait
// on the network. Counts every message received, every malformed payload, every failed connection
// attempt and lost connection (ConnectionLost); the sink (the hub) counts what it accepts.
class MqttFeed final : public FeedSource {
public:
    explicit MqttFeed(MqttOptions options);
    ~MqttFeed() override;  // stops

    QString description() const override;
    // Checks the options (topic filters, TLS files) and starts connecting; an error only for options
    // that can never work. A broker that is down is retried, not an error.
    Status start(ObservationSink& sink) override;
    // Flushes what has arrived to the sink and disconnects (the broker keeps a persistent session).
    // Returns within about a second even while a connection attempt hangs.
    void stop() override;
    FeedCounters& counters() override;

    const MqttOptions& options() const { return m_options; }
    bool isConnected() const;
    std::uint64_t connectionCount() const;  // connections the broker accepted so far
    QString lastError() const;              // the latest connection problem; empty when none yet

private:
    struct Worker;
    MqttOptions m_options;
    std::shared_ptr<Worker> m_worker;  // shared with the feed thread
    std::thread m_thread;
};

}  // namespace ut::sensors
