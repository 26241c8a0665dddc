// The hourly loads of a zone's ten load targets (ZoneModel::LoadBlock::Target) from its coefficients
// and the hour's inputs: one formula for both kernels. C is double (one building: the reference and
// the per-zone stepper) or a vector of the lanes' coefficients (ZoneLanes.cpp); V is a value or a
// vector of hours or of lanes. Private to the energy engine.
#pragma once

namespace ut::energy {

// One building's coefficients (ZoneModel::loadCoefficients), or the lanes' side by side.
template <class C>
struct LoadCoefficients {
    C gInfiltration, convectiveFraction, radiativeFraction, withArea, areaOrOne;
    C wallA, roofA, floorA, massA, windowA;
    // Per unit of the light the floor reflects (and what misses it), per unit of diffuse light entering.
    C reflectedWall, reflectedRoof, reflectedFloor, reflectedMass, reflectedWindow;
    C spreadWall, spreadRoof, spreadFloor, spreadMass, spreadWindow;
    C floorAbsorptance, spreadDiffuse, restDiffuse;  // 1 and 0 with a floor, 0 and 1 without
    C solarScale, hRadWall, hRadRoof, hRadWin, wallAbsOut, roofAbsOut;
    C wallSkyShare, wallAirShare;  // a vertical surface's radiant exchange: sky, air temperature
    C floorOuterFixed, floorOuterPerOutdoorC;
};

// An hour's inputs: the site's weather, then the building's own (ZoneModel::InputBlock).
template <class V>
struct LoadInputs {
    V tOut, tSky, horizontal;
    V convectionOut, gains, ventilation;
    V wallSun, transmittedSun, transmittedDiffuseSun, outerSun, innerSun;
};

// out: the ten targets in LoadBlock::Target order.
template <class V, class C>
__attribute__((always_inline)) inline void loadTargets(const LoadCoefficients<C>& c, const LoadInputs<V>& in,
                                                       V out[10]) {
    const V transmitted = in.transmittedSun * c.solarScale;
    const V transmittedDiffuse = in.transmittedDiffuseSun * c.solarScale;
    out[0] = (c.gInfiltration + in.ventilation) * in.tOut + c.convectiveFraction * in.gains;
    const V radGainsPerM2 = c.withArea * (c.radiativeFraction * in.gains / c.areaOrOne);
    // Beam lands on the floor first; transmitted diffuse light is spread over the room by area.
    const V firstHit = transmitted * c.floorAbsorptance;
    const V rest = transmitted - firstHit;
    const V dif = transmittedDiffuse * c.spreadDiffuse;
    const V rest2 = rest + transmittedDiffuse * c.restDiffuse;
    out[1] = radGainsPerM2 * c.wallA + rest2 * c.reflectedWall + dif * c.spreadWall;
    out[2] = radGainsPerM2 * c.roofA + rest2 * c.reflectedRoof + dif * c.spreadRoof;
    out[3] = radGainsPerM2 * c.floorA + rest2 * c.reflectedFloor + dif * c.spreadFloor + firstHit;
    out[4] = radGainsPerM2 * c.massA + rest2 * c.reflectedMass + dif * c.spreadMass;
    out[5] = radGainsPerM2 * c.windowA + rest2 * c.reflectedWindow + dif * c.spreadWindow +
             in.innerSun * c.solarScale;
    // A vertical surface sees half sky and half ground (at air temperature); of the sky half, the
    // part near the horizon radiates at air temperature (Walton's β = √(0.5(1 + cos tilt))).
    const V tRadWall = c.wallSkyShare * in.tSky + c.wallAirShare * in.tOut;
    out[6] =
        in.convectionOut * c.wallA * in.tOut + c.hRadWall * c.wallA * tRadWall + c.wallAbsOut * in.wallSun;
    out[7] = in.convectionOut * c.roofA * in.tOut + c.hRadRoof * c.roofA * in.tSky +
             c.roofAbsOut * in.horizontal * c.roofA;
    out[8] = in.convectionOut * c.windowA * in.tOut + c.hRadWin * c.windowA * tRadWall +
             in.outerSun * c.solarScale;
    out[9] = c.floorOuterFixed + c.floorOuterPerOutdoorC * in.tOut;
}

}  // namespace ut::energy
