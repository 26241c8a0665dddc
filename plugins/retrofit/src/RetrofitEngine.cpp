#include "ut/retrofit/RetrofitEngine.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <cstdio>
#include <functional>
#include <numeric>
#include <tuple>

namespace ut::retrofit {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

double currentValue(const energy::BuildingEnergyInputs& in, const std::string& key) {
    if (key == "u_wall") return in.uWall;
    if (key == "u_roof") return in.uRoof;
    if (key == "u_floor") return in.uFloor;
    if (key == "u_window") return in.uWindow;
    if (key == "g_window") return in.gWindow;
    if (key == "infiltration_ach") return in.infiltrationAch;
    return kNaN;
}

BuildingDraft draftOf(const BuildingTable& t, std::size_t i) {
    BuildingDraft d;
    d.id = t.id(i);
    for (std::uint32_t r = t.ringBegin(i); r < t.ringEnd(i); ++r) {
        const auto ring = t.ring(r);
        (t.ringIsHole(r) ? d.holes : d.outerRings).emplace_back(ring.begin(), ring.end());
    }
    d.heightM = t.heightM(i);
    d.heightSource = t.heightSource(i);
    d.baseElevationM = t.baseElevationM(i);
    d.baseElevationKnown = t.baseElevationKnown(i);
    d.minHeightM = t.minHeightM(i);
    d.useType = t.useType(i);
    d.useClass = t.useClass(i);
    d.yearBuilt = t.yearBuilt(i);
    d.attributes = t.attributes(i);
    return d;
}

void setAttribute(AttributeList& attributes, const std::string& key, double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    for (auto& [k, v] : attributes) {
        if (k == key) {
            v = text;
            return;
        }
    }
    attributes.emplace_back(key, text);
}

// What the energy engine must simulate for an option: attribute values and a gains factor.
struct Variant {
    std::vector<std::pair<std::string, double>> set;
    double gainsFactor = 1.0;
    bool operator<(const Variant& o) const {
        return std::tie(set, gainsFactor) < std::tie(o.set, o.gainsFactor);
    }
    bool empty() const { return set.empty() && gainsFactor == 1.0; }
};

Variant variantOf(const Catalogue& catalogue, std::size_t option) {
    Variant v;
    std::map<std::string, double> set;
    for (std::size_t m : catalogue.optionMeasures(option)) {
        const Measure& measure = catalogue.measures[m];
        for (const auto& [k, value] : measure.set) set[k] = value;
        v.gainsFactor *= 1.0 - measure.gainsReduction;
    }
    v.set.assign(set.begin(), set.end());
    return v;
}
}  // namespace

int effectiveYear(int yearBuilt) { return yearBuilt > 0 ? yearBuilt : 1995; }

bool measureApplies(const Measure& measure, UseClass use, int yearBuilt,
                    const energy::BuildingEnergyInputs& inputs) {
    const int year = effectiveYear(yearBuilt);
    if (measure.builtFrom > 0 && year < measure.builtFrom) return false;
    if (measure.builtBefore > 0 && year >= measure.builtBefore) return false;
    if (!measure.uses.empty() && std::find(measure.uses.begin(), measure.uses.end(), use) == measure.uses.end())
        return false;
    for (const auto& [key, target] : measure.set) {
        if (key == "g_window") continue;  // follows the window's U
        if (!(currentValue(inputs, key) > target * 1.1)) return false;
    }
    return true;
}

double capitalRecoveryFactor(double rate, double years) {
    if (years <= 0.0) return kInf;
    if (std::abs(rate) < 1e-12) return 1.0 / years;
    return rate / (1.0 - std::pow(1.0 + rate, -years));
}

double simplePaybackYears(double investmentKrw, double annualSavingKrw) {
    return annualSavingKrw > 0.0 ? investmentKrw / annualSavingKrw : kInf;
}

double presentValueFactor(double rate, double escalation, double years) {
    const int whole = static_cast<int>(std::floor(years));
    double factor = 0.0, grow = 1.0, discount = 1.0;
    for (int t = 1; t <= whole; ++t) {
        discount /= 1.0 + rate;
        factor += grow * discount;
        grow *= 1.0 + escalation;
    }
    // A part year at the end counts pro rata.
    const double part = years - whole;
    if (part > 0.0) factor += part * grow * discount / (1.0 + rate);
    return factor;
}

BuildingOption evaluateOption(const Catalogue& catalogue, std::size_t option, const BuildingEnergy& baseline,
                              const BuildingEnergy& modified, const std::vector<double>& quantities,
                              const energy::CityEnergyParameters& energyParameters, const Economics& economics) {
    BuildingOption o;
    o.option = static_cast<std::uint32_t>(option);
    double scop = 0.0;
    bool pv = false;
    double lifeWeighted = 0.0;
    for (std::size_t m : catalogue.optionMeasures(option)) {
        const Measure& measure = catalogue.measures[m];
        scop = std::max(scop, measure.heatPumpScop);
        pv = pv || measure.pv;
        const double cost = measure.unitCostKrw * quantities[static_cast<std::size_t>(measure.quantity)];
        o.investmentKrw += cost;
        o.annualisedCostKrw += cost * capitalRecoveryFactor(economics.discountRate, measure.lifetimeYears);
        lifeWeighted += cost * measure.lifetimeYears;
    }
    const double eff = economics.boilerEfficiency;
    const double gasHeat0 = baseline.heatingKWh;
    const double gasHeat1 = scop > 0.0 ? 0.0 : modified.heatingKWh;
    o.gasSavingKWh = (gasHeat0 - gasHeat1) / eff;
    const double elec0 = baseline.electricityKWh;
    const double elec1 = modified.electricityKWh + (scop > 0.0 ? modified.heatingKWh / scop : 0.0) -
                         (pv ? baseline.pvKWh : 0.0);
    o.electricitySavingKWh = elec0 - elec1;
    o.pvKWh = pv ? baseline.pvKWh : 0.0;
    o.co2SavingT = ((gasHeat0 - gasHeat1) * energyParameters.heatingCo2TPerMWh +
                    o.electricitySavingKWh * energyParameters.gridCo2TPerMWh) /
                   1000.0;
    o.costSavingKrw =
        o.gasSavingKWh * economics.gasPriceKrwPerKWh + o.electricitySavingKWh * economics.electricityPriceKrwPerKWh;
    o.paybackYears = simplePaybackYears(o.investmentKrw, o.costSavingKrw);
    const double life = o.investmentKrw > 0.0 ? lifeWeighted / o.investmentKrw : 0.0;
    o.npvKrw = o.costSavingKrw * presentValueFactor(economics.discountRate, economics.priceEscalation, life) -
               o.investmentKrw;
    o.costOfConservedEnergyKrwPerKWh =
        o.energySavingKWh() > 0.0 ? o.annualisedCostKrw / o.energySavingKWh() : kInf;
    o.abatementCostKrwPerT = o.co2SavingT > 0.0 ? (o.annualisedCostKrw - o.costSavingKrw) / o.co2SavingT : kInf;
    return o;
}

std::vector<double> buildingQuantities(const BuildingTable& buildings, std::size_t i,
                                       const energy::BuildingEnergyInputs& inputs, double peakHeatingKw,
                                       double pvKwp, double storeyHeightM) {
    const energy::ZoneDescription zone = energy::buildingZone(buildings, i, inputs, 0.0, 10.0, storeyHeightM);
    std::vector<double> q(7, 0.0);
    for (const energy::Facade& f : zone.facades) {
        q[static_cast<std::size_t>(Quantity::WallAreaM2)] += f.wallAreaM2;
        q[static_cast<std::size_t>(Quantity::WindowAreaM2)] += f.windowAreaM2;
    }
    q[static_cast<std::size_t>(Quantity::RoofAreaM2)] = zone.roofAreaM2;
    q[static_cast<std::size_t>(Quantity::GroundFloorAreaM2)] = zone.groundFloorAreaM2;
    q[static_cast<std::size_t>(Quantity::FloorAreaM2)] = zone.floorAreaM2;
    q[static_cast<std::size_t>(Quantity::PeakHeatingKw)] = peakHeatingKw;
    q[static_cast<std::size_t>(Quantity::PvKwp)] = pvKwp;
    return q;
}

Evaluation evaluateRetrofits(const BuildingTable& buildings, const energy::SiteClimate& climate,
                             double siteElevationM, const energy::CityEnergyParameters& energyParameters,
                             const std::vector<double>& pvAcWPerKwDc, const Catalogue& catalogue,
                             const Economics& economics, const EvaluationSettings& settings,
                             const std::function<bool()>& canceled, energy::CityEnergyResult* baseline) {
    Evaluation ev;
    const std::size_t n = buildings.size();
    const std::size_t optionCount = catalogue.optionCount();
    for (std::size_t o = 0; o < optionCount; ++o) ev.optionIds.push_back(catalogue.optionId(o));
    ev.baseline = baseline ? std::move(*baseline)
                           : energy::simulateCity(buildings, climate, siteElevationM, energyParameters,
                                                  pvAcWPerKwDc, canceled);
    const energy::CityEnergyResult& base = ev.baseline;
    ev.baselineCo2T.assign(n, kNaN);

    // Variants the energy engine has to simulate (options that change attributes or gains).
    std::map<Variant, std::size_t> variantIndex;
    std::vector<Variant> variants;
    std::vector<int> variantOfOption(optionCount, -1);
    std::vector<std::size_t> firstOptionOf;
    for (std::size_t o = 0; o < optionCount; ++o) {
        const Variant v = variantOf(catalogue, o);
        if (v.empty()) continue;
        auto [it, added] = variantIndex.emplace(v, variants.size());
        if (added) {
            variants.push_back(v);
            firstOptionOf.push_back(o);
        }
        variantOfOption[o] = static_cast<int>(it->second);
    }

    // Applicable options per row, and groups (use class, construction period).
    std::vector<std::vector<std::uint32_t>> applicable(n);
    std::vector<energy::BuildingEnergyInputs> inputs(n);
    std::vector<std::vector<double>> quantities(n);
    std::map<std::pair<int, std::string>, std::size_t> groupIndex;
    std::vector<std::size_t> groupOf(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(base.heatingKWh[i])) continue;
        inputs[i] = energy::archetypeInputs(buildings.useClass(i), buildings.yearBuilt(i), buildings.attributes(i),
                                            energyParameters);
        ev.baselineCo2T[i] = (base.heatingKWh[i] * energyParameters.heatingCo2TPerMWh +
                              base.electricityKWh[i] * energyParameters.gridCo2TPerMWh) /
                             1000.0;
        quantities[i] = buildingQuantities(buildings, i, inputs[i], base.peakHeatingKW[i],
                                           std::isfinite(base.pvKwDc[i]) ? base.pvKwDc[i] : 0.0,
                                           energyParameters.storeyHeightM);
        const bool chosen = settings.selected.empty() || (i < settings.selected.size() && settings.selected[i]);
        for (std::size_t o = 0; chosen && o < optionCount; ++o) {
            bool ok = true;
            for (std::size_t m : catalogue.optionMeasures(o)) {
                const Measure& measure = catalogue.measures[m];
                const double q = quantities[i][static_cast<std::size_t>(measure.quantity)];
                if (!measureApplies(measure, buildings.useClass(i), buildings.yearBuilt(i), inputs[i]) ||
                    !(q > 0.0) || q < measure.minQuantity) {
                    ok = false;
                    break;
                }
            }
            if (ok) applicable[i].push_back(static_cast<std::uint32_t>(o));
        }
        // Storey bands keep the groups' geometry alike (the share of roof and ground floor in the losses).
        const double storeys = base.floorAreaM2[i] / std::max(buildings.footprintAreaM2(i), 1.0);
        const int band = storeys < 2.5 ? 0 : storeys < 5.5 ? 1 : storeys < 10.5 ? 2 : storeys < 20.5 ? 3 : 4;
        const auto key = std::make_pair(static_cast<int>(buildings.useClass(i)) * 8 + band, std::string(inputs[i].period));
        groupOf[i] = groupIndex.emplace(key, groupIndex.size()).first->second;
    }
    const std::size_t groups = groupIndex.size();

    // Rows to simulate per variant: all (exact) or representatives per group.
    const std::size_t nv = variants.size();
    std::vector<std::vector<std::size_t>> rowsOf(nv);  // variant → rows simulated
    for (std::size_t v = 0; v < nv; ++v) {
        std::vector<std::vector<std::size_t>> members(groups);
        for (std::size_t i = 0; i < n; ++i) {
            const bool needed = std::any_of(applicable[i].begin(), applicable[i].end(), [&](std::uint32_t o) {
                return variantOfOption[o] == static_cast<int>(v);
            });
            if (needed) members[groupOf[i]].push_back(i);
        }
        for (auto& m : members) {
            if (settings.representativesPerGroup <= 0 ||
                m.size() <= static_cast<std::size_t>(settings.representativesPerGroup)) {
                rowsOf[v].insert(rowsOf[v].end(), m.begin(), m.end());
                continue;
            }
            std::sort(m.begin(), m.end(),
                      [&](std::size_t a, std::size_t b) { return base.floorAreaM2[a] < base.floorAreaM2[b]; });
            const auto k = static_cast<std::size_t>(settings.representativesPerGroup);
            for (std::size_t r = 0; r < k; ++r) rowsOf[v].push_back(m[(2 * r + 1) * m.size() / (2 * k)]);
        }
    }
    BuildingTable table;
    std::vector<std::vector<std::size_t>> simRow(nv);
    for (std::size_t v = 0; v < nv; ++v) {
        for (std::size_t i : rowsOf[v]) {
            BuildingDraft d = draftOf(buildings, i);
            for (const auto& [key, value] : variants[v].set) setAttribute(d.attributes, key, value);
            if (variants[v].gainsFactor != 1.0)
                setAttribute(d.attributes, "internal_gains_w_m2", inputs[i].gainsWm2 * variants[v].gainsFactor);
            simRow[v].push_back(table.add(std::move(d)));
        }
    }
    ev.simulatedVariants = table.size();
    energy::CityEnergyResult sim;
    if (!table.empty()) {
        energy::CityEnergyParameters p = energyParameters;
        sim = energy::simulateCity(table, climate, siteElevationM, p, {}, canceled);
    }
    // Per variant and group: the savings of the simulated rows per unit of the variant's cost (its
    // simulated measures' unit costs × quantities: per m² of insulated wall, roof …), which scale to
    // the other rows of the group by their own quantities.
    const auto variantWeight = [&](std::size_t v, std::size_t i) {
        double w = 0.0;
        for (std::size_t m : catalogue.optionMeasures(firstOptionOf[v])) {
            const Measure& measure = catalogue.measures[m];
            if (measure.set.empty() && measure.gainsReduction == 0.0) continue;
            w += measure.unitCostKrw * quantities[i][static_cast<std::size_t>(measure.quantity)];
        }
        return w > 0.0 ? w : quantities[i][static_cast<std::size_t>(Quantity::FloorAreaM2)];
    };
    struct Savings {
        double weight = 0, heat = 0, cool = 0, elec = 0;
    };
    std::vector<std::vector<Savings>> savings(nv, std::vector<Savings>(groups));
    std::vector<std::map<std::size_t, std::size_t>> rowToSim(nv);
    for (std::size_t v = 0; v < nv; ++v) {
        for (std::size_t k = 0; k < rowsOf[v].size(); ++k) {
            const std::size_t i = rowsOf[v][k], s = simRow[v][k];
            rowToSim[v][i] = s;
            Savings& r = savings[v][groupOf[i]];
            r.weight += variantWeight(v, i);
            r.heat += base.heatingKWh[i] - sim.heatingKWh[s];
            r.cool += base.coolingKWh[i] - sim.coolingKWh[s];
            r.elec += base.electricityKWh[i] - sim.electricityKWh[s];
        }
    }

    for (std::size_t i = 0; i < n; ++i) {
        if (applicable[i].empty()) continue;
        BuildingEnergy b0;
        b0.heatingKWh = base.heatingKWh[i];
        b0.coolingKWh = base.coolingKWh[i];
        b0.electricityKWh = base.electricityKWh[i];
        b0.pvKWh = std::isfinite(base.pvKWh[i]) ? base.pvKWh[i] : 0.0;
        b0.pvKwp = std::isfinite(base.pvKwDc[i]) ? base.pvKwDc[i] : 0.0;
        b0.peakHeatingKw = base.peakHeatingKW[i];
        for (std::uint32_t o : applicable[i]) {
            BuildingEnergy b1 = b0;
            const int v = variantOfOption[o];
            if (v >= 0) {
                const auto vi = static_cast<std::size_t>(v);
                const auto found = rowToSim[vi].find(i);
                if (found != rowToSim[vi].end()) {
                    b1.heatingKWh = sim.heatingKWh[found->second];
                    b1.coolingKWh = sim.coolingKWh[found->second];
                    b1.electricityKWh = sim.electricityKWh[found->second];
                } else {
                    const Savings& r = savings[vi][groupOf[i]];
                    const double scale = r.weight > 0.0 ? variantWeight(vi, i) / r.weight : 0.0;
                    b1.heatingKWh = std::max(0.0, b0.heatingKWh - r.heat * scale);
                    b1.coolingKWh = std::max(0.0, b0.coolingKWh - r.cool * scale);
                    b1.electricityKWh = std::max(0.0, b0.electricityKWh - r.elec * scale);
                }
            }
            BuildingOption option =
                evaluateOption(catalogue, o, b0, b1, quantities[i], energyParameters, economics);
            option.building = static_cast<std::uint32_t>(i);
            ev.options.push_back(option);
        }
    }
    return ev;
}

namespace {
// One step along a building's upper convex hull of (investment, benefit) from (0, 0).
struct HullStep {
    std::uint32_t building;
    int from, to;  // option indices, −1: nothing
    double cost, value, slope;
    int order;
};

// The buildings' hull steps, all together, by benefit per KRW (descending).
std::vector<HullStep> hullSteps(std::map<std::uint32_t, std::vector<int>>& eligible,
                                const std::vector<double>& cost, const std::vector<double>& value) {
    std::vector<HullStep> steps;
    for (auto& [b, list] : eligible) {
        std::sort(list.begin(), list.end(), [&](int x, int y) {
            const auto ux = static_cast<std::size_t>(x), uy = static_cast<std::size_t>(y);
            return cost[ux] < cost[uy] || (cost[ux] == cost[uy] && value[ux] > value[uy]);
        });
        std::vector<int> hull;
        const auto point = [&](int k) {
            return k < 0 ? std::pair<double, double>{0.0, 0.0}
                         : std::pair<double, double>{cost[static_cast<std::size_t>(k)], value[static_cast<std::size_t>(k)]};
        };
        for (int k : list) {
            const auto [c, e] = point(k);
            if (e <= point(hull.empty() ? -1 : hull.back()).second) continue;
            while (!hull.empty()) {
                const auto [c1, e1] = point(hull.back());
                const auto [c0, e0] = point(hull.size() > 1 ? hull[hull.size() - 2] : -1);
                if ((e1 - e0) / (c1 - c0) <= (e - e1) / (c - c1)) hull.pop_back();
                else break;
            }
            hull.push_back(k);
        }
        int from = -1;
        for (std::size_t h = 0; h < hull.size(); ++h) {
            const auto [c0, e0] = point(from);
            const auto [c1, e1] = point(hull[h]);
            steps.push_back({b, from, hull[h], c1 - c0, e1 - e0, (e1 - e0) / (c1 - c0), static_cast<int>(h)});
            from = hull[h];
        }
    }
    std::sort(steps.begin(), steps.end(), [](const HullStep& x, const HullStep& y) {
        return x.slope > y.slope || (x.slope == y.slope && x.order < y.order);
    });
    return steps;
}

// Greedy along the curve: steps in order, a building upgrading when its step comes; a step that
// does not fit the remaining budget closes that building; stops once the benefit reaches need.
std::vector<int> greedyPlan(const std::vector<HullStep>& steps, std::size_t rows, double budget, double need) {
    std::vector<int> choice(rows, -1);
    std::vector<char> blocked(rows, 0);
    double spent = 0.0, gained = 0.0;
    for (const HullStep& s : steps) {
        if (gained >= need) break;
        if (blocked[s.building] || choice[s.building] != s.from) continue;
        if (spent + s.cost > budget) {
            blocked[s.building] = 1;
            continue;
        }
        choice[s.building] = s.to;
        spent += s.cost;
        gained += s.value;
    }
    return choice;
}

// Branch and bound over the buildings, one option or none each. need = +inf: maximise the benefit
// within the budget; else minimise the investment reaching need (within the budget). Starts from
// the incumbent (best, its cost and benefit); returns whether it finished (then best is optimal).
class BranchAndBound {
public:
    BranchAndBound(const std::map<std::uint32_t, std::vector<int>>& eligible, const std::vector<HullStep>& steps,
                   const std::vector<double>& cost, const std::vector<double>& value, double budget, double need,
                   double workLimit)
        : m_cost(cost), m_value(value), m_budget(budget), m_need(need), m_maximise(std::isinf(need)),
          m_workLimit(workLimit) {
        for (const auto& [b, list] : eligible) m_items.push_back({b, list, 0.0});
        for (Item& item : m_items) {
            std::sort(item.options.begin(), item.options.end(), [&](int x, int y) {
                return value[static_cast<std::size_t>(x)] > value[static_cast<std::size_t>(y)];
            });
            item.maxValue = value[static_cast<std::size_t>(item.options.front())];
        }
        // Big buildings first: the bounds tighten sooner.
        std::stable_sort(m_items.begin(), m_items.end(), [](const Item& x, const Item& y) { return x.maxValue > y.maxValue; });
        std::map<std::uint32_t, std::size_t> depth;
        for (std::size_t d = 0; d < m_items.size(); ++d) depth[m_items[d].building] = d;
        for (const HullStep& s : steps) m_steps.push_back({depth.at(s.building), s.cost, s.value});
    }

    bool run(std::vector<int>& best, double& bestCost, double& bestValue) {
        m_choice.assign(m_items.size(), -1);
        m_bestCost = bestCost;
        m_bestValue = bestValue;
        m_found = false;
        visit(0, 0.0, 0.0);
        if (m_found) {
            for (std::size_t d = 0; d < m_items.size(); ++d) best[m_items[d].building] = m_best[d];
            bestCost = m_bestCost;
            bestValue = m_bestValue;
        }
        return !m_aborted;
    }

private:
    struct Item {
        std::uint32_t building;
        std::vector<int> options;
        double maxValue;
    };
    struct Step {
        std::size_t depth;
        double cost, value;
    };

    // Linear relaxation over the buildings from depth d on: the most benefit for the capacity.
    double upperBound(std::size_t d, double capacity) {
        double bound = 0.0;
        for (const Step& s : m_steps) {
            ++m_work;
            if (s.depth < d) continue;
            if (s.cost <= capacity) {
                capacity -= s.cost;
                bound += s.value;
            } else {
                bound += s.value * capacity / s.cost;
                break;
            }
        }
        return bound;
    }
    // Linear relaxation: the least investment gaining gap more benefit (+inf: out of reach).
    double lowerBound(std::size_t d, double gap) {
        double cost = 0.0;
        for (const Step& s : m_steps) {
            ++m_work;
            if (s.depth < d) continue;
            if (s.value < gap) {
                gap -= s.value;
                cost += s.cost;
            } else {
                return cost + s.cost * gap / s.value;
            }
        }
        return kInf;
    }
    void record(double cost, double value) {
        m_best = m_choice;
        m_bestCost = cost;
        m_bestValue = value;
        m_found = true;
    }
    void visit(std::size_t d, double cost, double value) {
        if (m_aborted) return;
        if (static_cast<double>(m_work) > m_workLimit) {
            m_aborted = true;
            return;
        }
        ++m_work;
        constexpr double eps = 1e-9;
        if (m_maximise) {
            if (d == m_items.size()) {
                if (value > m_bestValue + eps || (value >= m_bestValue - eps && cost < m_bestCost - eps))
                    record(cost, value);
                return;
            }
            if (value + upperBound(d, m_budget - cost) <= m_bestValue + eps) return;
        } else {
            if (value >= m_need) {
                if (cost < m_bestCost - eps) record(cost, value);
                return;  // more costs more
            }
            if (d == m_items.size()) return;
            if (cost + lowerBound(d, m_need - value) >= m_bestCost - eps) return;
        }
        for (int k : m_items[d].options) {
            const auto u = static_cast<std::size_t>(k);
            if (cost + m_cost[u] > m_budget) continue;
            m_choice[d] = k;
            visit(d + 1, cost + m_cost[u], value + m_value[u]);
        }
        m_choice[d] = -1;
        visit(d + 1, cost, value);
    }

    const std::vector<double>& m_cost;
    const std::vector<double>& m_value;
    double m_budget, m_need;
    bool m_maximise;
    double m_workLimit;
    std::vector<Item> m_items;
    std::vector<Step> m_steps;
    std::vector<int> m_choice, m_best;
    double m_bestCost = kInf, m_bestValue = 0.0;
    std::size_t m_work = 0;
    bool m_found = false, m_aborted = false;
};

// Investment and benefit of a choice.
std::pair<double, double> totals(const std::vector<int>& choice, const std::vector<double>& cost,
                                 const std::vector<double>& value) {
    double c = 0.0, v = 0.0;
    for (int k : choice) {
        if (k < 0) continue;
        c += cost[static_cast<std::size_t>(k)];
        v += value[static_cast<std::size_t>(k)];
    }
    return {c, v};
}

// Where a choice reaches need: drops or downgrades the options, least benefit per KRW first, to the
// cheapest of the building's options that keeps need met.
void prune(std::vector<int>& choice, const std::map<std::uint32_t, std::vector<int>>& eligible,
           const std::vector<double>& cost, const std::vector<double>& value, double need) {
    auto [spent, gained] = totals(choice, cost, value);
    if (gained < need) return;
    std::vector<std::uint32_t> chosen;
    for (const auto& [b, list] : eligible) {
        if (choice[b] >= 0) chosen.push_back(b);
    }
    const auto efficiency = [&](std::uint32_t b) {
        const auto k = static_cast<std::size_t>(choice[b]);
        return value[k] / cost[k];
    };
    std::sort(chosen.begin(), chosen.end(), [&](std::uint32_t x, std::uint32_t y) { return efficiency(x) < efficiency(y); });
    for (std::uint32_t b : chosen) {
        const auto k = static_cast<std::size_t>(choice[b]);
        int best = choice[b];
        double bestCost = cost[k];
        if (gained - value[k] >= need) {
            best = -1;
            bestCost = 0.0;
        }
        for (int alternative : eligible.at(b)) {
            const auto a = static_cast<std::size_t>(alternative);
            if (cost[a] < bestCost && gained - value[k] + value[a] >= need) {
                best = alternative;
                bestCost = cost[a];
            }
        }
        if (best == choice[b]) continue;
        gained += (best < 0 ? 0.0 : value[static_cast<std::size_t>(best)]) - value[k];
        choice[b] = best;
    }
}

// The best choice for budget and need (see BranchAndBound), greedy then branch and bound.
std::vector<int> solve(std::map<std::uint32_t, std::vector<int>> eligible, std::size_t rows,
                       const std::vector<double>& cost, const std::vector<double>& value, double budget, double need,
                       double workLimit, bool& exact) {
    const std::vector<HullStep> steps = hullSteps(eligible, cost, value);
    std::vector<int> choice = greedyPlan(steps, rows, budget, need);
    if (!std::isinf(need) && totals(choice, cost, value).second >= need) {
        // A target: the greedy that stops at the target may overshoot with its last, big step; the
        // greedy under the least budget with which it still reaches the target (bisection) skips
        // such steps. The cheaper of the two, pruned.
        double low = 0.0, high = totals(choice, cost, value).first;
        for (int i = 0; i < 48 && high - low > 1e-9 * high; ++i) {
            const double middle = 0.5 * (low + high);
            std::vector<int> candidate = greedyPlan(steps, rows, middle, need);
            const auto [c, v] = totals(candidate, cost, value);
            if (v >= need) {
                high = middle;
                if (c < totals(choice, cost, value).first) choice = std::move(candidate);
            } else {
                low = middle;
            }
        }
        prune(choice, eligible, cost, value, need);
    }
    exact = eligible.empty();
    if (workLimit <= 0.0 || eligible.empty() || eligible.size() > 20000) return choice;
    auto [c, v] = totals(choice, cost, value);
    const bool maximise = std::isinf(need);
    if (!maximise && v < need) c = kInf;  // the greedy missed: no incumbent
    BranchAndBound search(eligible, steps, cost, value, budget, need, workLimit);
    exact = search.run(choice, c, v);
    return choice;
}
}  // namespace

Plan planRetrofits(const std::vector<BuildingOption>& options, std::size_t rows, const PlanRequest& request) {
    Plan plan;
    plan.optionOfBuilding.assign(rows, -1);
    const double budget = request.budgetKrw;
    const double share = request.selfSufficiencyTarget;
    const bool selfSufficiency = request.target == PlanTarget::SelfSufficiency;
    const bool target = (request.target == PlanTarget::Co2 && request.co2TargetT > 0.0) || (selfSufficiency && share > 0.0);

    // Benefit of each option: CO2, or for self-sufficiency the gap it closes — the target is
    // PV ≥ share × demand, i.e. Σ (PV + share × demand reduction) ≥ share × demand₀ − PV₀.
    std::vector<double> cost(options.size()), co2(options.size()), benefit(options.size());
    for (std::size_t k = 0; k < options.size(); ++k) {
        const BuildingOption& o = options[k];
        cost[k] = o.investmentKrw;
        co2[k] = o.co2SavingT;
        benefit[k] = selfSufficiency ? (o.pvKWh + share * o.demandReductionKWh()) / 1000.0 : o.co2SavingT;
    }
    const std::vector<double>& value = target ? benefit : co2;
    double need = kInf;
    if (target) {
        need = selfSufficiency ? (share * request.demandKWh - request.pvKWh) / 1000.0 : request.co2TargetT;
    }

    // Eligible options per building: they cost something and help.
    std::map<std::uint32_t, std::vector<int>> eligible, anyCost;
    for (std::size_t k = 0; k < options.size(); ++k) {
        const BuildingOption& o = options[k];
        if (!(cost[k] > 0.0) || !(value[k] > 0.0) || o.building >= rows) continue;
        anyCost[o.building].push_back(static_cast<int>(k));
        if (cost[k] <= budget) eligible[o.building].push_back(static_cast<int>(k));
    }

    if (!target) {
        plan.optionOfBuilding = solve(eligible, rows, cost, value, budget, kInf, request.exactWorkLimit, plan.exact);
    } else if (need <= 0.0) {
        plan.targetReachable = true;  // met already: nothing to do
        plan.exact = true;
    } else {
        double reach = 0.0;
        for (const auto& [b, list] : anyCost) {
            double m = 0.0;
            for (int k : list) m = std::max(m, value[static_cast<std::size_t>(k)]);
            reach += m;
        }
        plan.targetReachable = reach >= need * (1.0 - 1e-12);
        plan.targetCostKrw = kInf;
        bool exact = false, covered = false;
        if (plan.targetReachable) {
            // The least investment reaching the target, budget aside (what the target costs).
            std::vector<int> cover = solve(anyCost, rows, cost, value, kInf, need, request.exactWorkLimit, exact);
            const auto [c, v] = totals(cover, cost, value);
            if (v >= need * (1.0 - 1e-12)) plan.targetCostKrw = c;
            if (std::isfinite(plan.targetCostKrw) && c <= budget) {
                plan.optionOfBuilding = std::move(cover);
                plan.exact = exact;
                covered = true;
            }
        }
        if (!covered) {
            // Out of reach within the budget: the most progress the budget buys.
            plan.optionOfBuilding = solve(eligible, rows, cost, value, budget, kInf, request.exactWorkLimit, plan.exact);
        }
    }
    double gained = 0.0;
    for (std::size_t b = 0; b < rows; ++b) {
        const int k = plan.optionOfBuilding[b];
        if (k < 0) continue;
        const BuildingOption& o = options[static_cast<std::size_t>(k)];
        plan.investmentKrw += o.investmentKrw;
        plan.co2SavingT += o.co2SavingT;
        plan.energySavingKWh += o.energySavingKWh();
        plan.costSavingKrw += o.costSavingKrw;
        plan.electricitySavingKWh += o.electricitySavingKWh;
        plan.pvKWh += o.pvKWh;
        gained += value[static_cast<std::size_t>(k)];
        ++plan.buildings;
    }
    plan.targetMet = target && gained >= need * (1.0 - 1e-12);
    if (target && need <= 0.0) plan.targetMet = true;
    if (request.demandKWh > 0.0) {
        plan.selfSufficiencyBefore = request.pvKWh / request.demandKWh;
        const double demandAfter = request.demandKWh - (plan.electricitySavingKWh - plan.pvKWh);
        plan.selfSufficiencyAfter = demandAfter > 0.0 ? (request.pvKWh + plan.pvKWh) / demandAfter : 1.0;
    }
    return plan;
}

Plan planRetrofits(const std::vector<BuildingOption>& options, std::size_t rows, double budgetKrw, double co2TargetT,
                   double exactWorkLimit) {
    PlanRequest request;
    request.budgetKrw = budgetKrw;
    request.target = co2TargetT > 0.0 ? PlanTarget::Co2 : PlanTarget::None;
    request.co2TargetT = co2TargetT;
    request.exactWorkLimit = exactWorkLimit;
    return planRetrofits(options, rows, request);
}

}  // namespace ut::retrofit
