#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "TestSupport.h"

using namespace ut;

namespace {
const QString kCli = test::binaryPath(QStringLiteral("bin/urbantwin-cli"));
const QString kDemoProject = test::sourcePath(QStringLiteral("data/demo/demo.utwin"));
const QString kDemoOsm = test::sourcePath(QStringLiteral("data/demo/jamsil.osm.pbf"));

test::ProcessResult cli(const QStringList& arguments) { return test::runProgram(kCli, arguments); }

void expectOneErrorLine(const test::ProcessResult& result, const QString& mustContain) {
    const QStringList lines = result.err.trimmed().split('\n');
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().contains(mustContain), qPrintable(result.err));
}

void writeFile(const QString& path, const QByteArray& content) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}
}  // namespace

class CliTest : public QObject {
    Q_OBJECT
private slots:
    void infoOnDemoData() {
        const auto result = cli({QStringLiteral("info"), kDemoOsm});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.err.isEmpty(), qPrintable(result.err));
        const QJsonObject entry = QJsonDocument::fromJson(result.out.toUtf8()).object().value(kDemoOsm).toObject();
        const long long ogrBuildings = test::ogrinfoCount(
            kDemoOsm, QStringLiteral("SELECT COUNT(*) FROM multipolygons WHERE building IS NOT NULL AND building <> 'no'"));
        QCOMPARE(entry.value("buildings").toInteger(), ogrBuildings);
        QVERIFY(entry.value("road_links").toInteger() > 300);
        QCOMPARE(entry.value("skipped").toInteger(), 0);
        QVERIFY(entry.value("skip_reasons").isObject());
        QCOMPARE(entry.value("crs").toString(), QStringLiteral("EPSG:4326"));
        QCOMPARE(entry.value("extent").toArray().size(), 4);
        const QJsonObject heights = entry.value("height_sources").toObject();
        QCOMPARE(heights.value("attribute").toInteger() + heights.value("levels").toInteger() +
                     heights.value("default").toInteger(),
                 ogrBuildings);
    }

    void infoInNamedFrame() {
        const auto result = cli({QStringLiteral("info"), QStringLiteral("--frame"), QStringLiteral("EPSG:5186"), kDemoOsm});
        QCOMPARE(result.exitCode, 0);
        const QJsonObject entry = QJsonDocument::fromJson(result.out.toUtf8()).object().value(kDemoOsm).toObject();
        QCOMPARE(entry.value("frame_crs").toString(), QStringLiteral("EPSG:5186"));
        // Jamsil lies about 210 km east and 545 km north of EPSG:5186's false origin.
        const QJsonArray origin = entry.value("frame_origin").toArray();
        QVERIFY(std::abs(origin[0].toDouble() - 210000.0) < 3000.0);
        QVERIFY(std::abs(origin[1].toDouble() - 545000.0) < 3000.0);
    }

    void infoOnBadInput() {
        const auto missing = cli({QStringLiteral("info"), QStringLiteral("/no/such/file.gpkg")});
        QCOMPARE(missing.exitCode, 2);
        expectOneErrorLine(missing, QStringLiteral("/no/such/file.gpkg: no such file"));

        QTemporaryDir dir;
        const QString broken = dir.filePath(QStringLiteral("broken.geojson"));
        writeFile(broken, "{\"type\": \"FeatureCollection\", \"features\": [ {\"type\": ");
        const auto result = cli({QStringLiteral("info"), broken});
        QCOMPARE(result.exitCode, 2);
        expectOneErrorLine(result, broken);

        const auto mixed = cli({QStringLiteral("info"), kDemoOsm, broken});
        QCOMPARE(mixed.exitCode, 2);
        const QJsonObject entries = QJsonDocument::fromJson(mixed.out.toUtf8()).object();
        QVERIFY(entries.value(kDemoOsm).toObject().value("buildings").toInteger() > 0);
        QVERIFY(entries.value(broken).toObject().contains("error"));
    }

    void usageErrors() {
        QCOMPARE(cli({}).exitCode, 2);
        QCOMPARE(cli({QStringLiteral("frobnicate")}).exitCode, 2);
        QCOMPARE(cli({QStringLiteral("info")}).exitCode, 2);
        QCOMPARE(cli({QStringLiteral("--help")}).exitCode, 0);
        const auto noOut = cli({QStringLiteral("render"), kDemoProject});
        QCOMPARE(noOut.exitCode, 2);
        expectOneErrorLine(noOut, QStringLiteral("--out"));
        const auto badSize = cli({QStringLiteral("render"), kDemoProject, QStringLiteral("--out"), QStringLiteral("/tmp/x.png"),
                                  QStringLiteral("--size"), QStringLiteral("huge")});
        QCOMPARE(badSize.exitCode, 2);
        expectOneErrorLine(badSize, QStringLiteral("--size huge"));
    }

    void renderDemoProject() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("demo.png"));
        const auto result = cli({QStringLiteral("render"), kDemoProject, QStringLiteral("--out"), out,
                                 QStringLiteral("--size"), QStringLiteral("320x200")});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        const QImage image(out);
        QCOMPARE(image.size(), QSize(320, 200));
        // Sky, ground, roads and buildings: far more than a couple of colours.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 4)
            for (int x = 0; x < image.width(); x += 4) colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
    }

    void renderColouredByAFieldWithLegendFromAViewpoint() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("use.png"));
        const auto result = cli({QStringLiteral("render"), kDemoProject, QStringLiteral("--out"), out, QStringLiteral("--size"),
                                 QStringLiteral("640x400"), QStringLiteral("--color-by"), QStringLiteral("city.use_class"),
                                 QStringLiteral("--viewpoint"), QStringLiteral("Lotte World Tower")});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        const QImage image(out);
        QCOMPARE(image.size(), QSize(640, 400));
        // Residential buildings in tab10 blue (31, 119, 180), lit; the legend's white box bottom-left.
        long long blue = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                const QRgb p = image.pixel(x, y);
                blue += (qBlue(p) > qRed(p) + 60 && qBlue(p) > qGreen(p) + 20) ? 1 : 0;
            }
        QVERIFY2(blue > 2000, qPrintable(QString::number(blue)));
        QCOMPARE(image.pixel(20, 400 - 20), qRgb(255, 255, 255));

        const auto byResult = cli({QStringLiteral("render"), kDemoProject, QStringLiteral("--out"), dir.filePath("far.png"),
                                   QStringLiteral("--size"), QStringLiteral("320x200"), QStringLiteral("--color-by"),
                                   QStringLiteral("example.cell_far")});
        QVERIFY2(byResult.exitCode == 0, qPrintable(byResult.err));

        const auto unknownField = cli({QStringLiteral("render"), kDemoProject, QStringLiteral("--out"), dir.filePath("x.png"),
                                       QStringLiteral("--color-by"), QStringLiteral("example.nothing")});
        QCOMPARE(unknownField.exitCode, 2);
        expectOneErrorLine(unknownField, QStringLiteral("available: example."));
        const auto unknownViewpoint = cli({QStringLiteral("render"), kDemoProject, QStringLiteral("--out"), dir.filePath("x.png"),
                                           QStringLiteral("--viewpoint"), QStringLiteral("Nowhere")});
        QCOMPARE(unknownViewpoint.exitCode, 2);
        expectOneErrorLine(unknownViewpoint, QStringLiteral("no viewpoint named 'Nowhere'"));
        const auto staticTime = cli({QStringLiteral("render"), kDemoProject, QStringLiteral("--out"), dir.filePath("x.png"),
                                     QStringLiteral("--color-by"), QStringLiteral("city.height_m"), QStringLiteral("--time"),
                                     QStringLiteral("2026-07-01T12:00")});
        QCOMPARE(staticTime.exitCode, 2);
        expectOneErrorLine(staticTime, QStringLiteral("has no time axis"));
    }

    // A CSV replay recorded at full speed, and the recording replayed again: the same rows.
    void feedRecordsACsvReplayAndReplaysTheRecording() {
        QTemporaryDir dir;
        const QString first = dir.filePath(QStringLiteral("first.csv"));
        const auto recorded = cli({QStringLiteral("feed"), test::sourcePath(QStringLiteral("data/demo/sensors/seoul-air_hourly_2022-03.mapping.json")),
                                   QStringLiteral("--speed"), QStringLiteral("0"), QStringLiteral("--out"), first});
        QVERIFY2(recorded.exitCode == 0, qPrintable(recorded.err));
        QVERIFY(recorded.out.contains(QStringLiteral("\"written\":4032")));  // 672 hours × 6 pollutants
        QFile file(first);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.first(), QByteArray("datastream,phenomenon_time,result,received_at"));
        // 2022-03-01 01:00 KST is 2022-02-28 16:00 UTC; PM2.5 17 µg/m³ in the source's first row.
        QVERIFY(std::any_of(lines.begin(), lines.end(),
                            [](const QByteArray& l) { return l.startsWith("seoul-average/pm25,2022-02-28T16:00:00.000Z,17,"); }));
        const QString second = dir.filePath(QStringLiteral("second.csv"));
        const auto replayed = cli({QStringLiteral("feed"), first, QStringLiteral("--speed"), QStringLiteral("0"), QStringLiteral("--out"), second});
        QVERIFY2(replayed.exitCode == 0, qPrintable(replayed.err));
        QVERIFY(replayed.out.contains(QStringLiteral("\"written\":4032")));

        const auto badSpeed = cli({QStringLiteral("feed"), first, QStringLiteral("--speed"), QStringLiteral("fast"), QStringLiteral("--out"), second});
        QCOMPARE(badSpeed.exitCode, 2);
        expectOneErrorLine(badSpeed, QStringLiteral("--speed"));
    }

    void reportWritesAPdf() {
        QTemporaryDir dir;
        const QString pdf = dir.filePath(QStringLiteral("report.pdf"));
        const auto result = cli({QStringLiteral("report"), kDemoProject, QStringLiteral("--out"), pdf, QStringLiteral("--color-by"),
                                 QStringLiteral("example.gfa_m2")});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        const auto text = test::runProgram(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains(QStringLiteral("Jamsil")));
        QVERIFY(text.out.contains(QStringLiteral("Assumptions")));
        QVERIFY(text.out.contains(QStringLiteral("example.total_gfa_m2")));
        QVERIFY(text.out.contains(QStringLiteral("example.gfa_m2")));  // the map's caption

        const auto badField = cli({QStringLiteral("report"), kDemoProject, QStringLiteral("--out"), pdf, QStringLiteral("--color-by"),
                                   QStringLiteral("nothing.here")});
        QCOMPARE(badField.exitCode, 2);
        expectOneErrorLine(badField, QStringLiteral("--color-by nothing.here"));
    }

    void renderRejectsBrokenProjects() {
        QTemporaryDir dir;
        const QString badJson = dir.filePath(QStringLiteral("bad.utwin"));
        writeFile(badJson, "{\n  \"format\": \"urbantwin-project\",\n  \"version\": 1,\n  \"layers\": [,]\n}\n");
        const auto syntax = cli({QStringLiteral("render"), badJson, QStringLiteral("--out"), dir.filePath("x.png")});
        QCOMPARE(syntax.exitCode, 2);
        expectOneErrorLine(syntax, badJson + QStringLiteral(":4:"));

        const QString missingLayer = dir.filePath(QStringLiteral("missing.utwin"));
        writeFile(missingLayer, "{\"format\": \"urbantwin-project\", \"version\": 1, \"layers\": [{\"path\": \"gone.gpkg\"}]}");
        const auto missing = cli({QStringLiteral("render"), missingLayer, QStringLiteral("--out"), dir.filePath("x.png")});
        QCOMPARE(missing.exitCode, 2);
        expectOneErrorLine(missing, QStringLiteral("gone.gpkg: no such file"));

        const QString future = dir.filePath(QStringLiteral("future.utwin"));
        writeFile(future, "{\"format\": \"urbantwin-project\", \"version\": 99, \"layers\": []}");
        const auto tooNew = cli({QStringLiteral("render"), future, QStringLiteral("--out"), dir.filePath("x.png")});
        QCOMPARE(tooNew.exitCode, 2);
        expectOneErrorLine(tooNew, QStringLiteral("version 99 is not supported"));
        QVERIFY(!QFile::exists(dir.filePath("x.png")));
    }

    void pluginsListsTheExample() {
        const auto result = cli({QStringLiteral("plugins")});
        QCOMPARE(result.exitCode, 0);
        const QJsonObject listing = QJsonDocument::fromJson(result.out.toUtf8()).object();
        QCOMPARE(listing.value("api_version").toInt(), 1);
        bool found = false;
        for (const QJsonValue& plugin : listing.value("plugins").toArray()) {
            if (plugin.toObject().value("id").toString() != QStringLiteral("example")) continue;
            found = true;
            QCOMPARE(plugin.toObject().value("parameters").toArray().first().toObject().value("id").toString(),
                     QStringLiteral("cell_size_m"));
        }
        QVERIFY(found);
    }

    void runWritesKpisCsvsAndAGeoPackageThatGdalReads() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("run"));
        const auto result = cli({QStringLiteral("run"), kDemoProject, QStringLiteral("--out"), out});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QFile kpiFile(out + QStringLiteral("/kpis.json"));
        QVERIFY(kpiFile.open(QIODevice::ReadOnly));
        const QJsonObject kpis = QJsonDocument::fromJson(kpiFile.readAll()).object();
        const double totalGfa = kpis.value("example.total_gfa_m2").toObject().value("value").toDouble();
        QCOMPARE(kpis.value("example.total_gfa_m2").toObject().value("unit").toString(), QStringLiteral("m²"));
        QVERIFY(totalGfa > 1e6);

        const QString gpkg = out + QStringLiteral("/results.gpkg");
        const long long features = test::ogrinfoCount(gpkg, QStringLiteral("SELECT COUNT(*) FROM buildings"));
        QFile csv(out + QStringLiteral("/example.gfa_m2.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = csv.readAll().trimmed().split('\n');
        QCOMPARE(rows.first(), QByteArray("entity_id,example.gfa_m2 [m²]"));
        QCOMPARE(qint64(rows.size() - 1), qint64(features));
        const auto sum = test::runProgram(QStringLiteral("ogrinfo"), {QStringLiteral("-ro"), QStringLiteral("-q"), QStringLiteral("-sql"),
                                                                      QStringLiteral("SELECT SUM(\"example.gfa_m2\") AS s FROM buildings"), gpkg});
        const auto match = QRegularExpression(QStringLiteral("s \\(Real\\) = ([0-9.e+]+)")).match(sum.out);
        QVERIFY2(match.hasMatch(), qPrintable(sum.out));
        QVERIFY(std::abs(match.captured(1).toDouble() - totalGfa) < 1e-6 * totalGfa);

        // Numbers to ten significant digits: a field's column adds up to its KPI; a daily series is a
        // row per day and a column per building.
        QFile heating(out + QStringLiteral("/energy.heating_mwh.csv"));
        QVERIFY(heating.open(QIODevice::ReadOnly));
        const QList<QByteArray> heatingRows = heating.readAll().trimmed().split('\n');
        double heatingSum = 0.0;
        for (qsizetype i = 1; i < heatingRows.size(); ++i) {
            const double value = heatingRows[i].split(',').last().toDouble();
            if (std::isfinite(value)) heatingSum += value;  // nan: a building with parts (its parts have values)
        }
        const double heatingKpi = kpis.value("energy.heating_mwh").toObject().value("value").toDouble();
        QVERIFY2(heatingKpi > 0.0 && std::abs(heatingSum - heatingKpi) < 1e-6 * heatingKpi,
                 qPrintable(QString::number(heatingSum) + " " + QString::number(heatingKpi)));
        QFile daily(out + QStringLiteral("/energy.heating_kw.csv"));
        QVERIFY(daily.open(QIODevice::ReadOnly));
        const QList<QByteArray> days = daily.readAll().trimmed().split('\n');
        QCOMPARE(days.size(), qsizetype(1 + 365));
        QCOMPARE(qint64(days.first().split(',').size() - 1), qint64(features));
        const QList<QByteArray> firstDay = days.at(1).split(',');
        QCOMPARE(firstDay.first(), QByteArray("2026-01-01T00:00:00"));
        QCOMPARE(firstDay.size(), days.first().split(',').size());
        bool parsed = true;
        for (qsizetype i = 1; i < firstDay.size(); ++i) {
            const QByteArray& text = firstDay[i];
            if (text == "nan") continue;  // a building without a simulation (one with parts)
            bool ok = false;
            text.toDouble(&ok);
            parsed = parsed && ok;
        }
        QVERIFY(parsed);

        // The demo runs the retrofit plugin: its plan as a table, a row per retrofitted building.
        QFile plan(out + QStringLiteral("/retrofit_plan.csv"));
        QVERIFY(plan.open(QIODevice::ReadOnly));
        const QList<QByteArray> planRows = plan.readAll().trimmed().split('\n');
        QVERIFY(planRows.first().startsWith("building_id,package,investment_mkrw,co2_reduction_t,mac_krw_per_t,payback_years"));
        QCOMPARE(double(planRows.size() - 1), kpis.value("retrofit.buildings_retrofitted").toObject().value("value").toDouble());
        double invested = 0.0;
        for (qsizetype i = 1; i < planRows.size(); ++i) invested += planRows[i].split(',').at(2).toDouble();
        QVERIFY(std::abs(invested - kpis.value("retrofit.investment_krw").toObject().value("value").toDouble() / 1e6) < 0.01);
    }

    void compareWritesDeltas() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("compare"));
        const auto result = cli({QStringLiteral("compare"), kDemoProject, QStringLiteral("--baseline"), QStringLiteral("baseline"),
                                 QStringLiteral("--proposal"), QStringLiteral("coarse-grid"), QStringLiteral("--out"), out});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QFile kpiFile(out + QStringLiteral("/kpis.json"));
        QVERIFY(kpiFile.open(QIODevice::ReadOnly));
        const QJsonObject cells = QJsonDocument::fromJson(kpiFile.readAll()).object().value("example.built_cells").toObject();
        QCOMPARE(cells.value("value").toDouble(), cells.value("proposal").toDouble() - cells.value("baseline").toDouble());
        QVERIFY(cells.value("value").toDouble() < 0.0);

        const auto badScenario = cli({QStringLiteral("compare"), kDemoProject, QStringLiteral("--baseline"), QStringLiteral("baseline"),
                                      QStringLiteral("--proposal"), QStringLiteral("nope"), QStringLiteral("--out"), out});
        QCOMPARE(badScenario.exitCode, 2);
        expectOneErrorLine(badScenario, QStringLiteral("no scenario named 'nope'"));
    }

    void signalRetimingScenarioShowsBeforeAndAfter() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("retime"));
        const auto result = cli({QStringLiteral("compare"), kDemoProject, QStringLiteral("--baseline"), QStringLiteral("baseline"),
                                 QStringLiteral("--proposal"), QStringLiteral("retime-signals"), QStringLiteral("--out"), out});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QFile kpiFile(out + QStringLiteral("/kpis.json"));
        QVERIFY(kpiFile.open(QIODevice::ReadOnly));
        const QJsonObject kpis = QJsonDocument::fromJson(kpiFile.readAll()).object();
        const QJsonObject cycle = kpis.value("traffic.signal_cycle_mean_s").toObject();
        QCOMPARE(cycle.value("baseline").toDouble(), 90.0);  // the default fixed plans
        QVERIFY(cycle.value("proposal").toDouble() < 90.0);    // Webster's cycles for the demo's flows are shorter
        const QJsonObject delay = kpis.value("traffic.total_delay_h").toObject();
        QVERIFY2(delay.value("proposal").toDouble() < delay.value("baseline").toDouble(),
                 qPrintable(QStringLiteral("%1 -> %2").arg(delay.value("baseline").toDouble()).arg(delay.value("proposal").toDouble())));
        QVERIFY(!QDir(out).entryList({QStringLiteral("traffic.*.csv")}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "test_cli.moc"
