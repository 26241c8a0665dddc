#pragma once

#include <QOpenGLWidget>
#include <osg/BoundingSphere>
#include <osg/ref_ptr>
#include <optional>

#include "ut/render/CameraPose.h"
#include "ut/render/MotionDetail.h"
#include "ut/render/ViewSetup.h"

namespace osg {
class Node;
}
namespace osgViewer {
class Viewer;
class GraphicsWindowEmbedded;
}
namespace osgGA {
class TerrainManipulator;
}

class QTimer;
class QSurfaceFormat;

namespace ut::app {

// The 3D viewport: an osgViewer in embedded mode drawing into this widget's framebuffer.
// Left drag orbits, middle drag (or Shift + left) pans, right drag and the wheel zoom,
// Space or H returns home. Keyboard: ← → orbit, ↑ ↓ (Page Up/Down) tilt, + − zoom, W A S D pan.
class ViewportWidget : public QOpenGLWidget {
    Q_OBJECT
public:
    explicit ViewportWidget(QWidget* parent = nullptr);
    ~ViewportWidget() override;

    // homeBounds: what the home view fits (the city, not the ground around it).
    void setScene(osg::Node* root, const osg::BoundingSphere& homeBounds);
    void home();
    // Moves the camera smoothly to pose over the given time (0: at once).
    void flyTo(const render::CameraPose& pose, double seconds = 1.5);
    bool isFlying() const;
    void setSun(const render::SunAngles& sun);
    const render::SunAngles& sun() const { return m_sun; }
    // Where the light comes from: the sun last set, else the view's default.
    osg::Vec3 towardsSun() const { return m_sunSet ? render::towardsSun(m_sun) : render::defaultTowardsSun(); }
    render::CameraPose cameraPose() const;
    // The building under a widget position (logical pixels).
    std::optional<std::size_t> buildingAt(const QPointF& position) const;
    osg::Node* scene() const;
    int framesDrawn() const { return m_framesDrawn; }
    // Turns the camera about the point it looks at (positive: counter-clockwise seen from above).
    void orbit(double degrees);
    // Fewer details while the camera moves when frames run over budget (render::MotionDetail); the
    // still view that follows is drawn in full. On by default.
    void setReduceDetailWhileMoving(bool on);
    bool reducesDetailWhileMoving() const { return m_reduceDetailWhileMoving; }
    bool isMoving() const { return m_moving; }
    // The time a moving frame may take before detail drops (render::MotionDetail; 40 ms by default).
    void setMovingFrameBudgetMs(double milliseconds) { m_motionDetail = render::MotionDetail(milliseconds); }
    // Frames drawn with less detail wait for the GPU to finish, so that their time is the drawing's;
    // with timing on (the status bar's frame time, the bench) every frame does.
    void setTimingFrames(bool on) { m_timingFrames = on; }
    double lastFrameMs() const { return m_lastFrameMs; }
    double movingLodScale() const { return m_motionDetail.movingScale(); }

signals:
    // Local frame coordinates under the cursor on the ground, or nullopt off the ground.
    void cursorOnGround(std::optional<QPointF> local);
    // A click (press and release without dragging) on a building, or off every building.
    void buildingPicked(std::optional<std::size_t> building);
    void roadLinkPicked(std::size_t link);
    void sensorPicked(std::size_t sensor);
    // The cursor rested over a sensor pin (or left every pin): global position for a tooltip.
    void sensorHovered(std::optional<std::size_t> sensor, const QPoint& globalPosition);
    // A double click on a building: the app flies there.
    void buildingActivated(std::size_t building);
    void flightFinished();
    // After each frame: how long it took and whether it was drawn with less detail (camera moving).
    void frameDrawn(double milliseconds, bool reducedDetail);

protected:
    void initializeGL() override;
    void resizeGL(int width, int height) override;
    void paintGL() override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    // The format the viewport draws with: a 24-bit depth buffer, and 4× multisampling except on a
    // software rasteriser (Mesa's llvmpipe under Xvfb), where it would cost four times the fill.
    static QSurfaceFormat surfaceFormat();
    // Whether the OpenGL implementation this process gets is a software rasteriser (asked once).
    static bool softwareRenderer();
    std::optional<QPointF> groundPointAt(const QPointF& position) const;
    bool moveCamera(int key);
    // The camera moved: draw the next frames as moving ones until it rests for a moment.
    void cameraMoved();
    int osgButton(const QMouseEvent* event) const;

    osg::ref_ptr<osgViewer::Viewer> m_viewer;
    osg::ref_ptr<osgViewer::GraphicsWindowEmbedded> m_window;
    osg::ref_ptr<osgGA::TerrainManipulator> m_manipulator;
    osg::BoundingSphere m_homeBounds;
    int m_framesDrawn = 0;
    QPointF m_pressPosition;
    render::SunAngles m_sun;
    bool m_sunSet = false;
    QTimer* m_flight;
    QTimer* m_hover;
    QPointF m_hoverPosition;
    render::CameraPose m_flightFrom;
    render::CameraPose m_flightTo;
    qint64 m_flightStartMs = 0;
    double m_flightSeconds = 0.0;
    QTimer* m_settle;
    bool m_moving = false;
    bool m_reduceDetailWhileMoving = true;
    bool m_timingFrames = false;
    float m_drawnLodScale = 1.0f;  // the last frame's
    double m_lastFrameMs = 0.0;
    render::MotionDetail m_motionDetail;
};

}  // namespace ut::app
