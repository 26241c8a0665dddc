#include "SensorPanel.h"

#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSlider>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "SensorChart.h"
#include "ut/app/ModelComparison.h"
#include "ut/sensors/FeedCounters.h"
#include "ut/sensors/ObservationStore.h"

namespace ut::app {

namespace {

constexpr int kSliderSteps = 1000;
constexpr int kReplayTickMs = 100;
constexpr qint64 kRangeRefreshMs = 3000;
// Seconds of data the replay shows per second, for each entry of the speed box.
constexpr double kReplaySpeeds[] = {60.0, 3600.0, 6.0 * 3600.0, 86400.0};

QString ageText(sensors::TimeMs age) {
    const qint64 minutes = age / 60000;
    if (minutes < 1) return SensorPanel::tr("just now");
    if (minutes < 120) return SensorPanel::tr("%n min ago", nullptr, static_cast<int>(minutes));
    if (minutes < 48 * 60) return SensorPanel::tr("%n h ago", nullptr, static_cast<int>(minutes / 60));
    return SensorPanel::tr("%n days ago", nullptr, static_cast<int>(minutes / 1440));
}

QString problemLabel(sensors::FeedProblem problem) {
    switch (problem) {
        case sensors::FeedProblem::MalformedPayload: return SensorPanel::tr("malformed");
        case sensors::FeedProblem::UnknownDatastream: return SensorPanel::tr("unknown datastream");
        case sensors::FeedProblem::WrongUnit: return SensorPanel::tr("wrong unit");
        case sensors::FeedProblem::ClockSkew: return SensorPanel::tr("clock-skewed");
        case sensors::FeedProblem::Duplicate: return SensorPanel::tr("duplicates dropped");
        case sensors::FeedProblem::ConnectionLost: return SensorPanel::tr("connection losses");
        case sensors::FeedProblem::Count: break;
    }
    return {};
}

QString timeText(sensors::TimeMs time) {
    return QDateTime::fromMSecsSinceEpoch(time).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

}  // namespace

SensorPanel::SensorPanel(QWidget* parent)
    : QDockWidget(parent),
      m_propertyLabel(new QLabel(this)),
      m_property(new QComboBox(this)),
      m_list(new QTreeWidget(this)),
      m_play(new QToolButton(this)),
      m_liveButton(new QToolButton(this)),
      m_slider(new QSlider(Qt::Horizontal, this)),
      m_speed(new QComboBox(this)),
      m_timeLabel(new QLabel(this)),
      m_chart(new SensorChart(this)),
      m_comparison(new QLabel(this)),
      m_feedStatus(new QLabel(this)),
      m_poll(new QTimer(this)),
      m_replay(new QTimer(this)) {
    setObjectName(QStringLiteral("sensorPanel"));
    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    auto* propertyRow = new QHBoxLayout;
    propertyRow->addWidget(m_propertyLabel);
    propertyRow->addWidget(m_property, 1);
    layout->addLayout(propertyRow);
    m_list->setColumnCount(3);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_list->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    layout->addWidget(m_list, 2);
    auto* timeRow = new QHBoxLayout;
    m_play->setCheckable(true);
    m_play->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_liveButton->setCheckable(true);
    m_liveButton->setChecked(true);
    m_slider->setRange(0, kSliderSteps);
    timeRow->addWidget(m_play);
    timeRow->addWidget(m_slider, 1);
    timeRow->addWidget(m_speed);
    timeRow->addWidget(m_liveButton);
    layout->addLayout(timeRow);
    layout->addWidget(m_timeLabel);
    layout->addWidget(m_chart, 3);
    m_comparison->setWordWrap(true);
    m_comparison->hide();
    layout->addWidget(m_comparison);
    m_feedStatus->setWordWrap(true);
    m_feedStatus->setTextFormat(Qt::PlainText);
    layout->addWidget(m_feedStatus);
    setWidget(content);

    connect(m_property, &QComboBox::currentIndexChanged, this, [this] {
        m_range = m_session ? m_session->valueRange(property()) : std::nullopt;
        updateTimeControls();
        updateReadings();
        updateChart();
    });
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (!item) return;
        const auto index = static_cast<std::size_t>(m_list->indexOfTopLevelItem(item));
        if (m_picked == index) return;
        m_picked = index;
        updateChart();
        emit sensorPicked(index);
    });
    connect(m_list, &QTreeWidget::itemDoubleClicked, this,
            [this](QTreeWidgetItem* item) { emit sensorActivated(static_cast<std::size_t>(m_list->indexOfTopLevelItem(item))); });
    connect(m_liveButton, &QToolButton::toggled, this, [this](bool live) {
        setShownTime(live ? std::nullopt : std::optional(m_session ? m_session->clock() : 0));
    });
    connect(m_slider, &QSlider::sliderMoved, this, [this](int position) {
        const auto range = m_session ? m_session->timeRange(property()) : std::nullopt;
        if (!range) return;
        const double fraction = static_cast<double>(position) / kSliderSteps;
        setShownTime(range->first + static_cast<sensors::TimeMs>(fraction * static_cast<double>(range->second - range->first)));
    });
    connect(m_play, &QToolButton::toggled, this, &SensorPanel::setPlaying);
    connect(m_poll, &QTimer::timeout, this, &SensorPanel::refresh);
    connect(m_replay, &QTimer::timeout, this, &SensorPanel::advanceReplay);
    m_poll->start(250);
    retranslate();
    m_speed->setCurrentIndex(2);
}

void SensorPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QDockWidget::changeEvent(event);
}

void SensorPanel::retranslate() {
    setWindowTitle(tr("Sensors"));
    m_propertyLabel->setText(tr("Pins show:"));
    m_list->setHeaderLabels({tr("Sensor"), tr("Value"), tr("Observed")});
    m_liveButton->setText(tr("Live"));
    m_liveButton->setToolTip(tr("Follow the newest observations"));
    m_play->setToolTip(tr("Replay the stored history"));
    const int speed = std::max(0, m_speed->currentIndex());
    m_speed->clear();
    m_speed->addItems({tr("1 min/s"), tr("1 h/s"), tr("6 h/s"), tr("1 day/s")});
    m_speed->setCurrentIndex(speed);
    m_speed->setToolTip(tr("Replay speed: data time per second"));
    updateList();
    updateTimeControls();
    updateFeedStatus();
}

void SensorPanel::setSession(SensorSession* session, const QString& colourBy) {
    setPlaying(false);
    m_session = session;
    m_picked.reset();
    m_seenRevision = 0;
    m_live = true;
    {
        QSignalBlocker block(m_liveButton);
        m_liveButton->setChecked(true);
    }
    fillProperties(colourBy);
    refresh();
    if (session && !session->placedThings().empty()) pickSensor(0);
    setVisible(session && !session->catalog().isEmpty() ? true : isVisible());
}

void SensorPanel::fillProperties(const QString& preferred) {
    QSignalBlocker block(m_property);
    const QString current = preferred.isEmpty() ? m_property->currentText() : preferred;
    m_property->clear();
    if (m_session) m_property->addItems(m_session->observedProperties());
    const int index = m_property->findText(current);
    m_property->setCurrentIndex(index >= 0 ? index : 0);
    m_range = m_session ? m_session->valueRange(property()) : std::nullopt;
}

QString SensorPanel::property() const { return m_property->currentText(); }

QString SensorPanel::unit() const {
    if (!m_session) return {};
    for (const sensors::Thing* thing : m_session->placedThings()) {
        if (const sensors::Datastream* datastream = m_session->datastreamOf(thing->id, property())) return datastream->unit.symbol;
    }
    return {};
}

void SensorPanel::refresh() {
    if (!m_session) {
        // Cleared once when the session goes; polls after that change nothing (and repaint nothing:
        // every repaint recomposes the 3D view, which a software renderer pays for).
        if (m_readings.empty() && m_list->topLevelItemCount() == 0 && m_feedStatus->text().isEmpty()) return;
        m_readings.clear();
        updateList();
        updateFeedStatus();
        emit pinsChanged();
        return;
    }
    if (m_session->refreshCatalog()) {
        fillProperties(property());
        emit catalogChanged();
    }
    const std::uint64_t revision = m_session->revision();
    const bool changed = revision != m_seenRevision;
    m_seenRevision = revision;
    updateFeedStatus();
    if (changed) {
        // The colour range and the chart read whole histories: while data stream in, once every few
        // seconds is enough.
        if (!m_rangeAge.isValid() || m_rangeAge.elapsed() > kRangeRefreshMs) {
            m_range = m_session->valueRange(property());
            m_rangeAge.start();
            if (m_picked) updateChart();
        }
        updateTimeControls();
    }
    // Live pins age even without new data: re-read each poll.
    if (changed || m_live) updateReadings(true);
}

void SensorPanel::setShownTime(std::optional<sensors::TimeMs> time) {
    m_live = !time.has_value();
    if (time) m_time = *time;
    {
        QSignalBlocker block(m_liveButton);
        m_liveButton->setChecked(m_live);
    }
    if (m_live) setPlaying(false);
    updateTimeControls();
    updateReadings();
}

void SensorPanel::setPlaying(bool playing) {
    if (playing && m_session) {
        const auto range = m_session->timeRange(property());
        if (!range) playing = false;
        else if (m_live || m_time >= range->second) setShownTime(range->first);
    }
    if (playing) {
        m_replay->start(kReplayTickMs);
    } else {
        m_replay->stop();
    }
    QSignalBlocker block(m_play);
    m_play->setChecked(playing);
    m_play->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

bool SensorPanel::isPlaying() const { return m_replay->isActive(); }

void SensorPanel::advanceReplay() {
    const auto range = m_session ? m_session->timeRange(property()) : std::nullopt;
    if (!range) {
        setPlaying(false);
        return;
    }
    const double speed = kReplaySpeeds[std::clamp(m_speed->currentIndex(), 0, 3)];
    sensors::TimeMs next = m_time + static_cast<sensors::TimeMs>(speed * kReplayTickMs);
    if (next > range->second) next = range->first;  // loops, as a demo wall would
    setShownTime(next);
}

void SensorPanel::updateTimeControls() {
    const auto range = m_session ? m_session->timeRange(property()) : std::nullopt;
    m_slider->setEnabled(range.has_value());
    m_play->setEnabled(range.has_value());
    if (!range) {
        m_timeLabel->setText(m_session ? tr("No observations yet") : QString());
        return;
    }
    const sensors::TimeMs shown = m_live ? m_session->clock() : m_time;
    const double span = static_cast<double>(std::max<sensors::TimeMs>(1, range->second - range->first));
    QSignalBlocker block(m_slider);
    m_slider->setValue(static_cast<int>(std::lround(kSliderSteps * static_cast<double>(shown - range->first) / span)));
    m_timeLabel->setText(m_live ? tr("Live — newest data %1").arg(timeText(shown)) : tr("Replay — %1").arg(timeText(shown)));
}

void SensorPanel::updateReadings(bool poll) {
    std::vector<SensorReading> readings =
        m_session ? m_session->readings(property(), shownTime()) : std::vector<SensorReading>{};
    const auto same = [](const SensorReading& a, const SensorReading& b) {
        return a.hasValue == b.hasValue && a.stale == b.stale && a.time == b.time &&
               (a.value == b.value || (std::isnan(a.value) && std::isnan(b.value)));
    };
    // A live poll that finds the pins as they were repaints nothing (the 3D view included) — but the
    // list's "observed … ago" tooltips are refreshed every kRangeRefreshMs all the same.
    if (poll && readings.size() == m_readings.size() &&
        m_list->topLevelItemCount() == static_cast<int>(readings.size()) &&
        std::equal(readings.begin(), readings.end(), m_readings.begin(), same) && m_readingsAge.isValid() &&
        m_readingsAge.elapsed() < kRangeRefreshMs)
        return;
    m_readingsAge.start();
    m_readings = std::move(readings);
    updateList();
    emit pinsChanged();
}

QString SensorPanel::describe(std::size_t index) const {
    if (!m_session || index >= m_session->placedThings().size()) return {};
    const sensors::Thing& thing = *m_session->placedThings()[index];
    if (index >= m_readings.size() || !m_readings[index].hasValue) return tr("%1: no %2 observation yet").arg(thing.name, property());
    const SensorReading& reading = m_readings[index];
    const sensors::TimeMs now = m_live ? m_session->clock() : m_time;
    return tr("%1: %2 %3 %4 (%5)%6")
        .arg(thing.name, property(), QLocale().toString(reading.value, 'g', 4), unit(), ageText(now - reading.time),
             reading.stale ? tr(" — stale") : QString());
}

void SensorPanel::updateList() {
    if (!m_session) {
        m_list->clear();
        return;
    }
    const auto& things = m_session->placedThings();
    while (m_list->topLevelItemCount() > static_cast<int>(things.size())) delete m_list->takeTopLevelItem(m_list->topLevelItemCount() - 1);
    while (m_list->topLevelItemCount() < static_cast<int>(things.size())) m_list->addTopLevelItem(new QTreeWidgetItem);
    const QString unitSymbol = unit();
    const QLocale locale;
    const QColor staleColour = palette().color(QPalette::Disabled, QPalette::Text);
    for (std::size_t i = 0; i < things.size(); ++i) {
        QTreeWidgetItem* item = m_list->topLevelItem(static_cast<int>(i));
        const SensorReading reading = i < m_readings.size() ? m_readings[i] : SensorReading{};
        item->setText(0, things[i]->name);
        item->setText(1, reading.hasValue ? QStringLiteral("%1 %2").arg(locale.toString(reading.value, 'g', 4), unitSymbol) : QStringLiteral("—"));
        item->setText(2, reading.hasValue ? timeText(reading.time) : QString());
        for (int column = 0; column < 3; ++column) item->setForeground(column, reading.stale ? staleColour : palette().color(QPalette::Text));
        item->setToolTip(0, describe(i));
    }
}

void SensorPanel::pickSensor(std::optional<std::size_t> index) {
    if (!index || !m_session || *index >= m_session->placedThings().size()) {
        m_picked.reset();
        m_list->clearSelection();
        m_chart->clearPlot();
        return;
    }
    m_picked = index;
    QSignalBlocker block(m_list);
    m_list->setCurrentItem(m_list->topLevelItem(static_cast<int>(*index)));
    updateChart();
}

void SensorPanel::updateChart() {
    if (!m_session || !m_picked || *m_picked >= m_session->placedThings().size()) {
        m_chart->clearPlot();
        m_comparison->hide();
        return;
    }
    const sensors::Thing& thing = *m_session->placedThings()[*m_picked];
    const sensors::Datastream* datastream = m_session->datastreamOf(thing.id, property());
    if (!datastream) {
        m_chart->clearPlot();
        return;
    }
    const auto history = m_session->store().history(datastream->id, std::numeric_limits<sensors::TimeMs>::min(),
                                                    std::numeric_limits<sensors::TimeMs>::max());
    std::optional<ModelComparison> comparison;
    if (m_results && m_city && !thing.entity.isEmpty()) {
        if (const auto entity = resolveEntity(thing.entity, *m_city))
            comparison = compareWithModel(m_session->measuredSeries(*datastream, entity->first, entity->second), *m_results);
    }
    std::vector<std::pair<sensors::TimeMs, double>> modelled;
    if (comparison) {
        // Only the span the sensor covers, so that a year of model steps does not squash the measurements.
        const sensors::TimeMs from = history.empty() ? 0 : history.front().phenomenonTime;
        const sensors::TimeMs to = history.empty() ? 0 : history.back().phenomenonTime;
        for (const sim::TimedValue& step : comparison->modelled)
            if (step.timeMs >= from && step.timeMs <= to) modelled.emplace_back(step.timeMs, step.value);
    }
    m_chart->plot(QStringLiteral("%1 — %2").arg(thing.name, property()), datastream->unit.symbol, history, modelled);
    m_comparison->setVisible(comparison.has_value());
    m_comparison->setText(comparison ? tr("Measured vs %1: %2").arg(comparison->field, comparison->summary()) : QString());
}

void SensorPanel::setModelResults(const sim::ResultSet* results, const CityModel* city) {
    m_results = results;
    m_city = city;
    updateChart();
}

QString SensorPanel::comparisonText() const { return m_comparison->isVisible() ? m_comparison->text() : QString(); }

void SensorPanel::updateFeedStatus() {
    if (!m_session) {
        m_feedStatus->clear();
        return;
    }
    QStringList lines;
    const QLocale locale;
    for (const SensorFeedStatus& feed : m_session->feeds()) {
        if (!feed.error.isEmpty()) {
            lines << tr("%1: not running — %2").arg(feed.name, feed.error);
            continue;
        }
        QString line = tr("%1: %2 received, %3 stored").arg(feed.name, locale.toString(qulonglong(feed.counters->received())),
                                                          locale.toString(qulonglong(feed.counters->accepted())));
        for (int p = 0; p < static_cast<int>(sensors::FeedProblem::Count); ++p) {
            const auto problem = static_cast<sensors::FeedProblem>(p);
            if (const auto n = feed.counters->count(problem)) {
                line += QStringLiteral(", %1 %2").arg(locale.toString(qulonglong(n)), problemLabel(problem));
            }
        }
        lines << line;
    }
    m_feedStatus->setText(lines.join(QLatin1Char('\n')));
}

}  // namespace ut::app
