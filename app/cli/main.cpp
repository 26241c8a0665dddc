#include <QCoreApplication>
#include <QGuiApplication>
#include <cstdio>
#include <memory>

#include "CliCommands.h"

int main(int argc, char** argv) {
    const QString verb = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    std::unique_ptr<QCoreApplication> application;
    if (verb == QStringLiteral("render")) {
        if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
            qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
            std::fprintf(stderr, "urbantwin-cli: render: no display for OpenGL; run under xvfb-run\n");
            return ut::cli::kFailure;
        }
        application = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        application = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("urbantwin-cli"));
    QStringList arguments = QCoreApplication::arguments().mid(2);

    if (verb == QStringLiteral("info")) return ut::cli::runInfo(arguments);
    if (verb == QStringLiteral("render")) return ut::cli::runRender(arguments);
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
