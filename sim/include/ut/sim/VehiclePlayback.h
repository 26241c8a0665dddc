#pragma once

#include <QDateTime>
#include <cstdint>
#include <span>
#include <vector>

namespace ut::sim {

// Where one vehicle is at one instant, in the city's local frame.
struct VehiclePose {
    std::uint32_t vehicle = 0;  // the same number in every frame for the same vehicle
    float x = 0.0f;
    float y = 0.0f;
    float headingRad = 0.0f;  // direction of travel, counter-clockwise from east (+x)
    float speedMps = 0.0f;
};

// Vehicle positions for playback: frame k shows the vehicles on the road at start + k × intervalS,
// ordered by vehicle number. Frames share one pose array (frameBegin has frameCount() + 1 entries).
struct VehiclePlayback {
    QDateTime start;
    double intervalS = 0.0;
    std::vector<std::uint32_t> frameBegin;
    std::vector<VehiclePose> poses;
    bool truncated = false;  // recording stopped at its cap: the frames end before the run did

    bool empty() const { return frameCount() == 0; }
    std::size_t frameCount() const { return frameBegin.empty() ? 0 : frameBegin.size() - 1; }
    std::span<const VehiclePose> frame(std::size_t k) const {
        return {poses.data() + frameBegin[k], poses.data() + frameBegin[k + 1]};
    }
    // Seconds from start to the last frame.
    double durationS() const {
        return frameCount() > 1 ? intervalS * static_cast<double>(frameCount() - 1) : 0.0;
    }
    std::size_t memoryBytes() const {
        return poses.capacity() * sizeof(VehiclePose) + frameBegin.capacity() * sizeof(std::uint32_t);
    }

    // The vehicles secondsFromStart after start: positions, headings and speeds interpolated between
    // the frames around that time for vehicles in both; a vehicle in only one of them (it entered or
    // arrived in between) shows in the half of the interval nearer its frame. Clamped to the frames.
    void sample(double secondsFromStart, std::vector<VehiclePose>& out) const;
};

}  // namespace ut::sim
