#pragma once

#include <QImage>
#include <QString>
#include <QStringList>

namespace ut::test {

QString sourcePath(const QString& relative);
QString binaryPath(const QString& relative);

struct ProcessResult {
    int exitCode = -1;
    QString out;
    QString err;
};

// Runs a program to completion (60 s at most).
ProcessResult runProgram(const QString& program, const QStringList& arguments);

// COUNT(*) of an OGR SQL query as ogrinfo (GDAL's own tool) reports it; -1 when it fails.
long long ogrinfoCount(const QString& file, const QString& sql);

struct ImageDifference {
    double differingFraction = 1.0;  // share of pixels off by more than the channel tolerance
    int maxChannelDelta = 255;
    QImage diff;  // differing pixels in red over a faded copy of the expected image
};

ImageDifference compareImages(const QImage& actual, const QImage& expected, int channelTolerance);

}  // namespace ut::test
