#include <QMenuBar>
#include <QSignalSpy>
#include <QSettings>
#include <QtTest>
#include <QStandardPaths>
#include <QDir>

#include "CityLoadJob.h"
#include "SensorPanel.h"
#include "ut/app/SensorSession.h"
#include "SimulationPanel.h"
#include "PresentationTour.h"
#include "ScenarioDialog.h"
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QSlider>
#include <QTreeWidget>
#include <osg/Geometry>
#include "LanguageManager.h"
#include "MainWindow.h"
#include "TestSupport.h"
#include "ViewportWidget.h"
#include "SimulationPanel.h"
#include "InspectorPanel.h"
#include "RetrofitPlanPanel.h"
#include "LegendWidget.h"
#include "CityLoadJob.h"
#include "ut/geodata/VectorLoader.h"

using namespace ut;

namespace {
const QString kDemoProject = test::sourcePath(QStringLiteral("data/demo/demo.utwin"));

std::size_t demoBuildingCount() {
    CityModel model;
    auto report = VectorLoader::load(test::sourcePath(QStringLiteral("data/demo/jamsil.osm.pbf")).toStdString(), {}, model);
    return report ? model.buildings.size() : 0;
}

// Runs a plugin from the panel and waits for it; false when it failed or timed out.
bool runAndWait(app::SimulationPanel* panel, const QString& plugin) {
    panel->selectPlugin(plugin);
    QSignalSpy finished(panel, &app::SimulationPanel::runFinished);
    panel->run();
    if (!finished.wait(60000)) return false;
    if (!finished.first().first().toBool()) qWarning("%s", qPrintable(finished.first().at(1).toString()));
    return finished.first().first().toBool();
}

bool loadAndWait(app::MainWindow& window, const QString& path) {
    QSignalSpy loaded(&window, &app::MainWindow::cityLoaded);
    window.openPath(path);
    return loaded.wait(60000);
}
}  // namespace

class MainWindowTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        qputenv("URBANTWIN_PLUGIN_PATH", UT_FIXTURE_PLUGIN_DIR);
        QCoreApplication::setOrganizationName(QStringLiteral("UrbanTwinTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_mainwindow"));
        // Observation stores go to a test folder, emptied first, not the user's.
        QStandardPaths::setTestModeEnabled(true);
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).removeRecursively();
        QSettings().clear();  // view options (shadows, detail while moving) start from their defaults
    }

    void opensDemoProjectAndDrawsIt() {
        app::LanguageManager language;
        language.apply(QStringLiteral("en"));
        app::MainWindow window(&language);
        window.resize(1000, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(loadAndWait(window, kDemoProject));
        QVERIFY(window.city());
        QCOMPARE(window.city()->project.model.buildings.size(), demoBuildingCount());
        QCOMPARE(window.layerPanel()->sourceCount(), 1);
        QCOMPARE(window.layerPanel()->failedSourceCount(), 0);
        QVERIFY(window.windowTitle().contains(QStringLiteral("Jamsil")));

        const int before = window.viewport()->framesDrawn();
        window.viewport()->update();
        QTRY_VERIFY_WITH_TIMEOUT(window.viewport()->framesDrawn() > before, 10000);
        const QImage frame = window.viewport()->grabFramebuffer();
        QSet<QRgb> colours;
        for (int y = 0; y < frame.height(); y += 5)
            for (int x = 0; x < frame.width(); x += 5) colours.insert(frame.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));

        // The camera starts at the home view, looking down at the city from above.
        const auto pose = window.viewport()->cameraPose();
        QVERIFY(pose.eye.z() > 1000.0);
    }

    void brokenProjectKeepsTheCurrentCity() {
        app::LanguageManager language;
        language.apply(QStringLiteral("en"));
        app::MainWindow window(&language);
        QVERIFY(loadAndWait(window, kDemoProject));
        const auto before = window.city();
        QSignalSpy failed(&window, &app::MainWindow::loadFailed);
        window.openPath(test::sourcePath(QStringLiteral("tests/no-such-project.utwin")));
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("no-such-project.utwin: no such file")));
        QCOMPARE(window.city(), before);
    }

    void missingLayerStaysListedWithItsError() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.utwin"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral("{\"format\": \"urbantwin-project\", \"version\": 1, \"layers\": ["
                                  "{\"path\": \"%1\"}, {\"path\": \"gone.gpkg\"}]}")
                       .arg(test::sourcePath(QStringLiteral("data/demo/jamsil.osm.pbf")))
                       .toUtf8());
        file.close();
        app::LanguageManager language;
        app::MainWindow window(&language);
        QSignalSpy failed(&window, &app::MainWindow::loadFailed);
        QVERIFY(loadAndWait(window, path));
        QCOMPARE(window.layerPanel()->sourceCount(), 2);
        QCOMPARE(window.layerPanel()->failedSourceCount(), 1);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(window.city()->project.model.buildings.size(), demoBuildingCount());
        // No sensor feeds: the sensor panel's polls change nothing and repaint nothing.
        QSignalSpy pins(window.sensorPanel(), &app::SensorPanel::pinsChanged);
        QTest::qWait(1000);
        QCOMPARE(pins.count(), 0);
    }

    void simulationRunsColoursAndInspects() {
        app::LanguageManager language;
        language.apply(QStringLiteral("en"));
        app::MainWindow window(&language);
        window.resize(1200, 800);
        window.show();
        QVERIFY(loadAndWait(window, kDemoProject));
        app::SimulationPanel* panel = window.simulationPanel();
        panel->selectPlugin(QStringLiteral("example"));
        QSignalSpy finished(panel, &app::SimulationPanel::runFinished);
        panel->run();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(panel->lastRun()->results.kpi("example.total_gfa_m2"));
        QVERIFY(panel->colourField());
        QVERIFY(window.city()->scene.coloring->active());
        QVERIFY(window.legend()->isVisible());

        // Click-equivalent pick: the inspector shows the building and its result values.
        window.pickBuilding(std::size_t(0));
        QCOMPARE(window.city()->scene.coloring->highlight(), std::optional<std::size_t>(0));
        QVERIFY(window.inspectorPanel()->rowCount() > 5);

        // The report: KPIs, assumptions, the map; its text read back with poppler's pdftotext.
        QTemporaryDir reportDir;
        const QString pdf = reportDir.filePath(QStringLiteral("report.pdf"));
        const Status written = window.writeReport(pdf);
        QVERIFY2(written.ok(), written.error().c_str());
        const auto text = test::runProgram(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains(QStringLiteral("example.total_gfa_m2")), qPrintable(text.out.left(400)));
        QVERIFY(text.out.contains(QStringLiteral("Grid cell size")));
        QVERIFY(text.out.contains(QStringLiteral("Jamsil")));
        const auto images = test::runProgram(QStringLiteral("pdfimages"), {QStringLiteral("-list"), pdf});
        QVERIFY2(images.out.count('\n') >= 3, qPrintable(images.out));  // a header of two lines, then the map

        window.pickRoadLink(0);
        QCOMPARE(window.inspectorPanel()->roadLink(), std::optional<std::size_t>(0));
        QCOMPARE(window.inspectorPanel()->rowCount(), 6);
        QVERIFY(!window.city()->scene.coloring->highlight());

        panel->selectColourField(QString());
        QVERIFY(!window.city()->scene.coloring->active());
        QVERIFY(!window.legend()->isVisible());

        // Compare a scenario with the baseline: differences, diverging colours.
        panel->selectColourField(QStringLiteral("example.cell_far"));
        panel->selectScenario(QStringLiteral("coarse-grid"));
        panel->setCompareWithBaseline(true);
        panel->run();
        QVERIFY(finished.wait(30000));
        QVERIFY(panel->lastRun()->compared);
        QCOMPARE(panel->lastRun()->results.kpi("example.total_gfa_m2")->value, 0.0);
        QVERIFY(window.legend()->isVisible());
    }

    void retrofitRunShowsThePlanAndTheMacCurve() {
        app::LanguageManager language;
        app::MainWindow window(&language);
        window.resize(1200, 800);
        window.show();
        QVERIFY(loadAndWait(window, kDemoProject));
        app::RetrofitPlanPanel* plan = window.retrofitPlanPanel();
        QCOMPARE(plan->planRowCount(), 0);
        QVERIFY(runAndWait(window.simulationPanel(), QStringLiteral("retrofit")));
        const double retrofitted = window.simulationPanel()->lastRun()->results.kpi("retrofit.buildings_retrofitted")->value;
        QVERIFY(retrofitted >= 1.0);
        QCOMPARE(plan->planRowCount(), static_cast<int>(retrofitted));
        QCOMPARE(plan->chartSeriesCount(), 1);
        QCOMPARE(window.simulationPanel()->colourField()->name, std::string("retrofit.plan"));  // the map shows the plan
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("plan.csv"));
        QVERIFY(plan->exportCsv(csv).ok());
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), static_cast<int>(retrofitted) + 1);
        QVERIFY(lines.first().startsWith("building_id,package,investment_mkrw,co2_reduction_t,mac_krw_per_t"));
        // The PDF report holds the MAC curve and the plan table.
        const QString pdf = dir.filePath(QStringLiteral("report.pdf"));
        QVERIFY(window.writeReport(pdf).ok());
        const auto text = test::runProgram(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
        QVERIFY2(text.out.contains(QStringLiteral("Payback")), qPrintable(text.out.right(1500)));  // the plan table
        QVERIFY(text.out.contains(QString::fromUtf8(lines.at(1).split(',').at(1))));  // its first package
    }

    void scenarioDialogValidatesAndStores() {
        app::LanguageManager language;
        app::MainWindow window(&language);
        QVERIFY(loadAndWait(window, kDemoProject));
        const auto& project = window.city()->project.project;
        app::ScenarioDialog dialog(app::ScenarioEntry{}, project, window.city()->project.model.buildings);
        auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
        QVERIFY(!ok->isEnabled());  // no name yet
        auto* name = dialog.findChildren<QLineEdit*>().first();
        name->setText(QStringLiteral("tall offices"));
        auto* edits = dialog.findChild<QTableWidget*>();
        edits->item(0, 0)->setText(QStringLiteral("use == 'office' and height >"));
        edits->item(0, 1)->setText(QStringLiteral("u_wall = 0.2"));
        QVERIFY(!ok->isEnabled());  // the filter is incomplete
        edits->item(0, 0)->setText(QStringLiteral("use == 'office' and height > 50"));
        QVERIFY(ok->isEnabled());
        QVERIFY(edits->item(0, 2)->text().toInt() > 0);  // how many buildings it selects
        const app::ScenarioEntry scenario = dialog.scenario();
        QCOMPARE(scenario.buildingEdits.size(), std::size_t(1));
        QCOMPARE(scenario.buildingEdits.front().set.value("u_wall").toDouble(), 0.2);

        const std::size_t before = project.scenarios.size();
        window.storeScenario(QString(), scenario);
        QCOMPARE(window.city()->project.project.scenarios.size(), before + 1);
        QCOMPARE(window.simulationPanel()->selectedScenario(), QStringLiteral("tall offices"));
    }

    void timelineDrivesTheColoursOfADailyField() {
        app::LanguageManager language;
        app::MainWindow window(&language);
        window.resize(1200, 800);
        window.show();
        QVERIFY(loadAndWait(window, kDemoProject));
        app::SimulationPanel* panel = window.simulationPanel();
        QVERIFY(runAndWait(panel, QStringLiteral("energy")));
        panel->selectColourField(QStringLiteral("energy.heating_kw"));
        const sim::Field* field = panel->colourField();
        QVERIFY(field && field->time.steps == 365);
        auto* timeline = panel->findChild<QSlider*>();
        QVERIFY(timeline && timeline->isVisible());
        const auto& coloring = *window.city()->scene.coloring;
        // Some building heats far more in January than in July: its colour changes with the day.
        std::size_t building = 0;
        for (std::size_t i = 0; i < field->entityCount; ++i)
            if (std::isfinite(field->value(10, i)) && field->value(10, i) > field->value(10, building)) building = i;
        timeline->setValue(10);
        const render::Rgb january = coloring.colorOf(building);
        timeline->setValue(190);
        const render::Rgb july = coloring.colorOf(building);
        QVERIFY(january.r != july.r || january.g != july.g || january.b != july.b);
        QCOMPARE(panel->timeStep(), std::size_t(190));
    }

    void roadsColourBySimulatedSpeed() {
        app::LanguageManager language;
        app::MainWindow window(&language);
        window.resize(1200, 800);
        window.show();
        QVERIFY(loadAndWait(window, kDemoProject));
        app::SimulationPanel* panel = window.simulationPanel();
        QVERIFY(runAndWait(panel, QStringLiteral("traffic")));
        QVERIFY(panel->roadColourField());  // chosen after the run
        QCOMPARE(panel->roadColourField()->name, std::string("traffic.speed_kmh"));
        const auto* roads = window.city()->scene.roads->asGeometry();
        QCOMPARE(roads->getColorArray()->getBinding(), osg::Array::BIND_PER_VERTEX);
        QCOMPARE(roads->getColorArray()->getNumElements(), roads->getVertexArray()->getNumElements());
        panel->selectRoadColourField(QString());
        QCOMPARE(roads->getColorArray()->getBinding(), osg::Array::BIND_OVERALL);

        // The run recorded vehicles: the timeline moves them, and playing moves them between its steps.
        QVERIFY(panel->vehiclePlayback());
        const render::VehicleLayer* vehicles = window.vehicleLayer();
        QVERIFY(vehicles && vehicles->isVisible());
        QVERIFY(window.vehicleLegend()->isVisible());
        auto* timeline = panel->findChild<QSlider*>();
        QVERIFY(timeline && timeline->isVisible());
        const int frameOfAQuarterHour = static_cast<int>(900.0 / panel->vehiclePlayback()->intervalS);
        timeline->setValue(frameOfAQuarterHour);
        QCOMPARE(panel->playbackTimeS(), 900.0);
        QVERIFY2(vehicles->count() > 50, qPrintable(QString::number(vehicles->count())));
        auto positions = [&] {
            const auto* array = static_cast<const osg::Vec3Array*>(vehicles->geometry()->getVertexArray());
            return std::vector<osg::Vec3>(array->begin(), array->end());
        };
        const std::vector<osg::Vec3> atQuarterHour = positions();
        QCOMPARE(atQuarterHour.size(), vehicles->count() * 39);
        timeline->setValue(frameOfAQuarterHour + 1);
        QVERIFY(positions() != atQuarterHour);
        timeline->setValue(frameOfAQuarterHour);
        panel->setPlaying(true);
        QTest::qWait(400);
        panel->setPlaying(false);
        QVERIFY2(panel->playbackTimeS() > 900.0 && panel->playbackTimeS() < 900.0 + 120.0,
                 qPrintable(QString::number(panel->playbackTimeS())));
        QVERIFY(positions() != atQuarterHour);

        auto* tree = window.layerPanel()->findChild<QTreeWidget*>();
        const auto items = tree->findItems(QStringLiteral("Vehicles"), Qt::MatchExactly | Qt::MatchRecursive);
        QCOMPARE(items.size(), 1);
        items.first()->setCheckState(0, Qt::Unchecked);
        QVERIFY(!vehicles->isVisible());
        QVERIFY(!window.vehicleLegend()->isVisible());
    }

    void slowSimulationCancels() {
        app::LanguageManager language;
        app::MainWindow window(&language);
        QVERIFY(loadAndWait(window, kDemoProject));
        app::SimulationPanel* panel = window.simulationPanel();
        panel->selectPlugin(QStringLiteral("fixture_slow"));
        QSignalSpy finished(panel, &app::SimulationPanel::runFinished);
        QSignalSpy failed(&window, &app::MainWindow::loadFailed);
        panel->run();
        QTest::qWait(300);
        QVERIFY(panel->isRunning());
        panel->cancel();
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        QVERIFY(finished.first().at(1).toString().contains(QStringLiteral("canceled")));
        QVERIFY(!panel->isRunning());
    }

    void throwingSimulationIsReportedAndTheAppCarriesOn() {
        app::LanguageManager language;
        app::MainWindow window(&language);
        QVERIFY(loadAndWait(window, kDemoProject));
        app::SimulationPanel* panel = window.simulationPanel();
        panel->selectPlugin(QStringLiteral("fixture_throwing"));
        QSignalSpy finished(panel, &app::SimulationPanel::runFinished);
        panel->run();
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().at(1).toString(), QStringLiteral("simulation 'fixture_throwing' failed: fixture exploded on purpose"));
        panel->selectPlugin(QStringLiteral("example"));
        panel->run();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.last().at(0).toBool(), true);
    }

    void viewpointsFlightAndPresentation() {
        app::LanguageManager language;
        app::MainWindow window(&language);
        window.resize(1000, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(loadAndWait(window, kDemoProject));
        const auto& project = window.city()->project.project;
        QCOMPARE(project.viewpoints.size(), std::size_t(3));
        const Eigen::Vector2d origin = *window.city()->project.model.frame.origin();

        window.goToViewpoint(QStringLiteral("Olympic Park"), 0.0);
        const auto pose = window.viewport()->cameraPose();
        const auto& olympic = project.viewpoints[1];
        QVERIFY((pose.eye - osg::Vec3d(olympic.eye.x() - origin.x(), olympic.eye.y() - origin.y(), olympic.eye.z())).length() < 1.0);

        window.saveViewpoint(QStringLiteral("Here"));
        QCOMPARE(window.city()->project.project.viewpoints.size(), std::size_t(4));
        QVERIFY(std::abs(window.city()->project.project.viewpoints.back().eye.x() - olympic.eye.x()) < 1.0);

        // Keyboard: orbit keeps the distance, tilt raises the camera, zoom out moves it away, W pans.
        auto* viewport = window.viewport();
        const auto start = viewport->cameraPose();
        const double startDistance = (start.eye - start.center).length();
        QTest::keyClick(viewport, Qt::Key_Left);
        auto moved = viewport->cameraPose();
        QVERIFY(std::abs((moved.eye - moved.center).length() - startDistance) < 1.0);
        QVERIFY((moved.eye - start.eye).length() > 1.0);
        const double heightBefore = moved.eye.z() - moved.center.z();
        QTest::keyClick(viewport, Qt::Key_Up);
        moved = viewport->cameraPose();
        QVERIFY(moved.eye.z() - moved.center.z() > heightBefore);
        QTest::keyClick(viewport, Qt::Key_Minus);
        QVERIFY((viewport->cameraPose().eye - viewport->cameraPose().center).length() > startDistance * 1.1);
        const auto beforePan = viewport->cameraPose().center;
        QTest::keyClick(viewport, Qt::Key_W);
        QVERIFY((viewport->cameraPose().center - beforePan).length() > 10.0);
        // Moving frames drop detail when they run over budget; once the camera rests, a full-detail
        // frame follows one that was reduced: a budget every frame meets, then one none can.
        QVERIFY(viewport->isMoving());
        QVERIFY(viewport->reducesDetailWhileMoving());
        for (const double budgetMs : {1e9, 1e-3}) {
            QTRY_VERIFY_WITH_TIMEOUT(!viewport->isMoving(), 3000);
            QTest::qWait(300);  // what the keys above asked for is drawn
            viewport->setMovingFrameBudgetMs(budgetMs);
            QSignalSpy frames(viewport, &app::ViewportWidget::frameDrawn);
            for (int f = 0; f < 4; ++f) {
                viewport->orbit(3.0);
                QVERIFY(frames.wait(2000));
            }
            QVERIFY(frames.last().at(0).toDouble() > 0.0);
            const bool lastReduced = frames.last().at(1).toBool();
            QCOMPARE(lastReduced, budgetMs < 1.0);
            const qsizetype moving = frames.size();
            QTRY_VERIFY_WITH_TIMEOUT(!viewport->isMoving(), 3000);
            QTest::qWait(200);
            if (lastReduced) QVERIFY(frames.size() > moving);
            QVERIFY(!frames.last().at(1).toBool());
        }
        viewport->setMovingFrameBudgetMs(40.0);

        // Double-click behaviour: fly to a building and pick it.
        QSignalSpy landed(window.viewport(), &app::ViewportWidget::flightFinished);
        window.flyToBuilding(0);
        QVERIFY(window.viewport()->isFlying());
        QVERIFY(landed.wait(5000));
        QCOMPARE(window.city()->scene.coloring->highlight(), std::optional<std::size_t>(0));

        // The demo's sensors replay their history during the tour (once the replay feed stored some).
        QVERIFY(window.sensorSession());
        QTRY_VERIFY_WITH_TIMEOUT(window.sensorSession()->timeRange(QStringLiteral("PM2.5")).has_value(), 10000);
        window.setPresentationMode(true);
        QVERIFY(window.presentationMode());
        QVERIFY(!window.simulationPanel()->isVisible());
        QVERIFY(window.sensorPanel()->isPlaying());
        const auto replayStart = window.sensorPanel()->shownTime();
        QVERIFY(replayStart.has_value());
        QVERIFY(landed.wait(8000));  // the tour flies to its first stop
        QVERIFY(window.sensorPanel()->shownTime() != replayStart);
        window.setPresentationMode(false);
        QVERIFY(!window.presentationMode());
        QVERIFY(!window.sensorPanel()->isPlaying());
        QVERIFY(!window.sensorPanel()->shownTime());  // back to live
        QTRY_VERIFY(window.simulationPanel()->isVisible());
    }

    void switchesToKoreanAndBack() {
        app::LanguageManager language;
        language.apply(QStringLiteral("en"));
        app::MainWindow window(&language);
        const QString englishFile = window.menuBar()->actions().first()->text();
        QCOMPARE(englishFile, QStringLiteral("&File"));
        language.apply(QStringLiteral("ko"));
        QCOMPARE(language.effective(), QStringLiteral("ko"));
        QTRY_COMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("파일(&F)"));
        QTRY_COMPARE(window.layerPanel()->windowTitle(), QStringLiteral("레이어"));
        language.apply(QStringLiteral("en"));
        QTRY_COMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&File"));
    }
};

QTEST_MAIN(MainWindowTest)
#include "test_mainwindow.moc"
