#include "ut/app/SensorSession.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QStandardPaths>
#include <algorithm>
#include <limits>

#include "ut/app/ModelComparison.h"
#include "ut/sensors/CsvReplay.h"
#include "ut/sensors/FeedFactory.h"
#include "ut/sensors/ObservationStore.h"
#include "ut/sensors/SensorHub.h"
#include "ut/sensors/ThingsDocument.h"

namespace ut::app {

namespace {
constexpr sensors::TimeMs kEarliest = std::numeric_limits<sensors::TimeMs>::min();
constexpr sensors::TimeMs kLatest = std::numeric_limits<sensors::TimeMs>::max();
}  // namespace

QString defaultObservationStorePath(const Project& project) {
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/observations");
    const QByteArray key = QCryptographicHash::hash((project.filePath.isEmpty() ? project.name : project.filePath).toUtf8(),
                                                    QCryptographicHash::Sha1)
                               .toHex()
                               .left(16);
    return folder + QStringLiteral("/") + QString::fromLatin1(key) + QStringLiteral(".sqlite");
}

Result<std::unique_ptr<SensorSession>> SensorSession::start(const Project& project, const QString& storePath) {
    if (!storePath.isEmpty()) QDir().mkpath(QFileInfo(storePath).absolutePath());
    auto store = sensors::ObservationStore::open({storePath, 10000});
    if (!store) return Error{store.error()};
    std::unique_ptr<SensorSession> session(new SensorSession);
    session->m_storePath = storePath;
    session->m_staleAfterMs = project.sensors.staleAfterMinutes * 60000.0;
    session->m_store = std::move(store.value());
    session->m_hub = std::make_unique<sensors::SensorHub>(*session->m_store, sensors::SensorCatalog{}, sensors::SensorHub::Options{});
    for (const SensorFeedEntry& entry : project.sensors.feeds) {
        auto fail = [&](const std::string& why) {
            session->m_failed.push_back({entry.name, entry.source, QString::fromStdString(why), nullptr});
        };
        sensors::SensorCatalog named;
        if (!entry.catalogPath.isEmpty()) {
            auto things = sensors::readThingsFile(entry.catalogPath);
            if (!things) {
                fail(things.error());
                continue;
            }
            named = std::move(things.value());
        }
        sensors::FeedOptions options;
        options.replaySpeed = entry.speed;
        auto feed = sensors::makeFeed(entry.source, options);
        if (!feed) {
            fail(feed.error());
            continue;
        }
        // Replays run in their own time; every other feed is live.
        const bool live = dynamic_cast<const sensors::CsvReplay*>(feed.value().get()) == nullptr;
        named.merge(feed.value()->catalog());
        if (Status started = session->m_hub->addFeed(std::move(feed.value())); !started) {
            fail(started.error());
            continue;
        }
        session->m_hub->mergeCatalog(named);
        const std::size_t index = session->m_names.size();
        for (const sensors::Datastream& datastream : named.datastreams()) session->m_feedOfDatastream.insert(datastream.id, index);
        session->m_live = session->m_live || live;
        session->m_feedIsLive.push_back(live);
        session->m_names.push_back(entry.name);
    }
    session->refreshCatalog();
    return session;
}

SensorSession::~SensorSession() {
    if (m_hub) m_hub->stopAll();
}

bool SensorSession::refreshCatalog() {
    const auto& feeds = m_hub->feeds();
    for (std::size_t i = 0; i < feeds.size(); ++i) {
        const sensors::SensorCatalog learnt = feeds[i]->catalog();
        for (const sensors::Datastream& datastream : learnt.datastreams())
            if (!m_feedOfDatastream.contains(datastream.id)) m_feedOfDatastream.insert(datastream.id, i);
        m_hub->mergeCatalog(learnt);
    }
    sensors::SensorCatalog catalog = m_hub->catalog();
    if (catalog.things().size() == m_catalog.things().size() &&
        catalog.datastreams().size() == m_catalog.datastreams().size() && !m_placed.empty() == !catalog.things().empty()) {
        return false;
    }
    m_catalog = std::move(catalog);
    rebuildPlaced();
    return true;
}

void SensorSession::rebuildPlaced() {
    m_placed.clear();
    for (const sensors::Thing& thing : m_catalog.things())
        if (thing.location.isValid()) m_placed.push_back(&thing);
}

QStringList SensorSession::observedProperties() const {
    QStringList properties;
    for (const sensors::Datastream& datastream : m_catalog.datastreams()) {
        const QString& name = datastream.observedProperty.name;
        if (!name.isEmpty() && !properties.contains(name)) properties << name;
    }
    return properties;
}

const sensors::Datastream* SensorSession::datastreamOf(const QString& thingId, const QString& property) const {
    for (const sensors::Datastream* datastream : m_catalog.datastreamsOf(thingId))
        if (datastream->observedProperty.name == property) return datastream;
    return nullptr;
}

sensors::TimeMs SensorSession::clock() const {
    if (m_live) return QDateTime::currentMSecsSinceEpoch();
    sensors::TimeMs newest = 0;
    for (const sensors::Datastream& datastream : m_catalog.datastreams())
        if (const auto latest = m_store->latest(datastream.id)) newest = std::max(newest, latest->phenomenonTime);
    return newest;
}

std::vector<sensors::TimeMs> SensorSession::feedClocks() const {
    const sensors::TimeMs now = m_live ? QDateTime::currentMSecsSinceEpoch() : clock();
    std::vector<sensors::TimeMs> clocks(m_feedIsLive.size(), 0);
    for (std::size_t i = 0; i < clocks.size(); ++i)
        if (m_feedIsLive[i]) clocks[i] = now;
    for (auto it = m_feedOfDatastream.begin(); it != m_feedOfDatastream.end(); ++it) {
        if (it.value() >= clocks.size() || m_feedIsLive[it.value()]) continue;
        if (const auto latest = m_store->latest(it.key())) clocks[it.value()] = std::max(clocks[it.value()], latest->phenomenonTime);
    }
    return clocks;
}

sensors::TimeMs SensorSession::clockOf(const QString& datastreamId, const std::vector<sensors::TimeMs>& clocks) const {
    const auto feed = m_feedOfDatastream.find(datastreamId);
    if (feed == m_feedOfDatastream.end() || feed.value() >= clocks.size())
        return m_live ? QDateTime::currentMSecsSinceEpoch() : clock();
    return clocks[feed.value()];
}

std::vector<SensorReading> SensorSession::readings(const QString& property, std::optional<sensors::TimeMs> at) const {
    std::vector<SensorReading> readings(m_placed.size());
    const std::vector<sensors::TimeMs> clocks = at ? std::vector<sensors::TimeMs>{} : feedClocks();
    for (std::size_t i = 0; i < m_placed.size(); ++i) {
        const sensors::Datastream* datastream = datastreamOf(m_placed[i]->id, property);
        if (!datastream) continue;
        const auto observation = at ? m_store->valueAt(datastream->id, *at) : m_store->latest(datastream->id);
        if (!observation) continue;
        const sensors::TimeMs now = at ? *at : clockOf(datastream->id, clocks);
        readings[i] = {observation->result, observation->phenomenonTime, true,
                       static_cast<double>(now - observation->phenomenonTime) > m_staleAfterMs};
    }
    return readings;
}

std::optional<std::pair<sensors::TimeMs, sensors::TimeMs>> SensorSession::timeRange(const QString& property) const {
    std::optional<std::pair<sensors::TimeMs, sensors::TimeMs>> range;
    for (const sensors::Datastream& datastream : m_catalog.datastreams()) {
        if (datastream.observedProperty.name != property) continue;
        const auto latest = m_store->latest(datastream.id);
        if (!latest) continue;
        const sensors::TimeMs begin = m_store->earliest(datastream.id).value_or(latest->phenomenonTime);
        if (!range) range.emplace(begin, latest->phenomenonTime);
        range->first = std::min(range->first, begin);
        range->second = std::max(range->second, latest->phenomenonTime);
    }
    return range;
}

std::optional<std::pair<double, double>> SensorSession::valueRange(const QString& property) const {
    std::optional<std::pair<double, double>> range;
    for (const sensors::Datastream& datastream : m_catalog.datastreams()) {
        if (datastream.observedProperty.name != property) continue;
        for (const sensors::Observation& observation : m_store->history(datastream.id, kEarliest, kLatest)) {
            if (!range) range.emplace(observation.result, observation.result);
            range->first = std::min(range->first, observation.result);
            range->second = std::max(range->second, observation.result);
        }
    }
    return range;
}

std::vector<SensorFeedStatus> SensorSession::feeds() const {
    std::vector<SensorFeedStatus> feeds;
    const auto& running = m_hub->feeds();
    for (std::size_t i = 0; i < running.size(); ++i)
        feeds.push_back({i < m_names.size() ? m_names[i] : running[i]->description(), running[i]->description(), {}, &running[i]->counters()});
    feeds.insert(feeds.end(), m_failed.begin(), m_failed.end());
    return feeds;
}

sim::MeasuredSeries SensorSession::measuredSeries(const sensors::Datastream& datastream, sim::EntityKind kind,
                                                  std::size_t entity) const {
    sim::MeasuredSeries series;
    series.datastreamId = datastream.id;
    series.name = datastream.name;
    series.observedProperty = datastream.observedProperty.name;
    series.unitSymbol = datastream.unit.symbol;
    series.entityKind = kind;
    series.entity = entity;
    for (const sensors::Observation& observation : m_store->history(datastream.id, kEarliest, kLatest)) {
        series.timesMs.push_back(observation.phenomenonTime);
        series.values.push_back(observation.result);
    }
    return series;
}

sim::Measurements SensorSession::measurements(const CityModel& city) const {
    sim::Measurements measurements;
    for (const sensors::Thing& thing : m_catalog.things()) {
        if (thing.entity.isEmpty()) continue;
        const auto entity = resolveEntity(thing.entity, city);
        if (!entity) continue;
        for (const sensors::Datastream* datastream : m_catalog.datastreamsOf(thing.id))
            measurements.push_back(measuredSeries(*datastream, entity->first, entity->second));
    }
    return measurements;
}

std::uint64_t SensorSession::revision() const { return m_store->revision(); }

}  // namespace ut::app
