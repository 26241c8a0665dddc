#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "TestSupport.h"
#include "ut/app/ModelComparison.h"
#include "ut/app/Project.h"

using namespace ut;

class ProjectTest : public QObject {
    Q_OBJECT
private slots:
    // Counts against a simulated link flow: GEH by hand, sqrt(2 (M − C)² / (M + C)).
    void trafficCountsAgainstTheModelGetGeh() {
        sim::ResultSet results;
        sim::TimeAxis hours{QDateTime(QDate(2024, 5, 2), QTime(7, 0), Qt::UTC), 3600, 4};
        sim::Field& flow = results.addField("traffic.flow_veh_h", "veh/h", sim::EntityKind::Link, 3, hours);
        const double modelled[4] = {900.0, 1000.0, 1100.0, 600.0};
        for (std::size_t t = 0; t < 4; ++t) flow.value(t, 2) = modelled[t];
        sim::MeasuredSeries counter;
        counter.unitSymbol = QStringLiteral("veh/h");
        counter.entityKind = sim::EntityKind::Link;
        counter.entity = 2;
        const qint64 seven = hours.start.toMSecsSinceEpoch();
        // Counts stamped 10 minutes into each hour still belong to that model step.
        for (int t = 0; t < 4; ++t) counter.timesMs.push_back(seven + t * 3600000LL + 600000);
        counter.values = {1000.0, 1000.0, 1000.0, 1000.0};
        const auto comparison = app::compareWithModel(counter, results);
        QVERIFY(comparison);
        QCOMPARE(comparison->field, QStringLiteral("traffic.flow_veh_h"));
        QCOMPARE(comparison->paired, std::size_t(4));
        QVERIFY(comparison->geh && !comparison->calibration);
        // GEH: 3.244, 0, 3.085, 14.142 → 3 of 4 below 5 (75 %: not acceptable), max 14.14.
        QCOMPARE(comparison->geh->belowFive, std::size_t(3));
        QVERIFY(std::abs(comparison->geh->maximum - std::sqrt(2.0 * 400.0 * 400.0 / 1600.0)) < 1e-9);
        QVERIFY(!comparison->geh->acceptable);
        QVERIFY(comparison->summary().contains(QStringLiteral("75")));
    }

    // A meter against simulated hourly electricity: CV(RMSE) and NMBE by hand (n − p, p = 1).
    void meterAgainstTheModelGetsGuideline14() {
        sim::ResultSet results;
        sim::TimeAxis hours{QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC), 3600, 5};
        sim::Field& energy = results.addField("energy.electricity_kwh", "kWh", sim::EntityKind::Building, 1, hours);
        const double simulated[5] = {9.0, 11.0, 10.0, 12.0, 8.0};
        for (std::size_t t = 0; t < 5; ++t) energy.value(t, 0) = simulated[t];
        sim::MeasuredSeries meter;
        meter.unitSymbol = QStringLiteral("kWh");
        meter.entity = 0;
        for (int t = 0; t < 5; ++t) meter.timesMs.push_back(hours.start.toMSecsSinceEpoch() + t * 3600000LL);
        meter.values = {10.0, 10.0, 10.0, 10.0, 10.0};
        const auto comparison = app::compareWithModel(meter, results);
        QVERIFY(comparison && comparison->calibration);
        // Σ(m − s)² = 1 + 1 + 0 + 4 + 4 = 10, n − p = 4: CV(RMSE) = 100 · sqrt(10/4) / 10 = 15.81 %;
        // Σ(m − s) = 1 − 1 + 0 − 2 + 2 = 0: NMBE 0 %.
        QVERIFY(std::abs(comparison->calibration->cvRmsePercent - 100.0 * std::sqrt(2.5) / 10.0) < 1e-9);
        QVERIFY(std::abs(comparison->calibration->nmbePercent) < 1e-12);
        QVERIFY(comparison->summary().contains(QStringLiteral("within")));
        // Another unit finds no field to compare with.
        meter.unitSymbol = QStringLiteral("°C");
        QVERIFY(!app::compareWithModel(meter, results));
    }

    void demoProjectReads() {
        auto project = app::readProject(test::sourcePath(QStringLiteral("data/demo/demo.utwin")));
        QVERIFY2(project.ok(), project.ok() ? "" : project.error().c_str());
        QCOMPARE(project->frameCrs, QStringLiteral("EPSG:5186"));
        QVERIFY(!project->origin);
        QCOMPARE(project->layers.size(), std::size_t(1));
        QVERIFY(QFile::exists(project->layers.front().path));
        QVERIFY(project->weatherPath.endsWith(QStringLiteral("KOR_Inchon.471120_IWEC.epw")));
        QCOMPARE(project->simulations.front().plugin, QStringLiteral("example"));
        const app::ScenarioEntry* coarse = app::findScenario(project.value(), QStringLiteral("coarse-grid"));
        QVERIFY(coarse);
        QCOMPARE(coarse->parameterChanges.value("example").value("cell_size_m").toInt(), 500);
        const app::ScenarioEntry* densify = app::findScenario(project.value(), QStringLiteral("densify-low-rise"));
        QVERIFY(densify && densify->buildingEdits.size() == 1);
        QCOMPARE(densify->buildingEdits.front().set.value("building:levels").toInt(), 7);
        QVERIFY2(project->warnings.isEmpty(), qPrintable(project->warnings.join('\n')));
    }

    void saveAndReadBackKeepsEverythingAndUnknownKeys() {
        QTemporaryDir dir;
        QFile source(test::sourcePath(QStringLiteral("data/demo/demo.utwin")));
        QVERIFY(source.open(QIODevice::ReadOnly));
        QJsonObject root = QJsonDocument::fromJson(source.readAll()).object();
        root.insert("future_feature", QJsonObject{{"keep", "me"}});
        const QString original = dir.filePath(QStringLiteral("a/original.utwin"));
        QDir().mkpath(dir.filePath(QStringLiteral("a")));
        QVERIFY(QFile::copy(test::sourcePath(QStringLiteral("data/demo/jamsil.osm.pbf")), dir.filePath(QStringLiteral("a/jamsil.osm.pbf"))));
        QFile out(original);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QJsonDocument(root).toJson());
        out.close();

        auto project = app::readProject(original);
        QVERIFY(project.ok());
        QCOMPARE(project->warnings.size(), 1);
        QVERIFY(project->warnings.first().contains(QStringLiteral("future_feature")));
        project->name = QStringLiteral("잠실 재건축 검토");
        project->origin = Eigen::Vector2d(209000.0, 546000.0);

        const QString saved = dir.filePath(QStringLiteral("b/saved.utwin"));
        QDir().mkpath(dir.filePath(QStringLiteral("b")));
        QVERIFY(app::saveProject(project.value(), saved).ok());
        auto again = app::readProject(saved);
        QVERIFY2(again.ok(), again.ok() ? "" : again.error().c_str());
        QCOMPARE(again->name, QStringLiteral("잠실 재건축 검토"));
        QCOMPARE(*again->origin, Eigen::Vector2d(209000.0, 546000.0));
        QCOMPARE(again->layers.front().path, project->layers.front().path);  // relative paths re-based
        QCOMPARE(again->weatherPath, project->weatherPath);
        QCOMPARE(again->simulations.front().parameters, project->simulations.front().parameters);
        QCOMPARE(again->scenarios.size(), project->scenarios.size());
        for (std::size_t i = 0; i < project->scenarios.size(); ++i) {
            QCOMPARE(again->scenarios[i].parameterChanges, project->scenarios[i].parameterChanges);
        }
        const app::ScenarioEntry* densified = app::findScenario(again.value(), QStringLiteral("densify-low-rise"));
        QVERIFY(densified && !densified->buildingEdits.empty());
        QCOMPARE(densified->buildingEdits.front().where, app::findScenario(project.value(), QStringLiteral("densify-low-rise"))->buildingEdits.front().where);
        QCOMPARE(again->viewpoints.size(), project->viewpoints.size());
        QCOMPARE(again->document.value("future_feature").toObject().value("keep").toString(), QStringLiteral("me"));
    }

    void saveToUnwritablePlaceIsAnError() {
        auto project = app::readProject(test::sourcePath(QStringLiteral("data/demo/demo.utwin")));
        const auto status = app::saveProject(project.value(), QStringLiteral("/proc/no/such/dir/p.utwin"));
        QVERIFY(!status.ok());
        QVERIFY(QString::fromStdString(status.error()).startsWith(QStringLiteral("/proc/no/such/dir/p.utwin: cannot write")));
    }

    void badProjectsNameThePlace_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("syntax") << QByteArray("{\n\"format\": \"urbantwin-project\",\n  oops\n}") << QStringLiteral(":3:");
        QTest::newRow("format") << QByteArray("{\"format\": \"qgis\", \"version\": 1, \"layers\": []}") << QStringLiteral(": format: ");
        QTest::newRow("layers") << QByteArray("{\"format\": \"urbantwin-project\", \"version\": 1, \"layers\": 3}") << QStringLiteral(": layers: ");
        QTest::newRow("layer path") << QByteArray("{\"format\": \"urbantwin-project\", \"version\": 1, \"layers\": [{}]}") << QStringLiteral(": layers[0].path: ");
        QTest::newRow("origin") << QByteArray("{\"format\": \"urbantwin-project\", \"version\": 1, \"layers\": [], \"frame\": {\"origin\": [1]}}") << QStringLiteral(": frame.origin: ");
        QTest::newRow("simulation") << QByteArray("{\"format\": \"urbantwin-project\", \"version\": 1, \"layers\": [], \"simulations\": [{}]}") << QStringLiteral(": simulations[0].plugin: ");
        QTest::newRow("edit filter") << QByteArray("{\"format\": \"urbantwin-project\", \"version\": 1, \"layers\": [], \"scenarios\": [{\"name\": \"s\", \"buildings\": [{\"where\": \"height >\", \"set\": {\"height\": 3}}]}]}") << QStringLiteral(": scenarios[0].buildings[0].where: position 9");
        QTest::newRow("scenario") << QByteArray("{\"format\": \"urbantwin-project\", \"version\": 1, \"layers\": [], \"scenarios\": [{\"name\": \"baseline\"}]}") << QStringLiteral(": scenarios[0].name: ");
    }

    void badProjectsNameThePlace() {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.utwin"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(json);
        file.close();
        auto project = app::readProject(path);
        QVERIFY(!project.ok());
        const QString message = QString::fromStdString(project.error());
        QVERIFY2(message.startsWith(path) && message.contains(expected), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(ProjectTest)
#include "test_project.moc"
