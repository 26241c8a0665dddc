#include "ut/sim/EpwReader.h"

#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>

namespace ut::sim {

namespace {
std::vector<std::string_view> splitCommas(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        fields.push_back(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return fields;
}

bool toDouble(std::string_view text, double& value) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end != text.data();
}
}  // namespace

Result<WeatherSeries> readEpw(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{path + ": cannot open the weather file"};
    WeatherSeries series;
    std::string line;
    int lineNumber = 0;
    constexpr int kHeaderLines = 8;
    constexpr std::size_t kRecordFields = 35;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const auto fields = splitCommas(line);
        const std::string where = path + ":" + std::to_string(lineNumber) + ": ";
        if (lineNumber == 1) {
            if (fields.size() < 10 || fields[0] != "LOCATION") return Error{where + "not an EPW file (no LOCATION header)"};
            auto& s = series.station;
            s.name = std::string(fields[1]);
            s.country = std::string(fields[3]);
            s.wmo = std::string(fields[5]);
            if (!toDouble(fields[6], s.latitudeDeg) || !toDouble(fields[7], s.longitudeDeg) ||
                !toDouble(fields[8], s.timeZoneHours) || !toDouble(fields[9], s.elevationM)) {
                return Error{where + "LOCATION has a non-numeric latitude, longitude, time zone or elevation"};
            }
            continue;
        }
        if (lineNumber <= kHeaderLines || line.empty()) continue;
        if (fields.size() < kRecordFields) {
            return Error{where + "expected 35 fields, found " + std::to_string(fields.size())};
        }
        double values[7];
        const int columns[7] = {6, 7, 8, 13, 14, 15, 21};
        for (int c = 0; c < 7; ++c) {
            if (!toDouble(fields[static_cast<std::size_t>(columns[c])], values[c])) {
                return Error{where + "field " + std::to_string(columns[c] + 1) + " is not a number"};
            }
        }
        series.dryBulbC.push_back(values[0]);
        series.dewPointC.push_back(values[1]);
        series.relativeHumidityPct.push_back(values[2]);
        series.globalHorizontalWhM2.push_back(values[3]);
        series.directNormalWhM2.push_back(values[4]);
        series.diffuseHorizontalWhM2.push_back(values[5]);
        series.windSpeedMs.push_back(values[6]);
        // Optional columns: a missing or out-of-range value (9999 / 999 markers) reads as NaN.
        double infrared = 0.0, albedo = 0.0;
        const bool haveInfrared = toDouble(fields[12], infrared) && infrared < 9999.0 && infrared > 0.0;
        const bool haveAlbedo = toDouble(fields[32], albedo) && albedo >= 0.0 && albedo < 1.0;
        series.horizontalInfraredWhM2.push_back(haveInfrared ? infrared : std::numeric_limits<double>::quiet_NaN());
        series.albedo.push_back(haveAlbedo ? albedo : std::numeric_limits<double>::quiet_NaN());
    }
    if (lineNumber == 0) return Error{path + ": empty weather file"};
    if (series.hours() != 8760 && series.hours() != 8784) {
        return Error{path + ": expected 8760 hourly records, found " + std::to_string(series.hours())};
    }
    return series;
}

}  // namespace ut::sim
