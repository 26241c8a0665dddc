// urbantwin-bench AREA [options]: one JSON object per line, each figure beside an anchor
// measured in the same run (docs/BENCHMARKS.md).
#include <QGuiApplication>
#include <cstdio>
#include <memory>

#include "BenchSupport.h"

int main(int argc, char** argv) {
    const QString area = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    // Rendering needs a GUI application (OpenGL); the other areas do not.
    std::unique_ptr<QCoreApplication> application;
    if (area == QStringLiteral("render") && !qEnvironmentVariableIsEmpty("DISPLAY")) {
        application = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        application = std::make_unique<QCoreApplication>(argc, argv);
    }
    const QStringList arguments = QCoreApplication::arguments().mid(2);
    if (area == QStringLiteral("load")) return ut::bench::benchLoad(arguments);
    if (area == QStringLiteral("render")) return ut::bench::benchRender(arguments);
    std::fprintf(stderr, "usage: urbantwin-bench load FILE [REPEATS]\n"
                         "       urbantwin-bench render [--buildings N[,N...]] [--naive-max N] [--frames K] [--size WxH]\n");
    return 2;
}
