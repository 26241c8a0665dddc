#pragma once

#include <atomic>

namespace ut {

// Progress and cancellation shared between a worker and the thread that watches it.
// The worker writes progress and polls isCanceled(); the watcher reads progress and may cancel.
class Feedback {
public:
    void setProgress(double fraction) { m_progress.store(fraction, std::memory_order_relaxed); }
    double progress() const { return m_progress.load(std::memory_order_relaxed); }
    void cancel() { m_canceled.store(true, std::memory_order_relaxed); }
    bool isCanceled() const { return m_canceled.load(std::memory_order_relaxed); }

private:
    std::atomic<double> m_progress{0.0};
    std::atomic<bool> m_canceled{false};
};

}  // namespace ut
