// urbantwin-bench sensors [--observations N] [--batch N] [--datastreams N]
// Observation store inserts per second (SQLite write-through, WAL, one transaction per batch) beside two
// anchors measured in the same run: the bare sqlite3 bulk insert into the same table layout and pragmas
// (prepared statement, one transaction per batch, no memory side, no duplicate accounting) and a plain
// std::vector append + sort per datastream (no disk). A reader thread polls latest()/valueAt() during the
// inserts, as the UI does, and reports its longest wait.
#include <sqlite3.h>

#include <QJsonObject>
#include <QTemporaryDir>
#include <algorithm>
#include <atomic>
#include <thread>

#include "BenchSupport.h"
#include "ut/sensors/ObservationStore.h"

namespace ut::bench {

namespace {
std::vector<sensors::Observation> makeObservations(std::size_t count, std::size_t datastreams) {
    std::vector<QString> ids;
    for (std::size_t d = 0; d < datastreams; ++d)
        ids.push_back(QStringLiteral("v1.1/Datastreams(%1)").arg(d));
    std::vector<sensors::Observation> observations;
    observations.reserve(count);
    // Round-robin over the datastreams, one second apart per datastream; every 50th arrives late.
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t step = i / datastreams;
        const sensors::TimeMs time =
            1714550400000LL + static_cast<sensors::TimeMs>(step % 50 == 49 ? step - 40 : step) * 1000;
        observations.push_back({ids[i % datastreams], time, static_cast<double>(i % 997)});
    }
    return observations;
}

double bareSqliteSeconds(const QString& path, const std::vector<sensors::Observation>& observations,
                         std::size_t batch) {
    sqlite3* db = nullptr;
    sqlite3_open(path.toUtf8().constData(), &db);
    sqlite3_exec(db,
                 "PRAGMA page_size=1024; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA "
                 "wal_autocheckpoint=8192;"
                 "CREATE TABLE observations(datastream TEXT, time INTEGER, result REAL, PRIMARY "
                 "KEY(datastream, time)) WITHOUT ROWID;",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO observations VALUES(?1, ?2, ?3)", -1, &insert, nullptr);
    const auto start = Clock::now();
    for (std::size_t first = 0; first < observations.size(); first += batch) {
        sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
        const std::size_t last = std::min(observations.size(), first + batch);
        for (std::size_t i = first; i < last; ++i) {
            const QByteArray id = observations[i].datastreamId.toUtf8();
            sqlite3_bind_text(insert, 1, id.constData(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
            sqlite3_bind_int64(insert, 2, observations[i].phenomenonTime);
            sqlite3_bind_double(insert, 3, observations[i].result);
            sqlite3_step(insert);
            sqlite3_reset(insert);
        }
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
    const double seconds = secondsSince(start);
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return seconds;
}

double vectorSortSeconds(const std::vector<sensors::Observation>& observations, std::size_t datastreams) {
    const auto start = Clock::now();
    std::vector<std::vector<std::pair<sensors::TimeMs, double>>> series(datastreams);
    for (std::size_t i = 0; i < observations.size(); ++i)
        series[i % datastreams].emplace_back(observations[i].phenomenonTime, observations[i].result);
    for (auto& values : series) std::sort(values.begin(), values.end());
    return secondsSince(start);
}
}  // namespace

int benchSensors(const QStringList& arguments) {
    std::size_t count = 1000000, batch = 500, datastreams = 100;
    for (int i = 0; i + 1 < arguments.size(); ++i) {
        if (arguments[i] == QStringLiteral("--observations")) count = arguments[i + 1].toULongLong();
        if (arguments[i] == QStringLiteral("--batch"))
            batch = std::max<qulonglong>(1, arguments[i + 1].toULongLong());
        if (arguments[i] == QStringLiteral("--datastreams"))
            datastreams = std::max<qulonglong>(1, arguments[i + 1].toULongLong());
    }
    QTemporaryDir folder;
    const std::vector<sensors::Observation> observations = makeObservations(count, datastreams);

    auto store = sensors::ObservationStore::open({folder.filePath(QStringLiteral("store.sqlite")), 10000});
    if (!store) return failed(store.error());
    std::uint64_t inserted = 0, duplicates = 0;
    // A reader beside the writer, as the UI polls: the longest a latest() + valueAt() pair waited.
    std::atomic<bool> writing{true};
    double longestReadMs = 0.0;
    std::thread reader([&] {
        const QString id = observations.front().datastreamId;
        while (writing.load()) {
            const auto readStart = Clock::now();
            store.value()->latest(id);
            store.value()->valueAt(id, observations.back().phenomenonTime);
            longestReadMs = std::max(longestReadMs, 1000.0 * secondsSince(readStart));
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    });
    const auto start = Clock::now();
    for (std::size_t first = 0; first < observations.size(); first += batch) {
        const auto counts =
            store.value()->insert(std::span<const sensors::Observation>(observations)
                                      .subspan(first, std::min(batch, observations.size() - first)));
        inserted += counts.inserted;
        duplicates += counts.duplicates;
    }
    const double storeSeconds = secondsSince(start);
    writing = false;
    reader.join();
    // Memory-only store: the cost of the in-memory side alone.
    auto memoryStore = sensors::ObservationStore::open({QString(), 10000});
    const auto memoryStart = Clock::now();
    for (std::size_t first = 0; first < observations.size(); first += batch)
        memoryStore.value()->insert(std::span<const sensors::Observation>(observations)
                                        .subspan(first, std::min(batch, observations.size() - first)));
    const double memorySeconds = secondsSince(memoryStart);
    const double sqliteSeconds =
        bareSqliteSeconds(folder.filePath(QStringLiteral("bare.sqlite")), observations, batch);
    const double vectorSeconds = vectorSortSeconds(observations, datastreams);

    QJsonObject line;
    line["area"] = "sensors";
    line["observations"] = static_cast<qint64>(count);
    line["batch"] = static_cast<qint64>(batch);
    line["datastreams"] = static_cast<qint64>(datastreams);
    line["inserted"] = static_cast<qint64>(inserted);
    line["duplicates"] = static_cast<qint64>(duplicates);
    line["store_inserts_per_s"] = static_cast<double>(count) / storeSeconds;
    line["memory_only_store_inserts_per_s"] = static_cast<double>(count) / memorySeconds;
    line["anchor"] = "bare_sqlite_insert_or_ignore";
    line["anchor_inserts_per_s"] = static_cast<double>(count) / sqliteSeconds;
    line["vector_append_sort_per_s"] = static_cast<double>(count) / vectorSeconds;
    line["store_over_anchor"] = sqliteSeconds / storeSeconds;
    line["longest_read_ms_while_inserting"] = longestReadMs;
    line["rss_mib"] = residentMiB();
    printLine(line);
    return 0;
}

}  // namespace ut::bench
