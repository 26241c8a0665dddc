#pragma once

#include <QJsonObject>
#include <QStringList>
#include <chrono>
#include <string>

namespace ut::bench {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start);
// Resident memory of this process in MiB (VmRSS).
double residentMiB();
void printLine(const QJsonObject& line);
int usageError(const char* usage);
int failed(const std::string& message);

int benchLoad(const QStringList& arguments);
int benchRender(const QStringList& arguments);

}  // namespace ut::bench
