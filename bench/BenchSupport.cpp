#include "BenchSupport.h"

#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
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

std::vector<std::size_t> countsOf(const QString& list) {
    std::vector<std::size_t> counts;
    for (const QString& n : list.split(',')) counts.push_back(n.toULongLong());
    return counts;
}

std::optional<QSize> sizeOf(const QString& text) {
    const auto m = QRegularExpression(QStringLiteral("^(\\d+)x(\\d+)$")).match(text);
    if (!m.hasMatch()) return std::nullopt;
    return QSize(m.captured(1).toInt(), m.captured(2).toInt());
}

CityModel replicateCity(const CityModel& source, std::size_t n) {
    CityModel city;
    city.frame = source.frame;
    const Eigen::AlignedBox2d extent = extentOf(source);
    const Eigen::Vector2d pitch = extent.sizes() + Eigen::Vector2d(100.0, 100.0);
    const BuildingTable& b = source.buildings;
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < b.size(); ++i)
        if (!b.isPart(i)) rows.push_back(i);
    const auto copiesPerSide = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(n) / rows.size())));
    for (std::size_t copy = 0; city.buildings.size() < n; ++copy) {
        const Eigen::Vector2d offset(pitch.x() * static_cast<double>(copy % copiesPerSide),
                                     pitch.y() * static_cast<double>(copy / copiesPerSide));
        for (std::size_t i : rows) {
            if (city.buildings.size() >= n) break;
            BuildingDraft draft;
            draft.id = b.id(i) + "#" + std::to_string(copy);
            draft.heightM = b.heightM(i);
            for (std::uint32_t r = b.ringBegin(i); r < b.ringEnd(i); ++r) {
                std::vector<Eigen::Vector2d> ring(b.ring(r).begin(), b.ring(r).end());
                for (auto& v : ring) v += offset;
                (b.ringIsHole(r) ? draft.holes : draft.outerRings).push_back(std::move(ring));
            }
            city.buildings.add(std::move(draft));
        }
    }
    return city;
}

}  // namespace ut::bench
