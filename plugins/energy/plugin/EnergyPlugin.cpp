#include "EnergyPlugin.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "ut/energy/Bestest.h"
#include "ut/energy/CityEnergy.h"
#include "ut/energy/Climate.h"
#include "ut/energy/PvWatts.h"

namespace ut::energy {

namespace {
class EnergySimulation : public sim::Simulation {
public:
    Status prepare(const sim::SimulationContext& context) override {
        m_buildings = &context.city->buildings;
        if (m_buildings->empty()) return Error{"the city has no buildings"};
        if (!context.weather || context.weather->hours() < 8760) {
            return Error{
                "the energy simulation needs hourly weather: add a \"weather\" EPW file to the project"};
        }
        m_weather = context.weather;
        const QVariantMap& p = context.parameters;
        m_parameters.heatingSetpointC = p.value(QStringLiteral("heating_setpoint_c")).toDouble();
        m_parameters.coolingSetpointC = p.value(QStringLiteral("cooling_setpoint_c")).toDouble();
        m_parameters.gridCo2TPerMWh = p.value(QStringLiteral("grid_co2_t_per_mwh")).toDouble();
        m_parameters.heatingCo2TPerMWh = p.value(QStringLiteral("heating_co2_t_per_mwh")).toDouble();
        m_parameters.coolingCop = p.value(QStringLiteral("cooling_cop")).toDouble();
        m_parameters.storeyHeightM = p.value(QStringLiteral("storey_height_m")).toDouble();
        m_pv.tiltDeg = p.value(QStringLiteral("pv_tilt_deg")).toDouble();
        m_pv.lossesFraction = p.value(QStringLiteral("pv_losses_pct")).toDouble() / 100.0;
        m_parameters.pvRoofCoverage = p.value(QStringLiteral("pv_roof_coverage")).toDouble();
        m_withPv = m_parameters.pvRoofCoverage > 0.0;
        const QString reference = p.value(QStringLiteral("reference_case")).toString();
        if (reference == QStringLiteral("ashrae140_600"))
            m_reference = bestestCase600(m_weather->station.elevationM);
        if (reference == QStringLiteral("ashrae140_900"))
            m_reference = bestestCase900(m_weather->station.elevationM);
        m_parameters.referenceZone = m_reference ? &*m_reference : nullptr;
        return {};
    }

    Status advance(std::size_t, Feedback& feedback) override {
        // ASHRAE 140 prescribes a ground reflectance of 0.2; otherwise the file's albedo.
        SiteClimate climate =
            m_reference ? buildSiteClimate(*m_weather, 2026, 0.2) : buildSiteClimate(*m_weather);
        climate.dryBulbC.resize(8760);  // a leap-year file: the first 365 days
        climate.precomputeBeamOptics(Window{}.glazing);
        m_pv.dcKw = 1.0;
        m_pvSpecificAcW = m_withPv ? pvWattsHourlyAcW(m_pv, *m_weather) : std::vector<double>{};
        m_result = simulateCity(*m_buildings, climate, m_weather->station.elevationM, m_parameters,
                                m_pvSpecificAcW, [&feedback] { return feedback.isCanceled(); },
                                [&feedback](double fraction) { feedback.setProgress(fraction); });
        return {};
    }

    void writeResults(sim::ResultSet& results) override {
        const std::size_t n = m_buildings->size();
        results.addField("energy.heating_mwh", "MWh", sim::EntityKind::Building, n).values =
            scaled(m_result.heatingKWh, 1e-3);
        results.addField("energy.cooling_mwh", "MWh", sim::EntityKind::Building, n).values =
            scaled(m_result.coolingKWh, 1e-3);
        results.addField("energy.peak_heating_kw", "kW", sim::EntityKind::Building, n).values =
            m_result.peakHeatingKW;
        results.addField("energy.peak_cooling_kw", "kW", sim::EntityKind::Building, n).values =
            m_result.peakCoolingKW;
        std::vector<double> intensity(n);
        for (std::size_t i = 0; i < n; ++i) {
            intensity[i] = (m_result.heatingKWh[i] + m_result.coolingKWh[i]) / m_result.floorAreaM2[i];
        }
        results.addField("energy.demand_kwh_m2", "kWh/m²", sim::EntityKind::Building, n).values = intensity;
        sim::TimeAxis daily;
        daily.start = QDateTime(QDate(2026, 1, 1), QTime(0, 0));
        daily.stepSeconds = 86400;
        daily.steps = m_result.days;
        // Daily means in kW: hourly fields for a city would be 8760 × buildings doubles per field.
        // The daily series (days × buildings each: 292 MB apiece for 100,000 buildings) move into the
        // results rather than being copied.
        results.addField("energy.heating_kw", "kW", sim::EntityKind::Building, n, daily).values =
            scaledInPlace(std::move(m_result.dailyHeatingKWh), 1.0 / 24.0);
        results.addField("energy.cooling_kw", "kW", sim::EntityKind::Building, n, daily).values =
            scaledInPlace(std::move(m_result.dailyCoolingKWh), 1.0 / 24.0);
        results.addField("energy.indoor_temp_c", "°C", sim::EntityKind::Building, n, daily).values =
            std::move(m_result.dailyIndoorC);
        results.addField("energy.electricity_mwh", "MWh", sim::EntityKind::Building, n).values =
            scaled(m_result.electricityKWh, 1e-3);
        if (m_withPv) {
            results.addField("energy.pv_kw", "kW", sim::EntityKind::Building, n, daily).values =
                scaledInPlace(std::move(m_result.dailyPvKWh), 1.0 / 24.0);
            results.addField("energy.pv_kwp", "kWp", sim::EntityKind::Building, n).values = m_result.pvKwDc;
            results.addField("energy.pv_mwh", "MWh", sim::EntityKind::Building, n).values =
                scaled(m_result.pvKWh, 1e-3);
            results.addField("energy.self_sufficiency", "", sim::EntityKind::Building, n).values =
                m_result.selfSufficiency;
        }

        double heatMWh = 0, coolMWh = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (std::isfinite(m_result.heatingKWh[i])) heatMWh += m_result.heatingKWh[i] / 1000.0;
            if (std::isfinite(m_result.coolingKWh[i])) coolMWh += m_result.coolingKWh[i] / 1000.0;
        }
        const auto peak = [](const std::vector<double>& v) {
            return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
        };
        results.setKpi("energy.heating_mwh", heatMWh, "MWh");
        results.setKpi("energy.cooling_mwh", coolMWh, "MWh");
        results.setKpi("energy.peak_heating_kw", peak(m_result.districtHeatingKW), "kW");
        results.setKpi("energy.peak_cooling_kw", peak(m_result.districtCoolingKW), "kW");
        double pvMWh = 0.0, pvKwp = 0.0, elecMWh = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            if (std::isfinite(m_result.pvKWh[i])) pvMWh += m_result.pvKWh[i] / 1000.0;
            if (std::isfinite(m_result.pvKwDc[i])) pvKwp += m_result.pvKwDc[i];
            if (std::isfinite(m_result.electricityKWh[i])) elecMWh += m_result.electricityKWh[i] / 1000.0;
        }
        results.setKpi("energy.electricity_mwh", elecMWh, "MWh");
        if (m_withPv) {
            results.setKpi("energy.pv_mwh", pvMWh, "MWh");
            results.setKpi("energy.pv_yield_kwh_per_kwp", pvKwp > 0 ? pvMWh * 1000.0 / pvKwp : 0.0,
                           "kWh/kWp");
            results.setKpi("energy.self_sufficiency", m_result.districtSelfSufficiency(), "");
        }
        results.setKpi("energy.co2_t",
                       heatMWh * m_parameters.heatingCo2TPerMWh +
                           coolMWh / m_parameters.coolingCop * m_parameters.gridCo2TPerMWh,
                       "t");
    }

private:
    static std::vector<double> scaledInPlace(std::vector<double>&& v, double factor) {
        for (double& x : v) x *= factor;
        return std::move(v);
    }
    static std::vector<double> scaled(const std::vector<double>& v, double factor) {
        std::vector<double> out(v.size());
        std::transform(v.begin(), v.end(), out.begin(), [factor](double x) { return x * factor; });
        return out;
    }

    const BuildingTable* m_buildings = nullptr;
    const sim::WeatherSeries* m_weather = nullptr;
    CityEnergyParameters m_parameters;
    CityEnergyResult m_result;
    PvSystem m_pv;
    std::optional<ZoneDescription> m_reference;
    bool m_withPv = true;
    std::vector<double> m_pvSpecificAcW;
};
}  // namespace

std::unique_ptr<sim::Simulation> EnergyPlugin::create() const {
    return std::make_unique<EnergySimulation>();
}

}  // namespace ut::energy
