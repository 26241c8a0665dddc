#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>

#include "ut/retrofit/RetrofitEngine.h"

namespace ut::retrofit {

namespace {
constexpr const char* kSettable[] = {"u_wall", "u_roof", "u_floor", "u_window", "g_window", "infiltration_ach"};

bool quantityFrom(const QString& text, Quantity& quantity) {
    static const std::pair<const char*, Quantity> names[] = {
        {"wall_area_m2", Quantity::WallAreaM2},       {"roof_area_m2", Quantity::RoofAreaM2},
        {"ground_floor_area_m2", Quantity::GroundFloorAreaM2}, {"window_area_m2", Quantity::WindowAreaM2},
        {"floor_area_m2", Quantity::FloorAreaM2},     {"peak_heating_kw", Quantity::PeakHeatingKw},
        {"pv_kwp", Quantity::PvKwp}};
    for (const auto& [name, q] : names) {
        if (text == QLatin1String(name)) {
            quantity = q;
            return true;
        }
    }
    return false;
}

bool useFrom(const QString& text, UseClass& use) {
    for (int u = 0; u <= static_cast<int>(UseClass::Other); ++u) {
        if (text == QLatin1String(toString(static_cast<UseClass>(u)))) {
            use = static_cast<UseClass>(u);
            return true;
        }
    }
    return false;
}
}  // namespace

std::vector<std::size_t> Catalogue::optionMeasures(std::size_t option) const {
    if (option < measures.size()) return {option};
    return packages[option - measures.size()].measures;
}

std::string Catalogue::optionId(std::size_t option) const {
    return option < measures.size() ? measures[option].id : packages[option - measures.size()].id;
}

Result<Catalogue> parseCatalogue(const std::string& json) {
    QJsonParseError parseError{};
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray::fromRawData(json.data(), static_cast<qsizetype>(json.size())), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return Error{"retrofit measures: JSON error at offset " + std::to_string(parseError.offset) + ": " +
                     parseError.errorString().toStdString()};
    }
    const QJsonObject root = document.object();
    Catalogue catalogue;
    for (const QJsonValue& value : root.value(QStringLiteral("measures")).toArray()) {
        const QJsonObject o = value.toObject();
        Measure m;
        m.id = o.value(QStringLiteral("id")).toString().toStdString();
        const std::string where = "retrofit measure '" + m.id + "': ";
        if (m.id.empty()) return Error{"retrofit measures: a measure without \"id\""};
        m.name = o.value(QStringLiteral("name")).toString().toStdString();
        m.nameKo = o.value(QStringLiteral("name_ko")).toString().toStdString();
        const QJsonObject set = o.value(QStringLiteral("set")).toObject();
        for (auto it = set.begin(); it != set.end(); ++it) {
            const std::string key = it.key().toStdString();
            if (std::find_if(std::begin(kSettable), std::end(kSettable),
                             [&key](const char* k) { return key == k; }) == std::end(kSettable)) {
                return Error{where + "cannot set \"" + key +
                             "\" (u_wall, u_roof, u_floor, u_window, g_window, infiltration_ach)"};
            }
            if (!it.value().isDouble() || it.value().toDouble() <= 0.0)
                return Error{where + "\"" + key + "\" must be a positive number"};
            m.set.emplace_back(key, it.value().toDouble());
        }
        m.gainsReduction = o.value(QStringLiteral("gains_reduction")).toDouble(0.0);
        m.heatPumpScop = o.value(QStringLiteral("heat_pump_scop")).toDouble(0.0);
        m.pv = o.value(QStringLiteral("pv")).toBool(false);
        if (m.gainsReduction < 0.0 || m.gainsReduction >= 1.0)
            return Error{where + "\"gains_reduction\" must be in [0, 1)"};
        if (m.heatPumpScop != 0.0 && m.heatPumpScop < 1.0)
            return Error{where + "\"heat_pump_scop\" must be at least 1"};
        if (!quantityFrom(o.value(QStringLiteral("quantity")).toString(), m.quantity)) {
            return Error{where +
                         "\"quantity\" must be one of wall_area_m2, roof_area_m2, ground_floor_area_m2, "
                         "window_area_m2, floor_area_m2, peak_heating_kw, pv_kwp"};
        }
        m.unitCostKrw = o.value(QStringLiteral("unit_cost_krw")).toDouble(-1.0);
        m.lifetimeYears = o.value(QStringLiteral("lifetime_years")).toDouble(-1.0);
        if (m.unitCostKrw < 0.0) return Error{where + "\"unit_cost_krw\" must be a number ≥ 0"};
        if (m.lifetimeYears <= 0.0) return Error{where + "\"lifetime_years\" must be a number > 0"};
        m.minQuantity = o.value(QStringLiteral("min_quantity")).toDouble(0.0);
        m.builtFrom = o.value(QStringLiteral("built_from")).toInt(0);
        m.builtBefore = o.value(QStringLiteral("built_before")).toInt(0);
        for (const QJsonValue& u : o.value(QStringLiteral("uses")).toArray()) {
            UseClass use{};
            if (!useFrom(u.toString(), use)) {
                return Error{where + "unknown use \"" + u.toString().toStdString() +
                             "\" (residential, office, retail, education, health, industrial, warehouse, other)"};
            }
            m.uses.push_back(use);
        }
        if (m.set.empty() && m.gainsReduction == 0.0 && m.heatPumpScop == 0.0 && !m.pv)
            return Error{where + "changes nothing (set, gains_reduction, heat_pump_scop or pv)"};
        for (const Measure& other : catalogue.measures) {
            if (other.id == m.id) return Error{where + "id used twice"};
        }
        catalogue.measures.push_back(std::move(m));
    }
    for (const QJsonValue& value : root.value(QStringLiteral("packages")).toArray()) {
        const QJsonObject o = value.toObject();
        Package p;
        p.id = o.value(QStringLiteral("id")).toString().toStdString();
        p.name = o.value(QStringLiteral("name")).toString().toStdString();
        p.nameKo = o.value(QStringLiteral("name_ko")).toString().toStdString();
        for (const QJsonValue& id : o.value(QStringLiteral("measures")).toArray()) {
            const std::string mid = id.toString().toStdString();
            const auto it = std::find_if(catalogue.measures.begin(), catalogue.measures.end(),
                                         [&mid](const Measure& m) { return m.id == mid; });
            if (it == catalogue.measures.end())
                return Error{"retrofit package '" + p.id + "': unknown measure '" + mid + "'"};
            p.measures.push_back(static_cast<std::size_t>(it - catalogue.measures.begin()));
        }
        if (p.id.empty() || p.measures.empty())
            return Error{"retrofit measures: a package needs an \"id\" and \"measures\""};
        catalogue.packages.push_back(std::move(p));
    }
    if (catalogue.measures.empty()) return Error{"retrofit measures: no \"measures\""};
    return catalogue;
}

}  // namespace ut::retrofit
