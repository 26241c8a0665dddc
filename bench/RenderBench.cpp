#include <QGuiApplication>
#include <QJsonObject>
#include <osg/Geometry>
#include <osg/Group>
#include <osg/LOD>
#include <osg/MatrixTransform>
#include <random>

#include "BenchSupport.h"
#include "ut/geodata/VectorLoader.h"
#include "ut/render/BuildingMeshBuilder.h"
#include "ut/render/CityScene.h"
#include "ut/render/OffscreenRenderer.h"
#include "ut/render/VehicleLayer.h"
#include "ut/sim/VehiclePlayback.h"

namespace ut::bench {

namespace {

struct SceneCounts {
    std::size_t drawCalls = 0;
    std::size_t triangles = 0;
};

// Draw calls and triangles of what a frame draws: of a LOD, its near (0), far (1) or distant (2) child.
// skip: a subgraph left out (the sun's shadow map draws the buildings again, but only when the sun moves).
SceneCounts countScene(osg::Node* node, unsigned int lodChild = 0, const osg::Node* skip = nullptr) {
    SceneCounts counts;
    if (node == skip) return counts;
    if (auto* lod = dynamic_cast<osg::LOD*>(node)) {
        osg::Node* child = lod->getNumChildren() > lodChild ? lod->getChild(lodChild) : nullptr;
        return child ? countScene(child, lodChild, skip) : counts;
    }
    if (auto* geometry = dynamic_cast<osg::Geometry*>(node)) {
        for (unsigned int p = 0; p < geometry->getNumPrimitiveSets(); ++p) {
            const osg::PrimitiveSet* set = geometry->getPrimitiveSet(p);
            ++counts.drawCalls;
            counts.triangles += set->getMode() == GL_TRIANGLES ? set->getNumIndices() / 3 : 2;
        }
    } else if (auto* group = node->asGroup()) {
        for (unsigned int c = 0; c < group->getNumChildren(); ++c) {
            const SceneCounts child = countScene(group->getChild(c), lodChild, skip);
            counts.drawCalls += child.drawCalls;
            counts.triangles += child.triangles;
        }
    }
    return counts;
}

// Median of a few frames after the first (which compiles and uploads everything).
double frameMs(render::OffscreenRenderer& renderer, const render::CameraPose& pose, int frames, double& firstMs) {
    firstMs = renderer.drawFrame(pose);
    std::vector<double> times;
    for (int f = 0; f < frames; ++f) times.push_back(renderer.drawFrame(pose));
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}
double medianOf(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// Vehicles spread over the city's road links (random link, random place along it), heading along it.
std::vector<sim::VehiclePose> vehiclesOnRoads(const RoadNetwork& roads, std::size_t n, std::mt19937& random) {
    std::vector<sim::VehiclePose> poses;
    if (roads.linkCount() == 0) return poses;
    std::uniform_int_distribution<std::size_t> pickLink(0, roads.linkCount() - 1);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    while (poses.size() < n) {
        const auto line = roads.geometry(pickLink(random));
        if (line.size() < 2) continue;
        const std::size_t i = std::min(line.size() - 2, static_cast<std::size_t>(uniform(random) * (line.size() - 1)));
        const Eigen::Vector2d at = line[i] + uniform(random) * (line[i + 1] - line[i]);
        const Eigen::Vector2d d = line[i + 1] - line[i];
        poses.push_back({static_cast<std::uint32_t>(poses.size()), static_cast<float>(at.x()), static_cast<float>(at.y()),
                         static_cast<float>(std::atan2(d.y(), d.x())), static_cast<float>(uniform(random) * 20.0)});
    }
    return poses;
}

// Per-frame cost of moving n vehicles: interpolating the playback (sample), rewriting the one
// drawable (setVehicles) and drawing; beside the scene-graph way, one transform per vehicle over a
// shared vehicle mesh, whose matrices are set each frame.
void benchVehicles(const CityModel& city, std::size_t n, int frames, QSize imageSize, bool haveDisplay) {
    render::CityScene scene = render::buildCityScene(city);
    std::mt19937 random(7);
    sim::VehiclePlayback playback;
    playback.intervalS = 2.0;
    const std::vector<sim::VehiclePose> first = vehiclesOnRoads(city.roads, n, random);
    std::vector<sim::VehiclePose> second = first;
    for (sim::VehiclePose& p : second) {
        p.x += 2.0f * p.speedMps * std::cos(p.headingRad);
        p.y += 2.0f * p.speedMps * std::sin(p.headingRad);
    }
    playback.poses = first;
    playback.poses.insert(playback.poses.end(), second.begin(), second.end());
    playback.frameBegin = {0, static_cast<std::uint32_t>(n), static_cast<std::uint32_t>(2 * n)};

    const double exaggeration = render::vehicleExaggerationFor(render::contentBounds(scene).radius());
    render::VehicleLayer layer(exaggeration);
    scene.root->addChild(layer.geometry());
    std::vector<sim::VehiclePose> sampled;
    std::vector<render::VehicleMarker> markers;
    const int updates = 50;
    std::vector<double> sampleMs, updateMs;
    for (int k = 0; k < updates; ++k) {
        auto start = Clock::now();
        playback.sample(2.0 * k / updates, sampled);
        sampleMs.push_back(secondsSince(start) * 1000.0);
        start = Clock::now();
        markers.resize(sampled.size());
        for (std::size_t i = 0; i < sampled.size(); ++i)
            markers[i] = {sampled[i].x, sampled[i].y, 0.0f, sampled[i].headingRad, sampled[i].speedMps};
        layer.setVehicles(markers);
        updateMs.push_back(secondsSince(start) * 1000.0);
    }

    osg::ref_ptr<osg::Group> transforms = new osg::Group;
    render::VehicleLayer one(exaggeration);
    const render::VehicleMarker atOrigin{};
    one.setVehicles({&atOrigin, 1});
    for (std::size_t i = 0; i < n; ++i) {
        osg::ref_ptr<osg::MatrixTransform> transform = new osg::MatrixTransform;
        transform->addChild(one.geometry());
        transforms->addChild(transform);
    }
    std::vector<double> anchorUpdateMs;
    for (int k = 0; k < updates; ++k) {
        const auto start = Clock::now();
        playback.sample(2.0 * k / updates, sampled);
        for (std::size_t i = 0; i < sampled.size(); ++i) {
            auto* transform = static_cast<osg::MatrixTransform*>(transforms->getChild(static_cast<unsigned int>(i)));
            transform->setMatrix(osg::Matrix::rotate(sampled[i].headingRad, osg::Vec3(0, 0, 1)) *
                                 osg::Matrix::translate(sampled[i].x, sampled[i].y, 0.0f));
        }
        anchorUpdateMs.push_back(secondsSince(start) * 1000.0);
    }

    QJsonObject line{{"bench", "render_vehicles"},
                     {"n", qint64(n)},
                     {"seconds", (medianOf(sampleMs) + medianOf(updateMs)) / 1000.0},
                     {"sample_ms", medianOf(sampleMs)},
                     {"update_ms", medianOf(updateMs)},
                     {"vertices", qint64(layer.geometry()->getVertexArray()->getNumElements())},
                     {"draw_calls", 1},
                     {"exaggeration", exaggeration},
                     {"anchor", "one_transform_per_vehicle"},
                     {"anchor_seconds", medianOf(anchorUpdateMs) / 1000.0},
                     {"anchor_update_ms", medianOf(anchorUpdateMs)},
                     {"anchor_draw_calls", qint64(n)}};
    if (haveDisplay) {
        const render::CameraPose pose = render::homePose(render::contentBounds(scene));
        auto renderer = render::OffscreenRenderer::create(imageSize);
        if (renderer) {
            (*renderer)->setScene(scene.root.get());
            double firstMs = 0.0;
            line.insert("frame_ms", frameMs(**renderer, pose, frames, firstMs));
            std::vector<double> movingMs;
            for (int k = 0; k < frames; ++k) {
                const auto start = Clock::now();
                playback.sample(2.0 * k / frames, sampled);
                for (std::size_t i = 0; i < sampled.size(); ++i)
                    markers[i] = {sampled[i].x, sampled[i].y, 0.0f, sampled[i].headingRad, sampled[i].speedMps};
                layer.setVehicles(markers);
                (*renderer)->drawFrame(pose);
                movingMs.push_back(secondsSince(start) * 1000.0);
            }
            line.insert("moving_frame_ms", medianOf(movingMs));
            scene.root->removeChild(layer.geometry());
            line.insert("frame_without_vehicles_ms", frameMs(**renderer, pose, frames, firstMs));
            scene.root->addChild(transforms);
            line.insert("anchor_frame_ms", frameMs(**renderer, pose, frames, firstMs));
        }
    }
    printLine(line);
}
}  // namespace

int benchRender(const QStringList& argumentsIn) {
    QStringList arguments = argumentsIn;
    QString source = QStringLiteral(UT_SOURCE_DIR "/data/demo/jamsil.osm.pbf");
    std::vector<std::size_t> sizes{10000};
    std::size_t naiveMax = 20000;
    int frames = 3;
    std::size_t vehicles = 5000;
    QSize imageSize(800, 600);
    for (int i = 0; i + 1 < arguments.size(); i += 2) {
        const QString& key = arguments[i];
        const QString& value = arguments[i + 1];
        if (key == QStringLiteral("--buildings")) {
            sizes = countsOf(value);
        } else if (key == QStringLiteral("--naive-max")) {
            naiveMax = value.toULongLong();
        } else if (key == QStringLiteral("--frames")) {
            frames = std::max(1, value.toInt());
        } else if (key == QStringLiteral("--vehicles")) {
            vehicles = value.toULongLong();
        } else if (key == QStringLiteral("--source")) {
            source = value;
        } else if (key == QStringLiteral("--size")) {
            imageSize = sizeOf(value).value_or(imageSize);
        } else {
            return usageError(
                "render [--buildings N[,N...]] [--naive-max N] [--frames K] [--size WxH] [--vehicles N] [--source FILE]");
        }
    }
    CityModel base;
    if (auto report = VectorLoader::load(source.toStdString(), {}, base); !report) return failed(report.error());
    const bool haveDisplay = !qEnvironmentVariableIsEmpty("DISPLAY");

    for (const std::size_t n : sizes) {
        CityModel city = replicateCity(base, n);
        const double memoryBefore = residentMiB();
        auto start = Clock::now();
        render::CityScene scene = render::buildCityScene(city);
        const double buildSeconds = secondsSince(start);
        const double sceneMiB = residentMiB() - memoryBefore;
        const osg::Node* shadow = scene.shadow->node();
        const SceneCounts counts = countScene(scene.root.get(), 0, shadow);
        const SceneCounts farCounts = countScene(scene.root.get(), 1, shadow);
        const SceneCounts distantCounts = countScene(scene.root.get(), 2, shadow);

        std::vector<double> values(n);
        std::mt19937 random(42);
        std::uniform_real_distribution<double> uniform(0.0, 1.0);
        for (double& v : values) v = uniform(random);
        start = Clock::now();
        scene.coloring->setValues(values, render::ColorMap::viridis(), 0.0, 1.0);
        const double recolorMs = secondsSince(start) * 1000.0;

        QJsonObject line{{"bench", "render"},
                         {"n", qint64(n)},
                         {"seconds", buildSeconds},
                         {"scene_build_s", buildSeconds},
                         {"draw_calls", qint64(counts.drawCalls)},
                         {"triangles", qint64(counts.triangles)},
                         {"far_triangles", qint64(farCounts.triangles)},
                         {"distant_triangles", qint64(distantCounts.triangles)},
                         {"tiles", qint64(scene.buildingTiles)},
                         {"recolor_ms", recolorMs},
                         {"memory_scene_mib", sceneMiB},
                         {"anchor", "one_node_per_building"}};
        const render::CameraPose pose = render::homePose(render::contentBounds(scene));
        if (haveDisplay) {
            auto renderer = render::OffscreenRenderer::create(imageSize);
            if (!renderer) return failed(renderer.error());
            (*renderer)->setScene(scene.root.get());
            double firstMs = 0.0;
            line.insert("frame_ms", frameMs(**renderer, pose, frames, firstMs));
            line.insert("first_frame_ms", firstMs);
            scene.coloring->setValues(values, render::ColorMap::blueWhiteRed(), 0.0, 1.0);
            line.insert("recolor_frame_ms", (*renderer)->drawFrame(pose));
        }
        if (n <= naiveMax) {
            osg::ref_ptr<osg::Group> naive = new osg::Group;
            start = Clock::now();
            for (std::size_t i = 0; i < city.buildings.size(); ++i) {
                render::BuildingMeshBuilder builder;
                builder.addBuilding(city.buildings, i);
                naive->addChild(builder.finish());
            }
            line.insert("anchor_seconds", secondsSince(start));
            line.insert("anchor_scene_build_s", secondsSince(start));
            const SceneCounts naiveCounts = countScene(naive.get());
            line.insert("anchor_draw_calls", qint64(naiveCounts.drawCalls));
            line.insert("anchor_triangles", qint64(naiveCounts.triangles));
            if (haveDisplay) {
                auto renderer = render::OffscreenRenderer::create(imageSize);
                if (!renderer) return failed(renderer.error());
                (*renderer)->setScene(naive.get());
                double firstMs = 0.0;
                line.insert("anchor_frame_ms", frameMs(**renderer, pose, frames, firstMs));
                line.insert("anchor_first_frame_ms", firstMs);
            }
        }
        line.insert("memory_rss_mib", residentMiB());
        printLine(line);
    }
    if (vehicles > 0) benchVehicles(base, vehicles, frames, imageSize, haveDisplay);
    return 0;
}

}  // namespace ut::bench
