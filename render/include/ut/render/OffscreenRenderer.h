#pragma once

#include <QImage>
#include <QSize>

#include "ut/geodata/Result.h"
#include "ut/render/CameraPose.h"

namespace osg {
class Node;
}

namespace ut::render {

// Draws scene into an image of the given size with its own OpenGL context and framebuffer.
// Needs a platform that provides OpenGL (xcb on X11 or Xvfb). Call from the GUI thread.
Result<QImage> renderOffscreen(osg::Node* scene, const CameraPose& pose, QSize size);

}  // namespace ut::render
