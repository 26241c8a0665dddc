#include "CliCommands.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <cstdio>

#include "ut/app/InfoReport.h"
#include "ut/app/Project.h"
#include "ut/app/ProjectLoader.h"
#include "ut/app/ProjectRun.h"
#include "ut/sim/PluginRegistry.h"
#include "ut/sim/ResultExport.h"
#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include "ut/render/CityScene.h"
#include "ut/render/OffscreenRenderer.h"
#include "ut/render/Legend.h"
#include "ut/app/BuildingColours.h"
#include "ut/app/CitySun.h"
#include "ut/app/ViewpointPose.h"
#include "ut/app/PlanningReport.h"
#include "ut/app/RetrofitPlan.h"
#include "ut/app/ReportWriter.h"
#include <QDateTime>
#include <QPainter>
#include <QElapsedTimer>
#include <QMutex>
#include <atomic>
#include <charconv>
#include <csignal>
#include <thread>
#include "ut/sensors/FeedFactory.h"
#include "ut/sensors/CsvReplay.h"
#include "ut/sensors/MqttFeed.h"
#include "ut/sensors/ObservationPayload.h"

namespace ut::cli {

namespace {
void printError(const QString& message) {
    std::fprintf(stderr, "urbantwin-cli: %s\n", qPrintable(message));
}

// Takes "--name VALUE" out of arguments; nullopt when absent, error when the value is missing.
bool takeOption(QStringList& arguments, const QString& name, QString& value, QString& error) {
    const qsizetype at = arguments.indexOf(name);
    if (at < 0) return false;
    if (at + 1 >= arguments.size() || arguments[at + 1].startsWith(QStringLiteral("--"))) {
        error = name + QStringLiteral(" needs a value");
        return false;
    }
    value = arguments[at + 1];
    arguments.remove(at, 2);
    return true;
}

QString unknownOption(const QStringList& arguments) {
    for (const QString& a : arguments) {
        if (a.startsWith(QStringLiteral("--"))) return a;
    }
    return {};
}
struct OptionSpec {
    QString name;
    QString* value;
    bool required = false;
};

// Takes the options' values out of arguments and checks that exactly one positional argument (the
// project or file) remains; otherwise prints one line and returns false.
bool parseArguments(QStringList& arguments, const QString& verb, std::initializer_list<OptionSpec> options,
                    const QString& usage) {
    QString error;
    for (const OptionSpec& option : options) {
        const bool present = takeOption(arguments, option.name, *option.value, error);
        if (!error.isEmpty()) break;
        if (option.required && !present) error = QStringLiteral("usage: ") + usage;
    }
    if (error.isEmpty() && !unknownOption(arguments).isEmpty()) error = QStringLiteral("unknown option ") + unknownOption(arguments);
    if (error.isEmpty() && arguments.size() != 1) error = QStringLiteral("usage: ") + usage;
    if (error.isEmpty()) return true;
    printError(verb + QStringLiteral(": ") + error);
    return false;
}

// A project file read and loaded, or the exit status to return.
struct ProjectOrExit {
    std::optional<app::LoadedProject> loaded;
    int exitCode = kDone;
};

ProjectOrExit loadProjectForRun(const QString& path) {
    auto read = app::readProject(path);
    if (!read) {
        printError(QString::fromStdString(read.error()));
        return {std::nullopt, kBadInput};
    }
    for (const QString& warning : read->warnings) std::fprintf(stderr, "warning: %s\n", qPrintable(warning));
    app::LoadedProject loaded = app::loadProject(read.value());
    if (const QString failure = loaded.firstError(); !failure.isEmpty()) {
        printError(failure);
        return {std::nullopt, kBadInput};
    }
    return {std::move(loaded), kDone};
}

void scanPlugins(sim::PluginRegistry& registry) {
    registry.scan(sim::PluginRegistry::defaultFolders(QCoreApplication::applicationDirPath()));
    for (const QString& problem : registry.problems()) std::fprintf(stderr, "warning: %s\n", qPrintable(problem));
}

int writeResults(const sim::ResultSet& results, const CityModel& city, const QString& out) {
    if (!QDir().mkpath(out)) {
        printError(out + QStringLiteral(": cannot create the output folder"));
        return kBadInput;
    }
    Status written = sim::writeKpisJson(results, QDir(out).filePath(QStringLiteral("kpis.json")));
    if (written) written = sim::writeFieldCsvs(results, city, out);
    if (written) written = sim::writeResultsGeoPackage(results, city, QDir(out).filePath(QStringLiteral("results.gpkg")));
    if (!written) {
        printError(QString::fromStdString(written.error()));
        return kFailure;
    }
    return kDone;
}

// A retrofit run: its plan as a table (retrofit_plan.csv, MAC order) in the output folder.
int writeRetrofitPlan(const sim::ResultSet& results, const CityModel& city, const QString& out) {
    if (!app::hasRetrofitPlan(results)) return kDone;
    if (Status written = app::writeRetrofitPlanCsv(app::retrofitPlan(results, city.buildings),
                                                   QDir(out).filePath(QStringLiteral("retrofit_plan.csv")));
        !written) {
        printError(QString::fromStdString(written.error()));
        return kFailure;
    }
    return kDone;
}

int runFailed(const app::RunFailure& failure) {
    printError(failure.message);
    return failure.badInput ? kBadInput : kFailure;
}

// Writes what a feed delivers as CSV rows: datastream,phenomenon_time,result,received_at.
class CsvRecorder : public sensors::ObservationSink {
public:
    explicit CsvRecorder(QFile& file) : m_file(file) { m_file.write("datastream,phenomenon_time,result,received_at\n"); }

    void deliver(std::vector<sensors::IncomingObservation> batch) override {
        QByteArray rows;
        rows.reserve(static_cast<qsizetype>(batch.size()) * 64);
        for (const sensors::IncomingObservation& incoming : batch) {
            const sensors::Observation& observation = incoming.observation;
            QByteArray datastream = observation.datastreamId.toUtf8();
            if (datastream.contains(',') || datastream.contains('"') || datastream.contains('\n')) {
                datastream = '"' + datastream.replace("\"", "\"\"") + '"';
            }
            char number[32];
            const auto written = std::to_chars(number, number + sizeof number, observation.result);
            rows += datastream + ',' + sensors::formatTime(observation.phenomenonTime).toLatin1() + ',' +
                    QByteArray(number, static_cast<qsizetype>(written.ptr - number)) + ',' +
                    sensors::formatTime(incoming.receivedAt).toLatin1() + '\n';
        }
        QMutexLocker lock(&m_mutex);
        if (m_file.write(rows) == rows.size()) m_written += batch.size();
    }

    std::uint64_t written() const { return m_written; }

private:
    QMutex m_mutex;
    QFile& m_file;
    std::atomic<std::uint64_t> m_written{0};
};

volatile std::sig_atomic_t g_feedInterrupted = 0;
}  // namespace

int runPlugins(const QStringList& arguments) {
    if (!arguments.isEmpty()) {
        printError(QStringLiteral("plugins: takes no arguments"));
        return kBadInput;
    }
    sim::PluginRegistry registry;
    registry.scan(sim::PluginRegistry::defaultFolders(QCoreApplication::applicationDirPath()));
    QJsonArray plugins;
    for (const auto& record : registry.plugins()) {
        QJsonObject entry = record.metadata.toJson();
        entry.insert("path", record.path);
        plugins.append(entry);
    }
    const QJsonObject result{{"api_version", sim::kPluginApiVersion},
                             {"plugins", plugins},
                             {"problems", QJsonArray::fromStringList(registry.problems())}};
    std::fputs(QJsonDocument(result).toJson(QJsonDocument::Indented).constData(), stdout);
    return kDone;
}

int runRun(const QStringList& argumentsIn) {
    QStringList arguments = argumentsIn;
    QString out;
    QString scenario = QStringLiteral("baseline");
    if (!parseArguments(arguments, QStringLiteral("run"),
                        {{QStringLiteral("--out"), &out, true}, {QStringLiteral("--scenario"), &scenario}},
                        QStringLiteral("run PROJECT [--scenario NAME] --out DIR"))) {
        return kBadInput;
    }
    ProjectOrExit project = loadProjectForRun(arguments.first());
    if (!project.loaded) return project.exitCode;
    sim::PluginRegistry registry;
    scanPlugins(registry);
    Feedback feedback;
    const app::RunOutcome outcome = app::runProject(*project.loaded, registry, scenario, feedback);
    if (outcome.failure) return runFailed(*outcome.failure);
    if (const int status = writeResults(outcome.results, project.loaded->model, out); status != kDone) return status;
    return writeRetrofitPlan(outcome.results, project.loaded->model, out);
}

int runCompare(const QStringList& argumentsIn) {
    QStringList arguments = argumentsIn;
    QString out;
    QString baseline;
    QString proposal;
    if (!parseArguments(arguments, QStringLiteral("compare"),
                        {{QStringLiteral("--out"), &out, true},
                         {QStringLiteral("--baseline"), &baseline, true},
                         {QStringLiteral("--proposal"), &proposal, true}},
                        QStringLiteral("compare PROJECT --baseline A --proposal B --out DIR"))) {
        return kBadInput;
    }
    ProjectOrExit project = loadProjectForRun(arguments.first());
    if (!project.loaded) return project.exitCode;
    sim::PluginRegistry registry;
    scanPlugins(registry);
    Feedback feedback;
    const app::RunOutcome before = app::runProject(*project.loaded, registry, baseline, feedback);
    if (before.failure) return runFailed(*before.failure);
    const app::RunOutcome after = app::runProject(*project.loaded, registry, proposal, feedback);
    if (after.failure) return runFailed(*after.failure);
    const sim::ResultSet difference = app::differenceOf(before.results, after.results);
    if (const int status = writeResults(difference, project.loaded->model, out); status != kDone) return status;
    // The proposal's plan (a difference of plans is no plan).
    if (const int status = writeRetrofitPlan(after.results, project.loaded->model, out); status != kDone) return status;
    QJsonObject kpis;
    for (const sim::Kpi& delta : difference.kpis()) {
        kpis.insert(QString::fromStdString(delta.name),
                    QJsonObject{{"value", delta.value},
                                {"unit", QString::fromStdString(delta.unit)},
                                {"baseline", before.results.kpi(delta.name)->value},
                                {"proposal", after.results.kpi(delta.name)->value}});
    }
    QFile file(QDir(out).filePath(QStringLiteral("kpis.json")));
    if (!file.open(QIODevice::WriteOnly)) {
        printError(file.fileName() + QStringLiteral(": cannot write"));
        return kFailure;
    }
    file.write(QJsonDocument(kpis).toJson(QJsonDocument::Indented));
    return kDone;
}

int runReport(const QStringList& argumentsIn) {
    QStringList arguments = argumentsIn;
    QString out;
    QString scenario = QStringLiteral("baseline");
    QString baseline;
    QString colourBy;
    QString viewpointName;
    if (!parseArguments(arguments, QStringLiteral("report"),
                        {{QStringLiteral("--out"), &out, true},
                         {QStringLiteral("--scenario"), &scenario},
                         {QStringLiteral("--baseline"), &baseline},
                         {QStringLiteral("--color-by"), &colourBy},
                         {QStringLiteral("--viewpoint"), &viewpointName}},
                        QStringLiteral("report PROJECT --out FILE.pdf [--scenario NAME] [--baseline NAME] [--color-by FIELD] "
                                       "[--viewpoint NAME]"))) {
        return kBadInput;
    }
    ProjectOrExit project = loadProjectForRun(arguments.first());
    if (!project.loaded) return project.exitCode;
    const app::LoadedProject& loaded = *project.loaded;
    const app::Viewpoint* viewpoint = nullptr;
    if (!viewpointName.isEmpty() && !(viewpoint = app::findViewpoint(loaded.project, viewpointName))) {
        printError(QStringLiteral("%1: no viewpoint named '%2'").arg(arguments.first(), viewpointName));
        return kBadInput;
    }
    sim::PluginRegistry registry;
    scanPlugins(registry);
    Feedback feedback;
    app::RunOutcome outcome = app::runProject(loaded, registry, scenario, feedback);
    if (outcome.failure) return runFailed(*outcome.failure);
    app::ReportedRun reported{scenario, loaded.project.simulations, &outcome.results, nullptr, nullptr};
    std::optional<app::RunOutcome> before;
    sim::ResultSet difference;
    if (!baseline.isEmpty()) {
        before = app::runProject(loaded, registry, baseline, feedback);
        if (before->failure) return runFailed(*before->failure);
        difference = app::differenceOf(before->results, outcome.results);
        reported.results = &difference;
        reported.baseline = &before->results;
        reported.proposal = &outcome.results;
    }
    app::ReportContent report = app::PlanningReport::content(loaded, &reported, registry, QStringLiteral(UT_VERSION));

    const sim::ResultSet& shown = *reported.results;
    const sim::Field* field = nullptr;
    if (!colourBy.isEmpty()) {
        field = shown.field(colourBy.toStdString());
        if (!field || field->kind != sim::EntityKind::Building) {
            printError(QStringLiteral("report: --color-by %1: no such building field in the results").arg(colourBy));
            return kBadInput;
        }
    } else {
        for (const sim::Field& f : shown.fields()) {
            if (f.kind == sim::EntityKind::Building && f.time.isStatic()) {
                field = &f;
                break;
            }
        }
    }
    const render::CityScene scene = render::buildCityScene(loaded.model);
    std::optional<render::LegendSpec> legend;
    if (field) {
        app::BuildingColours colours = app::buildingColours(*field, loaded.model.buildings, 0, reported.baseline != nullptr);
        scene.coloring->setValues(colours.values, colours.legend.map, colours.legend.minimum, colours.legend.maximum);
        legend = colours.legend;
        report.mapCaption = QStringLiteral("%1%2").arg(QString::fromStdString(field->name),
                                                       reported.baseline ? QStringLiteral(" (%1 − %2)").arg(scenario, baseline) : QString());
    }
    render::CameraPose pose = render::homePose(render::contentBounds(scene));
    if (viewpoint) pose = app::cameraPoseOf(*viewpoint, loaded.model.frame);
    auto map = render::renderOffscreen(scene.root.get(), pose, QSize(1600, 1000));
    if (!map) {
        printError(QStringLiteral("report: ") + QString::fromStdString(map.error()));
        return kFailure;
    }
    report.map = map.value();
    if (legend) app::paintLegendLarge(report.map, *legend);
    if (Status written = app::writeReportPdf(report, out); !written) {
        printError(QString::fromStdString(written.error()));
        return kBadInput;
    }
    return kDone;
}

int runFeed(const QStringList& argumentsIn) {
    QStringList arguments = argumentsIn;
    const QString usage = QStringLiteral("feed SOURCE [--topic FILTER]... [--qos N] [--speed X] [--for SECONDS] --out FILE.csv");
    sensors::FeedOptions feedOptions;
    QString error;
    for (QString topic; takeOption(arguments, QStringLiteral("--topic"), topic, error);) feedOptions.topics << topic;
    if (!error.isEmpty()) {
        printError(QStringLiteral("feed: ") + error);
        return kBadInput;
    }
    QString out, qosText, secondsText, speedText;
    if (!parseArguments(arguments, QStringLiteral("feed"),
                        {{QStringLiteral("--out"), &out, true},
                         {QStringLiteral("--qos"), &qosText},
                         {QStringLiteral("--speed"), &speedText},
                         {QStringLiteral("--for"), &secondsText}},
                        usage)) {
        return kBadInput;
    }
    bool ok = true;
    if (!qosText.isEmpty()) {
        feedOptions.qos = qosText.toInt(&ok);
        if (!ok || *feedOptions.qos < 0 || *feedOptions.qos > 1) {
            printError(QStringLiteral("feed: --qos must be 0 or 1, not '%1'").arg(qosText));
            return kBadInput;
        }
    }
    if (!speedText.isEmpty()) {
        feedOptions.replaySpeed = speedText.toDouble(&ok);
        if (!ok || feedOptions.replaySpeed < 0.0) {
            printError(QStringLiteral("feed: --speed must be 0 (at once) or a positive factor, not '%1'").arg(speedText));
            return kBadInput;
        }
    }
    double seconds = 0.0;  // 0: until interrupted
    if (!secondsText.isEmpty() && (!(seconds = secondsText.toDouble(&ok), ok) || seconds <= 0.0)) {
        printError(QStringLiteral("feed: --for must be a positive number of seconds, not '%1'").arg(secondsText));
        return kBadInput;
    }
    const QString source = arguments.first();
    auto feed = sensors::makeFeed(source, feedOptions);
    if (!feed) {
        printError(QString::fromStdString(feed.error()));
        return kBadInput;
    }
    QFile file(out);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        printError(out + QStringLiteral(": cannot write"));
        return kBadInput;
    }
    CsvRecorder recorder(file);
    g_feedInterrupted = 0;
    std::signal(SIGINT, [](int) { g_feedInterrupted = 1; });
    std::signal(SIGTERM, [](int) { g_feedInterrupted = 1; });
    QElapsedTimer elapsed;
    elapsed.start();
    if (Status started = (*feed)->start(recorder); !started) {
        printError(QString::fromStdString(started.error()));
        return kBadInput;
    }
    const auto* replay = dynamic_cast<const sensors::CsvReplay*>(feed->get());
    while (!g_feedInterrupted && (seconds <= 0.0 || elapsed.elapsed() < static_cast<qint64>(seconds * 1000.0)) &&
           !(replay && replay->finished())) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    (*feed)->stop();
    file.close();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    sensors::FeedCounters& counters = (*feed)->counters();
    const QJsonObject summary{{"source", (*feed)->description()},
                              {"seconds", elapsed.elapsed() / 1000.0},
                              {"received", static_cast<qint64>(counters.received())},
                              {"written", static_cast<qint64>(recorder.written())},
                              {"malformed", static_cast<qint64>(counters.count(sensors::FeedProblem::MalformedPayload))},
                              {"connection_problems", static_cast<qint64>(counters.count(sensors::FeedProblem::ConnectionLost))},
                              {"out", out}};
    std::printf("%s\n", QJsonDocument(summary).toJson(QJsonDocument::Compact).constData());
    if (file.error() != QFileDevice::NoError) {
        printError(out + QStringLiteral(": ") + file.errorString());
        return kFailure;
    }
    if (const auto* mqtt = dynamic_cast<const sensors::MqttFeed*>(feed->get()); mqtt && mqtt->connectionCount() == 0) {
        QString reason = mqtt->lastError();
        reason.remove(QRegularExpression(QStringLiteral("^could not connect: ")));
        printError(QStringLiteral("feed: could not connect to %1: %2").arg(sensors::mqttUrlOf(mqtt->options()), reason));
        return kFailure;
    }
    if (counters.received() == 0 && counters.count(sensors::FeedProblem::ConnectionLost) > 0) {
        printError(QStringLiteral("feed: nothing received from %1: every request failed").arg((*feed)->description()));
        return kFailure;
    }
    return kDone;
}

void printUsage(bool toStderr) {
    std::fprintf(toStderr ? stderr : stdout,
                 "usage: urbantwin-cli VERB ...\n"
                 "  info [--frame EPSG:n] FILE...            what loads: counts, CRS, extent, skipped features (JSON)\n"
                 "  render PROJECT --out FILE.png [--size WxH] [--color-by FIELD] [--time ISO8601] [--viewpoint NAME]\n"
                 "         [--scenario NAME]                  an offscreen snapshot of the project's city\n"
                 "  plugins                                  simulation plugins, versions, parameter schemas (JSON)\n"
                 "  run PROJECT [--scenario NAME] --out DIR  kpis.json, a CSV per field, results.gpkg\n"
                 "  compare PROJECT --baseline A --proposal B --out DIR   KPI deltas and difference fields\n"
                 "  report PROJECT --out FILE.pdf [--scenario NAME] [--baseline NAME] [--color-by FIELD]\n"
                 "         [--viewpoint NAME]                 a PDF: city, assumptions, KPIs, the coloured map\n"
                 "  feed SOURCE [--topic FILTER]... [--qos N] [--speed X] [--for SECONDS] --out FILE.csv\n"
                 "                                           records a live feed (mqtt://, mqtts://) as CSV\n"
                 "exit status: 0 done, 2 bad input (one line on stderr), 1 anything else\n");
}

int runInfo(const QStringList& argumentsIn) {
    QStringList arguments = argumentsIn;
    QString frameCrs;
    QString error;
    takeOption(arguments, QStringLiteral("--frame"), frameCrs, error);
    if (!error.isEmpty()) {
        printError(QStringLiteral("info: ") + error);
        return kBadInput;
    }
    if (const QString unknown = unknownOption(arguments); !unknown.isEmpty()) {
        printError(QStringLiteral("info: unknown option ") + unknown);
        return kBadInput;
    }
    if (arguments.isEmpty()) {
        printError(QStringLiteral("info: name at least one file"));
        return kBadInput;
    }
    CityModel model;
    model.frame.setCrs(frameCrs.toStdString());
    QJsonObject result;
    int status = kDone;
    for (const QString& path : arguments) {
        auto report = VectorLoader::load(path.toStdString(), LoadOptions{}, model);
        if (!report) {
            const QString message = QString::fromStdString(report.error());
            printError(message);
            result.insert(path, QJsonObject{{"error", message}});
            status = kBadInput;
            continue;
        }
        result.insert(path, app::infoEntry(report.value(), model.frame));
    }
    std::fputs(QJsonDocument(result).toJson(QJsonDocument::Indented).constData(), stdout);
    return status;
}

int runRender(const QStringList& argumentsIn) {
    QStringList arguments = argumentsIn;
    QString out;
    QString sizeText = QStringLiteral("1600x1000");
    QString colourBy;
    QString timeText;
    QString viewpointName;
    QString scenario = QStringLiteral("baseline");
    if (!parseArguments(arguments, QStringLiteral("render"),
                        {{QStringLiteral("--out"), &out, true},
                         {QStringLiteral("--size"), &sizeText},
                         {QStringLiteral("--color-by"), &colourBy},
                         {QStringLiteral("--time"), &timeText},
                         {QStringLiteral("--viewpoint"), &viewpointName},
                         {QStringLiteral("--scenario"), &scenario}},
                        QStringLiteral("render PROJECT --out FILE.png [--size WxH] [--color-by FIELD] [--time ISO8601] "
                                       "[--viewpoint NAME] [--scenario NAME]"))) {
        return kBadInput;
    }
    const auto match = QRegularExpression(QStringLiteral("^(\\d{1,5})x(\\d{1,5})$")).match(sizeText);
    const QSize size = match.hasMatch() ? QSize(match.captured(1).toInt(), match.captured(2).toInt()) : QSize();
    if (size.width() < 16 || size.height() < 16 || size.width() > 16384 || size.height() > 16384) {
        printError(QStringLiteral("render: --size %1: expected WxH between 16x16 and 16384x16384").arg(sizeText));
        return kBadInput;
    }
    QDateTime when;
    if (!timeText.isEmpty()) {
        when = QDateTime::fromString(timeText, Qt::ISODate);
        if (!when.isValid()) {
            printError(QStringLiteral("render: --time %1: expected an ISO 8601 date and time such as 2026-07-15T14:00").arg(timeText));
            return kBadInput;
        }
    }
    const QString input = arguments.first();
    app::Project project;
    if (input.endsWith(QStringLiteral(".utwin"), Qt::CaseInsensitive)) {
        auto read = app::readProject(input);
        if (!read) {
            printError(QString::fromStdString(read.error()));
            return kBadInput;
        }
        project = std::move(read.value());
        for (const QString& warning : project.warnings) std::fprintf(stderr, "warning: %s\n", qPrintable(warning));
    } else {
        project = app::projectForDataFile(input);
    }
    const app::Viewpoint* viewpoint = nullptr;
    if (!viewpointName.isEmpty() && !(viewpoint = app::findViewpoint(project, viewpointName))) {
        QStringList names;
        for (const auto& v : project.viewpoints) names << v.name;
        printError(QStringLiteral("%1: no viewpoint named '%2' (the project has: %3)")
                       .arg(input, viewpointName, names.isEmpty() ? QStringLiteral("none") : names.join(", ")));
        return kBadInput;
    }
    const app::LoadedProject loaded = app::loadProject(project);
    if (const QString failure = loaded.firstError(); !failure.isEmpty()) {
        printError(failure);
        return kBadInput;
    }
    const render::CityScene scene = render::buildCityScene(loaded.model);
    std::optional<render::LegendSpec> legend;
    sim::ResultSet results;
    if (!colourBy.isEmpty()) {
        if (colourBy.startsWith(QStringLiteral("city."))) {
            results = app::attributeFields(loaded.model.buildings);
        } else {
            sim::PluginRegistry registry;
            scanPlugins(registry);
            Feedback feedback;
            app::RunOutcome outcome = app::runProject(loaded, registry, scenario, feedback);
            if (outcome.failure) return runFailed(*outcome.failure);
            results = std::move(outcome.results);
        }
        const sim::Field* field = results.field(colourBy.toStdString());
        if (!field || field->kind != sim::EntityKind::Building) {
            QStringList names;
            for (const auto& f : results.fields())
                if (f.kind == sim::EntityKind::Building) names << QString::fromStdString(f.name);
            printError(QStringLiteral("render: --color-by %1: no such building field (available: %2)")
                           .arg(colourBy, names.isEmpty() ? QStringLiteral("none") : names.join(", ")));
            return kBadInput;
        }
        std::size_t step = 0;
        if (when.isValid()) {
            if (field->time.isStatic()) {
                printError(QStringLiteral("render: --time: %1 has no time axis").arg(colourBy));
                return kBadInput;
            }
            const qint64 seconds = field->time.start.secsTo(when);
            const qint64 last = static_cast<qint64>(field->time.steps - 1) * field->time.stepSeconds;
            if (seconds < 0 || seconds > last) {
                printError(QStringLiteral("render: --time %1 is outside %2 … %3")
                               .arg(timeText, field->time.start.toString(Qt::ISODate),
                                    field->time.timeAt(field->time.steps - 1).toString(Qt::ISODate)));
                return kBadInput;
            }
            step = static_cast<std::size_t>(seconds / field->time.stepSeconds);
        }
        app::BuildingColours colours = app::buildingColours(*field, loaded.model.buildings, step, false);
        scene.coloring->setValues(colours.values, colours.legend.map, colours.legend.minimum, colours.legend.maximum);
        if (when.isValid()) colours.legend.title += QStringLiteral(" · ") + field->time.timeAt(step).toString(Qt::ISODate);
        legend = colours.legend;
    }
    render::CameraPose pose = render::homePose(render::contentBounds(scene));
    if (viewpoint) pose = app::cameraPoseOf(*viewpoint, loaded.model.frame);
    // --time also places the sun: the city lit as at that local standard time.
    const std::optional<render::SunAngles> sun = when.isValid() ? app::sunOverCity(when, loaded) : std::nullopt;
    if (sun) scene.shadow->setSunDirection(render::towardsSun(*sun));
    auto image = render::renderOffscreen(scene.root.get(), pose, size, sun);
    if (!image) {
        printError(QStringLiteral("render: ") + QString::fromStdString(image.error()));
        return kFailure;
    }
    if (legend) {
        QPainter painter(&image.value());
        const QSize legendSize = render::legendSize(*legend);
        render::paintLegend(painter, QRect(QPoint(12, size.height() - legendSize.height() - 12), legendSize), *legend);
    }
    if (!image->save(out, "PNG")) {
        printError(out + QStringLiteral(": cannot write the image"));
        return kBadInput;
    }
    return kDone;
}

}  // namespace ut::cli
