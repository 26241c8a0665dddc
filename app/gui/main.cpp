#include <QApplication>
#include <QDir>
#include <cstdio>

#include "LanguageManager.h"
#include "MainWindow.h"
#include "ut/app/Project.h"

int main(int argc, char** argv) {
    QApplication application(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("UrbanTwin"));
    QApplication::setApplicationName(QStringLiteral("UrbanTwin"));
    QApplication::setApplicationVersion(QStringLiteral(UT_VERSION));

    ut::app::LanguageManager language;
    language.applySaved();

    QString path = application.arguments().value(1);
    if (path.isEmpty()) path = ut::app::demoProjectPath(QApplication::applicationDirPath());
    ut::app::MainWindow window(&language);
    window.show();
    if (!path.isEmpty()) {
        window.openPath(path);
    } else {
        std::fprintf(stderr, "urbantwin: the demo project data/demo/demo.utwin was not found\n");
    }
    return application.exec();
}
