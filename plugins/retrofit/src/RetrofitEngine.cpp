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

Plan planRetrofits(const std::vector<BuildingOption>& options, std::size_t rows, double budgetKrw,
                   double co2TargetT, std::size_t exactLimit) {
    Plan plan;
    plan.optionOfBuilding.assign(rows, -1);
    // Eligible options per building: they cost something and save CO2.
    std::map<std::uint32_t, std::vector<int>> eligible;
    for (std::size_t k = 0; k < options.size(); ++k) {
        const BuildingOption& o = options[k];
        if (o.investmentKrw > 0.0 && o.co2SavingT > 0.0 && o.investmentKrw <= budgetKrw && o.building < rows)
            eligible[o.building].push_back(static_cast<int>(k));
    }
    const bool target = co2TargetT > 0.0;

    // Exact enumeration where it is small.
    double combos = 1.0;
    for (const auto& [b, list] : eligible) combos *= static_cast<double>(list.size() + 1);
    if (combos <= static_cast<double>(exactLimit)) {
        std::vector<std::pair<std::uint32_t, std::vector<int>>> items(eligible.begin(), eligible.end());
        std::vector<int> choice(items.size(), -1), best(items.size(), -1);
        double bestCost = kInf, bestCo2 = -1.0;
        bool bestFeasible = false;
        const std::function<void(std::size_t, double, double)> visit = [&](std::size_t d, double cost, double co2) {
            if (cost > budgetKrw) return;
            if (d == items.size()) {
                const bool feasible = target && co2 >= co2TargetT;
                bool better;
                if (feasible != bestFeasible) better = feasible;
                else if (feasible) better = cost < bestCost || (cost == bestCost && co2 > bestCo2);
                else better = co2 > bestCo2 || (co2 == bestCo2 && cost < bestCost);
                if (better) {
                    best = choice;
                    bestCost = cost;
                    bestCo2 = co2;
                    bestFeasible = feasible;
                }
                return;
            }
            choice[d] = -1;
            visit(d + 1, cost, co2);
            for (int k : items[d].second) {
                choice[d] = k;
                const BuildingOption& o = options[static_cast<std::size_t>(k)];
                visit(d + 1, cost + o.investmentKrw, co2 + o.co2SavingT);
            }
            choice[d] = -1;
        };
        visit(0, 0.0, 0.0);
        for (std::size_t d = 0; d < items.size(); ++d) plan.optionOfBuilding[items[d].first] = best[d];
        plan.exact = true;
    } else {
        // Greedy along the marginal abatement curve: per building the upper convex hull of
        // (investment, CO2) from (0, 0); its steps, all buildings together, by CO2 per KRW.
        struct Step {
            std::uint32_t building;
            int from, to;
            double cost, co2, slope;
            int order;
        };
        std::vector<Step> steps;
        for (auto& [b, list] : eligible) {
            std::sort(list.begin(), list.end(), [&](int x, int y) {
                const BuildingOption &ox = options[static_cast<std::size_t>(x)],
                                     &oy = options[static_cast<std::size_t>(y)];
                return ox.investmentKrw < oy.investmentKrw ||
                       (ox.investmentKrw == oy.investmentKrw && ox.co2SavingT > oy.co2SavingT);
            });
            std::vector<int> hull;
            const auto point = [&](int k) {
                return k < 0 ? std::pair<double, double>{0.0, 0.0}
                             : std::pair<double, double>{options[static_cast<std::size_t>(k)].investmentKrw,
                                                         options[static_cast<std::size_t>(k)].co2SavingT};
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
        std::sort(steps.begin(), steps.end(), [](const Step& x, const Step& y) {
            return x.slope > y.slope || (x.slope == y.slope && x.order < y.order);
        });
        std::vector<char> blocked(rows, 0);
        double spent = 0.0, saved = 0.0;
        for (const Step& s : steps) {
            if (target && saved >= co2TargetT) break;
            if (blocked[s.building] || plan.optionOfBuilding[s.building] != s.from) continue;
            if (spent + s.cost > budgetKrw) {
                blocked[s.building] = 1;
                continue;
            }
            plan.optionOfBuilding[s.building] = s.to;
            spent += s.cost;
            saved += s.co2;
        }
    }
    for (std::size_t b = 0; b < rows; ++b) {
        const int k = plan.optionOfBuilding[b];
        if (k < 0) continue;
        const BuildingOption& o = options[static_cast<std::size_t>(k)];
        plan.investmentKrw += o.investmentKrw;
        plan.co2SavingT += o.co2SavingT;
        plan.energySavingKWh += o.energySavingKWh();
        plan.costSavingKrw += o.costSavingKrw;
        ++plan.buildings;
    }
    return plan;
}

}  // namespace ut::retrofit
