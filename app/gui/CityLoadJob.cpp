#include "CityLoadJob.h"

#include <QtConcurrent/QtConcurrentRun>

namespace ut::app {

CityLoadJob::CityLoadJob(QObject* parent) : QObject(parent) {
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this] { emit finished(m_watcher.result()); });
}

CityLoadJob::~CityLoadJob() {
    cancel();
    m_watcher.waitForFinished();
}

void CityLoadJob::start(const Project& project) {
    cancel();
    m_watcher.waitForFinished();
    m_feedback = std::make_shared<Feedback>();
    std::shared_ptr<Feedback> feedback = m_feedback;
    m_watcher.setFuture(QtConcurrent::run([project, feedback] {
        auto city = std::make_shared<LoadedCity>();
        city->project = loadProject(project, feedback.get());
        if (!city->project.canceled) city->scene = render::buildCityScene(city->project.model);
        return city;
    }));
}

void CityLoadJob::cancel() {
    if (m_feedback) m_feedback->cancel();
}

bool CityLoadJob::isRunning() const { return m_watcher.isRunning(); }

}  // namespace ut::app
