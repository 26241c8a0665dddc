#include "ut/sensors/ObservationStore.h"

#include <sqlite3.h>

#include <QDebug>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <algorithm>
#include <limits>
#include <atomic>

namespace ut::sensors {

namespace {

struct Sample {
    TimeMs time = 0;
    double result = 0.0;
};

bool earlier(const Sample& a, const Sample& b) {
    return a.time < b.time;
}

// One datastream in memory: the newest samples in time order, and how many are stored in all.
struct Series {
    std::vector<Sample> samples;
    std::uint64_t storedCount = 0;  // memory and disk
    bool memoryHoldsAll() const { return storedCount <= samples.size(); }
};

// Merges samples (sorted by time) into a series, keeping the newest `bound`; returns how many were
// new (a sample at a time the series already holds is a duplicate).
std::uint64_t mergeInto(Series& series, const std::vector<Sample>& sorted, std::size_t bound) {
    std::uint64_t added = 0;
    std::vector<Sample>& samples = series.samples;
    for (const Sample& sample : sorted) {
        if (samples.empty() || samples.back().time < sample.time) {
            samples.push_back(sample);
            ++added;
            continue;
        }
        auto at = std::lower_bound(samples.begin(), samples.end(), sample, earlier);
        if (at != samples.end() && at->time == sample.time) continue;
        // Older than everything a full memory keeps: it lives on disk only (or, without a disk, is gone).
        if (at == samples.begin() && samples.size() >= bound) {
            ++added;
            continue;
        }
        samples.insert(at, sample);
        ++added;
    }
    if (samples.size() > bound)
        samples.erase(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(samples.size() - bound));
    return added;
}

class Statement {
public:
    Statement() = default;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement() { sqlite3_finalize(m_statement); }

    bool prepare(sqlite3* db, const char* sql) {
        return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_statement, nullptr) == SQLITE_OK;
    }
    sqlite3_stmt* get() const { return m_statement; }
    void reset() const {
        sqlite3_reset(m_statement);
        sqlite3_clear_bindings(m_statement);
    }

private:
    sqlite3_stmt* m_statement = nullptr;
};

class Database {
public:
    Database() = default;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database() { close(); }

    void close() {
        if (m_db) sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
    sqlite3* handle() const { return m_db; }
    sqlite3** address() { return &m_db; }
    QString message() const {
        return m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("out of memory");
    }
    bool exec(const char* sql) const {
        return sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
    }

private:
    sqlite3* m_db = nullptr;
};

}  // namespace

struct ObservationStore::Impl {
    Options options;

    // Memory: readers and the merge step of insert() take it, never while touching the disk.
    mutable std::mutex memoryMutex;
    QHash<QString, Series> series;
    std::atomic<std::uint64_t> revision{0};

    // Disk: one writer at a time; readers use their own connection (WAL lets them read beside it).
    std::mutex writeMutex;
    Database writer;
    Statement insertObservation;
    Statement insertDatastream;
    QHash<QString, qint64> datastreamKeys;  // guarded by writeMutex
    bool diskFailureLogged = false;
    QString diskError;

    mutable std::mutex readMutex;
    Database reader;
    Statement readDatastreamKey;
    Statement readRange;
    Statement readAtOrBefore;

    bool hasDisk() const { return writer.handle() != nullptr; }
    Status openDisk();
    Status restoreMemory();
    // Writes the batch in one transaction; fills `fresh` with the observations that were new.
    bool writeThrough(std::span<const Observation> observations, std::vector<const Observation*>& fresh);
    qint64 datastreamKey(const QString& datastreamId);
    std::optional<qint64> readKey(const QString& datastreamId) const;
};

namespace {
constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS datastreams(key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);"
    "CREATE TABLE IF NOT EXISTS observations(datastream INTEGER NOT NULL, time INTEGER NOT NULL, "
    "result REAL, PRIMARY KEY(datastream, time)) WITHOUT ROWID;";
}

Status ObservationStore::Impl::openDisk() {
    const QString& path = options.path;
    const auto failure = [&path](const QString& problem) {
        return Error{
            QStringLiteral("%1: cannot open the observation store (%2)").arg(path, problem).toStdString()};
    };
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) return failure(QStringLiteral("cannot create the folder"));
    const QByteArray file = QFile::encodeName(path);
    if (sqlite3_open_v2(file.constData(), writer.address(),
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK)
        return failure(writer.message());
    sqlite3_busy_timeout(writer.handle(), 5000);
    // Every commit writes each B-tree page it touched (one per datastream in the batch) to the WAL:
    // small pages make that cheaper, and a larger WAL between checkpoints writes a hot page back once
    // for many commits. (The page size applies to new files only.)
    if (!writer.exec("PRAGMA page_size=1024;") || !writer.exec("PRAGMA journal_mode=WAL;") ||
        !writer.exec("PRAGMA synchronous=NORMAL;") || !writer.exec("PRAGMA wal_autocheckpoint=8192;"))
        return failure(writer.message());
    if (!writer.exec(kSchema))
        return failure(QStringLiteral("not an observation store: %1").arg(writer.message()));
    if (!insertObservation.prepare(
            writer.handle(),
            "INSERT OR IGNORE INTO observations(datastream, time, result) VALUES(?1, ?2, ?3)") ||
        !insertDatastream.prepare(writer.handle(), "INSERT INTO datastreams(id) VALUES(?1)"))
        return failure(writer.message());

    if (sqlite3_open_v2(file.constData(), reader.address(), SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK)
        return failure(reader.message());
    sqlite3_busy_timeout(reader.handle(), 5000);
    if (!readDatastreamKey.prepare(reader.handle(), "SELECT key FROM datastreams WHERE id = ?1") ||
        !readRange.prepare(reader.handle(),
                           "SELECT time, result FROM observations WHERE datastream = ?1 AND time BETWEEN ?2 "
                           "AND ?3 ORDER BY time") ||
        !readAtOrBefore.prepare(reader.handle(),
                                "SELECT time, result FROM observations WHERE datastream = ?1 AND time <= ?2 "
                                "ORDER BY time DESC LIMIT 1"))
        return failure(reader.message());
    return restoreMemory();
}

Status ObservationStore::Impl::restoreMemory() {
    Statement keys, newest, counts;
    if (!keys.prepare(writer.handle(), "SELECT key, id FROM datastreams") ||
        !newest.prepare(
            writer.handle(),
            "SELECT time, result FROM observations WHERE datastream = ?1 ORDER BY time DESC LIMIT ?2") ||
        !counts.prepare(writer.handle(), "SELECT COUNT(*) FROM observations WHERE datastream = ?1"))
        return Error{QStringLiteral("%1: cannot read the observation store (%2)")
                         .arg(options.path, writer.message())
                         .toStdString()};
    while (sqlite3_step(keys.get()) == SQLITE_ROW) {
        const qint64 key = sqlite3_column_int64(keys.get(), 0);
        const QString id =
            QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(keys.get(), 1)));
        datastreamKeys.insert(id, key);
        Series& restored = series[id];
        sqlite3_bind_int64(newest.get(), 1, key);
        sqlite3_bind_int64(newest.get(), 2, static_cast<sqlite3_int64>(options.memoryPerDatastream));
        while (sqlite3_step(newest.get()) == SQLITE_ROW)
            restored.samples.push_back(
                {sqlite3_column_int64(newest.get(), 0), sqlite3_column_double(newest.get(), 1)});
        newest.reset();
        std::reverse(restored.samples.begin(), restored.samples.end());
        sqlite3_bind_int64(counts.get(), 1, key);
        if (sqlite3_step(counts.get()) == SQLITE_ROW)
            restored.storedCount = static_cast<std::uint64_t>(sqlite3_column_int64(counts.get(), 0));
        counts.reset();
    }
    return {};
}

qint64 ObservationStore::Impl::datastreamKey(const QString& datastreamId) {
    auto found = datastreamKeys.constFind(datastreamId);
    if (found != datastreamKeys.cend()) return found.value();
    const QByteArray id = datastreamId.toUtf8();
    sqlite3_bind_text(insertDatastream.get(), 1, id.constData(), static_cast<int>(id.size()),
                      SQLITE_TRANSIENT);
    const bool inserted = sqlite3_step(insertDatastream.get()) == SQLITE_DONE;
    insertDatastream.reset();
    if (!inserted) return -1;
    const qint64 key = sqlite3_last_insert_rowid(writer.handle());
    datastreamKeys.insert(datastreamId, key);
    return key;
}

bool ObservationStore::Impl::writeThrough(std::span<const Observation> observations,
                                          std::vector<const Observation*>& fresh) {
    if (!writer.exec("BEGIN")) {
        diskError = writer.message();
        return false;
    }
    const QHash<QString, qint64> keysBefore = datastreamKeys;
    const QString* lastId = nullptr;
    qint64 lastKey = -1;
    sqlite3_stmt* statement = insertObservation.get();
    bool failed = false;
    for (const Observation& observation : observations) {
        if (!lastId || *lastId != observation.datastreamId) {
            lastKey = datastreamKey(observation.datastreamId);
            lastId = &observation.datastreamId;
            if (lastKey < 0) {
                failed = true;
                break;
            }
        }
        sqlite3_bind_int64(statement, 1, lastKey);
        sqlite3_bind_int64(statement, 2, observation.phenomenonTime);
        sqlite3_bind_double(statement, 3, observation.result);
        const int stepped = sqlite3_step(statement);
        sqlite3_reset(statement);
        if (stepped != SQLITE_DONE) {
            failed = true;
            break;
        }
        if (sqlite3_changes(writer.handle()) > 0) fresh.push_back(&observation);
    }
    if (failed || !writer.exec("COMMIT")) {
        diskError = writer.message();
        writer.exec("ROLLBACK");
        datastreamKeys = keysBefore;
        fresh.clear();
        return false;
    }
    return true;
}

std::optional<qint64> ObservationStore::Impl::readKey(const QString& datastreamId) const {
    const QByteArray id = datastreamId.toUtf8();
    sqlite3_bind_text(readDatastreamKey.get(), 1, id.constData(), static_cast<int>(id.size()),
                      SQLITE_TRANSIENT);
    std::optional<qint64> key;
    if (sqlite3_step(readDatastreamKey.get()) == SQLITE_ROW)
        key = sqlite3_column_int64(readDatastreamKey.get(), 0);
    readDatastreamKey.reset();
    return key;
}

Result<std::unique_ptr<ObservationStore>> ObservationStore::open(const Options& options) {
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    impl->options.memoryPerDatastream = std::max<std::size_t>(1, options.memoryPerDatastream);
    if (!options.path.isEmpty()) {
        Status opened = impl->openDisk();
        if (!opened) return Error{opened.error()};
    }
    return std::unique_ptr<ObservationStore>(new ObservationStore(std::move(impl)));
}

ObservationStore::ObservationStore(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

ObservationStore::~ObservationStore() = default;

InsertCounts ObservationStore::insert(std::span<const Observation> observations) {
    InsertCounts counts;
    if (observations.empty()) return counts;
    Impl& impl = *m_impl;

    // With a file, the database decides what is new (its primary key sees every observation ever
    // stored); memory only then takes the new ones. Writers queue on writeMutex, readers do not.
    std::unique_lock<std::mutex> writing(impl.writeMutex);
    std::vector<const Observation*> candidates;
    candidates.reserve(observations.size());
    bool decidedByDisk = false;
    if (impl.hasDisk()) {
        decidedByDisk = impl.writeThrough(observations, candidates);
        if (!decidedByDisk && !impl.diskFailureLogged) {
            impl.diskFailureLogged = true;
            qWarning().noquote() << QStringLiteral(
                                        "%1: cannot write observations (%2); keeping them in memory only")
                                        .arg(impl.options.path, impl.diskError);
        }
    }
    if (!decidedByDisk) {
        for (const Observation& observation : observations) candidates.push_back(&observation);
    }

    QHash<QString, std::vector<Sample>> grouped;
    const QString* lastId = nullptr;
    std::vector<Sample>* lastGroup = nullptr;
    for (const Observation* observation : candidates) {
        if (!lastId || *lastId != observation->datastreamId) {
            lastGroup = &grouped[observation->datastreamId];
            lastId = &observation->datastreamId;
        }
        lastGroup->push_back({observation->phenomenonTime, observation->result});
    }
    for (auto& group : grouped) std::stable_sort(group.begin(), group.end(), earlier);

    {
        std::lock_guard<std::mutex> lock(impl.memoryMutex);
        for (auto group = grouped.cbegin(); group != grouped.cend(); ++group) {
            Series& target = impl.series[group.key()];
            const std::uint64_t added = mergeInto(target, group.value(), impl.options.memoryPerDatastream);
            // Without a file, memory is all there is; with one, the database counted them.
            const std::uint64_t stored = decidedByDisk ? group.value().size() : added;
            target.storedCount =
                decidedByDisk ? target.storedCount + stored
                              : std::min<std::uint64_t>(target.storedCount + stored, target.samples.size());
            counts.inserted += stored;
        }
        if (counts.inserted > 0) impl.revision.fetch_add(1, std::memory_order_release);
    }
    counts.duplicates = observations.size() - counts.inserted;
    return counts;
}

std::optional<Observation> ObservationStore::latest(const QString& datastreamId) const {
    std::lock_guard<std::mutex> lock(m_impl->memoryMutex);
    auto found = m_impl->series.constFind(datastreamId);
    if (found == m_impl->series.cend() || found->samples.empty()) return std::nullopt;
    const Sample& newest = found->samples.back();
    return Observation{datastreamId, newest.time, newest.result};
}

std::vector<Observation> ObservationStore::history(const QString& datastreamId, TimeMs from,
                                                   TimeMs to) const {
    std::vector<Observation> result;
    if (from > to) return result;
    {
        std::lock_guard<std::mutex> lock(m_impl->memoryMutex);
        auto found = m_impl->series.constFind(datastreamId);
        if (found == m_impl->series.cend()) return result;
        const std::vector<Sample>& samples = found->samples;
        const bool inMemory = found->memoryHoldsAll() || (!samples.empty() && samples.front().time <= from);
        if (inMemory || !m_impl->hasDisk()) {
            auto begin = std::lower_bound(samples.begin(), samples.end(), Sample{from, 0.0}, earlier);
            auto end = std::upper_bound(samples.begin(), samples.end(), Sample{to, 0.0}, earlier);
            result.reserve(static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, end - begin)));
            for (auto it = begin; it < end; ++it) result.push_back({datastreamId, it->time, it->result});
            return result;
        }
    }
    std::lock_guard<std::mutex> reading(m_impl->readMutex);
    const std::optional<qint64> key = m_impl->readKey(datastreamId);
    if (!key) return result;
    sqlite3_stmt* statement = m_impl->readRange.get();
    sqlite3_bind_int64(statement, 1, *key);
    sqlite3_bind_int64(statement, 2, from);
    sqlite3_bind_int64(statement, 3, to);
    while (sqlite3_step(statement) == SQLITE_ROW)
        result.push_back(
            {datastreamId, sqlite3_column_int64(statement, 0), sqlite3_column_double(statement, 1)});
    m_impl->readRange.reset();
    return result;
}

std::optional<TimeMs> ObservationStore::earliest(const QString& datastreamId) const {
    {
        std::lock_guard<std::mutex> lock(m_impl->memoryMutex);
        auto found = m_impl->series.constFind(datastreamId);
        if (found == m_impl->series.cend() || found->samples.empty()) return std::nullopt;
        if (found->memoryHoldsAll() || !m_impl->hasDisk()) return found->samples.front().time;
    }
    std::lock_guard<std::mutex> reading(m_impl->readMutex);
    const std::optional<qint64> key = m_impl->readKey(datastreamId);
    if (!key) return std::nullopt;
    sqlite3_stmt* statement = m_impl->readRange.get();
    sqlite3_bind_int64(statement, 1, *key);
    sqlite3_bind_int64(statement, 2, std::numeric_limits<TimeMs>::min());
    sqlite3_bind_int64(statement, 3, std::numeric_limits<TimeMs>::max());
    std::optional<TimeMs> first;
    if (sqlite3_step(statement) == SQLITE_ROW) first = sqlite3_column_int64(statement, 0);
    m_impl->readRange.reset();
    return first;
}

std::optional<Observation> ObservationStore::valueAt(const QString& datastreamId, TimeMs time) const {
    {
        std::lock_guard<std::mutex> lock(m_impl->memoryMutex);
        auto found = m_impl->series.constFind(datastreamId);
        if (found == m_impl->series.cend()) return std::nullopt;
        const std::vector<Sample>& samples = found->samples;
        const bool inMemory = found->memoryHoldsAll() || (!samples.empty() && samples.front().time <= time);
        if (inMemory || !m_impl->hasDisk()) {
            auto after = std::upper_bound(samples.begin(), samples.end(), Sample{time, 0.0}, earlier);
            if (after == samples.begin()) return std::nullopt;
            const Sample& at = *(after - 1);
            return Observation{datastreamId, at.time, at.result};
        }
    }
    std::lock_guard<std::mutex> reading(m_impl->readMutex);
    const std::optional<qint64> key = m_impl->readKey(datastreamId);
    if (!key) return std::nullopt;
    sqlite3_stmt* statement = m_impl->readAtOrBefore.get();
    sqlite3_bind_int64(statement, 1, *key);
    sqlite3_bind_int64(statement, 2, time);
    std::optional<Observation> result;
    if (sqlite3_step(statement) == SQLITE_ROW)
        result = Observation{datastreamId, sqlite3_column_int64(statement, 0),
                             sqlite3_column_double(statement, 1)};
    m_impl->readAtOrBefore.reset();
    return result;
}

std::vector<QString> ObservationStore::datastreamIds() const {
    std::lock_guard<std::mutex> lock(m_impl->memoryMutex);
    std::vector<QString> ids;
    ids.reserve(static_cast<std::size_t>(m_impl->series.size()));
    for (auto it = m_impl->series.cbegin(); it != m_impl->series.cend(); ++it) ids.push_back(it.key());
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::uint64_t ObservationStore::size(const QString& datastreamId) const {
    std::lock_guard<std::mutex> lock(m_impl->memoryMutex);
    auto found = m_impl->series.constFind(datastreamId);
    return found == m_impl->series.cend() ? 0 : found->storedCount;
}

std::uint64_t ObservationStore::revision() const {
    return m_impl->revision.load(std::memory_order_acquire);
}

}  // namespace ut::sensors
