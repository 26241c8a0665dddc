#pragma once

#include <osg/Vec3>
#include <osg/Vec4>

namespace osg {
class View;
}

namespace ut::render {

// The sky's colour at the horizon: the clear colour, under the sky gradient.
inline const osg::Vec4 kSkyHorizon(0.90f, 0.93f, 0.97f, 1.0f);

// Sky colour, sun light and projection shared by the viewport and offscreen snapshots,
// so that both draw the same picture. The default sun stands high in the south-east.
void configureView(osg::View& view, int width, int height);

// Viewport and projection only, for a window that changed size.
void resizeView(osg::View& view, int width, int height);

// Where the sun stands, in degrees (zenith from straight up; azimuth clockwise from north).
struct SunAngles {
    double zenithDeg = 40.0;
    double azimuthDeg = 140.0;
};

// Unit vector from the ground towards the sun (x east, y north, z up).
osg::Vec3 towardsSun(const SunAngles& sun);
// Where configureView's sun light comes from, and a shadow's sun before it is told: south-east, high.
osg::Vec3 defaultTowardsSun();

// Lights the scene from the sun; below the horizon only a dim sky light remains.
void setSunLight(osg::View& view, const SunAngles& sun);

}  // namespace ut::render
