#include "ut/sensors/SensorThingsClient.h"

#include "ut/sensors/ObservationPayload.h"
#include "SensorThingsJson.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSet>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>

namespace ut::sensors {

namespace {

constexpr int kCancelCheckMs = 50;

QUrl resourceUrl(const QUrl& serviceRoot, const QString& resourcePath)
{
    QUrl url = serviceRoot;
    url.setPath(serviceRoot.path() + u'/' + resourcePath);
    return url;
}

QUrl withQuery(QUrl url, const std::vector<std::pair<QString, QString>>& items)
{
    QUrlQuery query(url);
    for (const auto& [name, value] : items)
        query.addQueryItem(name, value);
    url.setQuery(query);
    return url;
}

QString entityKey(const QString& id)
{
    static const QRegularExpression digits(QStringLiteral("^[0-9]+$"));
    if (digits.match(id).hasMatch())
        return id;
    QString quoted = id;
    quoted.replace(u'\'', QStringLiteral("''"));
    return u'\'' + quoted + u'\'';
}

QString timeFilter(const char* operation, TimeMs time)
{
    return QStringLiteral("phenomenonTime %1 %2").arg(QLatin1String(operation), formatTime(time));
}

QString urlText(const QUrl& url)
{
    return url.toDisplayString(QUrl::RemoveUserInfo);
}

struct CatalogDocument {
    SensorCatalog catalog;
    QHash<QString, QUrl> observationLinks;
};

// SensorThings reads with one QNetworkAccessManager, on the thread that creates it.
class SensorThingsReader {
public:
    SensorThingsReader(const SensorThingsHttpOptions& options, FeedCounters* counters,
                       const std::atomic<bool>* cancelled)
        : m_options(options), m_counters(counters), m_cancelled(cancelled)
    {
    }

    bool isCancelled() const { return m_cancelled && m_cancelled->load(); }

    void count(FeedProblem problem, const QString& detail)
    {
        if (m_counters)
            m_counters->report(problem, detail);
    }

    Result<QJsonObject> get(const QUrl& url)
    {
        QNetworkRequest request(url);
        request.setTransferTimeout(m_options.transferTimeoutMs);
        request.setRawHeader("Accept", "application/json");
        std::unique_ptr<QNetworkReply> reply(m_network.get(request));

        QEventLoop loop;
        QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer cancelCheck;
        QObject::connect(&cancelCheck, &QTimer::timeout, &loop, [&] {
            if (isCancelled())
                reply->abort();
        });
        cancelCheck.start(kCancelCheckMs);
        if (!reply->isFinished())
            loop.exec();

        if (isCancelled())
            return Error{"SensorThings " + urlText(url).toStdString() + ": stopped"};
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
        if (status == 0 || (reply->error() != QNetworkReply::NoError && status < 400)) {
            const bool timedOut = reply->error() == QNetworkReply::OperationCanceledError ||
                                  reply->error() == QNetworkReply::TimeoutError;
            const QString problem =
                timedOut ? QStringLiteral("no answer within %1 ms").arg(m_options.transferTimeoutMs)
                         : reply->errorString();
            return fail(FeedProblem::ConnectionLost, url, problem);
        }
        if (status >= 400) {
            const QString message = QJsonDocument::fromJson(body)
                                        .object()
                                        .value(QLatin1String("message"))
                                        .toString()
                                        .simplified();
            const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
            QString problem = QStringLiteral("HTTP %1 %2").arg(status).arg(reason).trimmed();
            if (!message.isEmpty())
                problem += QStringLiteral(" (%1)").arg(message.left(200));
            return fail(FeedProblem::ConnectionLost, url, problem);
        }
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
        if (parseError.error != QJsonParseError::NoError)
            return fail(FeedProblem::MalformedPayload, url,
                        QStringLiteral("malformed JSON at byte %1: %2")
                            .arg(parseError.offset)
                            .arg(parseError.errorString()));
        if (!document.isObject())
            return fail(FeedProblem::MalformedPayload, url, QStringLiteral("not a JSON object"));
        return document.object();
    }

    // Visits every entity of a collection, following @iot.nextLink; stops at the first failed
    // page or visit. A nextLink back to a page already read ends the paging (counted).
    Status forEachEntity(const QUrl& firstPage, const std::function<Status(const QJsonObject&)>& visit,
                         bool firstPageOnly = false)
    {
        QSet<QString> visited;
        QUrl page = firstPage;
        for (int pageCount = 1;; ++pageCount) {
            visited.insert(QUrl::fromPercentEncoding(page.toEncoded()));
            Result<QJsonObject> document = get(page);
            if (!document)
                return Error{document.error()};
            const QJsonValue entities = document->value(QLatin1String("value"));
            if (!entities.isArray()) {
                Result<QJsonObject> failed = fail(FeedProblem::MalformedPayload, page,
                                                  QStringLiteral("no \"value\" array in the collection"));
                return Error{failed.error()};
            }
            for (const QJsonValue& entity : entities.toArray()) {
                if (!entity.isObject()) {
                    count(FeedProblem::MalformedPayload,
                          QStringLiteral("%1: a collection member that is not an object").arg(urlText(page)));
                    continue;
                }
                if (Status visitResult = visit(entity.toObject()); !visitResult)
                    return visitResult;
            }
            const QString nextLink = document->value(QLatin1String("@iot.nextLink")).toString();
            if (nextLink.isEmpty() || firstPageOnly)
                return {};
            if (pageCount >= m_options.maxPages) {
                count(FeedProblem::MalformedPayload,
                      QStringLiteral("%1: more than %2 pages, the rest skipped")
                          .arg(urlText(firstPage))
                          .arg(m_options.maxPages));
                return {};
            }
            const QUrl next = page.resolved(QUrl(nextLink));
            if (visited.contains(QUrl::fromPercentEncoding(next.toEncoded()))) {
                count(FeedProblem::MalformedPayload,
                      QStringLiteral("%1: @iot.nextLink loops back to a page already read")
                          .arg(urlText(firstPage)));
                return {};
            }
            page = next;
        }
    }

    Result<CatalogDocument> catalog(const QUrl& serviceRoot)
    {
        CatalogDocument document;
        const QUrl things = withQuery(
            resourceUrl(serviceRoot, QStringLiteral("Things")),
            {{QStringLiteral("$expand"), QStringLiteral("Locations,Datastreams($expand=ObservedProperty)")},
             {QStringLiteral("$top"), QString::number(m_options.pageSize)}});
        Status read =
            forEachEntity(things, [&](const QJsonObject& object) { return addThing(object, document); });
        if (!read)
            return Error{read.error()};
        return document;
    }

    // Observations of a datastream's Observations collection, in the order the server sends
    // them. `newestOnly` asks for one observation, the latest.
    Result<std::vector<Observation>> observations(const QUrl& collection, const QString& datastreamId,
                                                  const QString& filter, bool newestOnly)
    {
        std::vector<std::pair<QString, QString>> items;
        if (!filter.isEmpty())
            items.emplace_back(QStringLiteral("$filter"), filter);
        items.emplace_back(QStringLiteral("$orderby"), newestOnly ? QStringLiteral("phenomenonTime desc")
                                                                  : QStringLiteral("phenomenonTime asc"));
        items.emplace_back(QStringLiteral("$top"), QString::number(newestOnly ? 1 : m_options.pageSize));
        items.emplace_back(QStringLiteral("$select"), QStringLiteral("phenomenonTime,result"));
        std::vector<Observation> observations;
        Status read = forEachEntity(
            withQuery(collection, items),
            [&](const QJsonObject& object) -> Status {
                if (std::optional<Observation> observation = observationOf(object, datastreamId))
                    observations.push_back(std::move(*observation));
                return {};
            },
            newestOnly);
        if (!read)
            return Error{read.error()};
        return observations;
    }

private:
    Result<QJsonObject> fail(FeedProblem problem, const QUrl& url, const QString& what)
    {
        count(problem, QStringLiteral("%1: %2").arg(urlText(url), what));
        return Error{QStringLiteral("SensorThings %1: %2").arg(urlText(url), what).toStdString()};
    }

    Status addThing(const QJsonObject& object, CatalogDocument& document)
    {
        std::optional<Thing> parsed = thingOf(object, m_counters);
        if (!parsed)
            return {};
        Thing thing = std::move(*parsed);
        const QString thingId = thing.id;
        document.catalog.addThing(std::move(thing));

        const auto visitDatastream = [&](const QJsonObject& datastream) -> Status {
            addDatastream(datastream, thingId, document);
            return {};
        };
        const QJsonValue datastreams = object.value(QLatin1String("Datastreams"));
        QString more;
        if (datastreams.isArray()) {
            for (const QJsonValue& datastream : datastreams.toArray())
                visitDatastream(datastream.toObject());
            more = object.value(QLatin1String("Datastreams@iot.nextLink")).toString();
        } else if (const QString link =
                       object.value(QLatin1String("Datastreams@iot.navigationLink")).toString();
                   !link.isEmpty()) {
            // The server ignored $expand: read the Thing's Datastreams on their own.
            more = withQuery(QUrl(link), {{QStringLiteral("$expand"), QStringLiteral("ObservedProperty")}})
                       .toString();
        }
        if (more.isEmpty())
            return {};
        return forEachEntity(QUrl(more), visitDatastream);
    }

    void addDatastream(const QJsonObject& object, const QString& thingId, CatalogDocument& document)
    {
        std::optional<Datastream> datastream = datastreamOf(object, thingId, m_counters);
        if (!datastream)
            return;
        if (const QString link = object.value(QLatin1String("Observations@iot.navigationLink")).toString();
            !link.isEmpty())
            document.observationLinks.insert(datastream->id, QUrl(link));
        document.catalog.addDatastream(std::move(*datastream));
    }

    std::optional<Observation> observationOf(const QJsonObject& object, const QString& datastreamId)
    {
        const std::optional<TimeMs> time =
            parseTime(object.value(QLatin1String("phenomenonTime")).toString());
        const std::optional<double> result = numberOf(object.value(QLatin1String("result")));
        if (!time || !result || !std::isfinite(*result)) {
            count(FeedProblem::MalformedPayload,
                  QStringLiteral("Datastream %1: an Observation without a valid %2")
                      .arg(datastreamId,
                           time ? QStringLiteral("numeric result") : QStringLiteral("phenomenonTime")));
            return std::nullopt;
        }
        Observation observation;
        observation.datastreamId = datastreamId;
        observation.phenomenonTime = *time;
        observation.result = *result;
        return observation;
    }

    QNetworkAccessManager m_network;
    SensorThingsHttpOptions m_options;
    FeedCounters* m_counters;
    const std::atomic<bool>* m_cancelled;
};

Status requireApplication(const QUrl& serviceRoot)
{
    if (!QCoreApplication::instance())
        return Error{"SensorThings " + urlText(serviceRoot).toStdString() +
                     ": no QCoreApplication to run requests"};
    return {};
}

QUrl observationsUrl(const QUrl& serviceRoot, const QHash<QString, QUrl>& links, const QString& datastreamId)
{
    if (auto found = links.find(datastreamId); found != links.end())
        return found.value();
    return resourceUrl(serviceRoot,
                       QStringLiteral("Datastreams(%1)/Observations").arg(entityKey(datastreamId)));
}

}  // namespace

Result<QUrl> sensorThingsServiceRoot(const QString& text)
{
    QUrl url(text.trimmed(), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")) ||
        url.host().isEmpty())
        return Error{"SensorThings " + text.toStdString() + ": not an http(s) URL"};
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    static const QRegularExpression version(QStringLiteral("/v1\\.[01]$"));
    if (!version.match(path).hasMatch())
        path += QStringLiteral("/v1.1");
    url.setPath(path);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

Result<SensorCatalog> fetchCatalog(const QUrl& serviceRoot, const SensorThingsHttpOptions& options,
                                   FeedCounters* counters)
{
    if (Status ready = requireApplication(serviceRoot); !ready)
        return Error{ready.error()};
    SensorThingsReader reader(options, counters, nullptr);
    Result<CatalogDocument> document = reader.catalog(serviceRoot);
    if (!document)
        return Error{document.error()};
    return std::move(document->catalog);
}

Result<std::vector<Observation>> fetchObservations(const QUrl& serviceRoot, const QString& datastreamId,
                                                   TimeMs from, TimeMs to,
                                                   const SensorThingsHttpOptions& options,
                                                   FeedCounters* counters)
{
    if (Status ready = requireApplication(serviceRoot); !ready)
        return Error{ready.error()};
    SensorThingsReader reader(options, counters, nullptr);
    const QString filter = timeFilter("ge", from) + QStringLiteral(" and ") + timeFilter("le", to);
    Result<std::vector<Observation>> observations =
        reader.observations(observationsUrl(serviceRoot, {}, datastreamId), datastreamId, filter, false);
    if (observations)
        std::stable_sort(
            observations->begin(), observations->end(),
            [](const Observation& a, const Observation& b) { return a.phenomenonTime < b.phenomenonTime; });
    return observations;
}

SensorThingsFeed::SensorThingsFeed(QUrl serviceRoot, Options options)
    : m_serviceRoot(std::move(serviceRoot)),
      m_options(std::move(options)),
      m_counters(QStringLiteral("SensorThings %1").arg(urlText(m_serviceRoot)))
{
}

SensorThingsFeed::~SensorThingsFeed()
{
    stop();
}

QString SensorThingsFeed::description() const
{
    return QStringLiteral("SensorThings %1").arg(urlText(m_serviceRoot));
}

SensorCatalog SensorThingsFeed::catalog() const
{
    std::lock_guard<std::mutex> lock(m_catalogMutex);
    return m_catalog;
}

Status SensorThingsFeed::loadCatalog()
{
    if (Status ready = requireApplication(m_serviceRoot); !ready)
        return ready;
    SensorThingsReader reader(m_options.http, &m_counters, &m_stopping);
    Result<CatalogDocument> document = reader.catalog(m_serviceRoot);
    if (!document)
        return Error{document.error()};
    std::lock_guard<std::mutex> lock(m_catalogMutex);
    m_catalog = std::move(document->catalog);
    m_observationLinks = std::move(document->observationLinks);
    m_catalogLoaded = true;
    return {};
}

Status SensorThingsFeed::start(ObservationSink& sink)
{
    if (m_thread)
        return Error{description().toStdString() + ": already started"};
    if (Status ready = requireApplication(m_serviceRoot); !ready)
        return ready;
    m_stopping = false;
    m_thread.reset(QThread::create([this, &sink] { run(sink); }));
    m_thread->setObjectName(QStringLiteral("SensorThingsFeed"));
    m_thread->start();
    return {};
}

void SensorThingsFeed::stop()
{
    if (!m_thread)
        return;
    {
        std::lock_guard<std::mutex> lock(m_stopMutex);
        m_stopping = true;
    }
    m_stopCondition.notify_all();
    m_thread->wait();
    m_thread.reset();
}

bool SensorThingsFeed::waitOrStop(int milliseconds)
{
    std::unique_lock<std::mutex> lock(m_stopMutex);
    return !m_stopCondition.wait_for(lock, std::chrono::milliseconds(milliseconds),
                                     [this] { return m_stopping.load(); });
}

void SensorThingsFeed::run(ObservationSink& sink)
{
    SensorThingsReader reader(m_options.http, &m_counters, &m_stopping);
    // The newest phenomenon time delivered per datastream; lowest() once a datastream was
    // found empty, so that everything it gets later is new.
    QHash<QString, TimeMs> newestSeen;
    int retryMs = m_options.retryInitialMs;
    const auto backOff = [&] {
        const bool goOn = waitOrStop(retryMs);
        retryMs = std::min(retryMs * 2, m_options.retryMaxMs);
        return goOn;
    };

    while (!m_stopping) {
        bool loaded = false;
        {
            std::lock_guard<std::mutex> lock(m_catalogMutex);
            loaded = m_catalogLoaded;
        }
        if (!loaded) {
            Result<CatalogDocument> document = reader.catalog(m_serviceRoot);
            if (!document) {
                if (!backOff())
                    return;
                continue;
            }
            std::lock_guard<std::mutex> lock(m_catalogMutex);
            m_catalog = std::move(document->catalog);
            m_observationLinks = std::move(document->observationLinks);
            m_catalogLoaded = true;
        }

        QStringList datastreamIds = m_options.datastreamIds;
        QHash<QString, QUrl> links;
        {
            std::lock_guard<std::mutex> lock(m_catalogMutex);
            if (datastreamIds.isEmpty()) {
                for (const Datastream& datastream : m_catalog.datastreams())
                    datastreamIds.push_back(datastream.id);
            }
            links = m_observationLinks;
        }

        bool roundFailed = false;
        for (const QString& datastreamId : datastreamIds) {
            if (m_stopping)
                return;
            QString filter;
            bool newestOnly = false;
            if (auto seen = newestSeen.find(datastreamId); seen != newestSeen.end()) {
                if (seen.value() != std::numeric_limits<TimeMs>::lowest())
                    filter = timeFilter("gt", seen.value());
            } else if (m_options.backfillFrom) {
                filter = timeFilter("ge", *m_options.backfillFrom);
            } else {
                newestOnly = true;
            }
            Result<std::vector<Observation>> observations = reader.observations(
                observationsUrl(m_serviceRoot, links, datastreamId), datastreamId, filter, newestOnly);
            if (!observations) {
                roundFailed = true;
                break;
            }
            TimeMs newest = newestSeen.value(datastreamId, std::numeric_limits<TimeMs>::lowest());
            std::vector<IncomingObservation> batch;
            batch.reserve(observations->size());
            const TimeMs receivedAt = QDateTime::currentMSecsSinceEpoch();
            for (Observation& observation : *observations) {
                newest = std::max(newest, observation.phenomenonTime);
                IncomingObservation incoming;
                incoming.observation = std::move(observation);
                incoming.receivedAt = receivedAt;
                batch.push_back(std::move(incoming));
            }
            newestSeen.insert(datastreamId, newest);
            if (!batch.empty()) {
                m_counters.addReceived(batch.size());
                sink.deliver(std::move(batch));
            }
        }
        if (roundFailed) {
            if (!backOff())
                return;
            continue;
        }
        retryMs = m_options.retryInitialMs;
        m_completedPolls.fetch_add(1);
        if (!waitOrStop(m_options.pollIntervalMs))
            return;
    }
}

}  // namespace ut::sensors
