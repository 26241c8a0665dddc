#include "MainWindow.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <functional>
#include <QProgressBar>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>

#include "CityLoadJob.h"
#include "InspectorPanel.h"
#include "LegendWidget.h"
#include "ut/app/ReportWriter.h"
#include "ut/app/PlanningReport.h"
#include "ut/app/CitySun.h"
#include "ut/app/ViewpointPose.h"
#include <QDateTimeEdit>
#include <QToolBar>
#include <QDateTime>
#include <QPainter>
#include "PresentationTour.h"
#include "ScenarioDialog.h"
#include <QInputDialog>
#include <QKeyEvent>
#include <QDockWidget>
#include "ut/app/BuildingColours.h"
#include "SimulationPanel.h"
#include "SensorPanel.h"
#include "RetrofitPlanPanel.h"
#include "ut/app/SensorSession.h"
#include <QToolTip>
#include <cmath>
#include <limits>
#include "LanguageManager.h"
#include "ViewportWidget.h"
#include "ut/render/OffscreenRenderer.h"

namespace ut::app {

MainWindow::MainWindow(LanguageManager* language, QWidget* parent)
    : QMainWindow(parent),
      m_language(language),
      m_viewport(new ViewportWidget(this)),
      m_layers(new LayerPanel(this)),
      m_job(new CityLoadJob(this)),
      m_registry(std::make_unique<sim::PluginRegistry>()),
      m_simulations(nullptr),
      m_inspector(new InspectorPanel(this)),
      m_legend(new LegendWidget(m_viewport)),
      m_roadLegend(new LegendWidget(m_viewport)),
      m_sensorLegend(new LegendWidget(m_viewport)),
      m_sensorPanel(new SensorPanel(this)),
      m_vehicleLegend(new LegendWidget(m_viewport)),
      m_tour(new PresentationTour(m_viewport)),
      m_coordinates(new QLabel(this)),
      m_attribution(new QLabel(this)),
      m_frameTime(new QLabel(this)),
      m_progress(new QProgressBar(this)),
      m_cancel(new QToolButton(this)),
      m_progressTimer(new QTimer(this)) {
    setObjectName(QStringLiteral("mainWindow"));
    setCentralWidget(m_viewport);
    addDockWidget(Qt::LeftDockWidgetArea, m_layers);
    m_registry->scan(sim::PluginRegistry::defaultFolders(QCoreApplication::applicationDirPath()));
    m_simulations = new SimulationPanel(m_registry.get(), this);
    addDockWidget(Qt::RightDockWidgetArea, m_simulations);
    addDockWidget(Qt::RightDockWidgetArea, m_inspector);
    splitDockWidget(m_simulations, m_inspector, Qt::Vertical);
    addDockWidget(Qt::RightDockWidgetArea, m_sensorPanel);
    tabifyDockWidget(m_inspector, m_sensorPanel);
    m_retrofitPlan = new RetrofitPlanPanel(this);
    addDockWidget(Qt::RightDockWidgetArea, m_retrofitPlan);
    tabifyDockWidget(m_inspector, m_retrofitPlan);
    m_inspector->raise();
    m_sensorLegend->hide();
    m_vehicleLegend->hide();
    m_viewport->installEventFilter(this);
    resize(1400, 900);

    m_coordinates->setMinimumWidth(420);
    m_progress->setRange(0, 100);
    m_progress->setMaximumWidth(200);
    m_progress->hide();
    m_cancel->hide();
    statusBar()->addWidget(m_coordinates, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    statusBar()->addPermanentWidget(m_frameTime);
    statusBar()->addPermanentWidget(m_attribution);
    m_frameTime->hide();
    connect(m_viewport, &ViewportWidget::frameDrawn, this, [this](double milliseconds, bool reduced) {
        if (!m_frameTime->isVisible()) return;
        m_frameTime->setText(reduced ? tr("%1 ms a frame, less detail while moving").arg(milliseconds, 0, 'f', 0)
                                     : tr("%1 ms a frame").arg(milliseconds, 0, 'f', 0));
    });

    createActions();
    m_sunBar = addToolBar(QString());
    m_sunBar->setObjectName(QStringLiteral("sunToolBar"));
    m_sunLabel = new QLabel(this);
    m_sunTime = new QDateTimeEdit(QDateTime(QDate(2026, 6, 21), QTime(14, 0)), this);
    m_sunTime->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    m_sunTime->setCalendarPopup(true);
    m_sunBar->addWidget(m_sunLabel);
    m_sunBar->addWidget(m_sunTime);
    m_sunBar->addAction(m_shadows);
    connect(m_sunTime, &QDateTimeEdit::dateTimeChanged, this, &MainWindow::setSunTime);
    m_viewMenu->addAction(m_sunBar->toggleViewAction());
    connect(m_viewport, &ViewportWidget::cursorOnGround, this, &MainWindow::showCursor);
    connect(m_viewport, &ViewportWidget::buildingPicked, this, &MainWindow::pickBuilding);
    connect(m_viewport, &ViewportWidget::buildingActivated, this, &MainWindow::flyToBuilding);
    connect(m_viewport, &ViewportWidget::roadLinkPicked, this, &MainWindow::pickRoadLink);
    connect(m_simulations, &SimulationPanel::colouringChanged, this, &MainWindow::applyColouring);
    connect(m_simulations, &SimulationPanel::scenarioEditRequested, this, &MainWindow::editScenario);
    connect(m_simulations, &SimulationPanel::playbackTimeChanged, this, &MainWindow::showVehicles);
    connect(m_simulations, &SimulationPanel::runFinished, this, [this](bool ok, const QString& message) {
        const SimulationRun* run = m_simulations->lastRun();
        m_sensorPanel->setModelResults(run && ok ? &run->results : nullptr, m_city ? &m_city->project.model : nullptr);
        // A retrofit run: its plan (the scenario's when comparing) in the Retrofit plan tab.
        const sim::ResultSet* planned = run && ok ? (run->compared ? &run->proposal : &run->results) : nullptr;
        m_retrofitPlan->showResults(planned, m_city ? &m_city->project.model.buildings : nullptr);
        if (!m_retrofitPlan->plan().empty()) {
            m_retrofitPlan->raise();
            // The map shows the plan: buildings coloured by the option chosen.
            if (run && !run->compared) m_simulations->selectColourField(QStringLiteral("retrofit.plan"));
        }
        if (ok) {
            statusBar()->showMessage(tr("Simulation finished"), 8000);
        } else {
            reportError(message);
        }
    });
    connect(m_layers, &LayerPanel::visibilityChanged, this, &MainWindow::setSceneLayerVisible);
    connect(m_retrofitPlan, &RetrofitPlanPanel::buildingActivated, this, &MainWindow::flyToBuilding);
    connect(m_sensorPanel, &SensorPanel::pinsChanged, this, &MainWindow::colourSensorPins);
    m_simulations->setMeasurementSource([this] {
        return m_sensorSession && m_city ? m_sensorSession->measurements(m_city->project.model) : sim::Measurements{};
    });
    connect(m_sensorPanel, &SensorPanel::catalogChanged, this, &MainWindow::placeSensorPins);
    connect(m_sensorPanel, &SensorPanel::sensorActivated, this, &MainWindow::flyToSensor);
    connect(m_viewport, &ViewportWidget::sensorPicked, this, [this](std::size_t sensor) {
        m_sensorPanel->show();
        m_sensorPanel->raise();
        m_sensorPanel->pickSensor(sensor);
    });
    connect(m_viewport, &ViewportWidget::sensorHovered, this, [this](std::optional<std::size_t> sensor, const QPoint& at) {
        if (sensor) {
            QToolTip::showText(at, m_sensorPanel->describe(*sensor), m_viewport);
        } else {
            QToolTip::hideText();
        }
    });
    connect(m_job, &CityLoadJob::finished, this, &MainWindow::onCityLoaded);
    connect(m_cancel, &QToolButton::clicked, m_job, &CityLoadJob::cancel);
    connect(m_progressTimer, &QTimer::timeout, this,
            [this] { m_progress->setValue(static_cast<int>(100.0 * m_job->progress())); });
    retranslate();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions() {
    m_openProject = new QAction(this);
    m_openProject->setShortcut(QKeySequence::Open);
    connect(m_openProject, &QAction::triggered, this, [this] { chooseAndOpen(true); });
    m_openData = new QAction(this);
    connect(m_openData, &QAction::triggered, this, [this] { chooseAndOpen(false); });
    m_saveProject = new QAction(this);
    m_saveProject->setShortcut(QKeySequence::SaveAs);
    connect(m_saveProject, &QAction::triggered, this, &MainWindow::saveProjectAs);
    m_exportReport = new QAction(this);
    m_exportReport->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    connect(m_exportReport, &QAction::triggered, this, &MainWindow::exportReport);
    m_exportImage = new QAction(this);
    m_exportImage->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(m_exportImage, &QAction::triggered, this, &MainWindow::exportImage);
    m_quit = new QAction(this);
    m_quit->setShortcut(QKeySequence::Quit);
    connect(m_quit, &QAction::triggered, this, &QWidget::close);
    m_home = new QAction(this);
    m_home->setShortcut(QKeySequence(Qt::Key_Home));
    connect(m_home, &QAction::triggered, m_viewport, &ViewportWidget::home);
    m_presentation = new QAction(this);
    m_presentation->setShortcut(QKeySequence(Qt::Key_F11));
    m_presentation->setCheckable(true);
    connect(m_presentation, &QAction::toggled, this, &MainWindow::setPresentationMode);
    // A checkable View option kept in the settings; apply runs now and on every change.
    auto settingAction = [this](const QString& key, bool fallback, std::function<void(bool)> apply) {
        auto* action = new QAction(this);
        action->setCheckable(true);
        action->setChecked(QSettings().value(key, fallback).toBool());
        apply(action->isChecked());
        connect(action, &QAction::toggled, this, [key, apply](bool on) {
            QSettings().setValue(key, on);
            apply(on);
        });
        return action;
    };
    m_showFrameTime = settingAction(QStringLiteral("view/showFrameTime"), false, [this](bool on) {
        m_frameTime->setVisible(on);
        m_viewport->setTimingFrames(on);
        m_viewport->update();
    });
    m_shadows = settingAction(QStringLiteral("view/shadows"), true, [this](bool on) {
        if (!m_city) return;
        m_city->scene.shadow->setEnabled(on);
        m_viewport->update();
    });
    m_reduceDetail = settingAction(QStringLiteral("view/reduceDetailWhileMoving"), true,
                                   [this](bool on) { m_viewport->setReduceDetailWhileMoving(on); });
    m_saveViewpoint = new QAction(this);
    connect(m_saveViewpoint, &QAction::triggered, this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Save Viewpoint"), tr("Name of this view:"), QLineEdit::Normal,
                                                   QString(), &ok);
        if (ok && !name.trimmed().isEmpty()) saveViewpoint(name.trimmed());
    });

    auto* languages = new QActionGroup(this);
    m_languageSystem = new QAction(this);
    m_languageEnglish = new QAction(QStringLiteral("English"), this);
    m_languageKorean = new QAction(QStringLiteral("한국어"), this);
    const std::pair<QAction*, QString> choices[] = {
        {m_languageSystem, QString()}, {m_languageEnglish, QStringLiteral("en")}, {m_languageKorean, QStringLiteral("ko")}};
    for (const auto& [action, code] : choices) {
        action->setCheckable(true);
        action->setChecked(m_language->chosen() == code);
        languages->addAction(action);
        connect(action, &QAction::triggered, this, [this, code = code] { m_language->apply(code); });
    }
    m_about = new QAction(this);
    connect(m_about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About UrbanTwin"),
                           tr("<b>UrbanTwin</b> %1<br>An urban digital twin for planners.<br><br>"
                              "Demo city map data © OpenStreetMap contributors (ODbL 1.0).")
                               .arg(QApplication::applicationVersion()));
    });

    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addActions({m_openProject, m_openData, m_saveProject});
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_exportImage);
    m_fileMenu->addAction(m_exportReport);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quit);
    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->addAction(m_home);
    m_viewpointMenu = m_viewMenu->addMenu(QString());
    m_viewMenu->addAction(m_presentation);
    m_viewMenu->addAction(m_reduceDetail);
    m_viewMenu->addAction(m_showFrameTime);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_layers->toggleViewAction());
    m_viewMenu->addAction(m_simulations->toggleViewAction());
    m_viewMenu->addAction(m_inspector->toggleViewAction());
    m_viewMenu->addAction(m_sensorPanel->toggleViewAction());
    m_viewMenu->addAction(m_retrofitPlan->toggleViewAction());
    m_languageMenu = m_viewMenu->addMenu(QString());
    m_languageMenu->addActions({m_languageSystem, m_languageEnglish, m_languageKorean});
    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_about);
}

void MainWindow::retranslate() {
    const QString project = m_city ? m_city->project.project.name : QString();
    setWindowTitle(project.isEmpty() ? tr("UrbanTwin") : tr("%1 — UrbanTwin").arg(project));
    m_fileMenu->setTitle(tr("&File"));
    m_viewMenu->setTitle(tr("&View"));
    m_languageMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_openProject->setText(tr("&Open Project…"));
    m_openData->setText(tr("Open &Data File…"));
    m_exportImage->setText(tr("&Export Image…"));
    m_saveProject->setText(tr("&Save Project As…"));
    m_exportReport->setText(tr("Export &Report (PDF)…"));
    m_quit->setText(tr("&Quit"));
    m_home->setText(tr("&Home View"));
    m_presentation->setText(tr("&Presentation Mode"));
    m_reduceDetail->setText(tr("Less &Detail While Moving"));
    m_showFrameTime->setText(tr("Show &Frame Time"));
    m_shadows->setText(tr("Shadows"));
    m_shadows->setToolTip(tr("Buildings cast shadows in the sun of the chosen date and time"));
    m_saveViewpoint->setText(tr("Save Current View…"));
    m_viewpointMenu->setTitle(tr("View&points"));
    m_languageSystem->setText(tr("System Language"));
    m_about->setText(tr("&About UrbanTwin"));
    m_cancel->setText(tr("Cancel"));
    m_attribution->setText(tr("© OpenStreetMap contributors"));
    m_sunBar->setWindowTitle(tr("Sun"));
    m_sunLabel->setText(tr("Sun at (local standard time): "));
    if (!m_geographic) m_coordinates->setText(tr("Move the cursor over the city to see coordinates"));
}

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::openPath(const QString& path) {
    Project project;
    if (path.endsWith(QStringLiteral(".utwin"), Qt::CaseInsensitive)) {
        auto read = readProject(path);
        if (!read) {
            reportError(QString::fromStdString(read.error()));
            return;
        }
        project = std::move(read.value());
        for (const QString& warning : project.warnings) statusBar()->showMessage(warning, 8000);
    } else {
        project = projectForDataFile(path);
    }
    statusBar()->showMessage(tr("Loading %1…").arg(QFileInfo(path).fileName()));
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->show();
    m_progressTimer->start(100);
    m_job->start(project);
}

void MainWindow::onCityLoaded(std::shared_ptr<LoadedCity> city) {
    m_progressTimer->stop();
    m_progress->hide();
    m_cancel->hide();
    if (city->project.canceled) {
        statusBar()->showMessage(tr("Loading canceled; the previous city stays open"), 8000);
        return;
    }
    m_sensorPanel->setSession(nullptr, {});
    m_sensorPanel->setModelResults(nullptr, nullptr);
    m_sensorSession.reset();
    m_sensorMarkers = {};
    m_city = city;
    m_vehicleLayer.reset();
    m_vehicleLegend->hide();
    m_layers->setVehiclesShown(false);
    m_viewport->setScene(city->scene.root.get(), render::contentBounds(city->scene));
    m_linkHighlight = nullptr;
    m_layers->setCity(city);
    m_simulations->setCity(city);
    fillViewpointMenu();
    city->scene.shadow->setEnabled(m_shadows->isChecked());
    setSunTime(m_sunTime->dateTime());
    m_inspector->setCity(city);
    m_legend->hide();
    auto geographic = GeographicConverter::create(city->project.model.frame);
    m_geographic.reset();
    if (geographic) m_geographic.emplace(std::move(geographic.value()));
    startSensors();
    retranslate();
    const QString error = city->project.firstError();
    if (!error.isEmpty()) {
        reportError(error);
    } else {
        statusBar()->showMessage(tr("Loaded %1 buildings and %2 road links")
                                     .arg(QLocale().toString(qulonglong(city->project.model.buildings.buildingCount())))
                                     .arg(QLocale().toString(qulonglong(city->project.model.roads.linkCount()))),
                                 8000);
    }
    emit cityLoaded();
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_viewport && event->type() == QEvent::Resize) placeLegends();
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::pickRoadLink(std::size_t link) {
    if (!m_city || link >= m_city->project.model.roads.linkCount()) return;
    m_city->scene.coloring->setHighlight({});
    if (m_linkHighlight) m_city->scene.root->removeChild(m_linkHighlight);
    m_linkHighlight = render::buildLinkHighlight(m_city->project.model.roads, m_city->project.model.terrain, link);
    m_city->scene.root->addChild(m_linkHighlight);
    m_inspector->showRoadLink(link);
    m_viewport->update();
}

void MainWindow::pickBuilding(std::optional<std::size_t> picked) {
    if (!m_city) return;
    if (m_linkHighlight) {
        m_city->scene.root->removeChild(m_linkHighlight);
        m_linkHighlight = nullptr;
    }
    const BuildingTable& buildings = m_city->project.model.buildings;
    std::optional<std::size_t> building = picked;
    std::vector<std::size_t> rows;
    if (building && *building < buildings.size()) {
        if (buildings.isPart(*building)) building = buildings.partOf(*building);
        rows.push_back(*building);
        if (buildings.hasParts(*building)) {
            for (std::size_t i = 0; i < buildings.size(); ++i)
                if (buildings.isPart(i) && buildings.partOf(i) == *building) rows.push_back(i);
        }
    }
    m_city->scene.coloring->setHighlight(rows);
    const SimulationRun* run = m_simulations->lastRun();
    m_inspector->showBuilding(building, run ? &run->results : nullptr, m_simulations->colourField(), m_simulations->timeStep());
    m_viewport->update();
}

render::CameraPose MainWindow::poseOf(const Viewpoint& viewpoint) const {
    return cameraPoseOf(viewpoint, m_city->project.model.frame);
}

void MainWindow::fillViewpointMenu() {
    m_viewpointMenu->clear();
    if (m_city) {
        for (const Viewpoint& viewpoint : m_city->project.project.viewpoints) {
            const QString name = viewpoint.name;
            m_viewpointMenu->addAction(name, this, [this, name] { goToViewpoint(name); });
        }
    }
    if (!m_viewpointMenu->isEmpty()) m_viewpointMenu->addSeparator();
    m_viewpointMenu->addAction(m_saveViewpoint);
}

void MainWindow::goToViewpoint(const QString& name, double seconds) {
    if (!m_city) return;
    if (const Viewpoint* viewpoint = findViewpoint(m_city->project.project, name)) m_viewport->flyTo(poseOf(*viewpoint), seconds);
}

void MainWindow::saveViewpoint(const QString& name) {
    if (!m_city) return;
    const Viewpoint viewpoint = viewpointOf(name, m_viewport->cameraPose(), m_city->project.model.frame);
    auto& viewpoints = m_city->project.project.viewpoints;
    auto existing = std::find_if(viewpoints.begin(), viewpoints.end(), [&](const Viewpoint& v) { return v.name == name; });
    if (existing != viewpoints.end()) {
        *existing = viewpoint;
    } else {
        viewpoints.push_back(viewpoint);
    }
    fillViewpointMenu();
    statusBar()->showMessage(tr("Saved the view as “%1”; save the project to keep it").arg(name), 8000);
}

void MainWindow::flyToBuilding(std::size_t building) {
    if (!m_city || building >= m_city->project.model.buildings.size()) return;
    const BuildingTable& buildings = m_city->project.model.buildings;
    const std::size_t owner = buildings.isPart(building) ? buildings.partOf(building) : building;
    Eigen::Vector2d centre = Eigen::Vector2d::Zero();
    const auto ring = buildings.ring(buildings.ringBegin(owner));
    for (const auto& v : ring) centre += v;
    centre /= static_cast<double>(std::max<std::size_t>(ring.size(), 1));
    const double height = buildings.heightM(owner);
    const osg::Vec3d target(centre.x(), centre.y(), buildings.baseElevationM(owner) + height * 0.5);
    const render::CameraPose now = m_viewport->cameraPose();
    osg::Vec3d direction = now.eye - now.center;
    direction.normalize();
    const double distance = std::max(200.0, height * 2.8);
    m_viewport->flyTo({target + direction * distance, target, osg::Vec3d(0.0, 0.0, 1.0)}, 1.5);
    pickBuilding(building);
}

bool MainWindow::presentationMode() const { return m_tour->isRunning(); }

void MainWindow::setPresentationMode(bool on) {
    if (on == presentationMode()) return;
    if (on && m_city) {
        m_stateBeforePresentation = saveState();
        for (QDockWidget* dock : findChildren<QDockWidget*>()) dock->hide();
        menuBar()->hide();
        statusBar()->hide();
        showFullScreen();
        std::vector<render::CameraPose> stops;
        for (const Viewpoint& viewpoint : m_city->project.project.viewpoints) stops.push_back(poseOf(viewpoint));
        stops.push_back(render::homePose(render::contentBounds(m_city->scene)));
        m_tour->start(m_city->project.project.name, tr("UrbanTwin — urban digital twin"), stops);
        m_simulations->setPlaying(true);
        if (m_sensorSession) m_sensorPanel->setPlaying(true);  // the sensors replay their history too
    } else {
        m_tour->stop();
        m_simulations->setPlaying(false);
        if (m_sensorSession) m_sensorPanel->setShownTime(std::nullopt);
        showNormal();
        menuBar()->show();
        statusBar()->show();
        restoreState(m_stateBeforePresentation);
    }
    QSignalBlocker block(m_presentation);
    m_presentation->setChecked(presentationMode());
}

void MainWindow::setSunTime(const QDateTime& local) {
    if (!m_city) return;
    if (QSignalBlocker block(m_sunTime); m_sunTime->dateTime() != local) m_sunTime->setDateTime(local);
    const auto sun = sunOverCity(local, m_city->project);
    if (sun) m_viewport->setSun(*sun);
    // Without a sun for this city (no CRS), the shadows follow the light the view has.
    m_city->scene.shadow->setSunDirection(m_viewport->towardsSun());
    if (sun) {
        statusBar()->showMessage(tr("Sun %1° above the horizon, azimuth %2°")
                                     .arg(90.0 - sun->zenithDeg, 0, 'f', 1)
                                     .arg(sun->azimuthDeg, 0, 'f', 1),
                                 5000);
    }
}

void MainWindow::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape && presentationMode()) {
        setPresentationMode(false);
        return;
    }
    QMainWindow::keyPressEvent(event);
}

void MainWindow::placeLegends() {
    int bottom = m_viewport->height() - 12;
    for (LegendWidget* legend : {m_legend, m_roadLegend, m_sensorLegend, m_vehicleLegend}) {
        if (!legend->isVisible()) continue;
        legend->move(12, bottom - legend->height());
        bottom -= legend->height() + 8;
    }
}

void MainWindow::applyColouring() {
    if (!m_city) return;
    const sim::Field* field = m_simulations->colourField();
    render::BuildingColoring& coloring = *m_city->scene.coloring;
    if (!field || field->kind != sim::EntityKind::Building || field->entityCount != coloring.buildingCount()) {
        coloring.clear();
        m_legend->hide();
    } else {
        const bool difference = m_simulations->showsDifference(*field);
        BuildingColours colours = buildingColours(*field, m_city->project.model.buildings, m_simulations->timeStep(), difference);
        coloring.setValues(colours.values, colours.legend.map, colours.legend.minimum, colours.legend.maximum);
        if (difference) colours.legend.title += tr(" (change)");
        m_legend->showLegend(colours.legend);
    }
    const sim::Field* roadField = m_simulations->roadColourField();
    if (!roadField || roadField->kind != sim::EntityKind::Link || roadField->entityCount != m_city->project.model.roads.linkCount()) {
        render::clearRoadColours(m_city->scene);
        m_roadLegend->hide();
    } else {
        BuildingColours colours = fieldColours(*roadField, m_simulations->timeStep(), m_simulations->showsDifference(*roadField));
        render::colourRoads(m_city->scene, colours.values, colours.legend.map, colours.legend.minimum, colours.legend.maximum);
        m_roadLegend->showLegend(colours.legend);
    }
    placeLegends();
    m_viewport->update();
    pickBuilding(coloring.highlight());
}

void MainWindow::editScenario(const QString& name) {
    if (!m_city) return;
    ScenarioEntry scenario;
    if (const ScenarioEntry* existing = findScenario(m_city->project.project, name)) scenario = *existing;
    ScenarioDialog dialog(scenario, m_city->project.project, m_city->project.model.buildings, this);
    if (dialog.exec() == QDialog::Accepted) storeScenario(name, dialog.scenario());
}

void MainWindow::storeScenario(const QString& previousName, const ScenarioEntry& scenario) {
    if (!m_city) return;
    auto& scenarios = m_city->project.project.scenarios;
    auto existing = std::find_if(scenarios.begin(), scenarios.end(), [&](const ScenarioEntry& s) { return s.name == previousName; });
    if (!previousName.isEmpty() && existing != scenarios.end()) {
        *existing = scenario;
    } else {
        scenarios.push_back(scenario);
    }
    m_simulations->refreshScenarios(scenario.name);
    statusBar()->showMessage(tr("Scenario “%1” stored; save the project to keep it").arg(scenario.name), 8000);
}

void MainWindow::exportReport() {
    if (!m_city) return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Report"), m_city->project.project.name + QStringLiteral(".pdf"),
                                                      tr("PDF documents (*.pdf)"));
    if (path.isEmpty()) return;
    if (Status written = writeReport(path); !written) {
        reportError(QString::fromStdString(written.error()));
    } else {
        statusBar()->showMessage(tr("Saved %1").arg(path), 8000);
    }
}

Status MainWindow::writeReport(const QString& path) {
    if (!m_city) return Error{"no city is open"};
    const SimulationRun* run = m_simulations->lastRun();
    ReportedRun reported;
    if (run) {
        reported.scenario = run->scenario;
        reported.simulations = {SimulationEntry{run->plugin, run->parameters, {}}};
        reported.results = &run->results;
        if (run->compared) {
            reported.baseline = &run->baseline;
            reported.proposal = &run->proposal;
        }
    }
    ReportContent report = PlanningReport::content(m_city->project, run ? &reported : nullptr, *m_registry,
                                                   QApplication::applicationVersion());
    auto map = render::renderOffscreen(m_city->scene.root.get(), m_viewport->cameraPose(), QSize(1600, 1000), m_viewport->sun());
    if (map) {
        report.map = map.value();
        if (m_legend->isVisible() && m_legend->legend()) paintLegendLarge(report.map, *m_legend->legend());
        const sim::Field* field = m_simulations->colourField();
        report.mapCaption = field ? tr("Buildings coloured by %1").arg(QString::fromStdString(field->name)) : tr("The city as loaded");
    }
    if (m_inspector->building()) {
        report.chart = m_inspector->chartImage();
        report.chartCaption =
            tr("Picked building: %1").arg(QString::fromStdString(m_city->project.model.buildings.id(*m_inspector->building())));
    }
    return writeReportPdf(report, path);
}

void MainWindow::saveProjectAs() {
    if (!m_city) return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Project As"), m_city->project.project.filePath,
                                                      tr("UrbanTwin projects (*.utwin)"));
    if (path.isEmpty()) return;
    if (Status saved = saveProject(m_city->project.project, path); !saved) {
        reportError(QString::fromStdString(saved.error()));
    } else {
        statusBar()->showMessage(tr("Saved %1").arg(path), 8000);
    }
}

void MainWindow::reportError(const QString& message) {
    statusBar()->showMessage(message, 15000);
    emit loadFailed(message);
    if (isVisible()) {
        auto* box = new QMessageBox(QMessageBox::Warning, tr("UrbanTwin"), message, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
}

void MainWindow::showCursor(std::optional<QPointF> local) {
    if (!local || !m_geographic || !m_city) {
        m_coordinates->setText(m_city ? tr("Cursor is above the horizon") : QString());
        return;
    }
    const Eigen::Vector2d lonLat = m_geographic->toLonLat({local->x(), local->y()});
    const auto& frame = m_city->project.model.frame;
    const Eigen::Vector2d origin = frame.origin().value_or(Eigen::Vector2d::Zero());
    m_coordinates->setText(tr("%1° N, %2° E   |   %3: %4, %5 m")
                               .arg(lonLat.y(), 0, 'f', 5)
                               .arg(lonLat.x(), 0, 'f', 5)
                               .arg(QString::fromStdString(frame.crs()))
                               .arg(local->x() + origin.x(), 0, 'f', 1)
                               .arg(local->y() + origin.y(), 0, 'f', 1));
}

void MainWindow::setSceneLayerVisible(SceneLayer layer, bool visible) {
    if (!m_city) return;
    if (layer == SceneLayer::Vehicles) {
        m_vehiclesVisible = visible;
        if (m_vehicleLayer) m_vehicleLayer->setVisible(visible);
        m_vehicleLegend->setVisible(visible && m_vehicleLayer);
        placeLegends();
        m_viewport->update();
        return;
    }
    const auto& scene = m_city->scene;
    osg::Node* node = layer == SceneLayer::Buildings ? static_cast<osg::Node*>(scene.buildings.get())
                      : layer == SceneLayer::Roads   ? scene.roads.get()
                      : layer == SceneLayer::Sensors ? m_sensorMarkers.geometry.get()
                                                     : scene.ground.get();
    if (!node) return;
    node->setNodeMask(visible ? ~0u : 0u);
    if (layer == SceneLayer::Sensors) {
        m_sensorLegend->setVisible(visible && m_sensorLegend->legend().has_value());
        placeLegends();
    }
    m_viewport->update();
}

void MainWindow::chooseAndOpen(bool projectOnly) {
    const QString filter = projectOnly ? tr("UrbanTwin projects (*.utwin)")
                                       : tr("GIS data (*.gpkg *.shp *.geojson *.json *.jsonl *.fgb *.osm *.pbf *.gml *.xml);;All files (*)");
    const QString path = QFileDialog::getOpenFileName(this, projectOnly ? tr("Open Project") : tr("Open Data File"),
                                                      QString(), filter);
    if (!path.isEmpty()) openPath(path);
}

void MainWindow::exportImage() {
    if (!m_city) return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Image"), QStringLiteral("urbantwin.png"),
                                                      tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    const QSize size = m_viewport->size() * 2;
    auto image = render::renderOffscreen(m_city->scene.root.get(), m_viewport->cameraPose(), size, m_viewport->sun());
    if (!image) {
        reportError(QString::fromStdString(image.error()));
    } else if (!image->save(path, "PNG")) {
        reportError(tr("%1: cannot write the image").arg(path));
    } else {
        statusBar()->showMessage(tr("Saved %1 (%2 × %3)").arg(path).arg(size.width()).arg(size.height()), 8000);
    }
}

void MainWindow::startSensors() {
    if (m_city->project.project.sensors.feeds.empty()) {
        m_layers->setSensorCount(0);
        m_sensorLegend->hide();
        return;
    }
    auto session = SensorSession::start(m_city->project.project, defaultObservationStorePath(m_city->project.project));
    if (!session) {
        reportError(QString::fromStdString(session.error()));
        return;
    }
    m_sensorSession = std::move(session.value());
    placeSensorPins();
    m_sensorPanel->setSession(m_sensorSession.get(), m_city->project.project.sensors.colourBy);
    m_sensorPanel->setModelResults(nullptr, &m_city->project.model);
    for (const SensorFeedStatus& feed : m_sensorSession->feeds())
        if (!feed.error.isEmpty()) statusBar()->showMessage(tr("Sensor feed %1: %2").arg(feed.name, feed.error), 15000);
}

void MainWindow::placeSensorPins() {
    if (!m_city || !m_sensorSession) return;
    if (m_sensorMarkers.geometry) m_city->scene.root->removeChild(m_sensorMarkers.geometry);
    std::vector<osg::Vec3d> positions;
    for (const sensors::Thing* thing : m_sensorSession->placedThings()) {
        const Eigen::Vector2d local =
            m_geographic ? m_geographic->toLocal({thing->location.longitude, thing->location.latitude}) : Eigen::Vector2d::Zero();
        const double ground = m_city->project.model.terrain.heightAt(local).value_or(0.0);
        positions.emplace_back(local.x(), local.y(), ground);
    }
    const double cityRadius = render::contentBounds(m_city->scene).radius();
    m_sensorMarkers = render::buildSensorMarkers(positions, render::sensorHeadRadiusFor(cityRadius));
    m_city->scene.root->addChild(m_sensorMarkers.geometry);
    m_layers->setSensorCount(static_cast<int>(positions.size()));
    colourSensorPins();
}

void MainWindow::colourSensorPins() {
    if (!m_city || !m_sensorMarkers.geometry) {
        m_sensorLegend->hide();
        placeLegends();
        return;
    }
    std::vector<double> values;
    for (const SensorReading& reading : m_sensorPanel->readings())
        values.push_back(reading.hasValue && !reading.stale ? reading.value : std::numeric_limits<double>::quiet_NaN());
    const auto range = m_sensorPanel->colourRange().value_or(std::pair{0.0, 1.0});
    const render::ColorMap map = render::ColorMap::viridis();
    render::colourSensorMarkers(m_sensorMarkers, values, map, range.first, range.second);
    render::LegendSpec legend;
    legend.title = m_sensorPanel->property();
    legend.unit = m_sensorPanel->unit();
    legend.map = map;
    legend.minimum = range.first;
    legend.maximum = range.second;
    if (!legend.title.isEmpty()) {
        m_sensorLegend->showLegend(legend);
        m_sensorLegend->setVisible(m_sensorMarkers.geometry->getNodeMask() != 0u);
    }
    placeLegends();
    m_viewport->update();
}

void MainWindow::flyToSensor(std::size_t placedIndex) {
    if (!m_sensorMarkers.geometry || placedIndex >= m_sensorMarkers.count) return;
    const sensors::Thing& thing = *m_sensorSession->placedThings()[placedIndex];
    const Eigen::Vector2d local = m_geographic->toLocal({thing.location.longitude, thing.location.latitude});
    const osg::Vec3d target(local.x(), local.y(), m_city->project.model.terrain.heightAt(local).value_or(0.0));
    const render::CameraPose now = m_viewport->cameraPose();
    osg::Vec3d direction = now.eye - now.center;
    direction.normalize();
    m_viewport->flyTo({target + direction * 600.0, target, osg::Vec3d(0.0, 0.0, 1.0)}, 1.5);
    m_sensorPanel->pickSensor(placedIndex);
}

void MainWindow::showVehicles() {
    if (!m_city) return;
    const sim::VehiclePlayback* playback = m_simulations->vehiclePlayback();
    if (!playback) {
        if (m_vehicleLayer) m_city->scene.root->removeChild(m_vehicleLayer->geometry());
        m_vehicleLayer.reset();
        m_vehicleLegend->hide();
        m_layers->setVehiclesShown(false);
        placeLegends();
        m_viewport->update();
        return;
    }
    if (!m_vehicleLayer) {
        const double exaggeration = render::vehicleExaggerationFor(render::contentBounds(m_city->scene).radius());
        m_vehicleLayer = std::make_unique<render::VehicleLayer>(exaggeration, 60.0);
        m_vehicleLayer->setVisible(m_vehiclesVisible);
        m_city->scene.root->addChild(m_vehicleLayer->geometry());
        render::LegendSpec legend;
        legend.title = tr("Vehicle speed (drawn %1× size)").arg(exaggeration, 0, 'f', 1);
        legend.unit = QStringLiteral("km/h");
        legend.map = m_vehicleLayer->colorMap();
        legend.maximum = m_vehicleLayer->maxSpeedKmh();
        m_vehicleLegend->showLegend(legend);
        m_vehicleLegend->setVisible(m_vehiclesVisible);
        m_layers->setVehiclesShown(true);
        placeLegends();
    }
    playback->sample(m_simulations->playbackTimeS(), m_vehiclePoses);
    const Terrain& terrain = m_city->project.model.terrain;
    m_vehicleMarkers.resize(m_vehiclePoses.size());
    for (std::size_t i = 0; i < m_vehiclePoses.size(); ++i) {
        const sim::VehiclePose& pose = m_vehiclePoses[i];
        const double ground = terrain.empty() ? 0.0 : terrain.heightAt(Eigen::Vector2d(pose.x, pose.y)).value_or(0.0);
        m_vehicleMarkers[i] = {pose.x, pose.y, static_cast<float>(ground), pose.headingRad, pose.speedMps};
    }
    m_vehicleLayer->setVehicles(m_vehicleMarkers);
    m_viewport->update();
}

}  // namespace ut::app
