#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <atomic>
#include <cstdint>
#include <memory>

struct mosquitto;

namespace ut::test {

// A real mosquitto broker on free loopback ports, configured in a temporary folder (persistence on,
// kept across stop() and start(); no limit on queued messages), for tests and benchmarks.
class MosquittoBroker {
public:
    struct Options {
        bool tls = false;         // a second listener with TLS (a CA and server certificate made by openssl)
        bool passwords = false;   // no anonymous clients; users added with addUser() before start()
        QStringList extraConfig;  // more mosquitto.conf lines
    };

    // The mosquitto binary, or empty when it is not installed.
    static QString program();
    // A loopback TCP port nothing listens on right now.
    static int freePort();

    explicit MosquittoBroker(Options options);
    MosquittoBroker() : MosquittoBroker(Options{}) {}
    ~MosquittoBroker();

    bool addUser(const QString& user, const QString& password);
    // Starts the broker (the same ports every time) and waits until it accepts connections.
    bool start();
    // SIGTERM, so that the broker saves its persistence database, and waits for it to exit.
    void stop();
    bool isRunning() const;

    int port() const { return m_port; }
    int tlsPort() const { return m_tlsPort; }
    QString caFile() const;  // the CA that signed the TLS listener's certificate
    QString folder() const { return m_folder.path(); }
    QString error() const { return m_error; }  // why start() or addUser() failed
    QString log() const;                       // what the broker printed

private:
    bool makeTlsFiles();
    bool writeConfig();

    Options m_options;
    QTemporaryDir m_folder;
    std::unique_ptr<QProcess> m_process;
    int m_port = 0;
    int m_tlsPort = 0;
    QString m_error;
    QByteArray m_log;
};

// A publisher on libmosquitto, driven from the calling thread (no library thread).
class MqttTestPublisher {
public:
    MqttTestPublisher(int port, bool mqtt5 = true, const QString& username = {}, const QString& password = {});
    ~MqttTestPublisher();

    bool connect();  // blocking; error() says why not
    bool publish(const QByteArray& topic, const QByteArray& payload, int qos);
    // Until every message has been written (QoS 0) or acknowledged (QoS 1), or the time is up.
    bool waitUntilDelivered(int timeoutMs);
    QString error() const { return m_error; }
    std::uint64_t published() const { return m_published; }

private:
    mosquitto* m_mosq = nullptr;
    int m_port;
    QString m_error;
    std::uint64_t m_published = 0;
    int m_connack = -1;
    std::atomic<std::uint64_t> m_completed{0};
};

// A SensorThings Observation payload: {"phenomenonTime": ISO time of `timeMs`, "result": value}.
QByteArray sensorThingsObservation(std::int64_t timeMs, double result);

}  // namespace ut::test
