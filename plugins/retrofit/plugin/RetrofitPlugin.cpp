#include "RetrofitPlugin.h"

#include <QDir>
#include <QFile>
#include <cmath>
#include <limits>

#include "ut/energy/Climate.h"
#include "ut/energy/PvWatts.h"
#include "ut/retrofit/RetrofitEngine.h"
#include "ut/sim/BuildingFilter.h"

namespace ut::retrofit {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

class RetrofitSimulation : public sim::Simulation {
public:
    Status prepare(const sim::SimulationContext& context) override {
        m_buildings = &context.city->buildings;
        if (m_buildings->empty()) return Error{"the city has no buildings"};
        if (!context.weather || context.weather->hours() < 8760) {
            return Error{
                "the retrofit simulation needs hourly weather: add a \"weather\" EPW file to the project"};
        }
        m_weather = context.weather;
        const QVariantMap& p = context.parameters;
        const auto number = [&p](const char* key) { return p.value(QLatin1String(key)).toDouble(); };
        m_energy.gridCo2TPerMWh = number("grid_co2_t_per_mwh");
        m_energy.heatingCo2TPerMWh = number("heating_co2_t_per_mwh");
        m_energy.storeyHeightM = number("storey_height_m");
        m_energy.pvRoofCoverage = number("pv_roof_coverage");
        m_economics.electricityPriceKrwPerKWh = number("electricity_price_krw_per_kwh");
        m_economics.gasPriceKrwPerKWh = number("gas_price_krw_per_kwh");
        m_economics.discountRate = number("discount_rate_pct") / 100.0;
        m_economics.priceEscalation = number("price_escalation_pct") / 100.0;
        const double budgetMkrw = number("budget_mkrw");
        m_budgetKrw = budgetMkrw > 0.0 ? budgetMkrw * 1e6 : std::numeric_limits<double>::infinity();
        m_co2TargetT = number("co2_target_t");
        m_selfSufficiencyTarget = number("self_sufficiency_target_pct") / 100.0;
        if (m_co2TargetT > 0.0 && m_selfSufficiencyTarget > 0.0)
            return Error{"retrofit: give a CO2 target or a self-sufficiency target, not both"};
        m_settings.representativesPerGroup = p.value(QStringLiteral("representatives_per_group")).toInt();

        QString path = p.value(QStringLiteral("catalogue_path")).toString().trimmed();
        // A relative path is read from the project file's folder (the working directory without one).
        if (!path.isEmpty() && QDir::isRelativePath(path) && !context.projectFolder.isEmpty())
            path = QDir(context.projectFolder).filePath(path);
        std::string json = defaultCatalogueJson();
        if (!path.isEmpty()) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                return Error{"retrofit: cannot read the measures catalogue " + path.toStdString()};
            json = file.readAll().toStdString();
        }
        auto catalogue = parseCatalogue(json);
        if (!catalogue.ok()) return Error{(path.isEmpty() ? std::string() : path.toStdString() + ": ") + catalogue.error()};
        m_catalogue = std::move(catalogue.value());

        const std::string where = p.value(QStringLiteral("where")).toString().trimmed().toStdString();
        if (!where.empty()) {
            auto filter = sim::BuildingFilter::parse(where);
            if (!filter.ok()) return Error{"retrofit: the building filter: " + filter.error()};
            m_settings.selected.assign(m_buildings->size(), 0);
            for (std::size_t i = 0; i < m_buildings->size(); ++i)
                m_settings.selected[i] = filter.value().matches(*m_buildings, i) ? 1 : 0;
        }
        return {};
    }

    // Three steps, so that the progress bar moves: the baseline, the options, the plan.
    std::size_t stepCount() const override { return 3; }

    Status advance(std::size_t step, Feedback& feedback) override {
        const auto canceled = [&feedback] { return feedback.isCanceled(); };
        if (step == 0) {
            m_climate = energy::buildSiteClimate(*m_weather);
            m_climate.dryBulbC.resize(8760);  // a leap-year file: the first 365 days
            m_climate.precomputeBeamOptics(energy::Window{}.glazing);
            if (m_energy.pvRoofCoverage > 0.0) {
                energy::PvSystem pv;
                pv.dcKw = 1.0;
                m_pvAcW = energy::pvWattsHourlyAcW(pv, *m_weather);
            }
            m_baseline = energy::simulateCity(*m_buildings, m_climate, m_weather->station.elevationM, m_energy,
                                              m_pvAcW, canceled);
        } else if (step == 1) {
            m_evaluation = evaluateRetrofits(*m_buildings, m_climate, m_weather->station.elevationM, m_energy,
                                             m_pvAcW, m_catalogue, m_economics, m_settings, canceled, &m_baseline);
        } else {
            PlanRequest request;
            request.budgetKrw = m_budgetKrw;
            if (m_selfSufficiencyTarget > 0.0) {
                request.target = PlanTarget::SelfSufficiency;
                request.selfSufficiencyTarget = m_selfSufficiencyTarget;
            } else if (m_co2TargetT > 0.0) {
                request.target = PlanTarget::Co2;
                request.co2TargetT = m_co2TargetT;
            }
            // The district's electricity use: every building the energy engine simulated.
            for (double v : m_evaluation.baseline.electricityKWh) {
                if (std::isfinite(v)) request.demandKWh += v;
            }
            m_plan = planRetrofits(m_evaluation.options, m_buildings->size(), request);
        }
        return {};
    }

    void writeResults(sim::ResultSet& results) override {
        const std::size_t n = m_buildings->size();
        const std::vector<BuildingOption>& options = m_evaluation.options;
        std::vector<std::string> categories = m_evaluation.optionIds;
        categories.emplace_back("none");
        const double none = static_cast<double>(categories.size() - 1);

        // Per building: its best option by abatement cost (lowest KRW per tCO2 avoided, annualised).
        std::vector<int> best(n, -1);
        for (std::size_t k = 0; k < options.size(); ++k) {
            const BuildingOption& o = options[k];
            if (!(o.co2SavingT > 0.0)) continue;
            int& b = best[o.building];
            if (b < 0 || o.abatementCostKrwPerT < options[static_cast<std::size_t>(b)].abatementCostKrwPerT)
                b = static_cast<int>(k);
        }
        sim::Field& bestField = results.addField("retrofit.best_measure", "", sim::EntityKind::Building, n);
        bestField.categories = categories;
        sim::Field& planField = results.addField("retrofit.plan", "", sim::EntityKind::Building, n);
        planField.categories = categories;
        std::vector<double> saving(n, kNaN), gas(n, kNaN), electricity(n, kNaN), co2(n, kNaN), cost(n, kNaN),
            payback(n, kNaN), npv(n, kNaN), mac(n, kNaN), planCo2(n, kNaN), planCost(n, kNaN), planMac(n, kNaN),
            planPayback(n, kNaN), planSaving(n, kNaN), planBill(n, kNaN), cce(n, kNaN);
        for (std::size_t i = 0; i < n; ++i) {
            const bool simulated = std::isfinite(m_evaluation.baseline.heatingKWh[i]);
            if (!simulated) {
                bestField.values[i] = kNaN;
                planField.values[i] = kNaN;
                continue;
            }
            bestField.values[i] = none;
            planField.values[i] = none;
            planCo2[i] = 0.0;
            planCost[i] = 0.0;
            planSaving[i] = 0.0;
            planBill[i] = 0.0;
            if (best[i] >= 0) {
                const BuildingOption& o = options[static_cast<std::size_t>(best[i])];
                bestField.values[i] = o.option;
                saving[i] = o.energySavingKWh() / 1000.0;
                gas[i] = o.gasSavingKWh / 1000.0;
                electricity[i] = o.electricitySavingKWh / 1000.0;
                npv[i] = o.npvKrw / 1e6;
                co2[i] = o.co2SavingT;
                cost[i] = o.investmentKrw / 1e6;
                payback[i] = std::isfinite(o.paybackYears) ? o.paybackYears : kNaN;
                mac[i] = o.abatementCostKrwPerT / 1000.0;
                if (std::isfinite(o.costOfConservedEnergyKrwPerKWh)) cce[i] = o.costOfConservedEnergyKrwPerKWh;
            }
            const int chosen = m_plan.optionOfBuilding[i];
            if (chosen >= 0) {
                const BuildingOption& o = options[static_cast<std::size_t>(chosen)];
                planField.values[i] = o.option;
                planCo2[i] = o.co2SavingT;
                planCost[i] = o.investmentKrw / 1e6;
                planMac[i] = o.abatementCostKrwPerT / 1000.0;
                planPayback[i] = std::isfinite(o.paybackYears) ? o.paybackYears : kNaN;
                planSaving[i] = o.energySavingKWh() / 1000.0;
                planBill[i] = o.costSavingKrw / 1e6;
            }
        }
        const auto field = [&](const char* name, const char* unit, std::vector<double>& values) {
            results.addField(name, unit, sim::EntityKind::Building, n).values = std::move(values);
        };
        field("retrofit.saving_mwh", "MWh", saving);
        field("retrofit.gas_saving_mwh", "MWh", gas);
        field("retrofit.electricity_saving_mwh", "MWh", electricity);
        field("retrofit.npv_mkrw", "million KRW", npv);
        field("retrofit.co2_saving_t", "t", co2);
        field("retrofit.cost_mkrw", "million KRW", cost);
        field("retrofit.payback_years", "years", payback);
        field("retrofit.abatement_kkrw_per_t", "thousand KRW/tCO2", mac);
        field("retrofit.plan_co2_saving_t", "t", planCo2);
        field("retrofit.plan_cost_mkrw", "million KRW", planCost);
        field("retrofit.plan_abatement_kkrw_per_t", "thousand KRW/tCO2", planMac);
        field("retrofit.plan_payback_years", "years", planPayback);
        field("retrofit.plan_saving_mwh", "MWh", planSaving);
        field("retrofit.plan_bill_saving_mkrw", "million KRW", planBill);
        field("retrofit.cost_of_conserved_energy_krw_per_kwh", "KRW/kWh", cce);

        double baselineCo2 = 0.0;
        for (double v : m_evaluation.baselineCo2T) {
            if (std::isfinite(v)) baselineCo2 += v;
        }
        double potential = 0.0;
        std::vector<double> maxCo2(n, 0.0);
        for (const BuildingOption& o : options) maxCo2[o.building] = std::max(maxCo2[o.building], o.co2SavingT);
        for (double v : maxCo2) potential += v;
        results.setKpi("retrofit.investment_krw", m_plan.investmentKrw, "KRW");
        results.setKpi("retrofit.co2_reduction_t", m_plan.co2SavingT, "t/yr");
        results.setKpi("retrofit.energy_saving_mwh", m_plan.energySavingKWh / 1000.0, "MWh/yr");
        results.setKpi("retrofit.bill_saving_mkrw", m_plan.costSavingKrw / 1e6, "million KRW/yr");
        results.setKpi("retrofit.buildings_retrofitted", static_cast<double>(m_plan.buildings), "");
        results.setKpi("retrofit.mean_payback_years",
                       m_plan.costSavingKrw > 0.0 ? m_plan.investmentKrw / m_plan.costSavingKrw : 0.0, "years");
        results.setKpi("retrofit.co2_saving_pct", baselineCo2 > 0.0 ? 100.0 * m_plan.co2SavingT / baselineCo2 : 0.0,
                       "%");
        results.setKpi("retrofit.baseline_co2_t", baselineCo2, "t/yr");
        results.setKpi("retrofit.potential_co2_saving_t", potential, "t/yr");
        results.setKpi("retrofit.options_evaluated", static_cast<double>(options.size()), "");
        results.setKpi("retrofit.simulated_variants", static_cast<double>(m_evaluation.simulatedVariants), "");
        results.setKpi("retrofit.plan_exact", m_plan.exact ? 1.0 : 0.0, "");
        results.setKpi("retrofit.self_sufficiency_before", 100.0 * m_plan.selfSufficiencyBefore, "%");
        results.setKpi("retrofit.self_sufficiency_after", 100.0 * m_plan.selfSufficiencyAfter, "%");
        results.setKpi("retrofit.pv_generation_mwh", m_plan.pvKWh / 1000.0, "MWh/yr");
        if (m_co2TargetT > 0.0 || m_selfSufficiencyTarget > 0.0) {
            // Whether the plan reaches the target within the budget, whether the catalogue can at
            // all, and the least investment found that reaches it (left out when out of reach).
            results.setKpi("retrofit.target_met", m_plan.targetMet ? 1.0 : 0.0, "");
            results.setKpi("retrofit.target_reachable", m_plan.targetReachable ? 1.0 : 0.0, "");
            if (std::isfinite(m_plan.targetCostKrw))
                results.setKpi("retrofit.target_cost_mkrw", m_plan.targetCostKrw / 1e6, "million KRW");
        }
    }

private:
    const BuildingTable* m_buildings = nullptr;
    const sim::WeatherSeries* m_weather = nullptr;
    energy::CityEnergyParameters m_energy;
    Economics m_economics;
    EvaluationSettings m_settings;
    Catalogue m_catalogue;
    double m_budgetKrw = 0.0, m_co2TargetT = 0.0, m_selfSufficiencyTarget = 0.0;
    energy::SiteClimate m_climate;
    std::vector<double> m_pvAcW;
    energy::CityEnergyResult m_baseline;
    Evaluation m_evaluation;
    Plan m_plan;
};
}  // namespace

std::unique_ptr<sim::Simulation> RetrofitPlugin::create() const { return std::make_unique<RetrofitSimulation>(); }

}  // namespace ut::retrofit
