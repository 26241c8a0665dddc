#include "ut/render/OffscreenRenderer.h"

#include <QElapsedTimer>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFramebufferObject>
#include <QOpenGLFunctions>
#include <osgViewer/Viewer>

#include "ut/render/ViewSetup.h"

namespace ut::render {

struct OffscreenRenderer::State {
    QSize size;
    QOffscreenSurface surface;
    QOpenGLContext context;
    std::unique_ptr<QOpenGLFramebufferObject> framebuffer;
    osg::ref_ptr<osgViewer::Viewer> viewer;
    osg::ref_ptr<osgViewer::GraphicsWindowEmbedded> window;
};

Result<std::unique_ptr<OffscreenRenderer>> OffscreenRenderer::create(QSize size) {
    if (size.width() < 1 || size.height() < 1 || size.width() > 16384 || size.height() > 16384) {
        return Error{"image size must be between 1x1 and 16384x16384"};
    }
    auto state = std::make_unique<State>();
    state->size = size;
    QSurfaceFormat format;
    format.setRenderableType(QSurfaceFormat::OpenGL);
    format.setDepthBufferSize(24);
    state->surface.setFormat(format);
    state->surface.create();
    state->context.setFormat(format);
    if (!state->surface.isValid() || !state->context.create() || !state->context.makeCurrent(&state->surface)) {
        return Error{"cannot create an OpenGL context (is there a display? run under xvfb-run)"};
    }
    QOpenGLFramebufferObjectFormat fboFormat;
    fboFormat.setAttachment(QOpenGLFramebufferObject::Depth);
    fboFormat.setSamples(4);
    state->framebuffer = std::make_unique<QOpenGLFramebufferObject>(size, fboFormat);
    if (!state->framebuffer->isValid()) return Error{"cannot create an offscreen framebuffer of that size"};
    state->viewer = new osgViewer::Viewer;
    state->window = state->viewer->setUpViewerAsEmbeddedInWindow(0, 0, size.width(), size.height());
    state->viewer->setThreadingModel(osgViewer::Viewer::SingleThreaded);
    configureView(*state->viewer, size.width(), size.height());
    state->window->setDefaultFboId(state->framebuffer->handle());
    state->viewer->realize();
    return std::unique_ptr<OffscreenRenderer>(new OffscreenRenderer(std::move(state)));
}

OffscreenRenderer::OffscreenRenderer(std::unique_ptr<State> state) : m_state(std::move(state)) {}

OffscreenRenderer::~OffscreenRenderer() {
    m_state->context.makeCurrent(&m_state->surface);
    if (osg::Node* scene = m_state->viewer->getSceneData()) scene->releaseGLObjects(m_state->window->getState());
    m_state->viewer->setSceneData(nullptr);
    m_state->viewer = nullptr;
    m_state->framebuffer.reset();
    m_state->context.doneCurrent();
}

void OffscreenRenderer::setScene(osg::Node* scene) {
    m_state->context.makeCurrent(&m_state->surface);
    if (osg::Node* previous = m_state->viewer->getSceneData()) previous->releaseGLObjects(m_state->window->getState());
    m_state->viewer->setSceneData(scene);
}

void OffscreenRenderer::setSun(const SunAngles& sun) { setSunLight(*m_state->viewer, sun); }

double OffscreenRenderer::drawFrame(const CameraPose& pose) {
    m_state->context.makeCurrent(&m_state->surface);
    // Reading an image back binds Qt's own framebuffers; OSG draws into whatever is bound.
    m_state->framebuffer->bind();
    QElapsedTimer timer;
    timer.start();
    m_state->viewer->getCamera()->setViewMatrixAsLookAt(pose.eye, pose.center, pose.up);
    m_state->viewer->frame();
    m_state->context.functions()->glFinish();
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

QImage OffscreenRenderer::image() {
    m_state->context.makeCurrent(&m_state->surface);
    return m_state->framebuffer->toImage().convertToFormat(QImage::Format_RGB32);
}

Result<QImage> renderOffscreen(osg::Node* scene, const CameraPose& pose, QSize size, std::optional<SunAngles> sun) {
    auto renderer = OffscreenRenderer::create(size);
    if (!renderer) return Error{renderer.error()};
    (*renderer)->setScene(scene);
    if (sun) (*renderer)->setSun(*sun);
    (*renderer)->drawFrame(pose);
    return (*renderer)->image();
}

}  // namespace ut::render
