#pragma once

#include <QDateTime>
#include <optional>

#include "ut/app/ProjectLoader.h"
#include "ut/render/ViewSetup.h"

namespace ut::app {

// The city's time zone in hours: the weather station's, else the solar zone of its longitude.
double cityTimeZoneHours(const LoadedProject& project);

// Where the sun stands over the city's origin at a local standard time (the date and clock time
// of `local` are read as they are, in the city's time zone); nullopt when the city has no frame.
std::optional<render::SunAngles> sunOverCity(const QDateTime& local, const LoadedProject& project);

}  // namespace ut::app
