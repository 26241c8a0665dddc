// GCC vector types loaded from and stored to arrays of their elements at any alignment (a memcpy the
// compiler turns into one unaligned vector move). Private to the energy engine.
#pragma once

// Only used inside the engine's kernels, so the ABI note about passing them without AVX does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace ut::energy {

template <class V, class T>
__attribute__((always_inline)) inline V loadVector(const T* p) {
    V v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}
template <class V, class T>
__attribute__((always_inline)) inline void storeVector(T* p, const V& v) {
    __builtin_memcpy(p, &v, sizeof v);
}

}  // namespace ut::energy
