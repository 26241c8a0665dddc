#include "MosquittoBroker.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include <mutex>
#include <unistd.h>

namespace ut::test {

namespace {

bool runTool(const QString& program, const QStringList& arguments, const QString& folder, QString& error)
{
    QProcess process;
    process.setWorkingDirectory(folder);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        error = QStringLiteral("%1 %2 failed: %3")
                    .arg(program, arguments.join(QLatin1Char(' ')), QString::fromLocal8Bit(process.readAll()).trimmed());
        return false;
    }
    return true;
}

bool portAccepts(int port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(port));
    return socket.waitForConnected(200);
}

}  // namespace

QString MosquittoBroker::program()
{
    QString found = QStandardPaths::findExecutable(QStringLiteral("mosquitto"));
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(QStringLiteral("mosquitto"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")});
    return found;
}

int MosquittoBroker::freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const int port = server.serverPort();
    server.close();
    return port;
}

MosquittoBroker::MosquittoBroker(Options options) : m_options(std::move(options)) {}

MosquittoBroker::~MosquittoBroker() { stop(); }

QString MosquittoBroker::caFile() const { return m_folder.filePath(QStringLiteral("ca.crt")); }

bool MosquittoBroker::addUser(const QString& user, const QString& password)
{
    const QString file = m_folder.filePath(QStringLiteral("passwords"));
    QStringList arguments;
    if (!QFile::exists(file))
        arguments << QStringLiteral("-c");
    arguments << QStringLiteral("-b") << file << user << password;
    return runTool(QStringLiteral("mosquitto_passwd"), arguments, m_folder.path(), m_error);
}

bool MosquittoBroker::makeTlsFiles()
{
    if (QFile::exists(caFile()))
        return true;
    const QString openssl = QStringLiteral("openssl");
    const QStringList ecKey{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                            QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
    QFile extensions(m_folder.filePath(QStringLiteral("server.ext")));
    if (!extensions.open(QIODevice::WriteOnly)) {
        m_error = extensions.fileName() + QStringLiteral(": cannot write");
        return false;
    }
    extensions.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n");
    extensions.close();
    return runTool(openssl,
                   QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ecKey +
                       QStringList{QStringLiteral("-keyout"), QStringLiteral("ca.key"), QStringLiteral("-out"),
                                   QStringLiteral("ca.crt"), QStringLiteral("-days"), QStringLiteral("2"),
                                   QStringLiteral("-subj"), QStringLiteral("/CN=UrbanTwin test CA")},
                   m_folder.path(), m_error) &&
           runTool(openssl,
                   QStringList{QStringLiteral("req")} + ecKey +
                       QStringList{QStringLiteral("-keyout"), QStringLiteral("server.key"), QStringLiteral("-out"),
                                   QStringLiteral("server.csr"), QStringLiteral("-subj"), QStringLiteral("/CN=localhost")},
                   m_folder.path(), m_error) &&
           runTool(openssl,
                   {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), QStringLiteral("server.csr"),
                    QStringLiteral("-CA"), QStringLiteral("ca.crt"), QStringLiteral("-CAkey"), QStringLiteral("ca.key"),
                    QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), QStringLiteral("server.crt"),
                    QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"), QStringLiteral("server.ext")},
                   m_folder.path(), m_error);
}

bool MosquittoBroker::writeConfig()
{
    QStringList lines;
    lines << QStringLiteral("listener %1 127.0.0.1").arg(m_port);
    if (m_options.tls) {
        lines << QStringLiteral("listener %1 127.0.0.1").arg(m_tlsPort)
              << QStringLiteral("cafile %1").arg(caFile())
              << QStringLiteral("certfile %1").arg(m_folder.filePath(QStringLiteral("server.crt")))
              << QStringLiteral("keyfile %1").arg(m_folder.filePath(QStringLiteral("server.key")));
    }
    if (m_options.passwords) {
        lines << QStringLiteral("allow_anonymous false")
              << QStringLiteral("password_file %1").arg(m_folder.filePath(QStringLiteral("passwords")));
    } else {
        lines << QStringLiteral("allow_anonymous true");
    }
    lines << QStringLiteral("persistence true")
          << QStringLiteral("persistence_location %1/").arg(m_folder.path())
          << QStringLiteral("log_dest stdout")
          // Keep every QoS 0 message for a subscriber that falls behind (the default drops after 1,000).
          << QStringLiteral("max_queued_messages 0");
    // Run as root, mosquitto would switch to its own user, who cannot read this folder.
    if (geteuid() == 0)
        lines << QStringLiteral("user root");
    lines << m_options.extraConfig;
    QFile config(m_folder.filePath(QStringLiteral("mosquitto.conf")));
    if (!config.open(QIODevice::WriteOnly)) {
        m_error = config.fileName() + QStringLiteral(": cannot write");
        return false;
    }
    config.write(lines.join(QLatin1Char('\n')).toUtf8() + '\n');
    return true;
}

bool MosquittoBroker::start()
{
    if (isRunning())
        return true;
    const QString mosquitto = program();
    if (mosquitto.isEmpty()) {
        m_error = QStringLiteral("mosquitto is not installed");
        return false;
    }
    if (!m_folder.isValid()) {
        m_error = QStringLiteral("cannot create a temporary folder");
        return false;
    }
    if (m_port == 0) {
        m_port = freePort();
        m_tlsPort = m_options.tls ? freePort() : 0;
        while (m_options.tls && m_tlsPort == m_port)
            m_tlsPort = freePort();
    }
    if (m_options.tls && !makeTlsFiles())
        return false;
    if (!writeConfig())
        return false;
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(mosquitto, {QStringLiteral("-c"), m_folder.filePath(QStringLiteral("mosquitto.conf"))});
    if (!m_process->waitForStarted(5000)) {
        m_error = QStringLiteral("cannot start %1").arg(mosquitto);
        return false;
    }
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 10000) {
        if (m_process->state() != QProcess::Running) {
            m_log += m_process->readAll();
            m_error = QStringLiteral("mosquitto exited: %1").arg(QString::fromLocal8Bit(m_log).trimmed());
            return false;
        }
        if (portAccepts(m_port) && (!m_options.tls || portAccepts(m_tlsPort)))
            return true;
        QThread::msleep(20);
    }
    m_error = QStringLiteral("mosquitto does not accept connections on port %1").arg(m_port);
    return false;
}

void MosquittoBroker::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(10000)) {
            m_process->kill();
            m_process->waitForFinished(2000);
        }
    }
    m_log += m_process->readAll();
    m_process.reset();
}

bool MosquittoBroker::isRunning() const { return m_process && m_process->state() == QProcess::Running; }

QString MosquittoBroker::log() const
{
    QByteArray all = m_log;
    if (m_process)
        all += m_process->readAll();
    return QString::fromLocal8Bit(all);
}

MqttTestPublisher::MqttTestPublisher(int port, bool mqtt5, const QString& username, const QString& password)
    : m_port(port)
{
    static std::once_flag once;
    std::call_once(once, [] { mosquitto_lib_init(); });
    m_mosq = mosquitto_new(nullptr, true, this);
    mosquitto_int_option(m_mosq, MOSQ_OPT_PROTOCOL_VERSION, mqtt5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
    if (!username.isEmpty())
        mosquitto_username_pw_set(m_mosq, username.toUtf8().constData(), password.toUtf8().constData());
    mosquitto_publish_callback_set(m_mosq, [](mosquitto*, void* self, int) {
        static_cast<MqttTestPublisher*>(self)->m_completed.fetch_add(1, std::memory_order_relaxed);
    });
    mosquitto_connect_callback_set(m_mosq, [](mosquitto*, void* self, int rc) {
        static_cast<MqttTestPublisher*>(self)->m_connack = rc;
    });
}

MqttTestPublisher::~MqttTestPublisher()
{
    mosquitto_disconnect(m_mosq);
    mosquitto_loop(m_mosq, 10, 1);
    mosquitto_destroy(m_mosq);
}

bool MqttTestPublisher::connect()
{
    m_connack = -1;
    const int rc = mosquitto_connect(m_mosq, "127.0.0.1", m_port, 30);
    if (rc != MOSQ_ERR_SUCCESS) {
        m_error = QStringLiteral("publisher cannot connect: %1").arg(QString::fromUtf8(mosquitto_strerror(rc)));
        return false;
    }
    QElapsedTimer waited;
    waited.start();
    while (m_connack < 0 && waited.elapsed() < 5000) {
        if (mosquitto_loop(m_mosq, 20, 1) != MOSQ_ERR_SUCCESS)
            break;
    }
    if (m_connack != 0) {
        m_error = QStringLiteral("publisher refused: %1").arg(m_connack);
        return false;
    }
    return true;
}

bool MqttTestPublisher::publish(const QByteArray& topic, const QByteArray& payload, int qos)
{
    // Back-pressure: while the socket cannot take more, let the library write what it holds.
    while (mosquitto_want_write(m_mosq)) {
        if (mosquitto_loop(m_mosq, 5, 1) != MOSQ_ERR_SUCCESS)
            break;
    }
    const int rc = mosquitto_publish(m_mosq, nullptr, topic.constData(), static_cast<int>(payload.size()),
                                     payload.constData(), qos, false);
    if (rc != MOSQ_ERR_SUCCESS) {
        m_error = QStringLiteral("publish failed: %1").arg(QString::fromUtf8(mosquitto_strerror(rc)));
        return false;
    }
    ++m_published;
    if (m_published % 512 == 0)
        mosquitto_loop(m_mosq, 0, 1);
    return true;
}

bool MqttTestPublisher::waitUntilDelivered(int timeoutMs)
{
    QElapsedTimer waited;
    waited.start();
    while (m_completed.load() < m_published && waited.elapsed() < timeoutMs) {
        const int rc = mosquitto_loop(m_mosq, 10, 1);
        if (rc != MOSQ_ERR_SUCCESS) {
            m_error = QStringLiteral("publisher lost its connection: %1").arg(QString::fromUtf8(mosquitto_strerror(rc)));
            return false;
        }
    }
    return m_completed.load() >= m_published;
}

QByteArray sensorThingsObservation(std::int64_t timeMs, double result)
{
    return "{\"phenomenonTime\":\"" +
           QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1() +
           "\",\"result\":" + QByteArray::number(result, 'g', 10) + '}';
}

}  // namespace ut::test
