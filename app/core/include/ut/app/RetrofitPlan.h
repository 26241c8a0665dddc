#pragma once

#include <QImage>
#include <QSize>
#include <QString>
#include <vector>

#include "ut/geodata/BuildingTable.h"
#include "ut/geodata/Result.h"
#include "ut/sim/ResultSet.h"

namespace ut::app {

// One building of a retrofit plan (plugins/retrofit, docs/retrofit-measures.md), read from the run's
// fields retrofit.plan (the option chosen, categorical), plan_cost_mkrw, plan_co2_saving_t,
// plan_abatement_kkrw_per_t, plan_payback_years and plan_saving_mwh.
struct RetrofitPlanRow {
    std::size_t row = 0;  // building row in the city
    QString building;     // its id
    QString option;       // measure or package id
    double investmentMkrw = 0.0;
    double co2T = 0.0;             // tCO2 a year
    double macKkrwPerT = 0.0;      // marginal abatement cost, thousand KRW per tCO2 (negative: pays)
    double paybackYears = 0.0;     // NaN: never
    double savingMwh = 0.0;        // final energy a year
};

// Whether the results hold a retrofit plan.
bool hasRetrofitPlan(const sim::ResultSet& results);

// The buildings the plan retrofits, along the marginal abatement cost curve: cheapest tonne first.
std::vector<RetrofitPlanRow> retrofitPlan(const sim::ResultSet& results, const BuildingTable& buildings);

// The plan as CSV: building_id, package, investment_mkrw, co2_reduction_t, mac_krw_per_t,
// payback_years, energy_saving_mwh, cumulative_co2_reduction_t (a row per building, MAC order).
Status writeRetrofitPlanCsv(const std::vector<RetrofitPlanRow>& plan, const QString& path);

// The MAC curve as a picture for reports: a bar per building, as wide as its tCO2 a year, as high as
// its abatement cost, in MAC order, coloured by package.
QImage paintMacCurve(const std::vector<RetrofitPlanRow>& plan, QSize size);

}  // namespace ut::app
