#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantMap>
#include <vector>

#include "ut/geodata/Result.h"
#include "ut/sim/ResultSet.h"

namespace ut::sim {

// The plugin API this build speaks. A plugin declares the version it was built for in its
// metadata ("api_version"); the registry refuses any other.
constexpr int kPluginApiVersion = 1;

enum class ParameterType { Number, Integer, Boolean, Choice, Text };

// One parameter of a simulation, as its metadata declares it; the app builds its form from it.
struct ParameterSpec {
    QString id;
    QString label;
    QString labelKo;  // optional Korean label
    QString unit;
    ParameterType type = ParameterType::Number;
    QVariant defaultValue;
    std::optional<double> minimum;
    std::optional<double> maximum;
    QStringList choices;
    QString description;

    // The value converted to this parameter's type, or an error naming the parameter.
    Result<QVariant> validate(const QVariant& value) const;
};

struct PluginMetadata {
    QString id;
    QString name;
    QString nameKo;  // optional Korean name and description
    QString version;
    int apiVersion = 0;
    QString description;
    QString descriptionKo;
    std::vector<ParameterSpec> parameters;
    std::vector<EntityKind> entityKinds;
    QStringList dependencies;

    const ParameterSpec* parameter(const QString& parameterId) const;
    // Defaults merged with given values, each validated; unknown ids are errors.
    Result<QVariantMap> resolveParameters(const QVariantMap& given) const;
    QJsonObject toJson() const;
};

// Reads the "MetaData" object a plugin embeds (Q_PLUGIN_METADATA FILE); source names it in errors.
Result<PluginMetadata> parsePluginMetadata(const QJsonObject& json, const QString& source);

}  // namespace ut::sim
