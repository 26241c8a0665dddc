#include "ut/app/ModelComparison.h"

#include <QCoreApplication>
#include <QLocale>
#include <cmath>

namespace ut::app {

namespace {

bool isTrafficCount(const QString& unit) {
    const QString u = unit.trimmed().toLower();
    return u == QStringLiteral("veh/h") || u == QStringLiteral("vehicles/h") || u == QStringLiteral("pcu/h");
}

QString tr(const char* text) { return QCoreApplication::translate("ut::app::ModelComparison", text); }

}  // namespace

std::optional<std::pair<sim::EntityKind, std::size_t>> resolveEntity(const QString& entity, const CityModel& city) {
    const qsizetype colon = entity.indexOf(QLatin1Char(':'));
    if (colon <= 0) return std::nullopt;
    const QString kind = entity.left(colon).trimmed().toLower();
    const std::string id = entity.mid(colon + 1).trimmed().toStdString();
    if (kind == QStringLiteral("building")) {
        for (std::size_t i = 0; i < city.buildings.size(); ++i)
            if (city.buildings.id(i) == id) return std::pair{sim::EntityKind::Building, i};
    } else if (kind == QStringLiteral("link")) {
        for (std::size_t i = 0; i < city.roads.linkCount(); ++i)
            if (city.roads.link(i).id == id) return std::pair{sim::EntityKind::Link, i};
    }
    return std::nullopt;
}

std::optional<ModelComparison> compareWithModel(const sim::MeasuredSeries& measured, const sim::ResultSet& results) {
    const sim::Field* field = nullptr;
    for (const sim::Field& candidate : results.fields()) {
        if (candidate.kind != measured.entityKind || candidate.time.isStatic() || candidate.entityCount <= measured.entity) continue;
        if (QString::fromStdString(candidate.unit) != measured.unitSymbol) continue;
        field = &candidate;
        break;
    }
    if (!field) return std::nullopt;
    ModelComparison comparison;
    comparison.field = QString::fromStdString(field->name);
    comparison.unit = measured.unitSymbol;
    for (std::size_t t = 0; t < field->time.steps; ++t)
        comparison.modelled.push_back({field->time.timeAt(t).toMSecsSinceEpoch(), field->value(t, measured.entity)});
    std::vector<sim::TimedValue> observations;
    for (std::size_t i = 0; i < measured.timesMs.size(); ++i) observations.push_back({measured.timesMs[i], measured.values[i]});
    // A measurement belongs to the model step that covers it: within half a step of the step's time.
    const std::int64_t tolerance = static_cast<std::int64_t>(field->time.stepSeconds) * 500;
    const sim::PairedValues paired = sim::pairByTime(observations, comparison.modelled, tolerance);
    comparison.paired = paired.measured.size();
    if (comparison.paired == 0) return std::nullopt;
    if (isTrafficCount(measured.unitSymbol)) {
        comparison.geh = sim::gehSummary(paired.measured, paired.simulated);
    } else {
        comparison.calibration = sim::calibrationFit(paired.measured, paired.simulated);
    }
    return comparison;
}

QString ModelComparison::summary() const {
    const QLocale locale;
    if (geh) {
        return tr("GEH < 5 for %1 % of %2 hourly counts (max %3): %4")
            .arg(locale.toString(100.0 * geh->shareBelowFive, 'f', 0))
            .arg(geh->count)
            .arg(locale.toString(geh->maximum, 'f', 1))
            .arg(geh->acceptable ? tr("acceptable (≥ 85 %)") : tr("not acceptable (needs ≥ 85 %)"));
    }
    if (calibration) {
        const auto limits = sim::guideline14Limits(sim::DataInterval::Hourly);
        const bool meets = sim::meetsGuideline14(*calibration, sim::DataInterval::Hourly);
        return tr("CV(RMSE) %1 %, NMBE %2 % over %3 hours: %4 ASHRAE Guideline 14 (hourly %5 %, ±%6 %)")
            .arg(locale.toString(calibration->cvRmsePercent, 'f', 1))
            .arg(locale.toString(calibration->nmbePercent, 'f', 1))
            .arg(calibration->count)
            .arg(meets ? tr("within") : tr("outside"))
            .arg(limits.cvRmsePercent)
            .arg(limits.nmbePercent);
    }
    return tr("%1 measurements fall on model steps, too few for statistics").arg(paired);
}

}  // namespace ut::app
