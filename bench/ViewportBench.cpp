// viewport: the application's own 3D viewport (ViewportWidget, a QOpenGLWidget with an embedded
// osgViewer) on a window, orbiting a replicated city frame after frame as a user's drag would, with
// and without fewer details while moving (render::MotionDetail), measured in the same run.
#include <QApplication>
#include <QJsonObject>
#include <algorithm>
#include <vector>

#include "BenchSupport.h"
#include "ViewportWidget.h"
#include "ut/geodata/VectorLoader.h"
#include "ut/render/CameraPose.h"
#include "ut/render/CityScene.h"
#include "ut/render/MotionDetail.h"

namespace ut::bench {

namespace {
double median(std::vector<double> values) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// Orbits by a few degrees per frame, as a drag does; returns each frame's time (paintGL, the frame
// finished) and the wall time between frames (Qt's composition included).
struct OrbitTimes {
    std::vector<double> frameMs;
    double periodMs = 0.0;
};

OrbitTimes orbitFrames(app::ViewportWidget& viewport, int frames) {
    OrbitTimes times;
    const auto start = Clock::now();
    for (int f = 0; f < frames; ++f) {
        const int drawn = viewport.framesDrawn();
        viewport.orbit(3.0);  // asks for a frame as a drag does; the event loop draws it
        while (viewport.framesDrawn() == drawn) QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        times.frameMs.push_back(viewport.lastFrameMs());
    }
    times.periodMs = 1000.0 * secondsSince(start) / frames;
    return times;
}

double stillFrameMs(app::ViewportWidget& viewport, int frames) {
    std::vector<double> times;
    for (int f = 0; f < frames; ++f) {
        viewport.repaint();
        times.push_back(viewport.lastFrameMs());
    }
    return median(times);
}
}  // namespace

int benchViewport(const QStringList& arguments) {
    QString source = QStringLiteral(UT_SOURCE_DIR "/data/demo/jamsil.osm.pbf");
    std::vector<std::size_t> sizes{100000};
    int frames = 30;
    QSize windowSize(1600, 1000);
    QString screenshots;
    bool shadows = true;
    const char* usage = "viewport [--buildings N[,N...]] [--frames K] [--size WxH] [--source FILE] [--screenshots PREFIX] [--shadows on|off]";
    for (int i = 0; i + 1 < arguments.size(); i += 2) {
        const QString& key = arguments[i];
        const QString& value = arguments[i + 1];
        if (key == QStringLiteral("--buildings")) {
            sizes = countsOf(value);
        } else if (key == QStringLiteral("--frames")) {
            frames = std::max(4, value.toInt());
        } else if (key == QStringLiteral("--source")) {
            source = value;
        } else if (key == QStringLiteral("--screenshots")) {
            screenshots = value;
        } else if (key == QStringLiteral("--shadows")) {
            shadows = value != QStringLiteral("off");
        } else if (key == QStringLiteral("--size")) {
            const auto size = sizeOf(value);
            if (!size) return usageError(usage);
            windowSize = *size;
        } else {
            return usageError(usage);
        }
    }
    if (qEnvironmentVariableIsEmpty("DISPLAY")) return failed("viewport: needs a display (run under xvfb-run -a)");
    CityModel base;
    if (auto report = VectorLoader::load(source.toStdString(), {}, base); !report) return failed(report.error());

    for (const std::size_t n : sizes) {
        const CityModel city = n > 0 ? replicateCity(base, n) : base;
        render::CityScene scene = render::buildCityScene(city);
        scene.shadow->setEnabled(shadows);
        app::ViewportWidget viewport;
        viewport.setTimingFrames(true);
        viewport.resize(windowSize);
        viewport.show();
        viewport.setScene(scene.root.get(), render::contentBounds(scene));
        QCoreApplication::processEvents();
        const render::CameraPose home = viewport.cameraPose();
        // Street level: a quarter of the home distance, looking at the same centre.
        const render::CameraPose street{home.center + (home.eye - home.center) * 0.25, home.center, home.up};

        QJsonObject line{{"bench", "viewport"},
                         {"n", qint64(city.buildings.size())},
                         {"window", QStringLiteral("%1x%2").arg(windowSize.width()).arg(windowSize.height())},
                         {"shadows", shadows},
                         {"anchor", "full_detail_while_moving"}};
        for (const auto& [name, pose] : {std::pair{QStringLiteral("home"), home}, std::pair{QStringLiteral("street"), street}}) {
            viewport.flyTo(pose, 0.0);
            // Still frames: after the previous view's orbit has settled (full detail again).
            while (viewport.isMoving()) QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
            stillFrameMs(viewport, 2);  // compiles and uploads what this view draws
            line.insert(name + "_still_frame_ms", stillFrameMs(viewport, 5));

            viewport.setReduceDetailWhileMoving(false);
            const OrbitTimes full = orbitFrames(viewport, frames);
            viewport.setReduceDetailWhileMoving(true);
            orbitFrames(viewport, frames / 2);  // lets the detail settle to the budget
            const OrbitTimes reduced = orbitFrames(viewport, frames);
            line.insert(name + "_moving_frame_ms", median(reduced.frameMs));
            line.insert(name + "_moving_period_ms", reduced.periodMs);
            line.insert(name + "_moving_fps", 1000.0 / reduced.periodMs);
            line.insert(name + "_moving_lod_scale", viewport.movingLodScale());
            if (!screenshots.isEmpty()) {
                const QString prefix = QStringLiteral("%1-%2-%3").arg(screenshots).arg(city.buildings.size()).arg(name);
                viewport.grabFramebuffer().save(prefix + QStringLiteral("-moving.png"));
                viewport.setReduceDetailWhileMoving(false);
                viewport.grabFramebuffer().save(prefix + QStringLiteral("-still.png"));
                viewport.setReduceDetailWhileMoving(true);
            }
            line.insert("anchor_" + name + "_moving_frame_ms", median(full.frameMs));
            line.insert("anchor_" + name + "_moving_period_ms", full.periodMs);
            line.insert("anchor_" + name + "_moving_fps", 1000.0 / full.periodMs);
        }
        line.insert("frame_budget_ms", render::MotionDetail().frameBudgetMs());
        line.insert("memory_rss_mib", residentMiB());
        printLine(line);
    }
    return 0;
}

}  // namespace ut::bench
