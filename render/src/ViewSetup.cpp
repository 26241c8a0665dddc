#include "ut/render/ViewSetup.h"

#include <osg/Camera>
#include <osg/Light>
#include <osg/View>

#include "ut/render/CameraPose.h"

namespace ut::render {

void configureView(osg::View& view, int width, int height) {
    osg::Camera* camera = view.getCamera();
    camera->setClearColor(osg::Vec4(0.74f, 0.82f, 0.91f, 1.0f));
    camera->setViewport(0, 0, width, height);
    camera->setProjectionMatrixAsPerspective(kVerticalFieldOfViewDeg,
                                             static_cast<double>(width) / std::max(height, 1), 1.0, 10000.0);
    camera->setNearFarRatio(0.0002);
    camera->setSmallFeatureCullingPixelSize(1.0f);

    view.setLightingMode(osg::View::SKY_LIGHT);
    osg::Light* sun = view.getLight();
    sun->setPosition(osg::Vec4(0.45f, -0.55f, 0.70f, 0.0f));  // towards the sun: south-east, high
    sun->setAmbient(osg::Vec4(0.45f, 0.45f, 0.47f, 1.0f));
    sun->setDiffuse(osg::Vec4(0.62f, 0.61f, 0.58f, 1.0f));
    sun->setSpecular(osg::Vec4(0.0f, 0.0f, 0.0f, 1.0f));
}

}  // namespace ut::render
