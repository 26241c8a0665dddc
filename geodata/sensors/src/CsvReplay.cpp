#include "ut/sensors/CsvReplay.h"

#include <QDateTime>
#include <QFileInfo>
#include <chrono>

namespace ut::sensors {

Result<std::unique_ptr<CsvReplay>> CsvReplay::open(const QString& path, Options options) {
    auto mapping = path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive) ? CsvMapping::load(path)
                                                                               : CsvMapping::forCsv(path);
    if (!mapping) return Error{mapping.error()};
    return open(mapping.value(), options);
}

Result<std::unique_ptr<CsvReplay>> CsvReplay::open(const CsvMapping& mapping, Options options) {
    std::unique_ptr<CsvReplay> replay(new CsvReplay(mapping, options));
    auto table = readCsv(replay->m_mapping, &replay->m_counters);
    if (!table) return Error{table.error()};
    replay->m_table = std::move(table.value());
    return replay;
}

CsvReplay::CsvReplay(CsvMapping mapping, Options options)
    : m_mapping(std::move(mapping)), m_options(options), m_counters(QFileInfo(m_mapping.file).fileName()) {
    if (m_options.maxBatch == 0) m_options.maxBatch = 1;
    if (!(m_options.speed >= 0.0)) m_options.speed = 0.0;
}

CsvReplay::~CsvReplay() {
    stop();
}

QString CsvReplay::description() const {
    const QString speed =
        m_options.speed > 0.0 ? QStringLiteral("%1×").arg(m_options.speed) : QStringLiteral("full speed");
    return QStringLiteral("CSV replay %1 at %2").arg(m_mapping.file, speed);
}

Status CsvReplay::start(ObservationSink& sink) {
    if (m_thread.joinable())
        return Error{QStringLiteral("%1: the replay is already running").arg(m_mapping.file).toStdString()};
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopRequested = false;
    }
    m_finished.store(false, std::memory_order_release);
    m_delivered.store(0, std::memory_order_relaxed);
    m_thread = std::thread([this, &sink] { run(sink); });
    return {};
}

void CsvReplay::stop() {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopRequested = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

bool CsvReplay::waitUntilFinished(int timeoutMs) {
    std::unique_lock<std::mutex> lock(m_mutex);
    return m_wake.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                           [this] { return m_finished.load() || m_stopRequested; });
}

void CsvReplay::run(ObservationSink& sink) {
    using Clock = std::chrono::steady_clock;
    const std::vector<Observation>& observations = m_table.observations;
    const double speed = m_options.speed;
    const Clock::time_point wallStart = Clock::now();
    const TimeMs dataStart = observations.empty() ? 0 : observations.front().phenomenonTime;
    // When the observation at `index` is due, in wall-clock time.
    const auto dueAt = [&](std::size_t index) {
        const double wallMs = static_cast<double>(observations[index].phenomenonTime - dataStart) / speed;
        return wallStart +
               std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(wallMs));
    };

    std::size_t next = 0;
    std::vector<IncomingObservation> batch;
    while (next < observations.size()) {
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            if (speed > 0.0) m_wake.wait_until(lock, dueAt(next), [this] { return m_stopRequested; });
            if (m_stopRequested) break;
        }
        const Clock::time_point now = Clock::now();
        const TimeMs receivedAt = QDateTime::currentMSecsSinceEpoch();
        batch.clear();
        batch.reserve(std::min(m_options.maxBatch, observations.size() - next));
        while (next < observations.size() && batch.size() < m_options.maxBatch &&
               (speed <= 0.0 || dueAt(next) <= now)) {
            batch.push_back({observations[next], QString(), receivedAt});
            ++next;
        }
        m_counters.addReceived(batch.size());
        m_delivered.fetch_add(batch.size(), std::memory_order_relaxed);
        sink.deliver(std::move(batch));
        batch = {};
    }
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_finished.store(next >= observations.size(), std::memory_order_release);
    }
    m_wake.notify_all();
}

}  // namespace ut::sensors
