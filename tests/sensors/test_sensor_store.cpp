// The observation store, the sensor hub's checks, CSV replay of the real sensor files (excerpts in
// tests/data/sensors/csv) and the model-versus-measurement statistics.
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <chrono>
#include <cmath>
#include <thread>

#include "TestSupport.h"
#include "ut/sensors/CsvReplay.h"
#include "ut/sensors/ObservationStore.h"
#include "ut/sensors/SensorHub.h"
#include "ut/sim/ModelFit.h"

using namespace ut::sensors;

namespace {

constexpr TimeMs kHour = 3600 * 1000;

TimeMs utc(const char* iso) {
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toMSecsSinceEpoch();
}

std::unique_ptr<ObservationStore> openStore(const QString& path, std::size_t memory = 10000) {
    auto store = ObservationStore::open({path, memory});
    if (!store) qFatal("%s", store.error().c_str());
    return std::move(store.value());
}

std::vector<TimeMs> timesOf(const std::vector<Observation>& observations) {
    std::vector<TimeMs> times;
    for (const Observation& observation : observations) times.push_back(observation.phenomenonTime);
    return times;
}

QString csvPath(const QString& name) {
    return ut::test::sourcePath(QStringLiteral("tests/data/sensors/csv/") + name);
}

CsvTable readMapped(const QString& mappingName) {
    auto mapping = CsvMapping::load(csvPath(mappingName));
    if (!mapping) qFatal("%s", mapping.error().c_str());
    auto table = readCsv(mapping.value());
    if (!table) qFatal("%s", table.error().c_str());
    return std::move(table.value());
}

std::vector<Observation> of(const CsvTable& table, const QString& datastreamId) {
    std::vector<Observation> selected;
    for (const Observation& observation : table.observations) {
        if (observation.datastreamId == datastreamId) selected.push_back(observation);
    }
    return selected;
}

// A feed the test drives by hand.
class ManualFeed : public FeedSource {
public:
    explicit ManualFeed(SensorCatalog catalog)
        : m_catalog(std::move(catalog)), m_counters(QStringLiteral("manual")) {}
    QString description() const override { return QStringLiteral("manual"); }
    SensorCatalog catalog() const override { return m_catalog; }
    ut::Status start(ObservationSink& sink) override {
        sink_ = &sink;
        return {};
    }
    void stop() override {}
    FeedCounters& counters() override { return m_counters; }
    ObservationSink* sink_ = nullptr;

private:
    SensorCatalog m_catalog;
    FeedCounters m_counters;
};

// Collects what a replay delivers, with the wall-clock time of each batch.
class CollectingSink : public ObservationSink {
public:
    void deliver(std::vector<IncomingObservation> batch) override {
        std::lock_guard<std::mutex> lock(mutex);
        for (IncomingObservation& incoming : batch) observations.push_back(incoming.observation);
    }
    std::mutex mutex;
    std::vector<Observation> observations;
};

// Writes a synthetic CSV (one value per minute) and its mapping; returns the mapping's path.
QString writeMinuteSeries(const QString& folder, int minutes) {
    QFile csv(folder + QStringLiteral("/minutes.csv"));
    if (!csv.open(QIODevice::WriteOnly)) qFatal("cannot write the CSV");
    csv.write("time,value\n");
    for (int m = 0; m < minutes; ++m)
        csv.write(QStringLiteral("2024-05-01 %1:%2,%3\n")
                      .arg(m / 60, 2, 10, QLatin1Char('0'))
                      .arg(m % 60, 2, 10, QLatin1Char('0'))
                      .arg(m)
                      .toUtf8());
    csv.close();
    QFile mapping(folder + QStringLiteral("/minutes.mapping.json"));
    if (!mapping.open(QIODevice::WriteOnly)) qFatal("cannot write the mapping");
    mapping.write(
        R"({"file": "minutes.csv", "time": {"column": "time", "format": "yyyy-MM-dd HH:mm", "timeZone": "UTC"},
                     "thing": {"id": "t", "longitude": 127.1, "latitude": 37.5},
                     "datastreams": [{"column": "value", "id": "t/value", "unit": {"symbol": "1"}}]})");
    return mapping.fileName();
}

}  // namespace

class TestSensorStore : public QObject {
    Q_OBJECT

private slots:
    void outOfOrderAndLateObservationsLandInOrder();
    void duplicatesAreDropped();
    void memoryIsBoundedButHistoryComesFromDisk();
    void reopeningRestoresEverything();
    void readersRunBesideAWriter();
    void hubCountsUnknownWrongUnitAndSkewed();
    void csvSeoulBikesCp1252();
    void csvAirQualityDecimalCommaAndMissing();
    void csvMetroTrafficDuplicatesAndNamedZone();
    void csvSeoulHourly24hAndDash();
    void csvSeoulDailyCp949Stations();
    void csvTimeFormats();
    void demoSensorFilesRead();
    void replayKeepsTimeAtSpeed();
    void replayStopsPromptly();
    void replayAtFullSpeedThroughTheHub();
    void recordingReplaysWithoutMapping();
    void brokenInputGivesOneClearError();
    void calibrationStatistics();
    void gehStatistic();
    void pairingByTime();
};

void TestSensorStore::outOfOrderAndLateObservationsLandInOrder() {
    auto store = openStore({});
    const QString id = QStringLiteral("a");
    const std::vector<Observation> batch{{id, 3000, 3.0}, {id, 1000, 1.0}, {id, 2000, 2.0}};
    QCOMPARE(store->insert(batch).inserted, 3u);
    const std::vector<Observation> late{{id, 500, 0.5}, {id, 2500, 2.5}};
    QCOMPARE(store->insert(late).inserted, 2u);
    QCOMPARE(timesOf(store->history(id, 0, 10000)), (std::vector<TimeMs>{500, 1000, 2000, 2500, 3000}));
    QCOMPARE(store->latest(id)->result, 3.0);
    QCOMPARE(store->valueAt(id, 2400)->result, 2.0);
    QVERIFY(!store->valueAt(id, 499));
    QCOMPARE(timesOf(store->history(id, 1000, 2500)), (std::vector<TimeMs>{1000, 2000, 2500}));
}

void TestSensorStore::duplicatesAreDropped() {
    QTemporaryDir folder;
    for (const QString& path : {QString(), folder.filePath(QStringLiteral("obs.sqlite"))}) {
        auto store = openStore(path);
        const QString id = QStringLiteral("a");
        const std::vector<Observation> batch{{id, 1000, 1.0}, {id, 2000, 2.0}, {id, 1000, 9.0}};
        InsertCounts counts = store->insert(batch);
        QCOMPARE(counts.inserted, 2u);
        QCOMPARE(counts.duplicates, 1u);
        const std::uint64_t revision = store->revision();
        counts = store->insert(std::vector<Observation>{{id, 2000, 7.0}});
        QCOMPARE(counts.duplicates, 1u);
        QCOMPARE(store->revision(), revision);
        QCOMPARE(store->size(id), 2u);
        QCOMPARE(store->valueAt(id, 1000)->result, 1.0);  // the first one stays
    }
}

void TestSensorStore::memoryIsBoundedButHistoryComesFromDisk() {
    QTemporaryDir folder;
    auto store = openStore(folder.filePath(QStringLiteral("obs.sqlite")), 10);
    const QString id = QStringLiteral("a");
    std::vector<Observation> batch;
    for (int i = 0; i < 100; ++i) batch.push_back({id, i * kHour, double(i)});
    QCOMPARE(store->insert(batch).inserted, 100u);
    QCOMPARE(store->size(id), 100u);
    const auto all = store->history(id, 0, 99 * kHour);
    QCOMPARE(all.size(), 100u);
    QCOMPARE(all[42].result, 42.0);
    QCOMPARE(store->valueAt(id, 5 * kHour + 1)->result, 5.0);
    // A late observation far older than memory holds, then its duplicate.
    QCOMPARE(store->insert(std::vector<Observation>{{id, -kHour, -1.0}}).inserted, 1u);
    QCOMPARE(store->insert(std::vector<Observation>{{id, -kHour, -2.0}}).duplicates, 1u);
    QCOMPARE(store->insert(std::vector<Observation>{{id, 3 * kHour, 0.0}}).duplicates, 1u);
    QCOMPARE(store->history(id, -kHour, 0).front().result, -1.0);
    QCOMPARE(store->earliest(id), std::optional<TimeMs>(-kHour));  // from disk: memory holds the newest 10
    QCOMPARE(store->size(id), 101u);
    QCOMPARE(store->latest(id)->result, 99.0);

    // Without a file, memory is all there is.
    auto memoryOnly = openStore({}, 10);
    memoryOnly->insert(batch);
    QCOMPARE(memoryOnly->size(id), 10u);
    QCOMPARE(memoryOnly->history(id, 0, 99 * kHour).front().result, 90.0);
    QCOMPARE(memoryOnly->earliest(id), std::optional<TimeMs>(90 * kHour));
    QVERIFY(!memoryOnly->earliest(QStringLiteral("none")));
}

void TestSensorStore::reopeningRestoresEverything() {
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("sub/obs.sqlite"));
    std::vector<Observation> batch;
    for (int i = 0; i < 3000; ++i)
        batch.push_back({QStringLiteral("ds%1").arg(i % 3), (i / 3) * kHour, i * 0.5});
    {
        auto store = openStore(path, 100);
        for (std::size_t start = 0; start < batch.size(); start += 250)
            store->insert(std::span<const Observation>(batch).subspan(start, 250));
    }
    auto store = openStore(path, 100);
    QCOMPARE(store->datastreamIds(),
             (std::vector<QString>{QStringLiteral("ds0"), QStringLiteral("ds1"), QStringLiteral("ds2")}));
    for (int d = 0; d < 3; ++d) {
        const QString id = QStringLiteral("ds%1").arg(d);
        QCOMPARE(store->size(id), 1000u);
        QCOMPARE(store->latest(id)->phenomenonTime, 999 * kHour);
        QCOMPARE(store->latest(id)->result, (2997 + d) * 0.5);
        const auto history = store->history(id, 0, 999 * kHour);
        QCOMPARE(history.size(), 1000u);
        QCOMPARE(history[10].result, (30 + d) * 0.5);
    }
    QCOMPARE(store->insert(batch).duplicates, 3000u);
}

void TestSensorStore::readersRunBesideAWriter() {
    QTemporaryDir folder;
    auto store = openStore(folder.filePath(QStringLiteral("obs.sqlite")), 500);
    std::atomic<bool> done{false};
    std::thread writer([&] {
        std::vector<Observation> batch;
        for (int b = 0; b < 50; ++b) {
            batch.clear();
            for (int i = 0; i < 200; ++i)
                batch.push_back({QStringLiteral("w"), (b * 200 + i) * 1000LL, double(i)});
            store->insert(batch);
        }
        done = true;
    });
    std::uint64_t reads = 0;
    bool ordered = true;
    while (!done) {
        const auto history = store->history(QStringLiteral("w"), 0, 5000 * 1000LL);
        for (std::size_t i = 1; i < history.size(); ++i)
            ordered = ordered && history[i - 1].phenomenonTime < history[i].phenomenonTime;
        store->latest(QStringLiteral("w"));
        ++reads;
    }
    writer.join();
    QVERIFY(ordered);
    QCOMPARE(store->size(QStringLiteral("w")), 10000u);
    QVERIFY(reads > 0);
}

void TestSensorStore::hubCountsUnknownWrongUnitAndSkewed() {
    auto store = openStore({});
    SensorCatalog catalog;
    Thing thing;
    thing.id = QStringLiteral("t");
    thing.location = {127.1, 37.5};
    catalog.addThing(thing);
    Datastream temperature;
    temperature.id = QStringLiteral("temp");
    temperature.thingId = thing.id;
    temperature.unit.symbol = QStringLiteral("°C");
    catalog.addDatastream(temperature);
    SensorHub hub(*store, {}, {});
    auto feed = std::make_unique<ManualFeed>(catalog);
    ManualFeed& manual = *feed;
    QVERIFY(hub.addFeed(std::move(feed)).ok());
    QVERIFY(hub.catalog().datastream(QStringLiteral("temp")));
    const TimeMs now = utc("2024-05-01T09:00:00Z");
    std::vector<IncomingObservation> batch{
        {{QStringLiteral("temp"), now - 1000, 21.5}, QStringLiteral("°C"), now},
        {{QStringLiteral("temp"), now - 2000, 21.0}, QString(), now},
        {{QStringLiteral("nope"), now, 1.0}, QString(), now},
        {{QStringLiteral("temp"), now, 294.0}, QStringLiteral("K"), now},
        {{QStringLiteral("temp"), now + 3600 * 1000, 22.0}, QString(), now},
        {{QStringLiteral("temp"), now + 60 * 1000, 22.0}, QString(), now},  // within the 5 min allowed
        {{QStringLiteral("temp"), now - 1000, 21.5}, QString(), now},
    };
    manual.sink_->deliver(batch);
    const FeedCounters& counters = manual.counters();
    QCOMPARE(counters.accepted(), 3u);
    QCOMPARE(counters.count(FeedProblem::UnknownDatastream), 1u);
    QCOMPARE(counters.count(FeedProblem::WrongUnit), 1u);
    QCOMPARE(counters.count(FeedProblem::ClockSkew), 1u);
    QCOMPARE(counters.count(FeedProblem::Duplicate), 1u);
    QCOMPARE(store->size(QStringLiteral("temp")), 3u);
    QVERIFY(!store->latest(QStringLiteral("nope")));
}

void TestSensorStore::csvSeoulBikesCp1252() {
    const CsvTable table = readMapped(QStringLiteral("SeoulBikeData_excerpt.mapping.json"));
    QCOMPARE(table.rows, 200u);
    QCOMPARE(table.malformedRows, 0u);
    QCOMPARE(table.observations.size(), 600u);
    // The "°" of "Temperature(°C)" is byte 0xB0 in the file: the column was found, so it decoded.
    const auto temperature = of(table, QStringLiteral("seoul-bike/temperature"));
    QCOMPARE(temperature.size(), 200u);
    QCOMPARE(temperature.front().phenomenonTime, utc("2017-11-30T15:00:00Z"));  // 01/12/2017 0h KST
    QCOMPARE(temperature.front().result, -5.2);
    const auto rentals = of(table, QStringLiteral("seoul-bike/rentals"));
    QCOMPARE(rentals[1].result, 204.0);
    QCOMPARE(rentals[1].phenomenonTime - rentals[0].phenomenonTime, kHour);
    QCOMPARE(table.catalog.datastream(QStringLiteral("seoul-bike/temperature"))->unit.symbol,
             QStringLiteral("°C"));
    QVERIFY(table.catalog.thing(QStringLiteral("seoul-bike"))->location.isValid());
}

void TestSensorStore::csvAirQualityDecimalCommaAndMissing() {
    const CsvTable table = readMapped(QStringLiteral("AirQualityUCI_excerpt.mapping.json"));
    QCOMPARE(table.rows, 200u);  // the trailing ";;;" lines are not rows
    QCOMPARE(table.malformedRows, 0u);
    QCOMPARE(table.missingValues, 18u);  // -200 in CO(GT) 9 times and in NO2(GT) 9 times
    QCOMPARE(table.observations.size(), 200u * 4 - 18);
    const auto co = of(table, QStringLiteral("uci-airquality/co"));
    QCOMPARE(co.front().result, 2.6);
    QCOMPARE(co.front().phenomenonTime, utc("2004-03-10T17:00:00Z"));  // 18.00.00 at +01:00
    QCOMPARE(of(table, QStringLiteral("uci-airquality/absolute-humidity")).front().result, 0.7578);
    for (const Observation& observation : table.observations) QVERIFY(observation.result != -200.0);
}

void TestSensorStore::csvMetroTrafficDuplicatesAndNamedZone() {
    const CsvTable table = readMapped(QStringLiteral("Metro_Interstate_Traffic_Volume_excerpt.mapping.json"));
    QCOMPARE(table.rows, 300u);
    const auto volume = of(table, QStringLiteral("mndot-atr-301/volume"));
    QCOMPARE(volume.front().phenomenonTime, utc("2012-10-02T14:00:00Z"));  // 09:00 CDT
    QCOMPARE(volume.front().result, 5545.0);
    QCOMPARE(of(table, QStringLiteral("mndot-atr-301/temperature")).front().result, 288.28);
    auto store = openStore({});
    const InsertCounts counts = store->insert(table.observations);
    QCOMPARE(counts.duplicates, 2u * 17);  // 300 rows over 283 distinct hours, two datastreams
    QCOMPARE(store->size(QStringLiteral("mndot-atr-301/volume")), 283u);
}

void TestSensorStore::csvSeoulHourly24hAndDash() {
    const CsvTable table = readMapped(QStringLiteral("seoul-air_hourly_excerpt.mapping.json"));
    QCOMPARE(table.rows, 120u);
    QCOMPARE(table.missingValues, 1u);  // the one "-" CO cell
    QCOMPARE(table.observations.size(), 120u * 6 - 1);
    const auto pm25 = of(table, QStringLiteral("seoul-average/pm25"));
    // "2019-08-01 24:00" KST is 2019-08-02 00:00 KST.
    QCOMPARE(pm25[23].phenomenonTime, utc("2019-08-01T15:00:00Z"));
    QCOMPARE(pm25[23].result, 12.0);
    QCOMPARE(pm25[23].phenomenonTime - pm25[22].phenomenonTime, kHour);
    QCOMPARE(of(table, QStringLiteral("seoul-average/co")).size(), 119u);
    auto store = openStore({});
    QCOMPARE(store->insert(table.observations).duplicates, 24u * 6);  // 2019-12-01 appears twice
}

void TestSensorStore::csvSeoulDailyCp949Stations() {
    const CsvTable table =
        readMapped(QStringLiteral("seoul-air_daily_by_station_2022_cp949_excerpt.mapping.json"));
    QCOMPARE(table.rows, 300u);
    QCOMPARE(table.catalog.things().size(), 50u);
    QCOMPARE(table.catalog.datastreams().size(), 150u);
    QCOMPARE(table.missingValues, 2u);  // 남산 on 2022-01-06 has no PM10 and no PM2.5
    QCOMPARE(table.observations.size(), 300u * 3 - 2);
    const Thing* gangnam = table.catalog.thing(QStringLiteral("seoul-station/강남구"));
    QVERIFY(gangnam);
    QCOMPARE(gangnam->name, QStringLiteral("강남구"));
    QVERIFY(gangnam->location.isValid());
    QVERIFY(!table.catalog.thing(QStringLiteral("seoul-station/종로구"))->location.isValid());
    const Datastream* no2 = table.catalog.datastream(QStringLiteral("seoul-station/강남구/no2"));
    QVERIFY(no2);
    QCOMPARE(no2->name, QStringLiteral("강남구 NO2"));
    const auto gangnamNo2 = of(table, QStringLiteral("seoul-station/강남구/no2"));
    QCOMPARE(gangnamNo2.size(), 6u);
    QCOMPARE(gangnamNo2.front().result, 0.029);
    QCOMPARE(gangnamNo2.front().phenomenonTime, utc("2021-12-31T15:00:00Z"));
}

void TestSensorStore::csvTimeFormats() {
    QCOMPARE(*parseCsvTime(u"2018-01-01 24:00", u"yyyy-MM-dd HH:mm", 9 * kHour), utc("2018-01-01T15:00:00Z"));
    QCOMPARE(*parseCsvTime(u"2020-02-28 24:00", u"yyyy-MM-dd HH:mm", 0), utc("2020-02-29T00:00:00Z"));
    QCOMPARE(*parseCsvTime(u"2022-12-31 24:00", u"yyyy-MM-dd HH:mm", 0), utc("2023-01-01T00:00:00Z"));
    QCOMPARE(*parseCsvTime(u"20220101", u"yyyyMMdd", 0), utc("2022-01-01T00:00:00Z"));
    QCOMPARE(*parseCsvTime(u"10/03/2004 18.00.00", u"dd/MM/yyyy HH.mm.ss", 0), utc("2004-03-10T18:00:00Z"));
    QCOMPARE(*parseCsvTime(u"01/12/2017 7", u"dd/MM/yyyy H", 0), utc("2017-12-01T07:00:00Z"));
    QVERIFY(!parseCsvTime(u"2018-01-01 24:30", u"yyyy-MM-dd HH:mm", 0));
    QVERIFY(!parseCsvTime(u"2018-02-30 01:00", u"yyyy-MM-dd HH:mm", 0));
    QVERIFY(!parseCsvTime(u"2018-01-01", u"yyyy-MM-dd HH:mm", 0));
    QVERIFY(!parseCsvTime(u"garbage", u"yyyyMMdd", 0));
}

void TestSensorStore::demoSensorFilesRead() {
    for (const char* name : {"seoul-air_hourly_2022-03.mapping.json", "seoul-bikes_2018-06.mapping.json"}) {
        auto replay = CsvReplay::open(
            ut::test::sourcePath(QStringLiteral("data/demo/sensors/") + QLatin1String(name)), {0.0, 1000});
        QVERIFY2(replay, replay ? "" : replay.error().c_str());
        const CsvTable& table = replay.value()->table();
        QCOMPARE(table.rows, 672u);  // four weeks, hourly
        QCOMPARE(table.malformedRows, 0u);
        QCOMPARE(table.catalog.things().size(), 1u);
        QVERIFY(table.catalog.things().front().location.isValid());
        QCOMPARE(table.observations.back().phenomenonTime - table.observations.front().phenomenonTime,
                 671 * kHour);
    }
}

void TestSensorStore::replayKeepsTimeAtSpeed() {
    QTemporaryDir folder;
    // Two hours of data at 7200× take one second.
    auto replay = CsvReplay::open(writeMinuteSeries(folder.path(), 121), {7200.0, 1000});
    QVERIFY2(replay, replay ? "" : replay.error().c_str());
    CollectingSink sink;
    QElapsedTimer clock;
    clock.start();
    QVERIFY(replay.value()->start(sink).ok());
    QVERIFY(replay.value()->waitUntilFinished(10000));
    const double seconds = clock.elapsed() / 1000.0;
    QVERIFY2(seconds > 0.95 && seconds < 1.6, qPrintable(QStringLiteral("took %1 s").arg(seconds)));
    QVERIFY(replay.value()->finished());
    QCOMPARE(sink.observations.size(), 121u);
    QCOMPARE(replay.value()->counters().received(), 121u);
    QVERIFY(replay.value()->description().contains(QStringLiteral("7200")));
}

void TestSensorStore::replayStopsPromptly() {
    QTemporaryDir folder;
    auto replay =
        CsvReplay::open(writeMinuteSeries(folder.path(), 600), {1.0, 1000});  // ten hours in real time
    QVERIFY(replay);
    CollectingSink sink;
    QVERIFY(replay.value()->start(sink).ok());
    QTest::qWait(150);
    QElapsedTimer clock;
    clock.start();
    replay.value()->stop();
    QVERIFY2(clock.elapsed() < 250, qPrintable(QStringLiteral("stop took %1 ms").arg(clock.elapsed())));
    QCOMPARE(sink.observations.size(), 1u);
    QVERIFY(!replay.value()->finished());
}

void TestSensorStore::replayAtFullSpeedThroughTheHub() {
    QTemporaryDir folder;
    auto store = openStore(folder.filePath(QStringLiteral("obs.sqlite")), 50);
    auto replay = CsvReplay::open(csvPath(QStringLiteral("seoul-air_hourly_excerpt.csv")), {0.0, 100});
    QVERIFY2(replay, replay ? "" : replay.error().c_str());
    CsvReplay* source = replay.value().get();
    SensorHub hub(*store, {}, {});
    QVERIFY(hub.addFeed(std::move(replay.value())).ok());
    QVERIFY(source->waitUntilFinished(10000));
    QCOMPARE(source->delivered(), 719u);
    QCOMPARE(source->counters().accepted(), 719u - 24 * 6);
    QCOMPARE(source->counters().count(FeedProblem::Duplicate), 24u * 6);
    QCOMPARE(store->size(QStringLiteral("seoul-average/pm25")), 96u);
    QCOMPARE(store->history(QStringLiteral("seoul-average/pm25"), 0, utc("2030-01-01T00:00:00Z")).size(),
             96u);
    QVERIFY(hub.catalog().thing(QStringLiteral("seoul-average")));
}

void TestSensorStore::recordingReplaysWithoutMapping() {
    QTemporaryDir folder;
    QFile csv(folder.filePath(QStringLiteral("recorded.csv")));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write(
        "datastream,phenomenon_time,result\nv1/7,2024-05-01T09:00:00.000Z,1.5\nv1/"
        "7,2024-05-01T09:00:01.000Z,2.5\nother,2024-05-01T09:00:00.500Z,3\n");
    csv.close();
    auto replay = CsvReplay::open(csv.fileName(), {0.0, 1000});
    QVERIFY2(replay, replay ? "" : replay.error().c_str());
    const CsvTable& table = replay.value()->table();
    QCOMPARE(table.observations.size(), 3u);
    QCOMPARE(table.observations[1].datastreamId, QStringLiteral("other"));
    QCOMPARE(table.observations[2].phenomenonTime, utc("2024-05-01T09:00:01Z"));
    QVERIFY(table.catalog.datastream(QStringLiteral("v1/7")));
}

void TestSensorStore::brokenInputGivesOneClearError() {
    QTemporaryDir folder;
    const QString mappingPath = writeMinuteSeries(folder.path(), 5);
    auto mapping = CsvMapping::load(mappingPath);
    QVERIFY(mapping);

    CsvMapping missingFile = mapping.value();
    missingFile.file = folder.filePath(QStringLiteral("absent.csv"));
    auto result = readCsv(missingFile);
    QVERIFY(!result);
    QVERIFY2(QString::fromStdString(result.error()).contains(QStringLiteral("absent.csv")),
             result.error().c_str());

    CsvMapping wrongColumn = mapping.value();
    wrongColumn.columns[0].column = QStringLiteral("valeur");
    result = readCsv(wrongColumn);
    QVERIFY(!result);
    QVERIFY2(QString::fromStdString(result.error()).contains(QStringLiteral("minutes.csv")) &&
                 QString::fromStdString(result.error()).contains(QStringLiteral("valeur")),
             result.error().c_str());

    QFile garbage(folder.filePath(QStringLiteral("garbage.csv")));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write("time,value\n\x01\x02\xff\xfe,zz\nnot a time,1\n2024-05-01 00:00,oops\n");
    garbage.close();
    CsvMapping garbled = mapping.value();
    garbled.file = garbage.fileName();
    FeedCounters counters(QStringLiteral("garbage.csv"));
    result = readCsv(garbled, &counters);
    QVERIFY(!result);
    QVERIFY2(QString::fromStdString(result.error()).contains(QStringLiteral("garbage.csv")),
             result.error().c_str());
    QCOMPARE(counters.count(FeedProblem::MalformedPayload), 3u);

    // Some bad rows among good ones are counted, not fatal.
    QFile mixed(folder.filePath(QStringLiteral("mixed.csv")));
    QVERIFY(mixed.open(QIODevice::WriteOnly));
    mixed.write("time,value\n2024-05-01 00:00,1\nnot a time,1\n2024-05-01 00:01\n2024-05-01 00:02,3\n");
    mixed.close();
    garbled.file = mixed.fileName();
    result = readCsv(garbled);
    QVERIFY(result);
    QCOMPARE(result->observations.size(), 2u);
    QCOMPARE(result->malformedRows, 2u);

    QFile badJson(folder.filePath(QStringLiteral("bad.mapping.json")));
    QVERIFY(badJson.open(QIODevice::WriteOnly));
    badJson.write(
        R"({"file": "minutes.csv", "encoding": "KLINGON", "time": {"column": "time", "format": "yyyy"}, "thing": {"id": "t"},
                     "datastreams": [{"column": "value", "id": "v"}]})");
    badJson.close();
    auto loaded = CsvMapping::load(badJson.fileName());
    QVERIFY(!loaded);
    QVERIFY2(QString::fromStdString(loaded.error()).contains(QStringLiteral("bad.mapping.json")) &&
                 QString::fromStdString(loaded.error()).contains(QStringLiteral("KLINGON")),
             loaded.error().c_str());

    auto noMapping = CsvReplay::open(garbage.fileName(), {});
    QVERIFY(!noMapping);
    QVERIFY2(QString::fromStdString(noMapping.error()).contains(QStringLiteral("garbage.csv")),
             noMapping.error().c_str());
}

void TestSensorStore::calibrationStatistics() {
    using namespace ut::sim;
    // measured 10, 12, 14, 16; simulated 11, 11, 15, 13: errors m − s = −1, 1, −1, 3.
    const std::vector<double> measured{10, 12, 14, 16}, simulated{11, 11, 15, 13};
    const auto fit = calibrationFit(measured, simulated);  // p = 1
    QVERIFY(fit);
    QCOMPARE(fit->measuredMean, 13.0);
    // Σe² = 12, n − p = 3: sqrt(4) = 2, / 13 = 15.3846 %. Σe = 2: 2 / (3 · 13) = 5.1282 %.
    QVERIFY(std::abs(fit->cvRmsePercent - 100.0 * 2.0 / 13.0) < 1e-9);
    QVERIFY(std::abs(fit->nmbePercent - 100.0 * 2.0 / 39.0) < 1e-9);
    QVERIFY(meetsGuideline14(*fit, DataInterval::Hourly));
    QVERIFY(!meetsGuideline14(*fit, DataInterval::Monthly));  // 15.4 % > 15 %
    const auto plain = calibrationFit(measured, simulated, 0);
    QVERIFY(std::abs(plain->cvRmsePercent - 100.0 * std::sqrt(3.0) / 13.0) < 1e-9);
    QVERIFY(std::abs(plain->nmbePercent - 100.0 * 0.5 / 13.0) < 1e-9);
    QVERIFY(!calibrationFit(std::vector<double>{1.0}, std::vector<double>{1.0}));
    QVERIFY(!calibrationFit(measured, std::vector<double>{1.0, 2.0}));
    QCOMPARE(guideline14Limits(DataInterval::Monthly).nmbePercent, 5.0);
}

void TestSensorStore::gehStatistic() {
    using namespace ut::sim;
    // M = 1100, C = 1000: sqrt(2 · 100² / 2100) = 3.086.
    QVERIFY(std::abs(geh(1100, 1000) - std::sqrt(20000.0 / 2100.0)) < 1e-12);
    QVERIFY(std::abs(geh(150, 100) - std::sqrt(5000.0 / 250.0)) < 1e-12);  // 4.47
    QCOMPARE(geh(0, 0), 0.0);
    std::vector<double> counted, modelled;
    for (int i = 0; i < 20; ++i) {
        counted.push_back(1000);
        modelled.push_back(i < 17 ? 1100 : 1300);  // GEH 3.1 ×17, 8.8 ×3
    }
    GehSummary summary = gehSummary(counted, modelled);
    QCOMPARE(summary.belowFive, 17u);
    QCOMPARE(summary.shareBelowFive, 0.85);
    QVERIFY(summary.acceptable);
    modelled[16] = 1300;
    summary = gehSummary(counted, modelled);
    QVERIFY(!summary.acceptable);
    QVERIFY(std::abs(summary.maximum - std::sqrt(2.0 * 300 * 300 / 2300.0)) < 1e-12);
}

void TestSensorStore::pairingByTime() {
    using namespace ut::sim;
    const std::vector<TimedValue> measured{{0, 1}, {3600000, 2}, {7200000 + 60000, 3}, {99 * kHour, 4}};
    const std::vector<TimedValue> model{{0, 10}, {3600000, 20}, {7200000, 30}};
    PairedValues exact = pairByTime(measured, model);
    QCOMPARE(exact.measured, (std::vector<double>{1, 2}));
    QCOMPARE(exact.simulated, (std::vector<double>{10, 20}));
    PairedValues near = pairByTime(measured, model, 5 * 60000);
    QCOMPARE(near.simulated, (std::vector<double>{10, 20, 30}));
    QCOMPARE(near.timesMs.back(), 7200000 + 60000);
}

QTEST_GUILESS_MAIN(TestSensorStore)
#include "test_sensor_store.moc"
