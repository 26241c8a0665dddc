#pragma once

#include <QJsonObject>

#include "ut/geodata/LocalFrame.h"
#include "ut/geodata/VectorLoader.h"

namespace ut::app {

// The `urbantwin-cli info` entry for one loaded file (fields listed in docs/cli.md).
QJsonObject infoEntry(const LoadReport& report, const LocalFrame& frame);

}  // namespace ut::app
