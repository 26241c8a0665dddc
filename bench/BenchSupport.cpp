#include "BenchSupport.h"

#include <QFile>
#include <QJsonDocument>
#include <cstdio>

namespace ut::bench {

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double residentMiB() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) return -1.0;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return -1.0;
}

void printLine(const QJsonObject& line) {
    std::printf("%s\n", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

int usageError(const char* usage) {
    std::fprintf(stderr, "usage: urbantwin-bench %s\n", usage);
    return 2;
}

int failed(const std::string& message) {
    std::fprintf(stderr, "urbantwin-bench: %s\n", message.c_str());
    return 1;
}

}  // namespace ut::bench
