#pragma once

#include "ut/geodata/Result.h"
#include "ut/sensors/SensorModel.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

namespace ut::sensors {

struct InsertCounts {
    std::uint64_t inserted = 0;
    std::uint64_t duplicates = 0;
};

// Observations per datastream, kept in time order. Memory holds the newest
// `memoryPerDatastream` of each datastream; with a file, every observation is also written
// through to SQLite (one transaction per insert call), so reopening the file restores all.
// A late or out-of-order observation lands at its time; one with the same datastream and
// phenomenon time as a stored one is a duplicate and is dropped.
// Thread-safe: one thread may insert while others read.
class ObservationStore {
public:
    struct Options {
        QString path;  // SQLite file; empty keeps everything in memory only
        std::size_t memoryPerDatastream = 10000;
    };

    static Result<std::unique_ptr<ObservationStore>> open(const Options& options);
    ~ObservationStore();

    InsertCounts insert(std::span<const Observation> observations);

    std::optional<Observation> latest(const QString& datastreamId) const;
    // Observations with from <= phenomenonTime <= to, oldest first (from disk when memory
    // no longer holds them).
    std::vector<Observation> history(const QString& datastreamId, TimeMs from, TimeMs to) const;
    // The oldest stored phenomenon time (from disk when memory no longer holds it).
    std::optional<TimeMs> earliest(const QString& datastreamId) const;
    // The newest observation at or before `time` (what a replay timeline shows).
    std::optional<Observation> valueAt(const QString& datastreamId, TimeMs time) const;
    std::vector<QString> datastreamIds() const;
    std::uint64_t size(const QString& datastreamId) const;  // all stored, memory and disk
    // Increases with every insert that changed something: cheap "anything new?" polling.
    std::uint64_t revision() const;

private:
    struct Impl;
    explicit ObservationStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace ut::sensors
