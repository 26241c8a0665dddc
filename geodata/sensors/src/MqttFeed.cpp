#include "ut/sensors/MqttFeed.h"

#include "ut/sensors/ObservationPayload.h"

#include <QDebug>
#include <QFileInfo>
#include <QUrl>
#include <QUrlQuery>

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

namespace ut::sensors {

namespace {

using SteadyClock = std::chrono::steady_clock;

void initialiseLibrary()
{
    static std::once_flag once;
    std::call_once(once, [] { mosquitto_lib_init(); });
}

TimeMs nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

QString describeResult(int rc, int savedErrno)
{
    if (rc == MOSQ_ERR_ERRNO)
        return QString::fromLocal8Bit(std::strerror(savedErrno));
    return QString::fromUtf8(mosquitto_strerror(rc));
}

bool isTrue(const QString& text)
{
    return text == QLatin1String("1") || text.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0 ||
           text.compare(QLatin1String("yes"), Qt::CaseInsensitive) == 0;
}

bool isFalse(const QString& text)
{
    return text == QLatin1String("0") || text.compare(QLatin1String("false"), Qt::CaseInsensitive) == 0 ||
           text.compare(QLatin1String("no"), Qt::CaseInsensitive) == 0;
}

}  // namespace

Result<MqttOptions> parseMqttUrl(const QString& text)
{
    // A '#' in a topic filter would start a URL fragment: in the query it is the wildcard.
    QString escaped = text;
    if (const qsizetype query = escaped.indexOf(QLatin1Char('?')); query >= 0)
        escaped = escaped.left(query) + escaped.mid(query).replace(QLatin1Char('#'), QLatin1String("%23"));
    const QUrl url(escaped, QUrl::StrictMode);
    const QString shown = url.isValid() ? url.toString(QUrl::RemovePassword) : text;
    auto fail = [&](const QString& problem) {
        return Error{QStringLiteral("%1: %2").arg(shown, problem).toStdString()};
    };
    if (!url.isValid())
        return fail(QStringLiteral("not a valid URL (%1)").arg(url.errorString()));
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("mqtt") && scheme != QLatin1String("mqtts"))
        return fail(QStringLiteral("not an mqtt:// or mqtts:// URL"));

    MqttOptions options;
    options.tls = scheme == QLatin1String("mqtts");
    options.host = url.host();
    if (options.host.isEmpty())
        return fail(QStringLiteral("no broker host"));
    options.port = url.port(options.tls ? 8883 : 1883);
    if (options.port <= 0 || options.port > 65535)
        return fail(QStringLiteral("port out of range"));
    options.username = url.userName(QUrl::FullyDecoded);
    options.password = url.password(QUrl::FullyDecoded);

    const QUrlQuery query(url);
    QStringList topics;
    for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded)) {
        bool ok = true;
        if (key == QLatin1String("topic")) {
            topics.append(value);
        } else if (key == QLatin1String("qos")) {
            options.qos = value.toInt(&ok);
            if (!ok || options.qos < 0 || options.qos > 1)
                return fail(QStringLiteral("qos must be 0 or 1, not '%1'").arg(value));
        } else if (key == QLatin1String("client_id")) {
            options.clientId = value;
        } else if (key == QLatin1String("clean")) {
            if (!isTrue(value) && !isFalse(value))
                return fail(QStringLiteral("clean must be 0 or 1, not '%1'").arg(value));
            options.cleanSession = isTrue(value);
        } else if (key == QLatin1String("protocol")) {
            if (value == QLatin1String("5") || value == QLatin1String("5.0"))
                options.protocol = MqttProtocol::V5;
            else if (value == QLatin1String("3.1.1") || value == QLatin1String("311") || value == QLatin1String("4"))
                options.protocol = MqttProtocol::V311;
            else
                return fail(QStringLiteral("protocol must be 3.1.1 or 5, not '%1'").arg(value));
        } else if (key == QLatin1String("keepalive")) {
            options.keepAliveSeconds = value.toInt(&ok);
            if (!ok || options.keepAliveSeconds < 5)
                return fail(QStringLiteral("keepalive must be at least 5 seconds, not '%1'").arg(value));
        } else if (key == QLatin1String("session_expiry")) {
            options.sessionExpirySeconds = value.toUInt(&ok);
            if (!ok)
                return fail(QStringLiteral("session_expiry must be a number of seconds, not '%1'").arg(value));
        } else if (key == QLatin1String("ca")) {
            options.caFile = value;
        } else if (key == QLatin1String("cert")) {
            options.certFile = value;
        } else if (key == QLatin1String("key")) {
            options.keyFile = value;
        } else if (key == QLatin1String("insecure")) {
            options.tlsInsecure = isTrue(value);
        } else {
            return fail(QStringLiteral("unknown parameter '%1'").arg(key));
        }
    }
    if (url.hasFragment())
        return fail(QStringLiteral("'#' outside the query"));
    if (!topics.isEmpty())
        options.topics = topics;
    return options;
}

QString mqttUrlOf(const MqttOptions& options)
{
    QUrl url;
    url.setScheme(options.tls ? QStringLiteral("mqtts") : QStringLiteral("mqtt"));
    url.setHost(options.host);
    url.setPort(options.port);
    if (!options.username.isEmpty())
        url.setUserName(options.username);
    url.setPath(QStringLiteral("/"));
    return url.toString();
}

struct MqttFeed::Worker {
    explicit Worker(const MqttOptions& feedOptions)
        : counters(mqttUrlOf(feedOptions)), options(feedOptions), url(mqttUrlOf(feedOptions))
    {
    }

    ~Worker()
    {
        if (mosq)
            mosquitto_destroy(mosq);
        mosquitto_property_free_all(&connectProperties);
    }

    Status prepare();
    void run();

    // Feed thread only.
    void connectAndServe();
    void onConnect(int rc);
    void onMessage(const mosquitto_message& message);
    void onSubscribe(int grantedCount, const int* granted);
    void flush();
    void waitBeforeRetry(int delayMs);
    void noteProblem(const QString& problem);

    FeedCounters counters;
    MqttOptions options;
    QString url;
    mosquitto* mosq = nullptr;
    mosquitto_property* connectProperties = nullptr;
    std::vector<std::string> topicFilters;

    std::mutex sinkMutex;
    ObservationSink* sink = nullptr;

    std::mutex wakeMutex;
    std::condition_variable wake;
    std::atomic<bool> stopping{false};
    bool finished = false;  // guarded by wakeMutex

    std::atomic<bool> connected{false};
    std::atomic<std::uint64_t> connections{0};
    mutable std::mutex errorMutex;
    QString lastError;

    std::vector<IncomingObservation> batch;
    SteadyClock::time_point batchDeadline;
    std::string lastTopic;
    QString lastTopicText;
    bool accepted = false;  // the broker accepted the current connection
    QString refusal;        // why the broker refused it
};

Status MqttFeed::Worker::prepare()
{
    auto fail = [&](const QString& problem) {
        return Error{QStringLiteral("%1: %2").arg(url, problem).toStdString()};
    };
    if (options.qos < 0 || options.qos > 1)
        return fail(QStringLiteral("qos must be 0 or 1"));
    if (options.topics.isEmpty())
        return fail(QStringLiteral("no topic to subscribe to"));
    if (!options.cleanSession && options.clientId.isEmpty())
        return fail(QStringLiteral("a persistent session needs a client id"));
    topicFilters.clear();
    for (const QString& topic : options.topics) {
        std::string filter = topic.toStdString();
        if (mosquitto_sub_topic_check(filter.c_str()) != MOSQ_ERR_SUCCESS)
            return fail(QStringLiteral("'%1' is not a valid topic filter").arg(topic));
        topicFilters.push_back(std::move(filter));
    }
    for (const QString* file : {&options.caFile, &options.certFile, &options.keyFile}) {
        if (!file->isEmpty() && !QFileInfo(*file).isReadable())
            return fail(QStringLiteral("%1: cannot read").arg(*file));
    }
    if (options.certFile.isEmpty() != options.keyFile.isEmpty())
        return fail(QStringLiteral("a client certificate needs its key, and a key its certificate"));

    initialiseLibrary();
    if (mosq)
        mosquitto_destroy(mosq);
    const std::string clientId = options.clientId.toStdString();
    mosq = mosquitto_new(clientId.empty() ? nullptr : clientId.c_str(), options.cleanSession, this);
    if (!mosq)
        return fail(QStringLiteral("cannot create an MQTT client (%1)").arg(QString::fromLocal8Bit(std::strerror(errno))));
    mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION,
                         options.protocol == MqttProtocol::V5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
    mosquitto_property_free_all(&connectProperties);
    if (options.protocol == MqttProtocol::V5 && !options.cleanSession) {
        mosquitto_property_add_int32(&connectProperties, MQTT_PROP_SESSION_EXPIRY_INTERVAL,
                                     options.sessionExpirySeconds);
    }
    if (!options.username.isEmpty()) {
        const std::string user = options.username.toStdString();
        const std::string password = options.password.toStdString();
        mosquitto_username_pw_set(mosq, user.c_str(), options.password.isEmpty() ? nullptr : password.c_str());
    }
    if (options.tls) {
        const std::string ca = options.caFile.toStdString();
        const std::string cert = options.certFile.toStdString();
        const std::string key = options.keyFile.toStdString();
        int rc = MOSQ_ERR_SUCCESS;
        if (ca.empty())
            rc = mosquitto_int_option(mosq, MOSQ_OPT_TLS_USE_OS_CERTS, 1);
        if (rc == MOSQ_ERR_SUCCESS) {
            rc = mosquitto_tls_set(mosq, ca.empty() ? nullptr : ca.c_str(), nullptr,
                                   cert.empty() ? nullptr : cert.c_str(), key.empty() ? nullptr : key.c_str(),
                                   nullptr);
        }
        if (rc == MOSQ_ERR_SUCCESS && options.tlsInsecure)
            rc = mosquitto_tls_insecure_set(mosq, true);
        if (rc != MOSQ_ERR_SUCCESS)
            return fail(QStringLiteral("TLS setup failed (%1)").arg(describeResult(rc, errno)));
    }
    mosquitto_connect_callback_set(mosq, [](mosquitto*, void* userdata, int rc) { static_cast<Worker*>(userdata)->onConnect(rc); });
    mosquitto_message_callback_set(mosq, [](mosquitto*, void* userdata, const mosquitto_message* message) {
        static_cast<Worker*>(userdata)->onMessage(*message);
    });
    mosquitto_subscribe_callback_set(mosq, [](mosquitto*, void* userdata, int, int count, const int* granted) {
        static_cast<Worker*>(userdata)->onSubscribe(count, granted);
    });
    batch.reserve(options.batchSize);
    stopping = false;
    finished = false;
    return {};
}

void MqttFeed::Worker::noteProblem(const QString& problem)
{
    {
        std::lock_guard lock(errorMutex);
        lastError = problem;
    }
    counters.report(FeedProblem::ConnectionLost, problem);
}

void MqttFeed::Worker::waitBeforeRetry(int delayMs)
{
    std::unique_lock lock(wakeMutex);
    wake.wait_for(lock, std::chrono::milliseconds(delayMs), [&] { return stopping.load(); });
}

void MqttFeed::Worker::run()
{
    int delayMs = std::max(1, options.reconnectMinMs);
    while (!stopping) {
        accepted = false;
        refusal.clear();
        connectAndServe();
        flush();
        if (stopping)
            break;
        if (accepted) {
            connected = false;
            delayMs = std::max(1, options.reconnectMinMs);
        }
        waitBeforeRetry(delayMs);
        delayMs = std::min(std::max(delayMs * 2, 1), std::max(options.reconnectMaxMs, options.reconnectMinMs));
    }
    if (connected) {
        mosquitto_disconnect(mosq);
        mosquitto_loop(mosq, 50, 1);
        connected = false;
    }
    flush();
    std::lock_guard lock(wakeMutex);
    finished = true;
    wake.notify_all();
}

// One connection: connects, then serves it until it ends or the feed stops.
void MqttFeed::Worker::connectAndServe()
{
    const std::string host = options.host.toStdString();
    int rc = mosquitto_connect_bind_v5(mosq, host.c_str(), options.port, options.keepAliveSeconds, nullptr,
                                       connectProperties);
    if (rc != MOSQ_ERR_SUCCESS) {
        noteProblem(QStringLiteral("could not connect: %1").arg(describeResult(rc, errno)));
        return;
    }
    while (!stopping) {
        int timeoutMs = 50;
        if (!batch.empty()) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(batchDeadline - SteadyClock::now());
            timeoutMs = static_cast<int>(std::clamp<std::int64_t>(left.count(), 1, 50));
        }
        rc = mosquitto_loop(mosq, timeoutMs, 1);
        const int savedErrno = errno;
        if (!batch.empty() && SteadyClock::now() >= batchDeadline)
            flush();
        if (rc == MOSQ_ERR_SUCCESS)
            continue;
        if (stopping)
            return;
        if (!refusal.isEmpty())
            noteProblem(QStringLiteral("connection refused by the broker: %1").arg(refusal));
        else if (accepted)
            noteProblem(QStringLiteral("connection lost: %1").arg(describeResult(rc, savedErrno)));
        else
            noteProblem(QStringLiteral("could not connect: %1").arg(describeResult(rc, savedErrno)));
        return;
    }
}

void MqttFeed::Worker::onConnect(int rc)
{
    if (rc != 0) {
        refusal = QString::fromUtf8(options.protocol == MqttProtocol::V5 ? mosquitto_reason_string(rc)
                                                                         : mosquitto_connack_string(rc));
        return;
    }
    accepted = true;
    connected = true;
    connections.fetch_add(1, std::memory_order_relaxed);
    {
        std::lock_guard lock(errorMutex);
        lastError.clear();
    }
    std::vector<char*> filters;
    for (std::string& filter : topicFilters)
        filters.push_back(filter.data());
    const int subscribed = mosquitto_subscribe_multiple(mosq, nullptr, static_cast<int>(filters.size()),
                                                        filters.data(), options.qos, 0, nullptr);
    if (subscribed != MOSQ_ERR_SUCCESS)
        noteProblem(QStringLiteral("could not subscribe: %1").arg(describeResult(subscribed, errno)));
}

void MqttFeed::Worker::onSubscribe(int grantedCount, const int* granted)
{
    for (int i = 0; i < grantedCount; ++i) {
        if (granted[i] >= 0x80) {
            const QString topic = i < static_cast<int>(topicFilters.size())
                                      ? QString::fromStdString(topicFilters[static_cast<std::size_t>(i)])
                                      : QString();
            std::lock_guard lock(errorMutex);
            lastError = QStringLiteral("the broker refused the subscription to '%1'").arg(topic);
            qWarning().noquote() << url + QStringLiteral(": ") + lastError;
        }
    }
}

void MqttFeed::Worker::onMessage(const mosquitto_message& message)
{
    counters.addReceived();
    if (lastTopic != message.topic) {
        lastTopic = message.topic;
        lastTopicText = QString::fromUtf8(message.topic);
    }
    const QByteArray payload =
        QByteArray::fromRawData(static_cast<const char*>(message.payload), std::max(0, message.payloadlen));
    std::optional<IncomingObservation> observation = decodePayload(lastTopicText, payload, nowMs());
    if (!observation) {
        counters.report(FeedProblem::MalformedPayload,
                        QStringLiteral("%1: '%2'").arg(lastTopicText, QString::fromUtf8(payload.left(60))));
        return;
    }
    if (batch.empty())
        batchDeadline = SteadyClock::now() + std::chrono::milliseconds(options.batchIntervalMs);
    batch.push_back(std::move(*observation));
    if (batch.size() >= options.batchSize)
        flush();
}

void MqttFeed::Worker::flush()
{
    if (batch.empty())
        return;
    std::vector<IncomingObservation> full;
    full.reserve(options.batchSize);
    full.swap(batch);
    std::lock_guard lock(sinkMutex);
    if (sink)
        sink->deliver(std::move(full));
}

MqttFeed::MqttFeed(MqttOptions options)
    : m_options(std::move(options)), m_worker(std::make_shared<Worker>(m_options))
{
}

MqttFeed::~MqttFeed() { stop(); }

QString MqttFeed::description() const
{
    return QStringLiteral("MQTT %1 %2").arg(m_worker->url, m_options.topics.join(QStringLiteral(", ")));
}

Status MqttFeed::start(ObservationSink& sink)
{
    if (m_thread.joinable())
        return Error{QStringLiteral("%1: already started").arg(m_worker->url).toStdString()};
    {
        std::lock_guard lock(m_worker->wakeMutex);
        if (m_worker->mosq && !m_worker->finished)
            return Error{QStringLiteral("%1: an earlier connection attempt is still under way").arg(m_worker->url).toStdString()};
    }
    if (Status prepared = m_worker->prepare(); !prepared)
        return prepared;
    {
        std::lock_guard lock(m_worker->sinkMutex);
        m_worker->sink = &sink;
    }
    m_thread = std::thread([worker = m_worker] { worker->run(); });
    return {};
}

void MqttFeed::stop()
{
    if (!m_thread.joinable())
        return;
    bool finished = false;
    {
        std::unique_lock lock(m_worker->wakeMutex);
        m_worker->stopping = true;
        m_worker->wake.notify_all();
        finished = m_worker->wake.wait_for(lock, std::chrono::seconds(2), [&] { return m_worker->finished; });
    }
    if (finished) {
        m_thread.join();
        return;
    }
    // A connection attempt (name lookup, TCP or TLS handshake) still blocks the feed thread: let it
    // finish on its own, with the worker it shares, but without the sink.
    {
        std::lock_guard lock(m_worker->sinkMutex);
        m_worker->sink = nullptr;
    }
    m_thread.detach();
}

FeedCounters& MqttFeed::counters() { return m_worker->counters; }

bool MqttFeed::isConnected() const { return m_worker->connected; }

std::uint64_t MqttFeed::connectionCount() const { return m_worker->connections; }

QString MqttFeed::lastError() const
{
    std::lock_guard lock(m_worker->errorMutex);
    return m_worker->lastError;
}

}  // namespace ut::sensors
