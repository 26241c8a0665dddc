#pragma once

#include <QStringList>

namespace ut::cli {

// Exit status of every verb (docs/cli.md): 0 done, 2 bad input (one line on stderr naming
// the file, the place and the problem), 1 anything else.
enum ExitCode { kDone = 0, kFailure = 1, kBadInput = 2 };

int runInfo(const QStringList& arguments);
int runRender(const QStringList& arguments);
int runPlugins(const QStringList& arguments);
int runRun(const QStringList& arguments);
int runCompare(const QStringList& arguments);
int runReport(const QStringList& arguments);
int runFeed(const QStringList& arguments);
void printUsage(bool toStderr);

}  // namespace ut::cli
