#include "SimulationPanel.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <QtConcurrent/QtConcurrentRun>

#include "CityLoadJob.h"
#include "ParameterForm.h"
#include "ut/app/BuildingColours.h"

namespace ut::app {

namespace {
// Parameter labels come from plugin metadata, in English and optionally Korean.
bool koreanUi() { return QCoreApplication::translate("ut::app::SimulationPanel", "Run") != QStringLiteral("Run"); }
}  // namespace

SimulationPanel::SimulationPanel(sim::PluginRegistry* registry, QWidget* parent)
    : QDockWidget(parent),
      m_registry(registry),
      m_pluginLabel(new QLabel(this)),
      m_plugins(new QComboBox(this)),
      m_description(new QLabel(this)),
      m_form(new ParameterForm(this)),
      m_scenarioLabel(new QLabel(this)),
      m_scenarios(new QComboBox(this)),
      m_compare(new QCheckBox(this)),
      m_newScenario(new QPushButton(this)),
      m_editScenario(new QPushButton(this)),
      m_runButton(new QPushButton(this)),
      m_cancelButton(new QPushButton(this)),
      m_progress(new QProgressBar(this)),
      m_status(new QLabel(this)),
      m_resultsBox(new QGroupBox(this)),
      m_kpis(new QTableWidget(this)),
      m_colourLabel(new QLabel(this)),
      m_colourBy(new QComboBox(this)),
      m_roadColourLabel(new QLabel(this)),
      m_roadColourBy(new QComboBox(this)),
      m_timeline(new QSlider(Qt::Horizontal, this)),
      m_play(new QToolButton(this)),
      m_time(new QLabel(this)),
      m_progressTimer(new QTimer(this)),
      m_playTimer(new QTimer(this)),
      m_playSpeed(new QComboBox(this)),
      m_problems(new QLabel(this)) {
    setObjectName(QStringLiteral("simulationPanel"));
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->addWidget(m_pluginLabel);
    layout->addWidget(m_plugins);
    m_description->setWordWrap(true);
    layout->addWidget(m_description);
    layout->addWidget(m_form);
    layout->addWidget(m_scenarioLabel);
    auto* scenarioRow = new QHBoxLayout;
    scenarioRow->addWidget(m_scenarios, 1);
    scenarioRow->addWidget(m_newScenario);
    scenarioRow->addWidget(m_editScenario);
    layout->addLayout(scenarioRow);
    layout->addWidget(m_compare);

    m_progress->setRange(0, 100);
    m_progress->hide();

    m_status->setWordWrap(true);


    auto* results = new QVBoxLayout(m_resultsBox);
    m_kpis->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_kpis->verticalHeader()->hide();
    m_kpis->setMinimumHeight(150);
    m_kpis->horizontalHeader()->setStretchLastSection(true);
    results->addWidget(m_kpis);
    results->addWidget(m_colourLabel);
    results->addWidget(m_colourBy);
    results->addWidget(m_roadColourLabel);
    results->addWidget(m_roadColourBy);
    auto* timeline = new QHBoxLayout;
    timeline->addWidget(m_play);
    timeline->addWidget(m_timeline);
    timeline->addWidget(m_playSpeed);
    results->addLayout(timeline);
    results->addWidget(m_time);
    layout->addWidget(m_resultsBox, 1);
    m_problems->setWordWrap(true);
    m_problems->setStyleSheet(QStringLiteral("color: #a15c00"));
    layout->addWidget(m_problems);
    layout->addStretch();
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(body);
    // Run, Cancel, progress and status stay in sight below the scrolling form and results.
    auto* frame = new QWidget(this);
    auto* outer = new QVBoxLayout(frame);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll, 1);
    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(9, 0, 9, 0);
    buttons->addWidget(m_runButton);
    buttons->addWidget(m_cancelButton);
    outer->addLayout(buttons);
    auto* progress = new QVBoxLayout;
    progress->setContentsMargins(9, 0, 9, 6);
    progress->addWidget(m_progress);
    progress->addWidget(m_status);
    outer->addLayout(progress);
    setWidget(frame);

    for (const auto& record : m_registry->plugins()) m_plugins->addItem(record.metadata.name, record.metadata.id);
    m_description->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_problems->setText(m_registry->problems().join('\n'));
    m_problems->setVisible(!m_registry->problems().isEmpty());
    m_cancelButton->setEnabled(false);
    m_runButton->setEnabled(false);

    connect(m_plugins, &QComboBox::currentIndexChanged, this, &SimulationPanel::showPlugin);
    connect(m_newScenario, &QPushButton::clicked, this, [this] { emit scenarioEditRequested(QString()); });
    connect(m_editScenario, &QPushButton::clicked, this, [this] { emit scenarioEditRequested(selectedScenario()); });
    connect(m_scenarios, &QComboBox::currentIndexChanged, this,
            [this] { m_editScenario->setEnabled(selectedScenario() != QStringLiteral("baseline")); });
    connect(m_runButton, &QPushButton::clicked, this, &SimulationPanel::run);
    connect(m_cancelButton, &QPushButton::clicked, this, &SimulationPanel::cancel);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &SimulationPanel::onFinished);
    connect(m_progressTimer, &QTimer::timeout, this, [this] {
        if (m_feedback) m_progress->setValue(static_cast<int>(100.0 * m_feedback->progress()));
    });
    connect(m_colourBy, &QComboBox::currentIndexChanged, this, [this] {
        updateTimeline();
        emit colouringChanged();
    });
    connect(m_roadColourBy, &QComboBox::currentIndexChanged, this, [this] {
        updateTimeline();
        emit colouringChanged();
    });
    connect(m_timeline, &QSlider::valueChanged, this, [this] {
        if (!m_followingPlayback) m_playbackS = m_timeline->value() * timelineStepS();
        updateTimeline();
        emit colouringChanged();
        emit playbackTimeChanged();
    });
    m_play->setCheckable(true);
    for (int speed : {10, 30, 60, 120}) m_playSpeed->addItem(QStringLiteral("×%1").arg(speed), speed);
    m_playSpeed->setCurrentIndex(1);
    connect(m_play, &QToolButton::toggled, this, [this](bool playing) {
        if (!playing) {
            m_playTimer->stop();
        } else if (vehiclePlayback()) {
            m_playClock.start();
            m_playTimer->start(30);
        } else {
            m_playTimer->start(200);
        }
    });
    connect(m_playTimer, &QTimer::timeout, this, [this] {
        if (vehiclePlayback()) {
            advancePlayback();
        } else {
            m_timeline->setValue(m_timeline->value() >= m_timeline->maximum() ? 0 : m_timeline->value() + 1);
        }
    });
    retranslate();
    showPlugin();
}

SimulationPanel::~SimulationPanel() {
    cancel();
    m_watcher.waitForFinished();
}

void SimulationPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        showPlugin();
        if (m_run) showResults();
    }
    QDockWidget::changeEvent(event);
}

void SimulationPanel::retranslate() {
    setWindowTitle(tr("Simulation"));
    m_pluginLabel->setText(tr("Simulation"));
    m_scenarioLabel->setText(tr("Scenario"));
    m_compare->setText(tr("Compare with the baseline"));
    m_newScenario->setText(tr("New…"));
    m_editScenario->setText(tr("Edit…"));
    m_runButton->setText(tr("Run"));
    m_cancelButton->setText(tr("Cancel"));
    m_resultsBox->setTitle(tr("Results"));
    m_colourLabel->setText(tr("Colour buildings by"));
    m_roadColourLabel->setText(tr("Colour roads by"));
    m_play->setText(tr("Play"));
    m_playSpeed->setToolTip(tr("Playback speed: simulated seconds per second"));
    if (m_plugins->count() == 0) m_status->setText(tr("No simulation plugins found."));
    if (m_scenarios->count() > 0) m_scenarios->setItemText(0, tr("Baseline"));
}

void SimulationPanel::refreshScenarios(const QString& select) {
    m_scenarios->clear();
    m_scenarios->addItem(tr("Baseline"), QStringLiteral("baseline"));
    if (m_city) {
        for (const auto& scenario : m_city->project.project.scenarios) m_scenarios->addItem(scenario.name, scenario.name);
    }
    m_scenarios->setCurrentIndex(std::max(0, m_scenarios->findData(select)));
}

QString SimulationPanel::selectedScenario() const { return m_scenarios->currentData().toString(); }

void SimulationPanel::setCity(std::shared_ptr<const LoadedCity> city) {
    m_city = std::move(city);
    refreshScenarios(QStringLiteral("baseline"));
    m_runButton->setEnabled(m_city && m_plugins->count() > 0 && !isRunning());
    m_run.reset();
    m_playbackS = 0.0;
    m_kpis->clear();
    m_kpis->setRowCount(0);
    m_attributeFields = m_city ? attributeFields(m_city->project.model.buildings) : sim::ResultSet();
    fillColourChoices();
    showPlugin();
}

void SimulationPanel::fillColourChoices() {
    const QString previous = m_colourBy->currentData().toString();
    QSignalBlocker block(m_colourBy);
    m_colourBy->clear();
    m_colourBy->addItem(tr("Nothing (plain)"), QString());
    const std::pair<const char*, QString> attributes[] = {
        {"city.height_m", tr("Height")},          {"city.use_class", tr("Use")},
        {"city.year_built", tr("Year built")},    {"city.height_source", tr("Height source")},
        {"city.footprint_area_m2", tr("Footprint area")}};
    for (const auto& [name, label] : attributes) {
        if (m_attributeFields.field(name)) m_colourBy->addItem(label, QString::fromLatin1(name));
    }
    if (m_run) {
        for (const sim::Field& field : m_run->results.fields()) {
            if (field.kind == sim::EntityKind::Building) {
                m_colourBy->addItem(QString::fromStdString(field.name), QString::fromStdString(field.name));
            }
        }
    }
    const int keep = m_colourBy->findData(previous);
    m_colourBy->setCurrentIndex(keep >= 0 ? keep : 0);

    const QString previousRoad = m_roadColourBy->currentData().toString();
    QSignalBlocker blockRoads(m_roadColourBy);
    m_roadColourBy->clear();
    m_roadColourBy->addItem(tr("Nothing (plain)"), QString());
    if (m_run) {
        for (const sim::Field& field : m_run->results.fields()) {
            if (field.kind == sim::EntityKind::Link) {
                m_roadColourBy->addItem(QString::fromStdString(field.name), QString::fromStdString(field.name));
            }
        }
    }
    m_roadColourBy->setCurrentIndex(std::max(0, m_roadColourBy->findData(previousRoad)));
    m_roadColourLabel->setVisible(m_roadColourBy->count() > 1);
    m_roadColourBy->setVisible(m_roadColourBy->count() > 1);
}

const sim::Field* SimulationPanel::roadColourField() const {
    const std::string name = m_roadColourBy->currentData().toString().toStdString();
    if (name.empty() || !m_run) return nullptr;
    return m_run->results.field(name);
}

void SimulationPanel::selectRoadColourField(const QString& name) {
    m_roadColourBy->setCurrentIndex(std::max(0, m_roadColourBy->findData(name)));
}

void SimulationPanel::showPlugin() {
    const sim::PluginRecord* record = m_registry->find(m_plugins->currentData().toString());
    if (!record) return;
    const bool korean = koreanUi();
    m_description->setText(korean && !record->metadata.descriptionKo.isEmpty() ? record->metadata.descriptionKo
                                                                              : record->metadata.description);
    for (int i = 0; i < m_plugins->count(); ++i) {
        const sim::PluginRecord* item = m_registry->find(m_plugins->itemData(i).toString());
        m_plugins->setItemText(i, korean && !item->metadata.nameKo.isEmpty() ? item->metadata.nameKo : item->metadata.name);
    }
    QVariantMap values;
    if (m_city) {
        for (const auto& entry : m_city->project.project.simulations)
            if (entry.plugin == record->metadata.id) values = entry.parameters;
    }
    m_form->setSchema(record->metadata, values, korean);
}

void SimulationPanel::selectPlugin(const QString& id) { m_plugins->setCurrentIndex(m_plugins->findData(id)); }
void SimulationPanel::selectScenario(const QString& name) { m_scenarios->setCurrentIndex(m_scenarios->findData(name)); }
void SimulationPanel::setCompareWithBaseline(bool compare) { m_compare->setChecked(compare); }
bool SimulationPanel::isRunning() const { return m_watcher.isRunning(); }

void SimulationPanel::run() {
    if (!m_city || isRunning()) return;
    Project project = m_city->project.project;
    project.simulations = {SimulationEntry{m_plugins->currentData().toString(), m_form->values(), {}}};
    const QString scenario = m_scenarios->currentData().toString();
    const bool compare = m_compare->isChecked() && scenario != QStringLiteral("baseline");
    m_feedback = std::make_shared<Feedback>();
    auto feedback = m_feedback;
    auto city = m_city;
    sim::PluginRegistry* registry = m_registry;
    auto measurements = std::make_shared<const sim::Measurements>(m_measurementSource ? m_measurementSource() : sim::Measurements{});
    m_watcher.setFuture(QtConcurrent::run([project, city, feedback, registry, scenario, compare, measurements] {
        auto run = std::make_shared<SimulationRun>();
        run->scenario = scenario;
        run->plugin = project.simulations.front().plugin;
        run->parameters = project.simulations.front().parameters;
        const sim::WeatherSeries* weather = city->project.weather ? &*city->project.weather : nullptr;
        const CityModel& model = city->project.model;
        RunOutcome first = runProject(project, model, weather, *registry, compare ? QStringLiteral("baseline") : scenario, *feedback,
                                      measurements.get());
        if (first.failure) {
            run->failure = first.failure;
            return run;
        }
        if (!compare) {
            run->results = std::move(first.results);
            return run;
        }
        RunOutcome second = runProject(project, model, weather, *registry, scenario, *feedback, measurements.get());
        if (second.failure) {
            run->failure = second.failure;
            return run;
        }
        run->compared = true;
        run->results = differenceOf(first.results, second.results);
        run->baseline = std::move(first.results);
        run->proposal = std::move(second.results);
        return run;
    }));
    m_runButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
    m_progress->setValue(0);
    m_progress->show();
    m_progressTimer->start(100);
    m_status->setText(tr("Running…"));
}

void SimulationPanel::cancel() {
    if (m_feedback) m_feedback->cancel();
}

void SimulationPanel::onFinished() {
    m_progressTimer->stop();
    m_progress->hide();
    m_cancelButton->setEnabled(false);
    m_runButton->setEnabled(m_city != nullptr);
    auto run = m_watcher.result();
    if (run->failure) {
        m_status->setText(run->failure->message);
        emit runFinished(false, run->failure->message);
        return;
    }
    m_run = run;
    m_status->setText(run->compared ? tr("Done: differences %1 − baseline").arg(run->scenario) : tr("Done"));
    m_playbackS = 0.0;
    showResults();
    emit runFinished(true, QString());
    emit colouringChanged();
    emit playbackTimeChanged();
}

void SimulationPanel::showResults() {
    const sim::ResultSet& results = m_run->results;
    const QLocale locale;
    m_kpis->clear();
    m_kpis->setRowCount(static_cast<int>(results.kpis().size()));
    if (m_run->compared) {
        m_kpis->setColumnCount(5);
        m_kpis->setHorizontalHeaderLabels({tr("KPI"), tr("Baseline"), m_run->scenario, tr("Change"), tr("Unit")});
    } else {
        m_kpis->setColumnCount(3);
        m_kpis->setHorizontalHeaderLabels({tr("KPI"), tr("Value"), tr("Unit")});
    }
    auto number = [&locale](double v) {
        const double magnitude = std::abs(v);
        return locale.toString(v, 'f', magnitude >= 100.0 ? 0 : magnitude >= 1.0 ? 2 : 3);
    };
    int row = 0;
    for (const sim::Kpi& kpi : results.kpis()) {
        QStringList cells{QString::fromStdString(kpi.name)};
        if (m_run->compared) {
            cells << number(m_run->baseline.kpi(kpi.name)->value) << number(m_run->proposal.kpi(kpi.name)->value);
        }
        cells << number(kpi.value) << QString::fromStdString(kpi.unit);
        for (int c = 0; c < cells.size(); ++c) m_kpis->setItem(row, c, new QTableWidgetItem(cells[c]));
        ++row;
    }
    m_kpis->resizeColumnsToContents();
    fillColourChoices();
    // After a run, colour by its first building field unless the user already chose one of its fields.
    if (!m_run->results.field(m_colourBy->currentData().toString().toStdString())) {
        for (const sim::Field& field : results.fields()) {
            if (field.kind != sim::EntityKind::Building) continue;
            m_colourBy->setCurrentIndex(m_colourBy->findData(QString::fromStdString(field.name)));
            break;
        }
    }
    // Roads take the run's first link field (the traffic speed) unless one of its fields is chosen.
    if (!roadColourField()) {
        for (const sim::Field& field : results.fields()) {
            if (field.kind != sim::EntityKind::Link) continue;
            selectRoadColourField(QString::fromStdString(field.name));
            break;
        }
    }
    updateTimeline();
}

const sim::Field* SimulationPanel::colourField() const {
    const std::string name = m_colourBy->currentData().toString().toStdString();
    if (name.empty()) return nullptr;
    if (m_run) {
        if (const sim::Field* field = m_run->results.field(name)) return field;
    }
    return m_attributeFields.field(name);
}

bool SimulationPanel::showsDifference(const sim::Field& field) const {
    return m_run && m_run->compared && m_run->results.field(field.name) == &field;
}

void SimulationPanel::selectColourField(const QString& name) { m_colourBy->setCurrentIndex(m_colourBy->findData(name)); }

void SimulationPanel::setPlaying(bool playing) { m_play->setChecked(playing && !m_play->isHidden()); }

bool SimulationPanel::isPlaying() const { return m_play->isChecked(); }

const sim::VehiclePlayback* SimulationPanel::vehiclePlayback() const {
    if (!m_run) return nullptr;
    const sim::VehiclePlayback& playback = (m_run->compared ? m_run->proposal : m_run->results).vehiclePlayback();
    return playback.empty() ? nullptr : &playback;
}

double SimulationPanel::playbackSpeed() const { return m_playSpeed->currentData().toDouble(); }

double SimulationPanel::timelineStepS() const {
    const sim::Field* field = colourField();
    if (!field || field->time.isStatic()) field = roadColourField();
    if (field && !field->time.isStatic() && field->time.steps > 1) return field->time.stepSeconds;
    const sim::VehiclePlayback* playback = vehiclePlayback();
    return playback ? playback->intervalS : 0.0;
}

void SimulationPanel::advancePlayback() {
    const sim::VehiclePlayback* playback = vehiclePlayback();
    // Real time since the last tick (at most a quarter second, so that a stall does not jump ahead).
    const double elapsedS = std::min(0.25, static_cast<double>(m_playClock.restart()) / 1000.0);
    const double endS = std::max(playback->durationS(), m_timeline->maximum() * timelineStepS());
    m_playbackS += elapsedS * playbackSpeed();
    if (m_playbackS > endS) m_playbackS = 0.0;
    const double stepS = timelineStepS();
    const int step = stepS > 0.0 ? std::clamp(static_cast<int>(m_playbackS / stepS), 0, m_timeline->maximum()) : 0;
    if (step != m_timeline->value()) {
        m_followingPlayback = true;
        m_timeline->setValue(step);
        m_followingPlayback = false;
    } else {
        updateTimeline();
        emit playbackTimeChanged();
    }
}

std::size_t SimulationPanel::timeStep() const { return static_cast<std::size_t>(m_timeline->value()); }

void SimulationPanel::updateTimeline() {
    const sim::Field* field = colourField();
    if (!field || field->time.isStatic()) {
        if (const sim::Field* road = roadColourField(); road && !road->time.isStatic()) field = road;
    }
    const bool series = field && !field->time.isStatic() && field->time.steps > 1;
    const sim::VehiclePlayback* playback = vehiclePlayback();
    m_timeline->setVisible(series || playback);
    m_play->setVisible(series || playback);
    m_time->setVisible(series || playback);
    m_playSpeed->setVisible(playback != nullptr);
    if (!series && !playback) return;
    m_timeline->setRange(0, static_cast<int>(series ? field->time.steps : playback->frameCount()) - 1);
    if (!playback) {
        m_time->setText(QLocale().toString(field->time.timeAt(timeStep()), QLocale::ShortFormat));
        return;
    }
    const QDateTime shown = playback->start.addMSecs(std::llround(m_playbackS * 1000.0));
    m_time->setText(QStringLiteral("%1 %2").arg(QLocale().toString(shown.date(), QLocale::ShortFormat),
                                               shown.time().toString(QStringLiteral("HH:mm:ss"))));
}

}  // namespace ut::app
