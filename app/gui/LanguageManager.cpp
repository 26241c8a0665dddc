#include "LanguageManager.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>

namespace ut::app {

LanguageManager::LanguageManager(QObject* parent) : QObject(parent) {}

void LanguageManager::applySaved() {
    apply(QSettings().value(QStringLiteral("ui/language")).toString());
}

void LanguageManager::apply(const QString& language) {
    m_chosen = language;
    QSettings().setValue(QStringLiteral("ui/language"), language);
    QString effective = language;
    if (effective.isEmpty()) {
        effective = QLocale::system().language() == QLocale::Korean ? QStringLiteral("ko") : QStringLiteral("en");
    }
    m_effective = effective;
    QCoreApplication::removeTranslator(&m_appTranslator);
    QCoreApplication::removeTranslator(&m_qtTranslator);
    if (effective == QStringLiteral("ko")) {
        if (m_appTranslator.load(QStringLiteral(":/i18n/urbantwin_ko.qm"))) {
            QCoreApplication::installTranslator(&m_appTranslator);
        }
        if (m_qtTranslator.load(QLocale(QLocale::Korean), QStringLiteral("qtbase"), QStringLiteral("_"),
                                QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
            QCoreApplication::installTranslator(&m_qtTranslator);
        }
    }
}

}  // namespace ut::app
