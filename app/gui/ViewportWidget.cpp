#include "ViewportWidget.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QSurfaceFormat>
#include <QOpenGLFunctions>
#include <algorithm>
#include <cmath>
#include <QKeyEvent>
#include <QTimer>
#include <QMouseEvent>
#include <QWheelEvent>
#include <osgGA/TerrainManipulator>
#include <osgViewer/Viewer>

#include "ut/render/Picking.h"
#include "ut/render/ViewSetup.h"

namespace ut::app {

bool ViewportWidget::softwareRenderer() {
    static const bool software = [] {
        QOpenGLContext context;
        QOffscreenSurface surface;
        surface.create();
        if (!context.create() || !context.makeCurrent(&surface)) return false;
        const auto* name = reinterpret_cast<const char*>(context.functions()->glGetString(GL_RENDERER));
        const QString renderer = QString::fromLatin1(name ? name : "").toLower();
        context.doneCurrent();
        return renderer.contains(QLatin1String("llvmpipe")) || renderer.contains(QLatin1String("softpipe")) ||
               renderer.contains(QLatin1String("software")) || renderer.contains(QLatin1String("swiftshader"));
    }();
    return software;
}

QSurfaceFormat ViewportWidget::surfaceFormat() {
    QSurfaceFormat format = QSurfaceFormat::defaultFormat();
    format.setDepthBufferSize(24);
    format.setSamples(softwareRenderer() ? 0 : 4);
    return format;
}

ViewportWidget::ViewportWidget(QWidget* parent)
    : QOpenGLWidget(parent), m_flight(new QTimer(this)), m_hover(new QTimer(this)), m_settle(new QTimer(this)) {
    m_flight->setInterval(33);
    m_settle->setSingleShot(true);
    m_settle->setInterval(250);
    connect(m_settle, &QTimer::timeout, this, [this] {
        m_moving = false;
        if (m_drawnLodScale > 1.0f) update();  // the still view in full detail
    });
    m_hover->setSingleShot(true);
    m_hover->setInterval(150);
    connect(m_hover, &QTimer::timeout, this, [this] {
        if (!m_viewer->getSceneData() || !underMouse()) return;
        const qreal ratio = devicePixelRatioF();
        const auto picked = render::pickEntity(*m_viewer->getCamera(), m_hoverPosition.x() * ratio,
                                               (height() - m_hoverPosition.y()) * ratio);
        const bool onSensor = picked && picked->kind == render::PickedEntity::Kind::Sensor;
        emit sensorHovered(onSensor ? std::optional(picked->index) : std::nullopt, mapToGlobal(m_hoverPosition.toPoint()));
    });
    connect(m_flight, &QTimer::timeout, this, [this] {
        const double t = std::min(1.0, static_cast<double>(QDateTime::currentMSecsSinceEpoch() - m_flightStartMs) /
                                           (1000.0 * m_flightSeconds));
        const double s = t * t * (3.0 - 2.0 * t);
        const osg::Vec3d eye = m_flightFrom.eye * (1.0 - s) + m_flightTo.eye * s;
        const osg::Vec3d center = m_flightFrom.center * (1.0 - s) + m_flightTo.center * s;
        m_manipulator->setTransformation(eye, center, osg::Vec3d(0.0, 0.0, 1.0));
        cameraMoved();
        if (t >= 1.0) {
            m_flight->stop();
            emit flightFinished();
        }
    });
    setFormat(surfaceFormat());
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setMinimumSize(320, 240);
    m_viewer = new osgViewer::Viewer;
    m_viewer->setThreadingModel(osgViewer::Viewer::SingleThreaded);
    m_window = m_viewer->setUpViewerAsEmbeddedInWindow(0, 0, width(), height());
    m_window->getEventQueue()->getCurrentEventState()->setMouseYOrientation(
        osgGA::GUIEventAdapter::Y_INCREASING_DOWNWARDS);
    m_manipulator = new osgGA::TerrainManipulator;
    m_manipulator->setAllowThrow(false);
    m_manipulator->setAutoComputeHomePosition(false);
    m_viewer->setCameraManipulator(m_manipulator, false);
    m_viewer->setKeyEventSetsDone(0);
    m_viewer->setQuitEventSetsDone(false);
    render::configureView(*m_viewer, std::max(width(), 1), std::max(height(), 1));
}

ViewportWidget::~ViewportWidget() {
    makeCurrent();
    m_viewer->setSceneData(nullptr);
    m_viewer = nullptr;
    doneCurrent();
}

void ViewportWidget::setScene(osg::Node* root, const osg::BoundingSphere& homeBounds) {
    m_homeBounds = homeBounds;
    m_viewer->setSceneData(root);
    m_manipulator->setNode(root);
    home();
}

osg::Node* ViewportWidget::scene() const { return m_viewer->getSceneData(); }

void ViewportWidget::home() {
    if (m_viewer->getSceneData()) {
        const render::CameraPose pose = render::homePose(m_homeBounds);
        m_manipulator->setHomePosition(pose.eye, pose.center, pose.up);
        m_manipulator->home(0.0);
    }
    update();
}

void ViewportWidget::flyTo(const render::CameraPose& pose, double seconds) {
    if (seconds <= 0.0) {
        m_manipulator->setTransformation(pose.eye, pose.center, osg::Vec3d(0.0, 0.0, 1.0));
        update();
        emit flightFinished();
        return;
    }
    m_flightFrom = cameraPose();
    m_flightTo = pose;
    m_flightSeconds = seconds;
    m_flightStartMs = QDateTime::currentMSecsSinceEpoch();
    m_flight->start();
}

bool ViewportWidget::isFlying() const { return m_flight->isActive(); }

void ViewportWidget::setSun(const render::SunAngles& sun) {
    m_sun = sun;
    m_sunSet = true;
    render::setSunLight(*m_viewer, sun);
    update();
}

void ViewportWidget::mouseDoubleClickEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        if (auto building = buildingAt(event->position())) emit buildingActivated(*building);
    }
}

render::CameraPose ViewportWidget::cameraPose() const {
    osg::Vec3d eye, center, up;
    m_manipulator->getInverseMatrix().getLookAt(eye, center, up, m_manipulator->getDistance());
    return {eye, center, up};
}

void ViewportWidget::initializeGL() {}

void ViewportWidget::resizeGL(int width, int height) {
    const qreal ratio = devicePixelRatioF();
    const int w = static_cast<int>(width * ratio);
    const int h = static_cast<int>(height * ratio);
    m_window->resized(0, 0, w, h);
    m_window->getEventQueue()->windowResize(0, 0, w, h);
    render::resizeView(*m_viewer, w, h);
}

void ViewportWidget::setReduceDetailWhileMoving(bool on) {
    m_reduceDetailWhileMoving = on;
    update();
}

void ViewportWidget::cameraMoved() {
    m_moving = true;
    m_settle->start();
    update();
}

void ViewportWidget::paintGL() {
    m_window->setDefaultFboId(defaultFramebufferObject());
    const bool reduced = m_moving && m_reduceDetailWhileMoving;
    m_drawnLodScale = reduced ? static_cast<float>(m_motionDetail.movingScale()) : 1.0f;
    m_viewer->getCamera()->setLODScale(m_drawnLodScale);
    QElapsedTimer clock;
    clock.start();
    m_viewer->frame();
    // Waiting for the frame costs a little overlap on a GPU but gives the time the frame really took.
    if (reduced || m_timingFrames) context()->functions()->glFinish();
    m_lastFrameMs = static_cast<double>(clock.nsecsElapsed()) * 1e-6;
    if (reduced) m_motionDetail.frameDrawn(m_lastFrameMs);
    ++m_framesDrawn;
    emit frameDrawn(m_lastFrameMs, m_drawnLodScale > 1.0f);
}

void ViewportWidget::orbit(double degrees) {
    render::CameraPose pose = cameraPose();
    const osg::Vec3d offset = osg::Quat(osg::DegreesToRadians(degrees), osg::Vec3d(0.0, 0.0, 1.0)) * (pose.eye - pose.center);
    pose.eye = pose.center + offset;
    m_manipulator->setTransformation(pose.eye, pose.center, osg::Vec3d(0.0, 0.0, 1.0));
    cameraMoved();
}

int ViewportWidget::osgButton(const QMouseEvent* event) const {
    switch (event->button() != Qt::NoButton ? event->button() : Qt::NoButton) {
        case Qt::LeftButton: return (event->modifiers() & Qt::ShiftModifier) ? 2 : 1;
        case Qt::MiddleButton: return 2;
        case Qt::RightButton: return 3;
        default: return 0;
    }
}

void ViewportWidget::mousePressEvent(QMouseEvent* event) {
    m_pressPosition = event->position();
    const qreal ratio = devicePixelRatioF();
    const QPointF p = event->position() * ratio;
    m_window->getEventQueue()->mouseButtonPress(static_cast<float>(p.x()), static_cast<float>(p.y()),
                                                static_cast<unsigned int>(osgButton(event)));
    update();
}

void ViewportWidget::mouseReleaseEvent(QMouseEvent* event) {
    const qreal ratio = devicePixelRatioF();
    const QPointF p = event->position() * ratio;
    m_window->getEventQueue()->mouseButtonRelease(static_cast<float>(p.x()), static_cast<float>(p.y()),
                                                  static_cast<unsigned int>(osgButton(event)));
    if (event->button() == Qt::LeftButton && (event->position() - m_pressPosition).manhattanLength() < 4 &&
        m_viewer->getSceneData()) {
        const qreal r = devicePixelRatioF();
        const auto picked = render::pickEntity(*m_viewer->getCamera(), event->position().x() * r,
                                               (height() - event->position().y()) * r);
        if (picked && picked->kind == render::PickedEntity::Kind::RoadLink) {
            emit roadLinkPicked(picked->index);
        } else if (picked && picked->kind == render::PickedEntity::Kind::Sensor) {
            emit sensorPicked(picked->index);
        } else {
            emit buildingPicked(picked ? std::optional<std::size_t>(picked->index) : std::nullopt);
        }
    }
    update();
}

void ViewportWidget::mouseMoveEvent(QMouseEvent* event) {
    const qreal ratio = devicePixelRatioF();
    const QPointF p = event->position() * ratio;
    m_window->getEventQueue()->mouseMotion(static_cast<float>(p.x()), static_cast<float>(p.y()));
    emit cursorOnGround(groundPointAt(p));
    if (event->buttons() != Qt::NoButton) {
        cameraMoved();
        m_hover->stop();
    } else {
        m_hoverPosition = event->position();
        m_hover->start();
    }
}

void ViewportWidget::wheelEvent(QWheelEvent* event) {
    const int delta = event->angleDelta().y();
    if (delta == 0) return;
    m_window->getEventQueue()->mouseScroll(delta > 0 ? osgGA::GUIEventAdapter::SCROLL_UP
                                                     : osgGA::GUIEventAdapter::SCROLL_DOWN);
    cameraMoved();
}

void ViewportWidget::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_H || event->key() == Qt::Key_Space || event->key() == Qt::Key_Home) {
        home();
        return;
    }
    if (!m_viewer->getSceneData() || !moveCamera(event->key())) QOpenGLWidget::keyPressEvent(event);
}

bool ViewportWidget::moveCamera(int key) {
    render::CameraPose pose = cameraPose();
    osg::Vec3d offset = pose.eye - pose.center;
    const double distance = offset.length();
    if (distance <= 0.0) return false;
    osg::Vec3d forward(-offset.x(), -offset.y(), 0.0);
    if (forward.length2() < 1e-9) forward = osg::Vec3d(0.0, 1.0, 0.0);
    forward.normalize();
    const osg::Vec3d right = forward ^ osg::Vec3d(0.0, 0.0, 1.0);
    constexpr double kStepDeg = 5.0;
    switch (key) {
        case Qt::Key_Left:
        case Qt::Key_Right: orbit(key == Qt::Key_Left ? -kStepDeg : kStepDeg); return true;
        case Qt::Key_Up:
        case Qt::Key_Down:
        case Qt::Key_PageUp:
        case Qt::Key_PageDown: {
            // Tilt: the camera's elevation above the centre, kept between 5° and 89°.
            const double elevation = std::asin(std::clamp(offset.z() / distance, -1.0, 1.0));
            const double step = osg::DegreesToRadians((key == Qt::Key_Up || key == Qt::Key_PageUp) ? kStepDeg : -kStepDeg);
            const double tilted = std::clamp(elevation + step, osg::DegreesToRadians(5.0), osg::DegreesToRadians(89.0));
            offset = -forward * (distance * std::cos(tilted)) + osg::Vec3d(0.0, 0.0, distance * std::sin(tilted));
            break;
        }
        case Qt::Key_Plus:
        case Qt::Key_Equal:
        case Qt::Key_Minus: {
            offset *= key == Qt::Key_Minus ? 1.2 : 1.0 / 1.2;
            break;
        }
        case Qt::Key_W:
        case Qt::Key_S:
        case Qt::Key_A:
        case Qt::Key_D: {
            const osg::Vec3d direction = key == Qt::Key_W ? forward : key == Qt::Key_S ? -forward : key == Qt::Key_D ? right : -right;
            const osg::Vec3d shift = direction * (0.1 * distance);
            pose.center += shift;
            break;
        }
        default: return false;
    }
    pose.eye = pose.center + offset;
    m_manipulator->setTransformation(pose.eye, pose.center, osg::Vec3d(0.0, 0.0, 1.0));
    cameraMoved();
    return true;
}

std::optional<std::size_t> ViewportWidget::buildingAt(const QPointF& position) const {
    if (!m_viewer->getSceneData()) return std::nullopt;
    const qreal ratio = devicePixelRatioF();
    return render::pickBuilding(*m_viewer->getCamera(), position.x() * ratio, (height() - position.y()) * ratio);
}

std::optional<QPointF> ViewportWidget::groundPointAt(const QPointF& position) const {
    const osg::Camera* camera = m_viewer->getCamera();
    if (!camera->getViewport() || !m_viewer->getSceneData()) return std::nullopt;
    const osg::Matrixd toWindow = camera->getViewMatrix() * camera->getProjectionMatrix() *
                                  camera->getViewport()->computeWindowMatrix();
    const osg::Matrixd fromWindow = osg::Matrixd::inverse(toWindow);
    const double y = camera->getViewport()->height() - position.y();
    const osg::Vec3d nearPoint = osg::Vec3d(position.x(), y, 0.0) * fromWindow;
    const osg::Vec3d farPoint = osg::Vec3d(position.x(), y, 1.0) * fromWindow;
    if ((nearPoint.z() > 0.0) == (farPoint.z() > 0.0)) return std::nullopt;
    const double t = nearPoint.z() / (nearPoint.z() - farPoint.z());
    const osg::Vec3d hit = nearPoint + (farPoint - nearPoint) * t;
    return QPointF(hit.x(), hit.y());
}

}  // namespace ut::app
