#include "ut/render/SunShadow.h"

#include <osg/CullFace>
#include <osg/PolygonOffset>
#include <osg/Program>
#include <osgUtil/CullVisitor>

#include <algorithm>
#include <string>

#include "ut/render/CityScene.h"
#include "ut/render/ViewSetup.h"

namespace ut::render {

namespace {
const char* kDepthVertexShader = R"(#version 120
void main() {
    gl_Position = ftransform();
}
)";

const char* kDepthFragmentShader = R"(#version 120
void main() {
    gl_FragColor = vec4(1.0);
}
)";

// Lets the cull visitor reach the camera only when the map is out of date; otherwise no render stage
// is made for it and the texture keeps the last map.
class DrawWhenAsked : public osg::NodeCallback {
public:
    explicit DrawWhenAsked(SunShadow* shadow) : m_shadow(shadow) {}
    void operator()(osg::Node* node, osg::NodeVisitor* visitor) override {
        auto* cull = dynamic_cast<osgUtil::CullVisitor*>(visitor);
        if (!cull || !cull->getState()) return;
        const unsigned int context = cull->getState()->getContextID();
        if (!m_shadow->needsDrawing(context)) return;
        m_shadow->drawn(context);
        traverse(node, visitor);
    }

private:
    SunShadow* m_shadow;  // owns the camera this callback sits on
};

// A context that releases the scene's GL objects (a finished snapshot) hands its id to the next one,
// whose map must be drawn again.
class ShadowHolder : public osg::Group {
public:
    explicit ShadowHolder(const SunShadow* shadow) : m_shadow(shadow) {}
    void releaseGLObjects(osg::State* state) const override {
        m_shadow->forget(state);
        osg::Group::releaseGLObjects(state);
    }

private:
    const SunShadow* m_shadow;  // owns this node
};
const char* kVertexColourVertexShader = R"(
void main() {
    gl_Position = ftransform();
    sunLightVertex(gl_Color.rgb);
}
)";
}  // namespace

const char* const SunShadow::kVertexGlsl = R"(
uniform mat4 osg_ViewMatrixInverse;
uniform mat4 sunShadowMatrix;
varying vec4 sunShadowCoord;
varying vec3 ambientColor;
varying vec3 sunColor;
void sunLightVertex(vec3 color) {
    vec3 n = normalize(gl_NormalMatrix * gl_Normal);
    vec3 l = normalize(gl_LightSource[0].position.xyz);
    ambientColor = color * (gl_LightModel.ambient.rgb + gl_LightSource[0].ambient.rgb);
    sunColor = color * gl_LightSource[0].diffuse.rgb * max(dot(n, l), 0.0);
    sunShadowCoord = sunShadowMatrix * (osg_ViewMatrixInverse * (gl_ModelViewMatrix * gl_Vertex));
}
)";

const char* const SunShadow::kFragmentShader = R"(#version 120
uniform sampler2DShadow sunShadowMap;
uniform bool sunShadows;
varying vec4 sunShadowCoord;
varying vec3 ambientColor;
varying vec3 sunColor;
void main() {
    float lit = sunShadows ? shadow2DProj(sunShadowMap, sunShadowCoord).r : 1.0;
    gl_FragColor = vec4(ambientColor + sunColor * lit, 1.0);
}
)";

osg::ref_ptr<osg::Program> SunShadow::vertexColourProgram() {
    osg::ref_ptr<osg::Program> program = new osg::Program;
    program->addShader(new osg::Shader(osg::Shader::VERTEX, std::string("#version 120\n") + kVertexGlsl + kVertexColourVertexShader));
    program->addShader(new osg::Shader(osg::Shader::FRAGMENT, kFragmentShader));
    return program;
}

SunShadow::SunShadow(osg::Node* casters, const osg::BoundingSphere& bounds, int mapSize)
    : m_casters(casters),
      m_castersMask(casters->getNodeMask()),
      m_bounds(bounds),
      m_towardsSun(defaultTowardsSun()),
      m_holder(new ShadowHolder(this)),
      m_camera(new osg::Camera),
      m_map(new osg::Texture2D),
      m_matrix(new osg::Uniform("sunShadowMatrix", osg::Matrixf())),
      m_enabled(new osg::Uniform("sunShadows", true)) {
    m_map->setTextureSize(mapSize, mapSize);
    m_map->setInternalFormat(GL_DEPTH_COMPONENT);
    m_map->setSourceFormat(GL_DEPTH_COMPONENT);
    m_map->setSourceType(GL_FLOAT);
    m_map->setShadowComparison(true);
    m_map->setShadowCompareFunc(osg::Texture::LEQUAL);
    m_map->setShadowTextureMode(osg::Texture::LUMINANCE);
    m_map->setFilter(osg::Texture::MIN_FILTER, osg::Texture::LINEAR);
    m_map->setFilter(osg::Texture::MAG_FILTER, osg::Texture::LINEAR);
    m_map->setWrap(osg::Texture::WRAP_S, osg::Texture::CLAMP_TO_BORDER);
    m_map->setWrap(osg::Texture::WRAP_T, osg::Texture::CLAMP_TO_BORDER);
    m_map->setBorderColor(osg::Vec4d(1.0, 1.0, 1.0, 1.0));  // beyond the city: in the sun

    m_camera->setName("sun shadow");
    m_camera->setRenderTargetImplementation(osg::Camera::FRAME_BUFFER_OBJECT);
    m_camera->attach(osg::Camera::DEPTH_BUFFER, m_map.get());
    m_camera->setRenderOrder(osg::Camera::PRE_RENDER);
    m_camera->setReferenceFrame(osg::Transform::ABSOLUTE_RF);
    m_camera->setClearMask(GL_DEPTH_BUFFER_BIT);
    m_camera->setViewport(0, 0, mapSize, mapSize);
    m_camera->setComputeNearFarMode(osg::CullSettings::DO_NOT_COMPUTE_NEAR_FAR);
    m_camera->setDrawBuffer(GL_NONE);
    m_camera->setReadBuffer(GL_NONE);
    m_camera->setAllowEventFocus(false);
    m_camera->setLODScale(1.0f);  // its own (setting it stops inheriting the viewport's, reduced while moving)
    m_holder->setNodeMask(kSkyNodeMask);  // never picked
    m_holder->setName("sun shadow");
    m_holder->addChild(m_camera);
    osg::StateSet* state = m_camera->getOrCreateStateSet();
    osg::ref_ptr<osg::Program> depthOnly = new osg::Program;
    depthOnly->addShader(new osg::Shader(osg::Shader::VERTEX, kDepthVertexShader));
    depthOnly->addShader(new osg::Shader(osg::Shader::FRAGMENT, kDepthFragmentShader));
    const auto forced = osg::StateAttribute::ON | osg::StateAttribute::OVERRIDE | osg::StateAttribute::PROTECTED;
    state->setAttributeAndModes(depthOnly, forced);
    // Depth of the faces turned away from the sun, pushed back a little: no self-shadowing stripes.
    state->setAttributeAndModes(new osg::CullFace(osg::CullFace::FRONT), forced);
    state->setAttributeAndModes(new osg::PolygonOffset(1.1f, 4.0f), forced);
    state->setTextureMode(SunShadow::kTextureUnit, GL_TEXTURE_2D, osg::StateAttribute::OFF | osg::StateAttribute::OVERRIDE);
    m_camera->addChild(casters);
    m_holder->setCullCallback(new DrawWhenAsked(this));
    place();
}

void SunShadow::attachTo(osg::StateSet& stateSet) const {
    stateSet.setTextureAttributeAndModes(kTextureUnit, m_map.get());
    stateSet.addUniform(new osg::Uniform("sunShadowMap", kTextureUnit));
    stateSet.addUniform(m_matrix.get());
    stateSet.addUniform(m_enabled.get());
}

void SunShadow::setSunDirection(const osg::Vec3& towardsSun) {
    if (towardsSun.length2() < 1e-12) return;
    m_towardsSun = towardsSun / towardsSun.length();
    place();
}

void SunShadow::setEnabled(bool on) {
    m_holder->setNodeMask(on ? kSkyNodeMask : 0u);
    m_enabled->set(on && m_towardsSun.z() > 0.02f);
    ++m_generation;
}

bool SunShadow::enabled() const { return m_holder->getNodeMask() != 0u; }

bool SunShadow::needsDrawing(unsigned int contextId) {
    // Hidden casters (the buildings layer switched off) cast nothing: a change of their mask redraws.
    if (const unsigned int mask = m_casters->getNodeMask(); mask != m_castersMask) {
        m_castersMask = mask;
        ++m_generation;
    }
    const auto drawn = m_drawnGeneration.find(contextId);
    return drawn == m_drawnGeneration.end() || drawn->second != m_generation;
}

void SunShadow::forget(const osg::State* state) const {
    if (state) {
        m_drawnGeneration.erase(state->getContextID());
    } else {
        m_drawnGeneration.clear();
    }
}

void SunShadow::drawn(unsigned int contextId) { m_drawnGeneration[contextId] = m_generation; }

void SunShadow::place() {
    const osg::Vec3 centre = m_bounds.center();
    const double radius = std::max(1.0f, m_bounds.radius());
    const osg::Vec3 up = std::abs(m_towardsSun.z()) > 0.99f ? osg::Vec3(0.0f, 1.0f, 0.0f) : osg::Vec3(0.0f, 0.0f, 1.0f);
    const osg::Matrixd view = osg::Matrixd::lookAt(centre + m_towardsSun * static_cast<float>(2.0 * radius), centre, up);
    const osg::Matrixd projection = osg::Matrixd::ortho(-radius, radius, -radius, radius, 0.5 * radius, 3.5 * radius);
    m_camera->setViewMatrix(view);
    m_camera->setProjectionMatrix(projection);
    // Clip space to texture space: [-1, 1] to [0, 1].
    const osg::Matrixd toTexture = osg::Matrixd::translate(1.0, 1.0, 1.0) * osg::Matrixd::scale(0.5, 0.5, 0.5);
    m_matrix->set(osg::Matrixf(view * projection * toTexture));
    m_enabled->set(enabled() && m_towardsSun.z() > 0.02f);
    ++m_generation;
}

}  // namespace ut::render
