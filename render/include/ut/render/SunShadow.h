#pragma once

#include <osg/BoundingSphere>
#include <osg/Camera>
#include <osg/State>
#include <osg/Texture2D>
#include <osg/Uniform>
#include <osg/ref_ptr>

#include <map>

namespace ut::render {

// Shadows cast by the buildings in the sun, over the whole city: a depth map drawn from the sun with an
// orthographic camera around the city's bounds, which the buildings', ground's and roads' shaders read
// (uniforms `sunShadowMap`, `sunShadowMatrix`, `sunShadows`). The map is drawn again only when the sun
// or the casters change, so a still sun costs one texture lookup per pixel.
class SunShadow : public osg::Referenced {
public:
    static constexpr int kTextureUnit = 2;
    // GLSL 1.20 for receivers. Vertex (after the #version line): main() calls `sunLightVertex(colour)`,
    // which lights the colour per vertex like the fixed pipeline (ambient + light 0's diffuse) and sets
    // the shadow coordinate. The fragment shader adds the sun's share where no building stands in its way.
    static const char* const kVertexGlsl;
    static const char* const kFragmentShader;
    // A lit receiver coloured by its vertex colours (ground, terrain, roads): ambient plus the sun's
    // diffuse light where no building stands in its way.
    static osg::ref_ptr<osg::Program> vertexColourProgram();

    // casters: the buildings; bounds: what the map covers (the city, not the ground around it).
    SunShadow(osg::Node* casters, const osg::BoundingSphere& bounds, int mapSize = 2048);

    // What to add to the scene root: the pre-render camera, visited only when the map is out of date.
    osg::Node* node() const { return m_holder.get(); }
    // Adds the map and its uniforms to a state set above every receiver.
    void attachTo(osg::StateSet& stateSet) const;
    // Unit vector from the city towards the sun (z up); below the horizon nothing casts.
    void setSunDirection(const osg::Vec3& towardsSun);
    void setEnabled(bool on);
    bool enabled() const;

    // Whether the map of this OpenGL context is out of date (each context, the viewport's and every
    // offscreen snapshot's, holds its own); the cull traversal draws it and then calls drawn().
    bool needsDrawing(unsigned int contextId);
    void drawn(unsigned int contextId);
    // A context released the scene's GL objects (nullptr: every context did).
    void forget(const osg::State* state) const;

private:
    void place();

    osg::ref_ptr<osg::Node> m_casters;
    unsigned int m_castersMask;
    osg::BoundingSphere m_bounds;
    osg::Vec3 m_towardsSun;
    osg::ref_ptr<osg::Group> m_holder;
    osg::ref_ptr<osg::Camera> m_camera;
    osg::ref_ptr<osg::Texture2D> m_map;
    osg::ref_ptr<osg::Uniform> m_matrix;
    osg::ref_ptr<osg::Uniform> m_enabled;
    unsigned int m_generation = 1;
    mutable std::map<unsigned int, unsigned int> m_drawnGeneration;  // by context
};

}  // namespace ut::render
