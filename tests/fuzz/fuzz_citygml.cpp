// libFuzzer target for our CityGML reader (QXmlStreamReader) and the model building behind it. Build and
// run with tests/fuzz/run_fuzz.sh citygml.
#include <QByteArray>
#include <cstddef>
#include <cstdint>

#include "ut/geodata/CityGmlLoader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    auto parsed = ut::parseCityGml(bytes, "fuzz.gml");
    if (!parsed.ok()) {
        if (parsed.error().rfind("fuzz.gml", 0) != 0) __builtin_trap();  // every error names the file
        return 0;
    }
    for (const auto& object : parsed->objects)
        for (const auto& surface : object.surfaces)
            for (const auto& ring : surface.rings)
                for (std::uint32_t v : ring)
                    if (v >= parsed->vertices.size()) __builtin_trap();
    return 0;
}
