#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QGuiApplication>
#include <QtTest>
#include <osg/Geometry>
#include <osg/LOD>

#include "TestSupport.h"
#include "ut/app/Project.h"
#include "ut/app/ProjectLoader.h"
#include "ut/render/BuildingMeshBuilder.h"
#include "ut/geodata/BuildingSurfaces.h"
#include "ut/render/CityScene.h"
#include "ut/render/OffscreenRenderer.h"
#include "ut/render/Picking.h"
#include "ut/render/SensorMarkers.h"
#include "ut/render/Legend.h"
#include "ut/render/MotionDetail.h"
#include "ut/render/VehicleLayer.h"
#include "ut/app/BuildingColours.h"
#include "ut/app/CitySun.h"
#include <QPainter>

using namespace ut;

namespace {
constexpr int kChannelTolerance = 40;
constexpr double kMaxDifferingFraction = 0.01;

std::size_t tallestBuilding(const CityModel& model) {
    std::size_t tallest = 0;
    for (std::size_t i = 0; i < model.buildings.size(); ++i) {
        if (!model.buildings.isPart(i) && model.buildings.heightM(i) > model.buildings.heightM(tallest)) tallest = i;
    }
    return tallest;
}

render::CameraPose lookingDownAt(const CityModel& model, std::size_t building, double height) {
    Eigen::Vector2d centre = Eigen::Vector2d::Zero();
    const auto ring = model.buildings.ring(model.buildings.ringBegin(building));
    for (const auto& v : ring) centre += v;
    centre /= static_cast<double>(ring.size());
    return {osg::Vec3d(centre.x(), centre.y(), height), osg::Vec3d(centre.x(), centre.y(), 0.0), osg::Vec3d(0.0, 1.0, 0.0)};
}

// Compares with tests/data/control_images/render/<name>.png; writes the image (and a diff on
// failure) to build/tests/render_output/.
void compareWithReference(const QImage& image, const QString& name) {
    const QString outputDir = test::binaryPath(QStringLiteral("tests/render_output"));
    QDir().mkpath(outputDir);
    image.save(outputDir + QStringLiteral("/%1.png").arg(name));
    const QImage reference(test::sourcePath(QStringLiteral("tests/data/control_images/render/%1.png").arg(name)));
    QVERIFY2(!reference.isNull(), qPrintable(QStringLiteral("missing reference image %1.png").arg(name)));
    const auto difference = test::compareImages(image, reference, kChannelTolerance);
    if (difference.differingFraction > kMaxDifferingFraction) difference.diff.save(outputDir + QStringLiteral("/%1_diff.png").arg(name));
    QVERIFY2(difference.differingFraction <= kMaxDifferingFraction,
             qPrintable(QStringLiteral("%1: %2 % of pixels differ (diff image in %3)")
                            .arg(name).arg(100.0 * difference.differingFraction, 0, 'f', 2).arg(outputDir)));
}

render::CityScene demoScene(CityModel& model) {
    auto project = app::readProject(test::sourcePath(QStringLiteral("data/demo/demo.utwin")));
    if (!project) qFatal("%s", project.error().c_str());
    auto loaded = app::loadProject(project.value());
    model = std::move(loaded.model);
    return render::buildCityScene(model);
}
}  // namespace

class RenderTest : public QObject {
    Q_OBJECT
private slots:
    void boxBuildingHasClosedShellWithOutwardNormals() {
        BuildingTable table;
        BuildingDraft box;
        box.outerRings = {{{0, 0}, {0, 20}, {10, 20}, {10, 0}}};  // clockwise on purpose
        box.heightM = 30.0;
        table.add(box);
        render::BuildingMeshBuilder builder;
        builder.addBuilding(table, 0);
        osg::ref_ptr<osg::Geometry> geometry = builder.finish();
        const auto* vertices = static_cast<const osg::Vec3Array*>(geometry->getVertexArray());
        const auto* normals = static_cast<const osg::Vec3Array*>(geometry->getNormalArray());
        const auto* triangles = static_cast<const osg::DrawElementsUInt*>(geometry->getPrimitiveSet(0));
        QCOMPARE(triangles->size(), std::size_t(3 * (4 * 2 + 2)));  // 4 walls of 2 triangles, a roof of 2
        const osg::Vec3 centre(5.0f, 10.0f, 15.0f);
        double roofArea = 0.0;
        for (std::size_t i = 0; i < triangles->size(); i += 3) {
            const osg::Vec3& a = (*vertices)[(*triangles)[i]];
            const osg::Vec3& b = (*vertices)[(*triangles)[i + 1]];
            const osg::Vec3& c = (*vertices)[(*triangles)[i + 2]];
            const osg::Vec3 faceNormal = (b - a) ^ (c - a);
            const osg::Vec3 outward = (a + b + c) / 3.0f - centre;
            QVERIFY2(faceNormal * outward > 0.0f, "triangle winding must face outwards");
            QVERIFY((*normals)[(*triangles)[i]] * outward > 0.0f);
            if (faceNormal.z() > 0.0f) roofArea += 0.5 * faceNormal.length();
        }
        QVERIFY(std::abs(roofArea - 200.0) < 1e-3);
    }

    void simplifiedRingsStayWithinTolerance() {
        // A 40 m × 20 m rectangle with 1 m jitter on its long sides: simplified at 3 m it is the rectangle.
        std::vector<Eigen::Vector2d> ring;
        for (int x = 0; x <= 40; x += 2) ring.emplace_back(x, (x / 2) % 2 ? 0.8 : 0.0);
        for (int x = 40; x >= 0; x -= 2) ring.emplace_back(x, 20.0 + ((x / 2) % 2 ? -0.8 : 0.0));
        const auto simple = render::simplifyRing(ring, 3.0);
        QVERIFY2(simple.size() <= 6, qPrintable(QString::number(simple.size())));
        QVERIFY(simple.size() >= 4);
        QVERIFY(std::abs(std::abs(signedArea(simple)) - 800.0) < 40.0);
        QCOMPARE(render::simplifyRing(ring, 0.1).size(), ring.size());  // every jitter is above 0.1 m
    }

    void gableRoofSurfacesKeepTheirSlopes() {
        // A 10 m × 20 m house, eaves at 6 m, ridge at 10 m along y: two roof planes sloping to ±x.
        BuildingSurfaces surfaces;
        using V = Eigen::Vector3d;
        const std::vector<std::vector<V>> west{{V(0, 0, 6), V(5, 0, 10), V(5, 20, 10), V(0, 20, 6)}};
        const std::vector<std::vector<V>> east{{V(10, 0, 6), V(10, 20, 6), V(5, 20, 10), V(5, 0, 10)}};
        const std::vector<std::vector<V>> wall{{V(0, 0, 0), V(10, 0, 0), V(10, 0, 6), V(5, 0, 10), V(0, 0, 6)}};
        const std::vector<std::vector<V>> ground{{V(0, 0, 0), V(0, 20, 0), V(10, 20, 0), V(10, 0, 0)}};
        surfaces.add(0, SurfaceType::Roof, west);
        surfaces.add(0, SurfaceType::Roof, east);
        surfaces.add(0, SurfaceType::Wall, wall);
        surfaces.add(0, SurfaceType::Ground, ground);
        render::BuildingMeshBuilder builder;
        const std::vector<std::uint32_t> all{0, 1, 2, 3};
        builder.addSurfaces(surfaces, all, 0);
        osg::ref_ptr<osg::Geometry> geometry = builder.finish();
        const auto* vertices = static_cast<const osg::Vec3Array*>(geometry->getVertexArray());
        const auto* normals = static_cast<const osg::Vec3Array*>(geometry->getNormalArray());
        const auto* triangles = static_cast<const osg::DrawElementsUInt*>(geometry->getPrimitiveSet(0));
        QCOMPARE(triangles->size(), std::size_t(3 * (2 + 2 + 3)));  // two quads and a pentagon; no ground
        int westFacing = 0, eastFacing = 0, southFacing = 0;
        for (std::size_t i = 0; i < triangles->size(); i += 3) {
            const osg::Vec3& a = (*vertices)[(*triangles)[i]];
            const osg::Vec3& b = (*vertices)[(*triangles)[i + 1]];
            const osg::Vec3& c = (*vertices)[(*triangles)[i + 2]];
            osg::Vec3 face = (b - a) ^ (c - a);
            face.normalize();
            QVERIFY(face * (*normals)[(*triangles)[i]] > 0.99f);  // winding agrees with the normal
            if (face.z() > 0.5f && face.z() < 0.95f) (face.x() < 0 ? westFacing : eastFacing) += 1;
            if (face.y() < -0.99f) ++southFacing;
        }
        QCOMPARE(westFacing, 2);
        QCOMPARE(eastFacing, 2);
        QCOMPARE(southFacing, 3);
    }

    void demoSceneIsTiled() {
        CityModel model;
        const auto scene = demoScene(model);
        QVERIFY(model.buildings.size() > 1300);
        // 4.9 km × 3.6 km in 500 m tiles: tens of draw calls, not one per building.
        QVERIFY2(scene.buildingTiles > 10 && scene.buildingTiles < 100, qPrintable(QString::number(scene.buildingTiles)));
        QCOMPARE(scene.buildings->getNumChildren(), static_cast<unsigned int>(scene.buildingTiles));
        const osg::BoundingSphere bounds = render::contentBounds(scene);
        QVERIFY(bounds.valid() && bounds.radius() > 2000.0f && bounds.radius() < 4000.0f);
    }

    void tilesCarryThreeLevelsOfDetail() {
        CityModel model;
        const auto scene = demoScene(model);
        std::size_t triangles[3] = {0, 0, 0};
        std::size_t tallestFarAway = 0;
        std::size_t tallest = 0;
        for (std::size_t i = 1; i < model.buildings.size(); ++i)
            if (!model.buildings.hasParts(i) && model.buildings.heightM(i) > model.buildings.heightM(tallest)) tallest = i;
        QVERIFY(model.buildings.heightM(tallest) > 500.0);
        for (unsigned int t = 0; t < scene.buildings->getNumChildren(); ++t) {
            const auto* lod = dynamic_cast<const osg::LOD*>(scene.buildings->getChild(t));
            QVERIFY(lod && lod->getNumChildren() == 3);
            // Ranges in pixels on screen, joined without gaps: near above far above distant.
            QCOMPARE(lod->getMinRange(0), lod->getMaxRange(1));
            QCOMPARE(lod->getMinRange(1), lod->getMaxRange(2));
            QCOMPARE(lod->getMinRange(2), 0.0f);
            for (unsigned int level = 0; level < 3; ++level) {
                const auto* geometry = dynamic_cast<const osg::Geometry*>(lod->getChild(level));
                QVERIFY(geometry);
                triangles[level] += geometry->getNumPrimitiveSets() ? geometry->getPrimitiveSet(0)->getNumIndices() / 3 : 0;
                if (level != 2) continue;
                const auto* indices = dynamic_cast<const osg::FloatArray*>(geometry->getVertexAttribArray(render::kBuildingIndexAttribute));
                if (indices && std::find(indices->begin(), indices->end(), static_cast<float>(tallest)) != indices->end()) ++tallestFarAway;
            }
        }
        QVERIFY2(triangles[1] < triangles[0] / 2, qPrintable(QStringLiteral("%1 %2").arg(triangles[0]).arg(triangles[1])));
        QVERIFY2(triangles[2] < triangles[1], qPrintable(QStringLiteral("%1 %2").arg(triangles[1]).arg(triangles[2])));
        QVERIFY2(triangles[2] > triangles[0] / 20, "the distant mesh keeps the big buildings");
        QCOMPARE(tallestFarAway, std::size_t(1));  // Lotte World Tower stays on the skyline
    }

    void motionDetailFollowsTheFrameBudget() {
        render::MotionDetail detail(40.0, 16.0);
        QCOMPARE(detail.movingScale(), 1.0);
        detail.frameDrawn(30.0);  // within budget: full detail
        QCOMPARE(detail.movingScale(), 1.0);
        detail.frameDrawn(160.0);  // four times over: the scale doubles (square root of the overrun)
        QCOMPARE(detail.movingScale(), 2.0);
        for (int i = 0; i < 50; ++i) detail.frameDrawn(1000.0);
        QCOMPARE(detail.movingScale(), 16.0);  // bounded
        detail.frameDrawn(30.0);  // inside the budget but not well inside: kept
        QCOMPARE(detail.movingScale(), 16.0);
        for (int i = 0; i < 100; ++i) detail.frameDrawn(5.0);
        QCOMPARE(detail.movingScale(), 1.0);  // comes back to full detail, never below
        detail.frameDrawn(std::numeric_limits<double>::quiet_NaN());
        QCOMPARE(detail.movingScale(), 1.0);
    }

    void demoRenderMatchesReference() {
        CityModel model;
        const auto scene = demoScene(model);
        auto image = render::renderOffscreen(scene.root.get(), render::homePose(render::contentBounds(scene)), QSize(480, 300));
        QVERIFY2(image.ok(), image.ok() ? "" : image.error().c_str());
        const QString referencePath = test::sourcePath(QStringLiteral("tests/data/control_images/render/jamsil_home.png"));
        const QString outputDir = test::binaryPath(QStringLiteral("tests/render_output"));
        QDir().mkpath(outputDir);
        image->save(outputDir + QStringLiteral("/jamsil_home.png"));
        const QImage reference(referencePath);
        QVERIFY2(!reference.isNull(), qPrintable(QStringLiteral("missing reference ") + referencePath));
        const auto difference = test::compareImages(image.value(), reference, kChannelTolerance);
        if (difference.differingFraction > kMaxDifferingFraction) difference.diff.save(outputDir + QStringLiteral("/jamsil_home_diff.png"));
        QVERIFY2(difference.differingFraction <= kMaxDifferingFraction,
                 qPrintable(QStringLiteral("%1 % of pixels differ (diff image in %2)")
                                .arg(100.0 * difference.differingFraction, 0, 'f', 2).arg(outputDir)));
    }

    void renderWithoutBuildingsDiffersFromReference() {
        CityModel model;
        const auto scene = demoScene(model);
        scene.buildings->setNodeMask(0);
        auto image = render::renderOffscreen(scene.root.get(), render::homePose(render::contentBounds(scene)), QSize(480, 300));
        QVERIFY(image.ok());
        const QImage reference(test::sourcePath(QStringLiteral("tests/data/control_images/render/jamsil_home.png")));
        QVERIFY(!reference.isNull());
        const auto difference = test::compareImages(image.value(), reference, kChannelTolerance);
        QVERIFY2(difference.differingFraction > kMaxDifferingFraction, "the comparison must notice missing buildings");
    }

    void recolouringChangesColoursNotGeometry() {
        CityModel model;
        const auto scene = demoScene(model);
        const auto* lod = dynamic_cast<const osg::LOD*>(scene.buildings->getChild(0));
        QVERIFY(lod && lod->getNumChildren() == 3);
        const auto* tile = dynamic_cast<const osg::Geometry*>(lod->getChild(0));
        QVERIFY(tile);
        const osg::Array* verticesBefore = tile->getVertexArray();
        const std::size_t vertexCountBefore = verticesBefore->getNumElements();
        std::vector<double> heights(model.buildings.size());
        for (std::size_t i = 0; i < heights.size(); ++i) heights[i] = model.buildings.heightM(i);
        scene.coloring->setValues(heights, render::ColorMap::viridis(), 0.0, 100.0);
        QVERIFY(scene.coloring->active());
        QCOMPARE(tile->getVertexArray(), verticesBefore);
        QCOMPARE(tile->getVertexArray()->getNumElements(), vertexCountBefore);
        // A 3 m building maps near viridis' dark purple, a 100 m+ one to its yellow.
        std::size_t low = 0, high = 0;
        for (std::size_t i = 0; i < heights.size(); ++i) {
            const auto c = scene.coloring->colorOf(i);
            if (heights[i] <= 6.0) low += (c.r < 80 && c.b > 80) ? 1 : 0;
            if (heights[i] >= 100.0) high += (c.r > 240 && c.g > 220 && c.b < 50) ? 1 : 0;
        }
        QVERIFY(low > 0 && high > 0);

        auto image = render::renderOffscreen(scene.root.get(), render::homePose(render::contentBounds(scene)), QSize(480, 300));
        QVERIFY(image.ok());
        long long tinted = 0;
        for (int y = 0; y < image->height(); ++y)
            for (int x = 0; x < image->width(); ++x) {
                const QRgb p = image->pixel(x, y);
                tinted += (qGreen(p) > qRed(p) + 40 && qBlue(p) > qRed(p) + 20) ? 1 : 0;
            }
        QVERIFY2(tinted > 500, qPrintable(QString::number(tinted)));
        image->save(test::binaryPath(QStringLiteral("tests/render_output/jamsil_by_height.png")));

        scene.coloring->clear();
        QVERIFY(!scene.coloring->active());
    }

    void pickingFindsTheBuildingUnderTheCursor() {
        CityModel model;
        const auto scene = demoScene(model);
        // Look straight down at the tallest building; the centre pixel must pick it, a corner
        // of open ground must pick nothing.
        std::size_t tallest = 0;
        for (std::size_t i = 0; i < model.buildings.size(); ++i) {
            if (!model.buildings.hasParts(i) && model.buildings.heightM(i) > model.buildings.heightM(tallest)) tallest = i;
        }
        Eigen::Vector2d centre = Eigen::Vector2d::Zero();
        const auto ring = model.buildings.ring(model.buildings.ringBegin(tallest));
        for (const auto& v : ring) centre += v;
        centre /= static_cast<double>(ring.size());
        osg::ref_ptr<osg::Camera> camera = new osg::Camera;
        camera->setViewport(0, 0, 200, 200);
        camera->setProjectionMatrixAsPerspective(30.0, 1.0, 1.0, 20000.0);
        camera->setViewMatrixAsLookAt(osg::Vec3d(centre.x(), centre.y(), 3000.0), osg::Vec3d(centre.x(), centre.y(), 0.0),
                                      osg::Vec3d(0.0, 1.0, 0.0));
        camera->addChild(scene.root.get());
        const auto picked = render::pickBuilding(*camera, 100.0, 100.0);
        QVERIFY(picked.has_value());
        const std::size_t owner = model.buildings.isPart(*picked) ? model.buildings.partOf(*picked) : *picked;
        QVERIFY2(owner == tallest || *picked == tallest, qPrintable(QString::fromStdString(model.buildings.id(*picked))));
        camera->setViewMatrixAsLookAt(osg::Vec3d(-4000.0, -4000.0, 500.0), osg::Vec3d(-4000.0, -4000.0, 0.0), osg::Vec3d(0, 1, 0));
        QVERIFY(!render::pickBuilding(*camera, 100.0, 100.0).has_value());

        // A road: look down at the middle of the longest link; what is picked there is a road link
        // that passes under the cursor.
        std::size_t longest = 0;
        for (std::size_t l = 0; l < model.roads.linkCount(); ++l)
            if (model.roads.link(l).lengthM > model.roads.link(longest).lengthM) longest = l;
        const auto line = model.roads.geometry(longest);
        const Eigen::Vector2d middle = 0.5 * (line[line.size() / 2] + line[(line.size() - 1) / 2]);
        camera->setViewMatrixAsLookAt(osg::Vec3d(middle.x(), middle.y(), 300.0), osg::Vec3d(middle.x(), middle.y(), 0.0),
                                      osg::Vec3d(0, 1, 0));
        const auto road = render::pickEntity(*camera, 100.0, 100.0);
        QVERIFY(road.has_value());
        QVERIFY(road->kind == render::PickedEntity::Kind::RoadLink);
        double nearest = 1e9;
        const auto pickedLine = model.roads.geometry(road->index);
        for (std::size_t i = 0; i + 1 < pickedLine.size(); ++i) {
            const Eigen::Vector2d a = pickedLine[i], b = pickedLine[i + 1];
            const double t = std::clamp((middle - a).dot(b - a) / std::max((b - a).squaredNorm(), 1e-9), 0.0, 1.0);
            nearest = std::min(nearest, (a + t * (b - a) - middle).norm());
        }
        QVERIFY2(nearest < 15.0, qPrintable(QString::number(nearest)));
    }

    void recolouredBuildingPixelTakesItsValuesColour() {
        CityModel model;
        const auto scene = demoScene(model);
        const std::size_t tallest = tallestBuilding(model);
        const render::CameraPose above = lookingDownAt(model, tallest, 2500.0);
        auto centrePixel = [&](render::Rgb colour) {
            std::vector<render::Rgb> colours(model.buildings.size(), render::Rgb{255, 255, 255});
            colours[tallest] = colour;
            for (std::size_t i = 0; i < colours.size(); ++i)
                if (model.buildings.isPart(i) && model.buildings.partOf(i) == tallest) colours[i] = colour;
            scene.coloring->setColors(colours);
            auto image = render::renderOffscreen(scene.root.get(), above, QSize(101, 101));
            return image ? image->pixel(50, 50) : QRgb(0);
        };
        const QRgb white = centrePixel({255, 255, 255});
        const QRgb teal = centrePixel({33, 145, 140});
        QVERIFY(qRed(white) > 100);
        // Lighting scales every channel alike, so the ratio to the white roof is the colour itself.
        QVERIFY2(std::abs(255.0 * qRed(teal) / qRed(white) - 33.0) < 8.0, qPrintable(QString::number(qRed(teal))));
        QVERIFY2(std::abs(255.0 * qGreen(teal) / qGreen(white) - 145.0) < 8.0, qPrintable(QString::number(qGreen(teal))));
        QVERIFY2(std::abs(255.0 * qBlue(teal) / qBlue(white) - 140.0) < 8.0, qPrintable(QString::number(qBlue(teal))));
    }

    void buildingsCastShadowsAwayFromTheSun() {
        CityModel model;
        const auto scene = demoScene(model);
        QVERIFY(scene.shadow);
        const std::size_t tower = tallestBuilding(model);
        QVERIFY(model.buildings.heightM(tower) > 500.0);
        // The default sun (south-east, 44° up) throws the 555 m tower's shadow about 570 m to the north-west.
        const render::CameraPose above = lookingDownAt(model, tower, 1200.0);
        auto groundAt = [&](const osg::Vec3d& offset) {
            render::CameraPose pose = above;
            pose.eye += offset;
            pose.center += offset;
            auto image = render::renderOffscreen(scene.root.get(), pose, QSize(33, 33));
            return image ? qGray(image->pixel(16, 16)) : 0;
        };
        const osg::Vec3d shadowSide = osg::Vec3d(-0.633, 0.774, 0.0) * 250.0;
        const osg::Vec3d sunSide = -shadowSide;
        const int shadowedWith = groundAt(shadowSide), sunlitWith = groundAt(sunSide);
        scene.shadow->setEnabled(false);
        const int shadowedWithout = groundAt(shadowSide), sunlitWithout = groundAt(sunSide);
        scene.shadow->setEnabled(true);
        QVERIFY2(shadowedWith < 0.85 * shadowedWithout, qPrintable(QStringLiteral("%1 %2").arg(shadowedWith).arg(shadowedWithout)));
        QVERIFY2(std::abs(sunlitWith - sunlitWithout) <= 3, qPrintable(QStringLiteral("%1 %2").arg(sunlitWith).arg(sunlitWithout)));
        // With the buildings hidden (layer switched off) nothing casts a shadow.
        // In one view (one GL context, as the app's viewport): the map follows the layer's visibility.
        {
            auto renderer = render::OffscreenRenderer::create(QSize(33, 33));
            QVERIFY(renderer.ok());
            (*renderer)->setScene(scene.root.get());
            render::CameraPose pose = above;
            pose.eye += shadowSide;
            pose.center += shadowSide;
            auto centreGrey = [&] {
                (*renderer)->drawFrame(pose);
                return qGray((*renderer)->image().pixel(16, 16));
            };
            QCOMPARE(centreGrey(), shadowedWith);
            scene.buildings->setNodeMask(0);
            const int bareGround = centreGrey();
            scene.shadow->setEnabled(false);
            QCOMPARE(bareGround, centreGrey());
            scene.shadow->setEnabled(true);
            scene.buildings->setNodeMask(~0u);
            QCOMPARE(centreGrey(), shadowedWith);
        }
        // The sun from the north-west instead: the same place is in the sun.
        scene.shadow->setSunDirection(osg::Vec3(-0.55f, 0.45f, 0.70f));
        const int afterTurn = groundAt(shadowSide);
        QVERIFY2(afterTurn > shadowedWith + 10, qPrintable(QStringLiteral("%1 %2").arg(afterTurn).arg(shadowedWith)));
    }

    void colouredByUseWithLegendMatchesReference() {
        CityModel model;
        const auto scene = demoScene(model);
        const sim::ResultSet fields = app::attributeFields(model.buildings);
        const app::BuildingColours colours = app::buildingColours(*fields.field("city.use_class"), model.buildings, 0, false);
        scene.coloring->setValues(colours.values, colours.legend.map, colours.legend.minimum, colours.legend.maximum);
        auto image = render::renderOffscreen(scene.root.get(), render::homePose(render::contentBounds(scene)), QSize(480, 300));
        QVERIFY(image.ok());
        QPainter painter(&image.value());
        const QSize legend = render::legendSize(colours.legend);
        render::paintLegend(painter, QRect(QPoint(8, 300 - legend.height() - 8), legend), colours.legend);
        painter.end();
        compareWithReference(image.value(), QStringLiteral("jamsil_use_class"));
    }

    void sunLightFollowsTheSun() {
        CityModel model;
        const auto scene = demoScene(model);
        const render::CameraPose above = lookingDownAt(model, tallestBuilding(model), 2500.0);
        auto brightness = [&](render::SunAngles sun) {
            auto image = render::renderOffscreen(scene.root.get(), above, QSize(64, 64), sun);
            double sum = 0.0;
            for (int y = 0; y < 64; ++y)
                for (int x = 0; x < 64; ++x) sum += qGray(image->pixel(x, y));
            return sum / (64.0 * 64.0);
        };
        const double noon = brightness({20.0, 180.0});
        const double evening = brightness({80.0, 260.0});
        const double night = brightness({120.0, 0.0});
        // Looking straight down, the roofs and ground face the sky: the higher the sun, the brighter.
        QVERIFY2(noon > evening + 20.0 && evening > night, qPrintable(QStringLiteral("%1 %2 %3").arg(noon).arg(evening).arg(night)));
    }

    void sunOverJamsilMatchesTheSolarCalculator() {
        // By hand for the demo origin (37.51 N, 127.10 E, UTC+9) at 2026-06-21 12:00 local standard
        // time: declination 23.44°, equation of time −1.7 min, so solar time 11:26.7 and hour angle
        // −8.3°; sin(elevation) = sin φ sin δ + cos φ cos δ cos H → 74.2°; cos(azimuth) =
        // (sin δ − sin h sin φ) / (cos h cos φ) → 150.6°, east of south in the morning.
        auto project = app::readProject(test::sourcePath(QStringLiteral("data/demo/demo.utwin")));
        const app::LoadedProject loaded = app::loadProject(project.value());
        const auto sun = app::sunOverCity(QDateTime(QDate(2026, 6, 21), QTime(12, 0)), loaded);
        QVERIFY(sun.has_value());
        QVERIFY2(std::abs((90.0 - sun->zenithDeg) - 74.2) < 0.3, qPrintable(QString::number(90.0 - sun->zenithDeg)));
        QVERIFY2(std::abs(sun->azimuthDeg - 150.6) < 1.5, qPrintable(QString::number(sun->azimuthDeg)));
        QCOMPARE(app::cityTimeZoneHours(loaded), 9.0);
    }

    void buildingsStandOnTerrainMatchesReference() {
        QTemporaryDir dir;
        const QString projectPath = dir.filePath(QStringLiteral("hillside.utwin"));
        QFile file(projectPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral("{\"format\": \"urbantwin-project\", \"version\": 1, \"layers\": ["
                                  "{\"path\": \"%1\", \"type\": \"dem\"}, {\"path\": \"%2\"}]}")
                       .arg(test::sourcePath(QStringLiteral("tests/data/srtm_bigtujunga_40x30_utm11.tif")),
                            test::sourcePath(QStringLiteral("tests/data/fixture_hillside_buildings_32611.geojson")))
                       .toUtf8());
        file.close();
        auto project = app::readProject(projectPath);
        QVERIFY2(project.ok(), project.ok() ? "" : project.error().c_str());
        const app::LoadedProject loaded = app::loadProject(project.value());
        QVERIFY2(loaded.firstError().isEmpty(), qPrintable(loaded.firstError()));
        QCOMPARE(loaded.model.buildings.size(), std::size_t(7));
        // The crop's heights are 984–1308 m (gdalinfo): every building stands on it, none at sea level.
        for (std::size_t i = 0; i < loaded.model.buildings.size(); ++i) {
            QVERIFY2(loaded.model.buildings.baseElevationM(i) > 980.0 && loaded.model.buildings.baseElevationM(i) < 1310.0,
                     qPrintable(QString::number(loaded.model.buildings.baseElevationM(i))));
        }
        const render::CityScene scene = render::buildCityScene(loaded.model);
        auto image = render::renderOffscreen(scene.root.get(), render::homePose(render::contentBounds(scene)), QSize(480, 300));
        QVERIFY(image.ok());
        compareWithReference(image.value(), QStringLiteral("terrain_buildings"));
    }

    void pickedHighlightMatchesReference() {
        CityModel model;
        const auto scene = demoScene(model);
        const std::size_t tallest = tallestBuilding(model);
        std::vector<std::size_t> rows{tallest};
        for (std::size_t i = 0; i < model.buildings.size(); ++i)
            if (model.buildings.isPart(i) && model.buildings.partOf(i) == tallest) rows.push_back(i);
        scene.coloring->setHighlight(rows);
        render::CameraPose pose = lookingDownAt(model, tallest, 250.0);
        pose.center.z() = 250.0;
        pose.eye = pose.center + osg::Vec3d(-700.0, -1000.0, 500.0);
        pose.up = osg::Vec3d(0.0, 0.0, 1.0);
        auto image = render::renderOffscreen(scene.root.get(), pose, QSize(480, 300));
        QVERIFY(image.ok());
        // The tower (all its parts) in the middle of the picture is tinted red.
        const QRgb centre = image->pixel(240, 150);
        QVERIFY2(qRed(centre) > qGreen(centre) + 80, qPrintable(QColor(centre).name()));
        compareWithReference(image.value(), QStringLiteral("jamsil_highlight"));
    }

    void vehiclesMoveAndTakeTheirSpeedColour() {
        // A four-lane road along x seen from 80 m straight above: 1 m is about 3.7 pixels.
        CityModel model;
        RoadLink link;
        link.id = "road";
        link.roadClass = "primary";
        link.lanes = 4;
        link.lanesForward = 2;
        link.lanesBackward = 2;
        const std::vector<Eigen::Vector2d> line{{-200.0, 0.0}, {200.0, 0.0}};
        model.roads.addLink(link, line);
        const render::CityScene scene = render::buildCityScene(model);
        render::VehicleLayer vehicles(2.0, 60.0);
        scene.root->addChild(vehicles.geometry());
        const render::CameraPose above{osg::Vec3d(0.0, 0.0, 80.0), osg::Vec3d(0.0, 0.0, 0.0), osg::Vec3d(0.0, 1.0, 0.0)};
        auto renderer = render::OffscreenRenderer::create(QSize(240, 160));
        QVERIFY2(renderer.ok(), renderer.ok() ? "" : renderer.error().c_str());
        (*renderer)->setScene(scene.root.get());
        auto near = [](QRgb pixel, render::Rgb expected) {
            return std::abs(qRed(pixel) - expected.r) < 12 && std::abs(qGreen(pixel) - expected.g) < 12 &&
                   std::abs(qBlue(pixel) - expected.b) < 12;
        };
        const render::Rgb standing = vehicles.colorMap().at(0.0), fast = vehicles.colorMap().at(1.0);

        // A standing car in the middle, a fast one heading north-east to the right, one heading west.
        const float quarter = 0.78539816f;
        std::vector<render::VehicleMarker> markers{
            {0.0f, -1.6f, 0.0f, 0.0f, 0.0f}, {20.0f, 1.6f, 0.0f, quarter, 20.0f}, {-20.0f, 4.8f, 0.0f, 4.0f * quarter, 8.0f}};
        vehicles.setVehicles(markers);
        QCOMPARE(vehicles.count(), std::size_t{3});
        QCOMPARE(vehicles.geometry()->getVertexArray()->getNumElements(), 3u * 39u);
        (*renderer)->drawFrame(above);
        const QImage first = (*renderer)->image();
        QVERIFY2(near(first.pixel(120, 86), standing), qPrintable(QColor(first.pixel(120, 86)).name()));
        QVERIFY2(near(first.pixel(195, 74), fast), qPrintable(QColor(first.pixel(195, 74)).name()));
        compareWithReference(first, QStringLiteral("vehicles"));

        // The same renderer, the next frame (after reading the image back): the middle car has driven 30 m east at 60 km/h.
        markers[0] = {30.0f, -1.6f, 0.0f, 0.0f, 60.0f / 3.6f};
        vehicles.setVehicles(markers);
        (*renderer)->drawFrame(above);
        const QImage second = (*renderer)->image();
        QVERIFY2(!near(second.pixel(120, 86), standing) && !near(second.pixel(120, 86), fast),
                 qPrintable(QColor(second.pixel(120, 86)).name()));
        QVERIFY2(near(second.pixel(231, 86), fast), qPrintable(QColor(second.pixel(231, 86)).name()));

        // Fewer vehicles, then none.
        vehicles.setVehicles(std::span(markers).first(1));
        QCOMPARE(vehicles.geometry()->getVertexArray()->getNumElements(), 39u);
        vehicles.setVehicles({});
        (*renderer)->drawFrame(above);
        QVERIFY(!near((*renderer)->image().pixel(195, 74), fast));
    }

    void sensorPinsTakeTheirValuesColourGreyWhenStaleAndPick() {
        // Three pins 60 m apart seen from straight above: heads coloured by value, the last stale.
        CityModel model;
        const render::CityScene scene = render::buildCityScene(model);
        const std::vector<osg::Vec3d> positions{{-60.0, 0.0, 0.0}, {0.0, 0.0, 0.0}, {60.0, 0.0, 0.0}};
        const render::SensorMarkers pins = render::buildSensorMarkers(positions, 10.0);
        scene.root->addChild(pins.geometry);
        const render::ColorMap map = render::ColorMap::viridis();
        const std::vector<double> values{0.0, 100.0, std::nan("")};
        render::colourSensorMarkers(pins, values, map, 0.0, 100.0);
        const render::CameraPose above{osg::Vec3d(0.0, 0.0, 600.0), osg::Vec3d(0.0, 0.0, 0.0), osg::Vec3d(0.0, 1.0, 0.0)};
        auto image = render::renderOffscreen(scene.root.get(), above, QSize(241, 121));
        QVERIFY2(image.ok(), image.ok() ? "" : image.error().c_str());
        // 60 m at 600 m with a 30° field of view is about 60 / (2 · 600 · tan 15°) · 121 ≈ 22.6 pixels.
        const int step = static_cast<int>(std::lround(60.0 / (2.0 * 600.0 * std::tan(osg::DegreesToRadians(15.0))) * 121.0));
        auto hue = [](QRgb pixel) { return QColor(pixel).hsvHueF(); };
        auto grey = [](QRgb pixel) { return std::abs(qRed(pixel) - qGreen(pixel)) < 12 && std::abs(qGreen(pixel) - qBlue(pixel)) < 12; };
        const QRgb low = image->pixel(120 - step, 60), high = image->pixel(120, 60), stale = image->pixel(120 + step, 60);
        const render::Rgb lowColour = map.at(0.0), highColour = map.at(1.0);
        // Lighting scales brightness, not hue: compare hues with viridis' ends (purple, yellow).
        QVERIFY2(std::abs(hue(low) - QColor(lowColour.r, lowColour.g, lowColour.b).hsvHueF()) < 0.05, qPrintable(QColor(low).name()));
        QVERIFY2(std::abs(hue(high) - QColor(highColour.r, highColour.g, highColour.b).hsvHueF()) < 0.05, qPrintable(QColor(high).name()));
        QVERIFY2(grey(stale) && qRed(stale) > 60, qPrintable(QColor(stale).name()));

        osg::ref_ptr<osg::Camera> camera = new osg::Camera;
        camera->setViewport(0, 0, 241, 121);
        camera->setProjectionMatrixAsPerspective(30.0, 241.0 / 121.0, 1.0, 5000.0);
        camera->setViewMatrixAsLookAt(above.eye, above.center, above.up);
        camera->addChild(scene.root.get());
        for (int i = 0; i < 3; ++i) {
            const auto picked = render::pickEntity(*camera, 120.0 + (i - 1) * step, 60.0);
            QVERIFY(picked && picked->kind == render::PickedEntity::Kind::Sensor);
            QCOMPARE(picked->index, std::size_t(i));
        }
        QVERIFY(!render::pickEntity(*camera, 120.0 + step / 2.0, 60.0));
    }
};

QTEST_MAIN(RenderTest)
#include "test_render.moc"
