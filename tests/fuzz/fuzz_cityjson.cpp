// libFuzzer target for our CityJSON / CityJSONSeq parser and the model building behind it (footprints,
// outlines, heights, surfaces). Build and run with tests/fuzz/run_fuzz.sh.
#include <QByteArray>
#include <cstddef>
#include <cstdint>

#include "ut/geodata/CityJsonLoader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    ut::CityModel model;
    // A frame in the CRS the corpus uses, so that files without a referenceSystem get as far as geometry.
    model.frame = ut::LocalFrame("EPSG:7415");
    auto report = ut::CityJsonLoader::loadBytes(bytes, "fuzz.city.json", {}, model);
    if (report.ok()) {
        // Every row and surface must be readable and consistent.
        for (std::size_t i = 0; i < model.buildings.size(); ++i) {
            for (std::uint32_t r = model.buildings.ringBegin(i); r < model.buildings.ringEnd(i); ++r)
                if (model.buildings.ring(r).size() < 3) __builtin_trap();
            if (model.buildings.isPart(i) && model.buildings.partOf(i) >= i) __builtin_trap();
        }
        for (std::size_t s = 0; s < model.surfaces.size(); ++s)
            if (model.surfaces.building(s) >= model.buildings.size()) __builtin_trap();
    } else if (report.error().rfind("fuzz.city.json", 0) != 0) {
        __builtin_trap();  // every error names the file
    }
    return 0;
}
