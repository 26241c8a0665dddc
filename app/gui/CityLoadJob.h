#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <memory>

#include "ut/app/ProjectLoader.h"
#include "ut/render/CityScene.h"

namespace ut::app {

// What the viewport needs once a project has loaded: the model, its statuses and the scene.
struct LoadedCity {
    LoadedProject project;
    render::CityScene scene;
};

// Loads a project and builds its scene on a worker thread; finished() arrives on the GUI thread.
class CityLoadJob : public QObject {
    Q_OBJECT
public:
    explicit CityLoadJob(QObject* parent = nullptr);
    ~CityLoadJob() override;

    void start(const Project& project);
    void cancel();
    bool isRunning() const;
    double progress() const { return m_feedback ? m_feedback->progress() : 0.0; }

signals:
    void finished(std::shared_ptr<ut::app::LoadedCity> city);

private:
    QFutureWatcher<std::shared_ptr<LoadedCity>> m_watcher;
    std::shared_ptr<Feedback> m_feedback;
};

}  // namespace ut::app
