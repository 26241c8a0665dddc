#include "TestSupport.h"

#include <QProcess>
#include <QRegularExpression>

namespace ut::test {

QString sourcePath(const QString& relative) { return QStringLiteral(UT_SOURCE_DIR "/") + relative; }
QString binaryPath(const QString& relative) { return QStringLiteral(UT_BINARY_DIR "/") + relative; }

ProcessResult runProgram(const QString& program, const QStringList& arguments) {
    QProcess process;
    process.start(program, arguments);
    ProcessResult result;
    if (!process.waitForStarted(10000)) {
        result.err = QStringLiteral("could not start ") + program;
        return result;
    }
    process.closeWriteChannel();
    process.waitForFinished(60000);
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

long long ogrinfoCount(const QString& file, const QString& sql) {
    const ProcessResult result = runProgram(QStringLiteral("ogrinfo"), {QStringLiteral("-ro"), QStringLiteral("-q"),
                                                                        QStringLiteral("-sql"), sql, file});
    const auto match = QRegularExpression(QStringLiteral("COUNT(?:_\\*|\\(\\*\\))\\s*\\(Integer\\)\\s*=\\s*(\\d+)")).match(result.out);
    return result.exitCode == 0 && match.hasMatch() ? match.captured(1).toLongLong() : -1;
}

ImageDifference compareImages(const QImage& actualIn, const QImage& expectedIn, int channelTolerance) {
    ImageDifference result;
    if (actualIn.size() != expectedIn.size()) return result;
    const QImage actual = actualIn.convertToFormat(QImage::Format_RGB32);
    const QImage expected = expectedIn.convertToFormat(QImage::Format_RGB32);
    result.diff = QImage(expected.size(), QImage::Format_RGB32);
    long long differing = 0;
    result.maxChannelDelta = 0;
    for (int y = 0; y < expected.height(); ++y) {
        const auto* a = reinterpret_cast<const QRgb*>(actual.constScanLine(y));
        const auto* e = reinterpret_cast<const QRgb*>(expected.constScanLine(y));
        auto* d = reinterpret_cast<QRgb*>(result.diff.scanLine(y));
        for (int x = 0; x < expected.width(); ++x) {
            const int delta = std::max({std::abs(qRed(a[x]) - qRed(e[x])), std::abs(qGreen(a[x]) - qGreen(e[x])),
                                        std::abs(qBlue(a[x]) - qBlue(e[x]))});
            result.maxChannelDelta = std::max(result.maxChannelDelta, delta);
            const bool off = delta > channelTolerance;
            differing += off ? 1 : 0;
            const int grey = 200 + qGray(e[x]) / 5;
            d[x] = off ? qRgb(255, 0, 0) : qRgb(grey, grey, grey);
        }
    }
    result.differingFraction = static_cast<double>(differing) / (static_cast<double>(expected.width()) * expected.height());
    return result;
}

}  // namespace ut::test
