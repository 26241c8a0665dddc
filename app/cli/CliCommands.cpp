#include "CliCommands.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <cstdio>

#include "ut/app/InfoReport.h"
#include "ut/app/Project.h"
#include "ut/app/ProjectLoader.h"
#include "ut/render/CityScene.h"
#include "ut/render/OffscreenRenderer.h"

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
}  // namespace

void printUsage(bool toStderr) {
    std::fprintf(toStderr ? stderr : stdout,
                 "usage: urbantwin-cli VERB ...\n"
                 "  info [--frame EPSG:n] FILE...            what loads: counts, CRS, extent, skipped features (JSON)\n"
                 "  render PROJECT --out FILE.png [--size WxH] an offscreen snapshot of the project's city\n"
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
    QString error;
    const bool hasOut = takeOption(arguments, QStringLiteral("--out"), out, error);
    if (error.isEmpty()) takeOption(arguments, QStringLiteral("--size"), sizeText, error);
    if (!error.isEmpty()) {
        printError(QStringLiteral("render: ") + error);
        return kBadInput;
    }
    if (const QString unknown = unknownOption(arguments); !unknown.isEmpty()) {
        printError(QStringLiteral("render: unknown option ") + unknown);
        return kBadInput;
    }
    if (!hasOut || arguments.size() != 1) {
        printError(QStringLiteral("render: usage: render PROJECT --out FILE.png [--size WxH]"));
        return kBadInput;
    }
    const auto match = QRegularExpression(QStringLiteral("^(\\d{1,5})x(\\d{1,5})$")).match(sizeText);
    const QSize size = match.hasMatch() ? QSize(match.captured(1).toInt(), match.captured(2).toInt()) : QSize();
    if (size.width() < 16 || size.height() < 16 || size.width() > 16384 || size.height() > 16384) {
        printError(QStringLiteral("render: --size %1: expected WxH between 16x16 and 16384x16384").arg(sizeText));
        return kBadInput;
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
    const app::LoadedProject loaded = app::loadProject(project);
    if (const QString failure = loaded.firstError(); !failure.isEmpty()) {
        printError(failure);
        return kBadInput;
    }
    const render::CityScene scene = render::buildCityScene(loaded.model);
    const auto image = render::renderOffscreen(scene.root.get(), render::homePose(render::contentBounds(scene)), size);
    if (!image) {
        printError(QStringLiteral("render: ") + QString::fromStdString(image.error()));
        return kFailure;
    }
    if (!image->save(out, "PNG")) {
        printError(out + QStringLiteral(": cannot write the image"));
        return kBadInput;
    }
    return kDone;
}

}  // namespace ut::cli
