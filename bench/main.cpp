// urbantwin-bench AREA [options]: one JSON object per line, each figure beside an anchor
// measured in the same run (docs/BENCHMARKS.md).
#include <QApplication>
#include <QGuiApplication>
#include <cstdio>
#include <memory>

#include "BenchSupport.h"

// --- energy area: urbantwin-bench energy [--buildings N] [--scalar-max N] --------------------------
#include <QJsonObject>
#include <chrono>
#include <random>

#include "ut/energy/CityEnergy.h"
#include "ut/energy/Climate.h"
#include "ut/sim/EpwReader.h"

namespace {
// Synthetic district: rectangular footprints 10–40 m a side, 1–30 storeys, mixed uses and years,
// on a 60 m grid (fixed seed). Full year hourly with the demo's Incheon weather.
int benchEnergy(const QStringList& arguments) {
    std::size_t buildings = 1000, scalarMax = 200;
    for (int i = 0; i + 1 < arguments.size(); ++i) {
        if (arguments[i] == QStringLiteral("--buildings")) buildings = arguments[i + 1].toULongLong();
        if (arguments[i] == QStringLiteral("--scalar-max")) scalarMax = arguments[i + 1].toULongLong();
    }
    auto weather = ut::sim::readEpw(UT_SOURCE_DIR "/data/demo/KOR_Inchon.471120_IWEC.epw");
    if (!weather) {
        std::fprintf(stderr, "%s\n", weather.error().c_str());
        return 1;
    }
    auto makeCity = [](std::size_t n) {
        ut::BuildingTable table;
        std::mt19937 random(42);
        std::uniform_real_distribution<double> side(10.0, 40.0), storeys(1.0, 30.0), year(1970.0, 2022.0);
        const ut::UseClass uses[] = {ut::UseClass::Residential, ut::UseClass::Residential, ut::UseClass::Office, ut::UseClass::Retail};
        const std::size_t perRow = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(n))));
        for (std::size_t i = 0; i < n; ++i) {
            ut::BuildingDraft d;
            d.id = std::to_string(i);
            const double x = 60.0 * static_cast<double>(i % perRow), y = 60.0 * static_cast<double>(i / perRow);
            const double w = side(random), h = side(random);
            d.outerRings = {{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}};
            d.heightM = 3.0 * std::round(storeys(random));
            d.useClass = uses[i % 4];
            d.yearBuilt = static_cast<int>(year(random));
            table.add(std::move(d));
        }
        return table;
    };
    ut::energy::SiteClimate climate = ut::energy::buildSiteClimate(weather.value());
    climate.precomputeBeamOptics(ut::energy::Window{}.glazing);
    using ut::energy::ZoneKernel;
    auto run = [&](const ut::BuildingTable& table, ZoneKernel kernel, int threads) {
        ut::energy::CityEnergyParameters p;
        p.kernel = kernel;
        p.threads = threads;
        const auto start = std::chrono::steady_clock::now();
        const auto result = ut::energy::simulateCity(table, climate, weather.value().station.elevationM, p);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        double heat = 0.0;
        for (double v : result.heatingKWh) heat += v;
        return std::pair{seconds, heat};
    };
    const ut::BuildingTable city = makeCity(buildings);
    const auto [seconds, heat] = run(city, ZoneKernel::Fast, 2);
    const std::size_t anchorCount = std::min(buildings, scalarMax);
    const ut::BuildingTable anchorCity = makeCity(anchorCount);
    const auto [anchorSeconds, anchorHeat] = run(anchorCity, ZoneKernel::ScalarLoops, 1);
    const auto [eigenOneSeconds, eigenOneHeat] = run(anchorCity, ZoneKernel::Eigen, 1);
    const auto [fastOneSeconds, fastOneHeat] = run(anchorCity, ZoneKernel::Fast, 1);
    auto same = [](double a, double b, double relative) {
        return std::abs(a - b) <= relative * std::max(1.0, std::abs(a));
    };
    QJsonObject line;
    line["area"] = "energy";
    line["buildings"] = static_cast<qint64>(buildings);
    line["seconds"] = seconds;
    line["ms_per_building_year"] = 1000.0 * seconds / static_cast<double>(buildings);
    line["anchor"] = "scalar_loops_1_thread";
    line["anchor_buildings"] = static_cast<qint64>(anchorCount);
    line["anchor_ms_per_building_year"] = 1000.0 * anchorSeconds / static_cast<double>(anchorCount);
    line["eigen_1_thread_ms_per_building_year"] = 1000.0 * eigenOneSeconds / static_cast<double>(anchorCount);
    line["fast_1_thread_ms_per_building_year"] = 1000.0 * fastOneSeconds / static_cast<double>(anchorCount);
    line["speedup_vs_anchor"] = anchorSeconds / static_cast<double>(anchorCount) / (seconds / static_cast<double>(buildings));
    // The anchor's district heating against the Eigen reference (1e-9) and the fast kernel, whose city
    // zones step in single precision (2e-5, as tests/energy).
    line["same_result"] = same(anchorHeat, eigenOneHeat, 1e-9) && same(anchorHeat, fastOneHeat, 2e-5);
    line["fast_vs_anchor_relative"] = std::abs(fastOneHeat - anchorHeat) / std::max(1.0, std::abs(anchorHeat));
    line["projected_s_for_100k"] = seconds / static_cast<double>(buildings) * 100000.0;
    line["district_heating_mwh"] = heat / 1000.0;
    ut::bench::printLine(line);
    return 0;
}
}  // namespace

namespace ut::bench {
int benchTraffic(const QStringList& arguments);  // TrafficBench.cpp
int benchRetrofit(const QStringList& arguments);  // RetrofitBench.cpp
int benchMqtt(const QStringList& arguments);     // MqttBench.cpp
int benchSensors(const QStringList& arguments);  // SensorBench.cpp
}

int main(int argc, char** argv) {
    const QString area = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    // Rendering needs a GUI application (OpenGL); the other areas do not.
    std::unique_ptr<QCoreApplication> application;
    if (area == QStringLiteral("viewport") && !qEnvironmentVariableIsEmpty("DISPLAY")) {
        application = std::make_unique<QApplication>(argc, argv);
    } else if (area == QStringLiteral("render") && !qEnvironmentVariableIsEmpty("DISPLAY")) {
        application = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        application = std::make_unique<QCoreApplication>(argc, argv);
    }
    const QStringList arguments = QCoreApplication::arguments().mid(2);
    if (area == QStringLiteral("load")) return ut::bench::benchLoad(arguments);
    if (area == QStringLiteral("render")) return ut::bench::benchRender(arguments);
    if (area == QStringLiteral("viewport")) return ut::bench::benchViewport(arguments);
    if (area == QStringLiteral("energy")) return benchEnergy(arguments);
    if (area == QStringLiteral("traffic")) return ut::bench::benchTraffic(arguments);
    if (area == QStringLiteral("retrofit")) return ut::bench::benchRetrofit(arguments);
    if (area == QStringLiteral("mqtt")) return ut::bench::benchMqtt(arguments);
    if (area == QStringLiteral("sensors")) return ut::bench::benchSensors(arguments);
    std::fprintf(stderr, "usage: urbantwin-bench load FILE [REPEATS]\n"
                         "       urbantwin-bench load --replicate FILE [--buildings N] [--repeats R] [--frame-crs EPSG:n] [--out FILE.gpkg]\n"
                         "       urbantwin-bench render [--buildings N[,N...]] [--naive-max N] [--frames K] [--size WxH] [--vehicles N]\n"
                         "       urbantwin-bench viewport [--buildings N[,N...]] [--frames K] [--size WxH] [--source FILE] [--shadows on|off] [--screenshots PREFIX]\n"
                         "       urbantwin-bench energy [--buildings N] [--scalar-max N]\n"
                         "       urbantwin-bench retrofit [--buildings N] [--representatives R] [--budget-mkrw B]\n"
                         "       urbantwin-bench traffic [--osm FILE] [--net NET.net.xml] [--peak N] [--duration-s S] [--seed N]\n"
                         "                               [--routes ROUTES.rou.xml]  (both on NET and its routes)\n"
                         "       urbantwin-bench sensors [--observations N] [--batch N] [--datastreams N]\n"
                         "       urbantwin-bench mqtt [--messages N] [--datastreams D] [--store sqlite|memory]\n");
    return 2;
}
