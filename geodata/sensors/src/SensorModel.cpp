#include "ut/sensors/SensorModel.h"

namespace ut::sensors {

void SensorCatalog::addThing(Thing thing)
{
    auto found = m_thingIndex.find(thing.id);
    if (found != m_thingIndex.end()) {
        m_things[found.value()] = std::move(thing);
        return;
    }
    m_thingIndex.insert(thing.id, m_things.size());
    m_things.push_back(std::move(thing));
}

void SensorCatalog::addDatastream(Datastream datastream)
{
    auto found = m_datastreamIndex.find(datastream.id);
    if (found != m_datastreamIndex.end()) {
        m_datastreams[found.value()] = std::move(datastream);
        return;
    }
    m_datastreamIndex.insert(datastream.id, m_datastreams.size());
    m_datastreams.push_back(std::move(datastream));
}

void SensorCatalog::merge(const SensorCatalog& other)
{
    for (const Thing& thing : other.m_things)
        addThing(thing);
    for (const Datastream& datastream : other.m_datastreams)
        addDatastream(datastream);
}

const Thing* SensorCatalog::thing(const QString& id) const
{
    auto found = m_thingIndex.find(id);
    return found == m_thingIndex.end() ? nullptr : &m_things[found.value()];
}

const Datastream* SensorCatalog::datastream(const QString& id) const
{
    auto found = m_datastreamIndex.find(id);
    return found == m_datastreamIndex.end() ? nullptr : &m_datastreams[found.value()];
}

std::vector<const Datastream*> SensorCatalog::datastreamsOf(const QString& thingId) const
{
    std::vector<const Datastream*> result;
    for (const Datastream& datastream : m_datastreams) {
        if (datastream.thingId == thingId)
            result.push_back(&datastream);
    }
    return result;
}

}  // namespace ut::sensors
