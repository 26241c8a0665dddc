#include "ut/render/OffscreenRenderer.h"

#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFramebufferObject>
#include <QOpenGLFunctions>
#include <osgViewer/Viewer>

#include "ut/render/ViewSetup.h"

namespace ut::render {

Result<QImage> renderOffscreen(osg::Node* scene, const CameraPose& pose, QSize size) {
    if (size.width() < 1 || size.height() < 1 || size.width() > 16384 || size.height() > 16384) {
        return Error{"image size must be between 1x1 and 16384x16384"};
    }
    QSurfaceFormat format;
    format.setRenderableType(QSurfaceFormat::OpenGL);
    format.setDepthBufferSize(24);
    QOffscreenSurface surface;
    surface.setFormat(format);
    surface.create();
    QOpenGLContext context;
    context.setFormat(format);
    if (!surface.isValid() || !context.create() || !context.makeCurrent(&surface)) {
        return Error{"cannot create an OpenGL context (is there a display? run under xvfb-run)"};
    }
    QImage image;
    {
        QOpenGLFramebufferObjectFormat fboFormat;
        fboFormat.setAttachment(QOpenGLFramebufferObject::Depth);
        fboFormat.setSamples(4);
        QOpenGLFramebufferObject framebuffer(size, fboFormat);
        if (!framebuffer.isValid()) return Error{"cannot create an offscreen framebuffer of that size"};

        osg::ref_ptr<osgViewer::Viewer> viewer = new osgViewer::Viewer;
        osg::ref_ptr<osgViewer::GraphicsWindowEmbedded> window =
            viewer->setUpViewerAsEmbeddedInWindow(0, 0, size.width(), size.height());
        viewer->setThreadingModel(osgViewer::Viewer::SingleThreaded);
        configureView(*viewer, size.width(), size.height());
        viewer->setSceneData(scene);
        viewer->getCamera()->setViewMatrixAsLookAt(pose.eye, pose.center, pose.up);
        window->setDefaultFboId(framebuffer.handle());
        viewer->realize();
        viewer->frame();
        context.functions()->glFinish();
        image = framebuffer.toImage();
        if (scene) scene->releaseGLObjects(window->getState());
        viewer->setSceneData(nullptr);
    }
    context.doneCurrent();
    return image.convertToFormat(QImage::Format_RGB32);
}

}  // namespace ut::render
