#pragma once

#include <QString>

#include <array>
#include <atomic>
#include <cstdint>

namespace ut::sensors {

// What can go wrong with a feed. Each kind is counted, and logged once per source.
enum class FeedProblem {
    MalformedPayload,
    UnknownDatastream,
    WrongUnit,
    ClockSkew,
    Duplicate,
    ConnectionLost,
    Count
};

const char* problemName(FeedProblem problem);

// Thread-safe counters a feed and the hub share; readers see a consistent-enough snapshot.
class FeedCounters {
public:
    explicit FeedCounters(QString sourceName = {}) : m_sourceName(std::move(sourceName)) {}

    void addReceived(std::uint64_t n = 1) { m_received.fetch_add(n, std::memory_order_relaxed); }
    void addAccepted(std::uint64_t n = 1) { m_accepted.fetch_add(n, std::memory_order_relaxed); }
    // Counts the problem; logs it (qWarning, one line naming the source) the first time.
    void report(FeedProblem problem, const QString& detail);

    std::uint64_t received() const { return m_received.load(std::memory_order_relaxed); }
    std::uint64_t accepted() const { return m_accepted.load(std::memory_order_relaxed); }
    std::uint64_t count(FeedProblem problem) const;
    const QString& sourceName() const { return m_sourceName; }

private:
    QString m_sourceName;
    std::atomic<std::uint64_t> m_received{0};
    std::atomic<std::uint64_t> m_accepted{0};
    std::array<std::atomic<std::uint64_t>, static_cast<int>(FeedProblem::Count)> m_problems{};
};

}  // namespace ut::sensors
