#include "PresentationTour.h"

#include <QLabel>
#include <QTimer>

#include "ViewportWidget.h"

namespace ut::app {

namespace {
constexpr double kFlightSeconds = 4.0;
constexpr int kHoldMs = 3000;
constexpr int kTitleMs = 5000;
}  // namespace

PresentationTour::PresentationTour(ViewportWidget* viewport)
    : QObject(viewport), m_viewport(viewport), m_titleCard(new QLabel(viewport)), m_hold(new QTimer(this)),
      m_titleTimer(new QTimer(this)) {
    m_titleCard->setAlignment(Qt::AlignCenter);
    m_titleCard->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_titleCard->setStyleSheet(QStringLiteral(
        "QLabel { background: rgba(20, 30, 45, 200); color: white; border-radius: 12px; padding: 24px 40px; }"));
    m_titleCard->hide();
    m_hold->setSingleShot(true);
    m_titleTimer->setSingleShot(true);
    connect(m_hold, &QTimer::timeout, this, &PresentationTour::flyToNext);
    connect(m_titleTimer, &QTimer::timeout, m_titleCard, &QLabel::hide);
    connect(m_viewport, &ViewportWidget::flightFinished, this, [this] {
        if (m_running) m_hold->start(kHoldMs);
    });
}

void PresentationTour::start(const QString& title, const QString& subtitle, std::vector<render::CameraPose> stops) {
    m_stops = std::move(stops);
    m_next = 0;
    m_running = true;
    m_titleCard->setText(QStringLiteral("<div style='font-size:34pt; font-weight:600'>%1</div>"
                                        "<div style='font-size:15pt; margin-top:8px'>%2</div>")
                             .arg(title.toHtmlEscaped(), subtitle.toHtmlEscaped()));
    m_titleCard->adjustSize();
    m_titleCard->move((m_viewport->width() - m_titleCard->width()) / 2, m_viewport->height() / 6);
    m_titleCard->show();
    m_titleCard->raise();
    m_titleTimer->start(kTitleMs);
    m_hold->start(kHoldMs / 2);
}

void PresentationTour::stop() {
    m_running = false;
    m_hold->stop();
    m_titleTimer->stop();
    m_titleCard->hide();
}

void PresentationTour::flyToNext() {
    if (!m_running || m_stops.empty()) return;
    const render::CameraPose target = m_stops[m_next];
    m_next = (m_next + 1) % m_stops.size();
    m_viewport->flyTo(target, kFlightSeconds);
}

}  // namespace ut::app
