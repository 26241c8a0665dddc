#pragma once

#include <QObject>
#include <QString>
#include <QTranslator>

namespace ut::app {

// Installs the UI translation: "en", "ko", or "" for the system locale. The choice is kept
// in QSettings; widgets retranslate on QEvent::LanguageChange.
class LanguageManager : public QObject {
    Q_OBJECT
public:
    explicit LanguageManager(QObject* parent = nullptr);

    void apply(const QString& language);
    void applySaved();
    QString chosen() const { return m_chosen; }
    QString effective() const { return m_effective; }

private:
    QTranslator m_appTranslator;
    QTranslator m_qtTranslator;
    QString m_chosen;
    QString m_effective;
};

}  // namespace ut::app
