#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <cstdio>
#include <memory>
#include <unistd.h>

#include "CliCommands.h"

namespace {
// Qt warns on stderr when XDG_RUNTIME_DIR is unset (CI, containers); stderr is for our one
// error line, so provide the private directory Qt would fall back to.
void ensureRuntimeDirectory() {
    if (!qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) return;
    const QString path = QDir::tempPath() + QStringLiteral("/urbantwin-runtime-") + QString::number(getuid());
    if (QDir().mkpath(path)) {
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        qputenv("XDG_RUNTIME_DIR", path.toLocal8Bit());
    }
}
}  // namespace

int main(int argc, char** argv) {
    const QString verb = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    std::unique_ptr<QCoreApplication> application;
    if (verb == QStringLiteral("render") || verb == QStringLiteral("report")) {
        if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
            qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
            std::fprintf(stderr, "urbantwin-cli: %s: no display for OpenGL; run under xvfb-run\n", argv[1]);
            return ut::cli::kFailure;
        }
        ensureRuntimeDirectory();
        application = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        application = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("urbantwin-cli"));
    QStringList arguments = QCoreApplication::arguments().mid(2);

    if (verb == QStringLiteral("info")) return ut::cli::runInfo(arguments);
    if (verb == QStringLiteral("render")) return ut::cli::runRender(arguments);
    if (verb == QStringLiteral("plugins")) return ut::cli::runPlugins(arguments);
    if (verb == QStringLiteral("run")) return ut::cli::runRun(arguments);
    if (verb == QStringLiteral("compare")) return ut::cli::runCompare(arguments);
    if (verb == QStringLiteral("report")) return ut::cli::runReport(arguments);
    if (verb == QStringLiteral("feed")) return ut::cli::runFeed(arguments);
    if (verb == QStringLiteral("--help") || verb == QStringLiteral("-h") || verb == QStringLiteral("help")) {
        ut::cli::printUsage(false);
        return ut::cli::kDone;
    }
    if (verb.isEmpty()) {
        ut::cli::printUsage(true);
    } else {
        std::fprintf(stderr, "urbantwin-cli: unknown verb '%s' (try --help)\n", qPrintable(verb));
    }
    return ut::cli::kBadInput;
}
