#include <QtConcurrent/QtConcurrentRun>
#include <QtTest>
#include <set>

#include "TestSupport.h"
#include "ut/app/Project.h"
#include "ut/app/ProjectLoader.h"
#include "ut/app/ProjectRun.h"
#include "ut/example/FloorAreaEngine.h"
#include "ut/geodata/VectorLoader.h"
#include "ut/sim/PluginRegistry.h"
#include "ut/sim/BuildingFilter.h"
#include "ut/sim/SimulationRunner.h"

using namespace ut;

namespace {
CityModel fixtureCity() {
    CityModel city;
    auto report = VectorLoader::load(test::sourcePath(QStringLiteral("tests/data/fixture_buildings_5186.geojson")).toStdString(),
                                     {}, city);
    if (!report) qFatal("%s", report.error().c_str());
    return city;
}

sim::SimulationContext contextFor(const CityModel& city, const sim::PluginMetadata& metadata, const QVariantMap& given = {}) {
    sim::SimulationContext context;
    context.city = &city;
    context.parameters = metadata.resolveParameters(given).value();
    return context;
}
}  // namespace

class PluginsTest : public QObject {
    Q_OBJECT
private slots:
    void registryRefusesWrongApiAndDuplicates() {
        sim::PluginRegistry registry;
        registry.scan({QStringLiteral(UT_FIXTURE_PLUGIN_DIR), QStringLiteral("/no/such/folder")});
        QStringList ids;
        for (const auto& p : registry.plugins()) ids << p.metadata.id;
        ids.sort();
        QCOMPARE(ids, QStringList({"fixture", "fixture_slow", "fixture_throwing"}));
        QCOMPARE(registry.problems().size(), 2);
        const QString problems = registry.problems().join('\n');
        QVERIFY2(problems.contains(QStringLiteral("built for plugin API 99, this UrbanTwin speaks API 1; refused")), qPrintable(problems));
        QVERIFY2(problems.contains(QStringLiteral("plugin id 'fixture' is already taken")), qPrintable(problems));
        for (const QString& line : registry.problems()) QVERIFY(!line.contains('\n'));
    }

    void parametersAreValidatedAgainstTheSchema() {
        sim::PluginRegistry registry;
        registry.scan({QStringLiteral(UT_FIXTURE_PLUGIN_DIR)});
        const auto& metadata = registry.find(QStringLiteral("fixture"))->metadata;
        QCOMPARE(metadata.resolveParameters({}).value().value("factor").toDouble(), 2.0);
        QCOMPARE(metadata.resolveParameters({{"factor", 3}}).value().value("factor").toDouble(), 3.0);
        auto outside = metadata.resolveParameters({{"factor", 20}});
        QVERIFY(!outside.ok());
        QVERIFY2(QString::fromStdString(outside.error()).contains(QStringLiteral("'factor': 20 is outside 0 … 10")), outside.error().c_str());
        QVERIFY(!metadata.resolveParameters({{"colour", 1}}).ok());
        QVERIFY(!metadata.resolveParameters({{"factor", "many"}}).ok());
    }

    void goodPluginRunsAndFillsResults() {
        sim::PluginRegistry registry;
        registry.scan({QStringLiteral(UT_FIXTURE_PLUGIN_DIR)});
        const CityModel city = fixtureCity();
        const auto& metadata = registry.find(QStringLiteral("fixture"))->metadata;
        auto simulation = registry.create(QStringLiteral("fixture"));
        QVERIFY(simulation.ok());
        Feedback feedback;
        auto results = sim::runSimulation(metadata, *simulation.value(), contextFor(city, metadata, {{"factor", 0.5}}), feedback);
        QVERIFY2(results.ok(), results.ok() ? "" : results.error().c_str());
        const sim::Field* field = results->field("fixture.scaled_height_m");
        QVERIFY(field);
        QCOMPARE(field->entityCount, city.buildings.size());
        QCOMPARE(field->value(0, 0), 15.0);  // 30 m × 0.5
        QCOMPARE(results->kpi("fixture.sum_scaled_height_m")->value, 0.5 * (30.0 + 12.0 + 9.0));
        QCOMPARE(feedback.progress(), 1.0);
    }

    void pluginsSeeTheMeasurementsTheAppHandsThem() {
        sim::PluginRegistry registry;
        registry.scan({QStringLiteral(UT_FIXTURE_PLUGIN_DIR)});
        const CityModel city = fixtureCity();
        const auto& metadata = registry.find(QStringLiteral("fixture"))->metadata;
        auto simulation = registry.create(QStringLiteral("fixture"));
        QVERIFY(simulation.ok());
        sim::MeasuredSeries meter;
        meter.datastreamId = QStringLiteral("meter-1");
        meter.unitSymbol = QStringLiteral("kWh");
        meter.timesMs = {0, 3600000, 7200000};
        meter.values = {10.0, 12.0, 11.0};
        const sim::Measurements measurements{meter, meter};
        sim::SimulationContext context = contextFor(city, metadata, {});
        context.measurements = &measurements;
        Feedback feedback;
        auto results = sim::runSimulation(metadata, *simulation.value(), context, feedback);
        QVERIFY(results.ok());
        QCOMPARE(results->kpi("fixture.measured_values")->value, 6.0);
    }

    void throwingPluginIsReportedNotFatal() {
        sim::PluginRegistry registry;
        registry.scan({QStringLiteral(UT_FIXTURE_PLUGIN_DIR)});
        const CityModel city = fixtureCity();
        const auto& metadata = registry.find(QStringLiteral("fixture_throwing"))->metadata;
        auto simulation = registry.create(QStringLiteral("fixture_throwing"));
        Feedback feedback;
        auto results = sim::runSimulation(metadata, *simulation.value(), contextFor(city, metadata), feedback);
        QVERIFY(!results.ok());
        QCOMPARE(QString::fromStdString(results.error()),
                 QStringLiteral("simulation 'fixture_throwing' failed: fixture exploded on purpose"));
    }

    void slowPluginCancelsOnAWorker() {
        sim::PluginRegistry registry;
        registry.scan({QStringLiteral(UT_FIXTURE_PLUGIN_DIR)});
        const CityModel city = fixtureCity();
        const auto& metadata = registry.find(QStringLiteral("fixture_slow"))->metadata;
        auto simulation = registry.create(QStringLiteral("fixture_slow"));
        Feedback feedback;
        const auto context = contextFor(city, metadata);
        QElapsedTimer timer;
        timer.start();
        auto future = QtConcurrent::run([&] { return sim::runSimulation(metadata, *simulation.value(), context, feedback); });
        QTRY_VERIFY_WITH_TIMEOUT(feedback.progress() > 0.05, 3000);
        feedback.cancel();
        auto results = future.result();
        QVERIFY(!results.ok());
        QCOMPARE(QString::fromStdString(results.error()), QStringLiteral("simulation 'fixture_slow' canceled"));
        QVERIFY(feedback.progress() < 1.0);
        QVERIFY2(timer.elapsed() < 3500, "200 steps of 20 ms take 4 s: cancel must stop it early");
    }

    void floorAreaMatchesHandCalculation() {
        const CityModel city = fixtureCity();
        example::FloorAreaInputs inputs;
        const auto result = example::computeFloorArea(city.buildings, inputs);
        // A: 10 m × 20 m, 30 m high → 10 floors; B: 40 m × 40 m less a 20 m × 20 m court, 4 levels;
        // C: 10 m × 10 m, default 9 m → 3 floors.
        QCOMPARE(result.floors, std::vector<double>({10.0, 4.0, 3.0}));
        const double expected = 200.0 * 10 + 1200.0 * 4 + 100.0 * 3;
        QVERIFY2(std::abs(result.totalGfaM2 - expected) < expected * 1e-3, qPrintable(QString::number(result.totalGfaM2)));
        std::set<double> cellFars(result.cellFar.begin(), result.cellFar.end());
        double gfaFromCells = 0.0;
        for (double far : cellFars) gfaFromCells += far * inputs.cellSizeM * inputs.cellSizeM;
        QVERIFY(std::abs(gfaFromCells - result.totalGfaM2) < 1e-6);
        QCOMPARE(result.builtCells, cellFars.size());
        QVERIFY(std::abs(result.districtFar - result.totalGfaM2 / (62500.0 * result.builtCells)) < 1e-12);
    }

    void buildingFilterSelectsAndReportsErrors_data() {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QList<int>>("expected");  // fixture rows A (30 m, "A"), B (4 levels), C (default)
        QTest::newRow("height") << "height > 20" << QList<int>{0};
        QTest::newRow("attribute") << "building:levels == 4" << QList<int>{1};
        QTest::newRow("missing attribute is false") << "building:levels != 4" << QList<int>{};
        QTest::newRow("or, not, parentheses") << "not (height > 20) and (height_source == default or name == 'A')" << QList<int>{2};
        QTest::newRow("text") << "name == \"A\" or use == other" << QList<int>{0, 1, 2};
        QTest::newRow("area") << "footprint_area >= 1000" << QList<int>{1};
    }

    void buildingFilterSelectsAndReportsErrors() {
        QFETCH(QString, expression);
        QFETCH(QList<int>, expected);
        const CityModel city = fixtureCity();
        auto filter = sim::BuildingFilter::parse(expression.toStdString());
        QVERIFY2(filter.ok(), filter.ok() ? "" : filter.error().c_str());
        QList<int> selected;
        for (std::size_t i = 0; i < city.buildings.size(); ++i)
            if (filter->matches(city.buildings, i)) selected << static_cast<int>(i);
        QCOMPARE(selected, expected);
    }

    void buildingFilterErrorsNameThePosition() {
        auto missingValue = sim::BuildingFilter::parse("height >");
        QVERIFY(!missingValue.ok());
        QCOMPARE(QString::fromStdString(missingValue.error()), QStringLiteral("position 9: expected a name, a number or a quoted text"));
        auto noComparison = sim::BuildingFilter::parse("height and use == 'office'");
        QVERIFY(!noComparison.ok());
        QVERIFY(QString::fromStdString(noComparison.error()).startsWith(QStringLiteral("position 8: expected a comparison")));
        QVERIFY(!sim::BuildingFilter::parse("(height > 3").ok());
        QVERIFY(!sim::BuildingFilter::parse("name == 'open").ok());
        QVERIFY(!sim::BuildingFilter::parse("").ok());
    }

    void scenarioEditsChangeTheSelectedBuildings() {
        auto project = app::readProject(test::sourcePath(QStringLiteral("data/demo/demo.utwin")));
        QVERIFY(project.ok());
        const app::LoadedProject loaded = app::loadProject(project.value());
        app::ScenarioEntry scenario;
        scenario.name = QStringLiteral("towers");
        scenario.buildingEdits.push_back({QStringLiteral("height >= 100"), {}, {{"height", 150.0}, {"u_wall", 0.24}}});
        std::vector<std::size_t> counts;
        auto edited = app::applyBuildingEdits(loaded.model, scenario, &counts);
        QVERIFY(edited.ok());
        std::size_t tall = 0;
        for (std::size_t i = 0; i < loaded.model.buildings.size(); ++i) {
            const bool isTall = loaded.model.buildings.heightM(i) >= 100.0;
            tall += isTall ? 1 : 0;
            QCOMPARE(edited->buildings.heightM(i), isTall ? 150.0 : loaded.model.buildings.heightM(i));
            const auto uWall = findAttribute(edited->buildings.attributes(i), {"u_wall"});
            QCOMPARE(uWall.has_value(), isTall);
        }
        QVERIFY(tall > 5);
        QCOMPARE(counts, std::vector<std::size_t>{tall});
        scenario.buildingEdits.front().set = {{"height", -3}};
        QVERIFY(!app::applyBuildingEdits(loaded.model, scenario).ok());
    }

    void demoProjectRunsScenariosThroughTheExamplePlugin() {
        sim::PluginRegistry registry;
        registry.scan({test::binaryPath(QStringLiteral("lib/urbantwin/plugins"))});
        QVERIFY(registry.find(QStringLiteral("example")));
        auto project = app::readProject(test::sourcePath(QStringLiteral("data/demo/demo.utwin")));
        QVERIFY(project.ok());
        const app::LoadedProject loaded = app::loadProject(project.value());
        Feedback feedback;
        const auto baseline = app::runProject(loaded, registry, QStringLiteral("baseline"), feedback);
        QVERIFY2(!baseline.failure, baseline.failure ? qPrintable(baseline.failure->message) : "");
        const auto coarse = app::runProject(loaded, registry, QStringLiteral("coarse-grid"), feedback);
        QVERIFY(!coarse.failure);
        const double total = baseline.results.kpi("example.total_gfa_m2")->value;
        const auto& gfa = baseline.results.field("example.gfa_m2")->values;
        // Parts (the Lotte World Tower's) carry no floor area of their own: their building counts once.
        double sum = 0.0;
        std::size_t parts = 0;
        for (std::size_t i = 0; i < gfa.size(); ++i) {
            if (loaded.model.buildings.isPart(i)) {
                QVERIFY(std::isnan(gfa[i]));
                ++parts;
            } else {
                sum += gfa[i];
            }
        }
        QVERIFY(parts > 0);
        QVERIFY(std::abs(sum - total) < 1e-6 * total);
        // A coarser grid changes the cells, not the floor area.
        const sim::ResultSet delta = app::differenceOf(baseline.results, coarse.results);
        QCOMPARE(delta.kpi("example.total_gfa_m2")->value, 0.0);
        QVERIFY(delta.kpi("example.built_cells")->value < 0.0);

        // Densifying low-rise housing adds floor area where the filter selects.
        const auto dense = app::runProject(loaded, registry, QStringLiteral("densify-low-rise"), feedback);
        QVERIFY(!dense.failure);
        QVERIFY(dense.results.kpi("scenario.buildings_edited")->value > 100);
        QVERIFY(dense.results.kpi("example.total_gfa_m2")->value > total);

        const auto unknown = app::runProject(loaded, registry, QStringLiteral("no-such-scenario"), feedback);
        QVERIFY(unknown.failure && unknown.failure->badInput);
    }
};

QTEST_GUILESS_MAIN(PluginsTest)
#include "test_plugins.moc"
