#pragma once

namespace ut::render {

// How much detail the viewport draws while the camera moves: a LOD scale (osg::Camera::setLODScale)
// that grows while frames take longer than the budget and shrinks back while they are quick, so that
// orbiting a big city stays fluid on slow hardware. Still frames always draw at full detail (scale 1).
class MotionDetail {
public:
    explicit MotionDetail(double frameBudgetMs = 40.0, double maximumScale = 16.0);

    // The time one frame took while moving; adjusts the scale for the next one.
    void frameDrawn(double milliseconds);
    double movingScale() const { return m_scale; }
    double frameBudgetMs() const { return m_budgetMs; }

private:
    double m_budgetMs;
    double m_maximumScale;
    double m_scale = 1.0;
};

}  // namespace ut::render
