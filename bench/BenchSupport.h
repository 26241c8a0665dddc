#pragma once

#include <QJsonObject>
#include <QSize>
#include <QStringList>
#include <chrono>
#include <optional>
#include <vector>
#include <string>

#include "ut/geodata/CityModel.h"

namespace ut::bench {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start);
// Resident memory of this process in MiB (VmRSS).
double residentMiB();
void printLine(const QJsonObject& line);
int usageError(const char* usage);
int failed(const std::string& message);

// "10000,100000" → {10000, 100000}.
std::vector<std::size_t> countsOf(const QString& list);
// "1600x1000" → 1600 × 1000; nullopt when it is not WxH.
std::optional<QSize> sizeOf(const QString& text);

// Copies of the source city's buildings (parts left out) on a grid, 100 m apart, until n.
CityModel replicateCity(const CityModel& source, std::size_t n);

int benchLoad(const QStringList& arguments);
int benchRender(const QStringList& arguments);
int benchViewport(const QStringList& arguments);  // needs a QApplication

}  // namespace ut::bench
