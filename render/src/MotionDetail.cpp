#include "ut/render/MotionDetail.h"

#include <algorithm>
#include <cmath>

namespace ut::render {

MotionDetail::MotionDetail(double frameBudgetMs, double maximumScale)
    : m_budgetMs(frameBudgetMs), m_maximumScale(std::max(1.0, maximumScale)) {}

void MotionDetail::frameDrawn(double milliseconds) {
    if (!std::isfinite(milliseconds) || milliseconds < 0.0) return;
    // A tile's LOD switches by its size on screen, so the drawn triangles fall roughly with the square
    // of the scale: step by the square root of the overrun, bounded so that one stalled frame does not
    // throw the detail away, and come back slowly once frames are well inside the budget.
    if (milliseconds > m_budgetMs) {
        m_scale *= std::clamp(std::sqrt(milliseconds / m_budgetMs), 1.1, 2.0);
    } else if (milliseconds < 0.5 * m_budgetMs) {
        m_scale /= 1.15;
    }
    m_scale = std::clamp(m_scale, 1.0, m_maximumScale);
}

}  // namespace ut::render
