#pragma once

#include <QByteArray>
#include <string>

namespace ut {

// "line:column" (both from 1) of a byte offset in text, for error messages about a file.
std::string lineAndColumn(const QByteArray& text, qsizetype offset);

}  // namespace ut
