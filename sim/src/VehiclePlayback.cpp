#include "ut/sim/VehiclePlayback.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ut::sim {

void VehiclePlayback::sample(double secondsFromStart, std::vector<VehiclePose>& out) const {
    out.clear();
    const std::size_t frames = frameCount();
    if (frames == 0) return;
    const double position = intervalS > 0.0 ? std::max(secondsFromStart, 0.0) / intervalS : 0.0;
    if (frames == 1 || position >= static_cast<double>(frames - 1)) {
        const auto last = frame(frames - 1);
        out.assign(last.begin(), last.end());
        return;
    }
    const auto k = static_cast<std::size_t>(position);
    const auto fraction = static_cast<float>(position - static_cast<double>(k));
    const auto before = frame(k);
    const auto after = frame(k + 1);
    out.reserve(std::max(before.size(), after.size()));
    const bool nearerBefore = fraction < 0.5f;
    std::size_t i = 0, j = 0;
    while (i < before.size() || j < after.size()) {
        if (j == after.size() || (i < before.size() && before[i].vehicle < after[j].vehicle)) {
            if (nearerBefore) out.push_back(before[i]);
            ++i;
        } else if (i == before.size() || after[j].vehicle < before[i].vehicle) {
            if (!nearerBefore) out.push_back(after[j]);
            ++j;
        } else {
            const VehiclePose& a = before[i];
            const VehiclePose& b = after[j];
            const float turn = std::remainder(b.headingRad - a.headingRad, 2.0f * std::numbers::pi_v<float>);
            out.push_back({a.vehicle, a.x + (b.x - a.x) * fraction, a.y + (b.y - a.y) * fraction,
                           a.headingRad + turn * fraction,
                           a.speedMps + (b.speedMps - a.speedMps) * fraction});
            ++i;
            ++j;
        }
    }
}

}  // namespace ut::sim
