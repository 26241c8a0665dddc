#pragma once

namespace osg {
class View;
}

namespace ut::render {

// Sky colour, sun light and projection shared by the viewport and offscreen snapshots,
// so that both draw the same picture.
void configureView(osg::View& view, int width, int height);

}  // namespace ut::render
