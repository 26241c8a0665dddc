#include "ut/render/ViewSetup.h"

#include <osg/Camera>
#include <osg/Light>
#include <osg/Math>
#include <osg/View>

#include <algorithm>
#include <cmath>

#include "ut/render/CameraPose.h"

namespace ut::render {

void resizeView(osg::View& view, int width, int height) {
    osg::Camera* camera = view.getCamera();
    camera->setViewport(0, 0, width, height);
    camera->setProjectionMatrixAsPerspective(kVerticalFieldOfViewDeg,
                                             static_cast<double>(width) / std::max(height, 1), 1.0, 10000.0);
}

void configureView(osg::View& view, int width, int height) {
    osg::Camera* camera = view.getCamera();
    camera->setClearColor(kSkyHorizon);
    camera->setNearFarRatio(0.0002);
    camera->setSmallFeatureCullingPixelSize(1.0f);
    resizeView(view, width, height);
    view.setLightingMode(osg::View::SKY_LIGHT);
    osg::Light* light = view.getLight();
    light->setPosition(osg::Vec4(defaultTowardsSun(), 0.0f));
    light->setAmbient(osg::Vec4(0.45f, 0.45f, 0.47f, 1.0f));
    light->setDiffuse(osg::Vec4(0.62f, 0.61f, 0.58f, 1.0f));
    light->setSpecular(osg::Vec4(0.0f, 0.0f, 0.0f, 1.0f));
}

osg::Vec3 defaultTowardsSun() {
    const osg::Vec3 direction(0.45f, -0.55f, 0.70f);
    return direction / direction.length();
}

osg::Vec3 towardsSun(const SunAngles& sun) {
    const double zenith = osg::DegreesToRadians(std::min(sun.zenithDeg, 89.0));
    const double azimuth = osg::DegreesToRadians(sun.azimuthDeg);
    return {static_cast<float>(std::sin(zenith) * std::sin(azimuth)), static_cast<float>(std::sin(zenith) * std::cos(azimuth)),
            static_cast<float>(std::cos(zenith))};
}

void setSunLight(osg::View& view, const SunAngles& sun) {
    // Full sun above about 15° elevation, fading to a dim blue sky light at and below the horizon.
    const float daylight = static_cast<float>(std::clamp((90.0 - sun.zenithDeg) / 15.0, 0.0, 1.0));
    osg::Light* light = view.getLight();
    light->setPosition(osg::Vec4(towardsSun(sun), 0.0f));
    light->setAmbient(osg::Vec4(0.22f + 0.13f * daylight, 0.24f + 0.11f * daylight, 0.32f + 0.05f * daylight, 1.0f));
    light->setDiffuse(osg::Vec4(0.56f * daylight, 0.55f * daylight, 0.52f * daylight, 1.0f));
}

}  // namespace ut::render
