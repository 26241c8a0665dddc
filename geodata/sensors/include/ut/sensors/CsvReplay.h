#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "ut/sensors/CsvMapping.h"
#include "ut/sensors/FeedSource.h"

namespace ut::sensors {

// Replays a CSV file as a feed: the file is read whole when opened (so its catalogue and bad rows
// are known at once), then its observations are delivered in time order on the replay's own thread,
// `speed` seconds of data per wall-clock second (0: as fast as the sink takes them).
class CsvReplay : public FeedSource {
public:
    struct Options {
        double speed = 1.0;
        std::size_t maxBatch = 1000;  // observations per deliver()
    };

    // `path`: a mapping (.json) or a CSV file (its FILE.mapping.json, or a recording).
    static Result<std::unique_ptr<CsvReplay>> open(const QString& path, Options options);
    static Result<std::unique_ptr<CsvReplay>> open(const CsvMapping& mapping, Options options);
    ~CsvReplay() override;

    QString description() const override;
    SensorCatalog catalog() const override { return m_table.catalog; }
    Status start(ObservationSink& sink) override;
    void stop() override;  // returns once the replay thread has ended
    FeedCounters& counters() override { return m_counters; }

    // Everything the file holds, in time order: what a timeline or a one-shot import reads
    // without replaying.
    const CsvTable& table() const { return m_table; }
    std::uint64_t delivered() const { return m_delivered.load(std::memory_order_relaxed); }
    bool finished() const { return m_finished.load(std::memory_order_acquire); }
    // Blocks until every observation is delivered or the replay stopped; false on timeout.
    bool waitUntilFinished(int timeoutMs);

private:
    CsvReplay(CsvMapping mapping, Options options);
    void run(ObservationSink& sink);

    CsvMapping m_mapping;
    Options m_options;
    FeedCounters m_counters;
    CsvTable m_table;

    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopRequested = false;
    std::atomic<bool> m_finished{false};
    std::atomic<std::uint64_t> m_delivered{0};
};

}  // namespace ut::sensors
