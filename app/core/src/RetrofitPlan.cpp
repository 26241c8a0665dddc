#include "ut/app/RetrofitPlan.h"

#include <QCoreApplication>
#include <QFile>
#include <QFontMetrics>
#include <QPainter>
#include <QTextStream>
#include <algorithm>
#include <cmath>
#include <map>

namespace ut::app {

namespace {
double valueOf(const sim::Field* field, std::size_t i) {
    return field && i < field->values.size() ? field->values[i] : std::nan("");
}

QString csvNumber(double v, int decimals) {
    return std::isfinite(v) ? QString::number(v, 'f', decimals) : QString();
}

QString csvText(const QString& text) {
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}
}  // namespace

bool hasRetrofitPlan(const sim::ResultSet& results) {
    const sim::Field* plan = results.field("retrofit.plan");
    return plan && !plan->categories.empty() && plan->time.isStatic();
}

std::vector<RetrofitPlanRow> retrofitPlan(const sim::ResultSet& results, const BuildingTable& buildings) {
    std::vector<RetrofitPlanRow> rows;
    if (!hasRetrofitPlan(results)) return rows;
    const sim::Field* plan = results.field("retrofit.plan");
    const sim::Field* cost = results.field("retrofit.plan_cost_mkrw");
    const sim::Field* co2 = results.field("retrofit.plan_co2_saving_t");
    const sim::Field* mac = results.field("retrofit.plan_abatement_kkrw_per_t");
    const sim::Field* payback = results.field("retrofit.plan_payback_years");
    const sim::Field* saving = results.field("retrofit.plan_saving_mwh");
    const std::size_t none = plan->categories.size() - 1;  // the last category is "none"
    for (std::size_t i = 0; i < plan->entityCount && i < buildings.size(); ++i) {
        const double v = plan->values[i];
        if (!std::isfinite(v) || v < 0.0 || static_cast<std::size_t>(v) >= none) continue;
        RetrofitPlanRow r;
        r.row = i;
        r.building = QString::fromStdString(buildings.id(i));
        r.option = QString::fromStdString(plan->categories[static_cast<std::size_t>(v)]);
        r.investmentMkrw = valueOf(cost, i);
        r.co2T = valueOf(co2, i);
        r.macKkrwPerT = valueOf(mac, i);
        r.paybackYears = valueOf(payback, i);
        r.savingMwh = valueOf(saving, i);
        rows.push_back(r);
    }
    std::stable_sort(rows.begin(), rows.end(), [](const RetrofitPlanRow& a, const RetrofitPlanRow& b) {
        return a.macKkrwPerT < b.macKkrwPerT;
    });
    return rows;
}

Status writeRetrofitPlanCsv(const std::vector<RetrofitPlanRow>& plan, const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return Error{(path + QStringLiteral(": cannot write")).toStdString()};
    QTextStream out(&file);
    out << "building_id,package,investment_mkrw,co2_reduction_t,mac_krw_per_t,payback_years,energy_saving_mwh,"
           "cumulative_co2_reduction_t\n";
    double cumulative = 0.0;
    for (const RetrofitPlanRow& r : plan) {
        cumulative += std::isfinite(r.co2T) ? r.co2T : 0.0;
        out << csvText(r.building) << ',' << csvText(r.option) << ',' << csvNumber(r.investmentMkrw, 4) << ','
            << csvNumber(r.co2T, 4) << ',' << csvNumber(r.macKkrwPerT * 1000.0, 0) << ','
            << csvNumber(r.paybackYears, 2) << ',' << csvNumber(r.savingMwh, 4) << ',' << csvNumber(cumulative, 4)
            << '\n';
    }
    out.flush();
    if (file.error() != QFileDevice::NoError) return Error{(path + QStringLiteral(": cannot write")).toStdString()};
    return {};
}

QImage paintMacCurve(const std::vector<RetrofitPlanRow>& plan, QSize size) {
    QImage image(size, QImage::Format_ARGB32);
    image.fill(Qt::white);
    if (plan.empty()) return image;
    double total = 0.0, low = 0.0, high = 0.0;
    for (const RetrofitPlanRow& r : plan) {
        if (!std::isfinite(r.co2T) || !std::isfinite(r.macKkrwPerT)) continue;
        total += r.co2T;
        low = std::min(low, r.macKkrwPerT);
        high = std::max(high, r.macKkrwPerT);
    }
    if (!(total > 0.0)) return image;
    if (high - low <= 0.0) high = low + 1.0;
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    QFont font = painter.font();
    font.setPixelSize(std::max(10, size.height() / 32));
    painter.setFont(font);
    const int left = size.width() / 8, right = size.width() / 16, top = size.height() / 12, bottom = size.height() / 8;
    const QRectF area(left, top, size.width() - left - right, size.height() - top - bottom);
    const auto xOf = [&](double t) { return area.left() + area.width() * t / total; };
    const auto yOf = [&](double m) { return area.bottom() - area.height() * (m - low) / (high - low); };
    static const QColor palette[] = {QColor(0x1d, 0x35, 0x57), QColor(0xe6, 0x39, 0x46), QColor(0x2a, 0x9d, 0x8f),
                                     QColor(0xf4, 0xa2, 0x61), QColor(0x45, 0x7b, 0x9d), QColor(0x8a, 0x5a, 0x83),
                                     QColor(0x6a, 0x99, 0x4e), QColor(0xb5, 0x83, 0x8d)};
    std::map<QString, QColor> colours;
    double x = 0.0;
    painter.setPen(QPen(Qt::white, 1));
    for (const RetrofitPlanRow& r : plan) {
        if (!std::isfinite(r.co2T) || !std::isfinite(r.macKkrwPerT)) continue;
        auto [it, added] = colours.emplace(r.option, palette[colours.size() % std::size(palette)]);
        const QRectF bar(QPointF(xOf(x), yOf(std::max(r.macKkrwPerT, 0.0))),
                         QPointF(xOf(x + r.co2T), yOf(std::min(r.macKkrwPerT, 0.0))));
        painter.setBrush(it->second);
        painter.drawRect(bar.normalized());
        x += r.co2T;
    }
    // Axes with five ticks each.
    painter.setPen(QPen(Qt::black, 1));
    painter.setBrush(Qt::NoBrush);
    painter.drawLine(QPointF(area.left(), yOf(0.0)), QPointF(area.right(), yOf(0.0)));
    painter.drawLine(area.bottomLeft(), area.topLeft());
    painter.drawLine(area.bottomLeft(), area.bottomRight());
    const QFontMetrics metrics(font);
    for (int t = 0; t <= 4; ++t) {
        const double m = low + (high - low) * t / 4.0;
        const double y = yOf(m);
        painter.drawLine(QPointF(area.left() - 4, y), QPointF(area.left(), y));
        painter.drawText(QRectF(0, y - metrics.height(), area.left() - 8, 2 * metrics.height()),
                         Qt::AlignRight | Qt::AlignVCenter, QString::number(m, 'f', 0));
        const double c = total * t / 4.0;
        const double xt = xOf(c);
        painter.drawLine(QPointF(xt, area.bottom()), QPointF(xt, area.bottom() + 4));
        painter.drawText(QRectF(xt - 60, area.bottom() + 6, 120, metrics.height() + 2), Qt::AlignHCenter | Qt::AlignTop,
                         QString::number(c, 'f', 0));
    }
    painter.drawText(QRectF(0, area.bottom() + 8 + metrics.height(), size.width(), bottom - metrics.height() - 8),
                     Qt::AlignHCenter | Qt::AlignTop,
                     QCoreApplication::translate("RetrofitPlan", "Cumulative CO2 reduction (t/yr)"));
    painter.drawText(QRectF(4, 0, size.width() / 2.0, top), Qt::AlignLeft | Qt::AlignVCenter,
                     QCoreApplication::translate("RetrofitPlan", "MAC (thousand KRW/tCO2)"));
    // Legend: the packages, in the band above the plot, right-aligned.
    double lx = area.right();
    for (auto it = colours.rbegin(); it != colours.rend(); ++it) {
        const double w = metrics.horizontalAdvance(it->first) + 30.0;
        lx -= w;
        painter.fillRect(QRectF(lx, top / 2.0 - 7, 14, 14), it->second);
        painter.drawText(QPointF(lx + 20, top / 2.0 + metrics.ascent() / 2.0 - 1), it->first);
    }
    return image;
}

}  // namespace ut::app
