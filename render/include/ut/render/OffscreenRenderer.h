#pragma once

#include <QImage>
#include <QSize>
#include <memory>
#include <optional>

#include "ut/geodata/Result.h"
#include "ut/render/CameraPose.h"
#include "ut/render/ViewSetup.h"

namespace osg {
class Node;
}

namespace ut::render {

// Draws scenes into images with its own OpenGL context and framebuffer, frame after frame (GL
// objects stay compiled between frames). Needs a platform that provides OpenGL (xcb on X11 or
// Xvfb). Create, use and destroy it on one thread, the GUI thread.
class OffscreenRenderer {
public:
    static Result<std::unique_ptr<OffscreenRenderer>> create(QSize size);
    ~OffscreenRenderer();

    void setScene(osg::Node* scene);
    void setSun(const SunAngles& sun);
    // Draws one frame and waits for the GPU; returns the milliseconds it took.
    double drawFrame(const CameraPose& pose);
    QImage image();

private:
    struct State;
    explicit OffscreenRenderer(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

// One snapshot: create, draw, read back.
Result<QImage> renderOffscreen(osg::Node* scene, const CameraPose& pose, QSize size,
                               std::optional<SunAngles> sun = std::nullopt);

}  // namespace ut::render
