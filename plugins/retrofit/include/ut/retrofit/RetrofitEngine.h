#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "ut/energy/CityEnergy.h"
#include "ut/geodata/Result.h"

namespace ut::retrofit {

// What a measure's unit cost is per.
enum class Quantity { WallAreaM2, RoofAreaM2, GroundFloorAreaM2, WindowAreaM2, FloorAreaM2, PeakHeatingKw, PvKwp };

// One retrofit measure of the catalogue (plugins/retrofit/data/measures.json, docs/retrofit-measures.md).
struct Measure {
    std::string id, name, nameKo;
    // Building attributes the energy engine reads (u_wall, u_roof, u_floor, u_window, g_window,
    // infiltration_ach), set to these values.
    std::vector<std::pair<std::string, double>> set;
    double gainsReduction = 0.0;  // share of the internal gains removed (efficient lighting)
    double heatPumpScop = 0.0;    // > 0: a heat pump of this seasonal COP replaces the gas boiler
    bool pv = false;              // rooftop PV at the energy model's roof potential
    Quantity quantity = Quantity::FloorAreaM2;
    double unitCostKrw = 0.0;
    double lifetimeYears = 20.0;
    double minQuantity = 0.0;  // not offered below this quantity
    // Applicability: construction year in [builtFrom, builtBefore) (0: open); use classes (empty: all).
    int builtFrom = 0, builtBefore = 0;
    std::vector<UseClass> uses;
};

// A package applies all its measures together; it is offered where every one of them applies.
struct Package {
    std::string id, name, nameKo;
    std::vector<std::size_t> measures;  // indices into Catalogue::measures
};

struct Catalogue {
    std::vector<Measure> measures;
    std::vector<Package> packages;
    // Options: every measure alone (0 … measures − 1), then every package.
    std::size_t optionCount() const { return measures.size() + packages.size(); }
    std::vector<std::size_t> optionMeasures(std::size_t option) const;
    std::string optionId(std::size_t option) const;
};

Result<Catalogue> parseCatalogue(const std::string& json);
// The catalogue shipped with the plugin (plugins/retrofit/data/measures.json, compiled in).
const std::string& defaultCatalogueJson();

// The year applicability rules read: unknown years (0) count as 1995, as in the energy archetypes.
int effectiveYear(int yearBuilt);
// Whether a measure applies to a building of this use and year whose archetype inputs are these:
// its rules, and for envelope measures an existing value at least 10 % worse than the target.
bool measureApplies(const Measure& measure, UseClass use, int yearBuilt,
                    const energy::BuildingEnergyInputs& inputs);

struct Economics {
    double electricityPriceKrwPerKWh = 150.0;
    double gasPriceKrwPerKWh = 80.0;  // per kWh of fuel (gross calorific value)
    double boilerEfficiency = 0.925;  // delivered heat per unit of gas (as the energy plugin's factor)
    double discountRate = 0.045;
    double priceEscalation = 0.0;  // real yearly rise of energy prices (NPV only)
};

// Capital recovery factor: the annual payment that repays 1 over the years at the rate.
double capitalRecoveryFactor(double rate, double years);
double simplePaybackYears(double investmentKrw, double annualSavingKrw);  // +inf when nothing is saved
// Present value of a yearly amount (first year's value, rising by escalation a year) over the years:
// Σ_{t=1..n} (1 + e)^(t−1) / (1 + r)^t; 1 / CRF without escalation.
double presentValueFactor(double rate, double escalation, double years);

// One option (measure or package) for one building row, annual figures.
struct BuildingOption {
    std::uint32_t building = 0;
    std::uint32_t option = 0;
    double investmentKrw = 0.0;
    double annualisedCostKrw = 0.0;  // Σ investment × CRF(discount rate, the measure's lifetime)
    double gasSavingKWh = 0.0, electricitySavingKWh = 0.0;  // final energy, by carrier
    double co2SavingT = 0.0;
    double costSavingKrw = 0.0;  // energy bill, per year
    double pvKWh = 0.0;          // rooftop PV yield counted in the electricity saving (0 without PV)
    double paybackYears = 0.0;
    double npvKrw = 0.0;  // bill savings over the investment-weighted lifetime, discounted, − investment
    double costOfConservedEnergyKrwPerKWh = 0.0;  // annualised cost / final energy saved (+inf: none)
    // Marginal abatement cost: (annualised investment − bill saving) per tCO2 avoided; negative pays.
    double abatementCostKrwPerT = 0.0;
    double energySavingKWh() const { return gasSavingKWh + electricitySavingKWh; }
    // How much less electricity the building uses (PV not counted; negative for a heat pump).
    double demandReductionKWh() const { return electricitySavingKWh - pvKWh; }
};

// Energy of a building as the retrofit model counts it, per year.
struct BuildingEnergy {
    double heatingKWh = 0.0, coolingKWh = 0.0;
    double electricityKWh = 0.0;  // internal gains + cooling / COP (the energy engine's electricity)
    double pvKWh = 0.0, pvKwp = 0.0, peakHeatingKw = 0.0;
};

// Figures of one option from the building's baseline and modelled energy after the envelope and
// lighting measures (heat pump and PV are applied here, on top).
BuildingOption evaluateOption(const Catalogue& catalogue, std::size_t option, const BuildingEnergy& baseline,
                              const BuildingEnergy& modified, const std::vector<double>& quantities,
                              const energy::CityEnergyParameters& energyParameters, const Economics& economics);

struct EvaluationSettings {
    // 0: simulate every building with every option (exact). n > 0: per group of buildings of the same
    // use class, construction period and storey band (1–2, 3–5, 6–10, 11–20, 21+), simulate n
    // representatives (spread over floor area); the others save what the representatives saved per
    // unit of the option's simulated cost (per m² of insulated wall, roof …), never more than they use.
    int representativesPerGroup = 2;
    std::vector<char> selected;  // per row: whether options are evaluated for it; empty: every row
};

struct Evaluation {
    std::vector<std::string> optionIds;
    std::vector<BuildingOption> options;  // applicable options, grouped by building, ascending
    std::vector<double> baselineCo2T;     // per row: heating × factor + electricity × grid (NaN: not simulated)
    energy::CityEnergyResult baseline;
    std::size_t simulatedVariants = 0;  // building simulations beyond the baseline
};

// Simulates the baseline (unless given: simulateCity's result for the same inputs) and the option
// variants, and evaluates every applicable option of every row that the energy engine simulates.
Evaluation evaluateRetrofits(const BuildingTable& buildings, const energy::SiteClimate& climate,
                             double siteElevationM, const energy::CityEnergyParameters& energyParameters,
                             const std::vector<double>& pvAcWPerKwDc, const Catalogue& catalogue,
                             const Economics& economics, const EvaluationSettings& settings,
                             const std::function<bool()>& canceled = {},
                             energy::CityEnergyResult* baseline = nullptr);

// Quantities of building i that unit costs are per (indexed by Quantity), from the energy model's
// zone for the building and its baseline results.
std::vector<double> buildingQuantities(const BuildingTable& buildings, std::size_t i,
                                       const energy::BuildingEnergyInputs& inputs, double peakHeatingKw,
                                       double pvKwp, double storeyHeightM);

// What the plan aims at. Without a target: the most CO2 within the budget. With a target: the
// least investment that reaches it (within the budget; where the budget cannot reach it, the most
// progress towards it the budget buys).
enum class PlanTarget { None, Co2, SelfSufficiency };

struct PlanRequest {
    double budgetKrw = std::numeric_limits<double>::infinity();
    PlanTarget target = PlanTarget::None;
    double co2TargetT = 0.0;             // PlanTarget::Co2: tCO2 saved a year
    double selfSufficiencyTarget = 0.0;  // PlanTarget::SelfSufficiency: share (0–1) of the district's
                                         // electricity use covered by its rooftop PV
    double demandKWh = 0.0;              // the district's electricity use before the plan (self-sufficiency)
    double pvKWh = 0.0;                  // PV yield the district already has
    // Work the exact branch and bound may do (node visits × hull steps scanned by its bounds) before
    // it gives up and keeps the best plan found so far (at least the greedy's); 0: greedy only.
    double exactWorkLimit = 5e7;
};

struct Plan {
    std::vector<int> optionOfBuilding;  // per row: index into Evaluation::options, −1 none
    double investmentKrw = 0.0, co2SavingT = 0.0, energySavingKWh = 0.0, costSavingKrw = 0.0;
    double electricitySavingKWh = 0.0, pvKWh = 0.0;
    std::size_t buildings = 0;
    bool exact = false;  // proven optimal (branch and bound finished)
    // Targets: whether all selected buildings together can reach it (each with its option that helps
    // most), the least investment found that reaches it (+inf: unreachable; proven least when exact),
    // whether the plan reaches it within the budget.
    bool targetReachable = true, targetMet = false;
    double targetCostKrw = 0.0;
    // Share of the district's electricity use covered by PV before and after the plan (with the
    // request's demand; 0 without).
    double selfSufficiencyBefore = 0.0, selfSufficiencyAfter = 0.0;
};

// Chooses at most one option per building (only options that cost something and help: save CO2,
// or for a self-sufficiency target move the district towards it) as the request says. Exact by
// branch and bound over the buildings (bounds: the linear relaxation, greedy along the marginal
// abatement curve) where it finishes within the work limit; otherwise greedy along each building's
// upper convex hull of (investment, benefit) in order of benefit per KRW (the MAC curve), improved
// by whatever the branch and bound found.
Plan planRetrofits(const std::vector<BuildingOption>& options, std::size_t rows, const PlanRequest& request);

// Shorthand: a budget and optionally a CO2 target; exactWorkLimit 0 is the greedy alone.
Plan planRetrofits(const std::vector<BuildingOption>& options, std::size_t rows,
                   double budgetKrw = std::numeric_limits<double>::infinity(), double co2TargetT = 0.0,
                   double exactWorkLimit = 5e7);

}  // namespace ut::retrofit
