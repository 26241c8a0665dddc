#include "ut/sensors/SensorHub.h"

#include <QDateTime>

namespace ut::sensors {

class SensorHub::FeedSink : public ObservationSink {
public:
    FeedSink(SensorHub& hub, FeedSource& feed) : m_hub(hub), m_feed(feed) {}
    void deliver(std::vector<IncomingObservation> batch) override { m_hub.accept(m_feed, std::move(batch)); }

private:
    SensorHub& m_hub;
    FeedSource& m_feed;
};

SensorHub::SensorHub(ObservationStore& store, SensorCatalog catalog, Options options)
    : m_store(store), m_catalog(std::move(catalog)), m_options(options) {}

SensorHub::~SensorHub() {
    stopAll();
}

Status SensorHub::addFeed(std::unique_ptr<FeedSource> feed) {
    if (!feed) return Error{"no feed to add"};
    {
        std::lock_guard<std::mutex> lock(m_catalogMutex);
        m_catalog.merge(feed->catalog());
    }
    auto sink = std::make_unique<FeedSink>(*this, *feed);
    Status started = feed->start(*sink);
    if (!started) {
        feed->stop();
        return started;
    }
    m_sinks.push_back(std::move(sink));
    m_feeds.push_back(std::move(feed));
    return {};
}

void SensorHub::stopAll() {
    for (auto& feed : m_feeds) feed->stop();
}

void SensorHub::mergeCatalog(const SensorCatalog& catalog) {
    std::lock_guard<std::mutex> lock(m_catalogMutex);
    m_catalog.merge(catalog);
}

SensorCatalog SensorHub::catalog() const {
    std::lock_guard<std::mutex> lock(m_catalogMutex);
    return m_catalog;
}

void SensorHub::accept(FeedSource& feed, std::vector<IncomingObservation> batch) {
    FeedCounters& counters = feed.counters();
    std::vector<Observation> valid;
    valid.reserve(batch.size());
    const TimeMs now = QDateTime::currentMSecsSinceEpoch();
    {
        std::lock_guard<std::mutex> lock(m_catalogMutex);
        bool askedFeed = false;
        for (IncomingObservation& incoming : batch) {
            const Observation& observation = incoming.observation;
            const Datastream* datastream = m_catalog.datastream(observation.datastreamId);
            if (!datastream && !askedFeed) {
                // The feed may have learnt its catalogue after it was added (SensorThings).
                askedFeed = true;
                m_catalog.merge(feed.catalog());
                datastream = m_catalog.datastream(observation.datastreamId);
            }
            if (!datastream && !m_options.acceptUnknownDatastreams) {
                counters.report(FeedProblem::UnknownDatastream, observation.datastreamId);
                continue;
            }
            if (datastream && !incoming.unitSymbol.isEmpty() &&
                incoming.unitSymbol != datastream->unit.symbol) {
                counters.report(
                    FeedProblem::WrongUnit,
                    QStringLiteral("%1 in %2, expected %3")
                        .arg(observation.datastreamId, incoming.unitSymbol, datastream->unit.symbol));
                continue;
            }
            const TimeMs receivedAt = incoming.receivedAt != 0 ? incoming.receivedAt : now;
            if (observation.phenomenonTime > receivedAt + m_options.maxFutureSkew) {
                counters.report(
                    FeedProblem::ClockSkew,
                    QStringLiteral("%1 at %2, received %3")
                        .arg(observation.datastreamId,
                             QDateTime::fromMSecsSinceEpoch(observation.phenomenonTime, Qt::UTC)
                                 .toString(Qt::ISODate),
                             QDateTime::fromMSecsSinceEpoch(receivedAt, Qt::UTC).toString(Qt::ISODate)));
                continue;
            }
            valid.push_back(std::move(incoming.observation));
        }
    }
    if (valid.empty()) return;
    const InsertCounts stored = m_store.insert(valid);
    counters.addAccepted(stored.inserted);
    for (std::uint64_t i = 0; i < stored.duplicates; ++i)
        counters.report(FeedProblem::Duplicate, QStringLiteral("same datastream and phenomenon time"));
}

}  // namespace ut::sensors
