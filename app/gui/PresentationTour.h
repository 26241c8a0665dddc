#pragma once

#include <QObject>
#include <vector>

#include "ut/render/CameraPose.h"

class QLabel;
class QTimer;

namespace ut::app {

class ViewportWidget;

// The demo tour: a title card over the viewport, then the camera flies from stop to stop,
// holding at each, round and round until stopped.
class PresentationTour : public QObject {
    Q_OBJECT
public:
    explicit PresentationTour(ViewportWidget* viewport);

    void start(const QString& title, const QString& subtitle, std::vector<render::CameraPose> stops);
    void stop();
    bool isRunning() const { return m_running; }
    std::size_t stopIndex() const { return m_next; }

private:
    void flyToNext();

    ViewportWidget* m_viewport;
    QLabel* m_titleCard;
    QTimer* m_hold;
    QTimer* m_titleTimer;
    std::vector<render::CameraPose> m_stops;
    std::size_t m_next = 0;
    bool m_running = false;
};

}  // namespace ut::app
