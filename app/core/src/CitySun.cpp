#include "ut/app/CitySun.h"

#include <cmath>

#include "ut/geodata/GeographicConverter.h"
#include "ut/sim/SunPosition.h"

namespace ut::app {

namespace {
std::optional<Eigen::Vector2d> cityLonLat(const LoadedProject& project) {
    auto converter = GeographicConverter::create(project.model.frame);
    if (!converter) return std::nullopt;
    const Eigen::Vector2d lonLat = converter->toLonLat(Eigen::Vector2d::Zero());
    if (!std::isfinite(lonLat.x()) || !std::isfinite(lonLat.y())) return std::nullopt;
    return lonLat;
}
}  // namespace

double cityTimeZoneHours(const LoadedProject& project) {
    if (project.weather) return project.weather->station.timeZoneHours;
    const auto lonLat = cityLonLat(project);
    return lonLat ? std::round(lonLat->x() / 15.0) : 0.0;
}

std::optional<render::SunAngles> sunOverCity(const QDateTime& local, const LoadedProject& project) {
    const auto lonLat = cityLonLat(project);
    if (!lonLat || !local.isValid()) return std::nullopt;
    const QDate date = local.date();
    const QTime time = local.time();
    const double hour = time.hour() + time.minute() / 60.0 + time.second() / 3600.0;
    const sim::SunPosition sun = sim::sunPosition(date.year(), date.dayOfYear(), hour, lonLat->y(), lonLat->x(),
                                                  cityTimeZoneHours(project));
    return render::SunAngles{sun.zenithDeg, sun.azimuthDeg};
}

}  // namespace ut::app
