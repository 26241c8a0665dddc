#pragma once

#include <QJsonObject>
#include <QStringList>
#include <chrono>
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

// Copies of the source city's buildings (parts left out) on a grid, 100 m apart, until n.
CityModel replicateCity(const CityModel& source, std::size_t n);

int benchLoad(const QStringList& arguments);
int benchRender(const QStringList& arguments);
int benchViewport(const QStringList& arguments);  // needs a QApplication

}  // namespace ut::bench
