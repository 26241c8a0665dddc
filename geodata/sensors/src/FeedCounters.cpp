#include "ut/sensors/FeedCounters.h"

#include <QDebug>

namespace ut::sensors {

const char* problemName(FeedProblem problem)
{
    switch (problem) {
    case FeedProblem::MalformedPayload: return "malformed payload";
    case FeedProblem::UnknownDatastream: return "unknown datastream";
    case FeedProblem::WrongUnit: return "wrong unit";
    case FeedProblem::ClockSkew: return "clock-skewed timestamp";
    case FeedProblem::Duplicate: return "duplicate observation";
    case FeedProblem::ConnectionLost: return "connection lost";
    case FeedProblem::Count: break;
    }
    return "problem";
}

void FeedCounters::report(FeedProblem problem, const QString& detail)
{
    const auto previous = m_problems[static_cast<int>(problem)].fetch_add(1, std::memory_order_relaxed);
    if (previous == 0 && problem != FeedProblem::Duplicate) {
        qWarning().noquote() << QStringLiteral("%1: %2 (%3); further ones are counted, not logged")
                                    .arg(m_sourceName, QString::fromLatin1(problemName(problem)), detail);
    }
}

std::uint64_t FeedCounters::count(FeedProblem problem) const
{
    return m_problems[static_cast<int>(problem)].load(std::memory_order_relaxed);
}

}  // namespace ut::sensors
