#include "ut/sim/PluginMetadata.h"

#include <QJsonArray>

namespace ut::sim {

namespace {
const std::pair<ParameterType, const char*> kTypeNames[] = {{ParameterType::Number, "number"},
                                                            {ParameterType::Integer, "integer"},
                                                            {ParameterType::Boolean, "boolean"},
                                                            {ParameterType::Choice, "choice"},
                                                            {ParameterType::Text, "string"}};

QString typeName(ParameterType type) {
    for (const auto& [t, name] : kTypeNames)
        if (t == type) return QString::fromLatin1(name);
    return QStringLiteral("number");
}

Error error(const QString& text) { return Error{text.toStdString()}; }
}  // namespace

Result<QVariant> ParameterSpec::validate(const QVariant& value) const {
    const QString where = QStringLiteral("parameter '%1'").arg(id);
    switch (type) {
        case ParameterType::Number:
        case ParameterType::Integer: {
            bool ok = false;
            const double number = value.toDouble(&ok);
            if (!ok || !std::isfinite(number)) return error(where + QStringLiteral(": expected a number"));
            if (type == ParameterType::Integer && number != std::floor(number)) {
                return error(where + QStringLiteral(": expected a whole number"));
            }
            if ((minimum && number < *minimum) || (maximum && number > *maximum)) {
                return error(where + QStringLiteral(": %1 is outside %2 … %3 %4")
                                         .arg(number)
                                         .arg(minimum ? QString::number(*minimum) : QStringLiteral("-∞"))
                                         .arg(maximum ? QString::number(*maximum) : QStringLiteral("∞"))
                                         .arg(unit)
                                         .trimmed());
            }
            return type == ParameterType::Integer ? QVariant(static_cast<qlonglong>(number)) : QVariant(number);
        }
        case ParameterType::Boolean:
            if (value.typeId() != QMetaType::Bool) return error(where + QStringLiteral(": expected true or false"));
            return value;
        case ParameterType::Choice:
            if (!choices.contains(value.toString())) {
                return error(where + QStringLiteral(": '%1' is not one of %2").arg(value.toString(), choices.join(", ")));
            }
            return QVariant(value.toString());
        case ParameterType::Text: return QVariant(value.toString());
    }
    return value;
}

const ParameterSpec* PluginMetadata::parameter(const QString& parameterId) const {
    for (const auto& p : parameters)
        if (p.id == parameterId) return &p;
    return nullptr;
}

Result<QVariantMap> PluginMetadata::resolveParameters(const QVariantMap& given) const {
    QVariantMap resolved;
    for (const auto& p : parameters) resolved.insert(p.id, p.defaultValue);
    for (auto it = given.begin(); it != given.end(); ++it) {
        const ParameterSpec* spec = parameter(it.key());
        if (!spec) return error(QStringLiteral("%1: unknown parameter '%2'").arg(id, it.key()));
        auto value = spec->validate(it.value());
        if (!value) return error(id + QStringLiteral(": ") + QString::fromStdString(value.error()));
        resolved.insert(it.key(), value.value());
    }
    return resolved;
}

QJsonObject PluginMetadata::toJson() const {
    QJsonArray parameterArray;
    for (const auto& p : parameters) {
        QJsonObject o{{"id", p.id}, {"label", p.label}, {"unit", p.unit}, {"type", typeName(p.type)},
                      {"default", QJsonValue::fromVariant(p.defaultValue)}};
        if (!p.labelKo.isEmpty()) o.insert("label_ko", p.labelKo);
        if (p.minimum) o.insert("min", *p.minimum);
        if (p.maximum) o.insert("max", *p.maximum);
        if (!p.choices.isEmpty()) o.insert("choices", QJsonArray::fromStringList(p.choices));
        if (!p.description.isEmpty()) o.insert("description", p.description);
        parameterArray.append(o);
    }
    QJsonArray kinds;
    for (EntityKind kind : entityKinds) kinds.append(QString::fromLatin1(toString(kind)));
    QJsonObject result{{"id", id},
                       {"name", name},
                       {"version", version},
                       {"api_version", apiVersion},
                       {"description", description},
                       {"parameters", parameterArray},
                       {"entity_kinds", kinds},
                       {"dependencies", QJsonArray::fromStringList(dependencies)}};
    if (!nameKo.isEmpty()) result.insert("name_ko", nameKo);
    if (!descriptionKo.isEmpty()) result.insert("description_ko", descriptionKo);
    return result;
}

Result<PluginMetadata> parsePluginMetadata(const QJsonObject& json, const QString& source) {
    PluginMetadata m;
    auto fail = [&](const QString& what) { return error(source + QStringLiteral(": ") + what); };
    m.id = json.value("id").toString();
    if (m.id.isEmpty()) return fail(QStringLiteral("metadata has no \"id\""));
    m.name = json.value("name").toString(m.id);
    m.version = json.value("version").toString();
    if (!json.value("api_version").isDouble()) return fail(QStringLiteral("metadata has no \"api_version\""));
    m.apiVersion = json.value("api_version").toInt();
    m.description = json.value("description").toString();
    m.nameKo = json.value("name_ko").toString();
    m.descriptionKo = json.value("description_ko").toString();
    for (const QJsonValue& d : json.value("dependencies").toArray()) m.dependencies << d.toString();
    for (const QJsonValue& k : json.value("entity_kinds").toArray()) {
        auto kind = entityKindFromString(k.toString().toStdString());
        if (!kind) return fail(QStringLiteral("unknown entity kind '%1'").arg(k.toString()));
        m.entityKinds.push_back(*kind);
    }
    for (const QJsonValue& value : json.value("parameters").toArray()) {
        const QJsonObject o = value.toObject();
        ParameterSpec p;
        p.id = o.value("id").toString();
        if (p.id.isEmpty()) return fail(QStringLiteral("a parameter has no \"id\""));
        p.label = o.value("label").toString(p.id);
        p.labelKo = o.value("label_ko").toString();
        p.unit = o.value("unit").toString();
        p.description = o.value("description").toString();
        const QString type = o.value("type").toString(QStringLiteral("number"));
        bool known = false;
        for (const auto& [t, name] : kTypeNames) {
            if (type == QLatin1String(name)) {
                p.type = t;
                known = true;
            }
        }
        if (!known) return fail(QStringLiteral("parameter '%1' has unknown type '%2'").arg(p.id, type));
        if (o.contains("min")) p.minimum = o.value("min").toDouble();
        if (o.contains("max")) p.maximum = o.value("max").toDouble();
        for (const QJsonValue& c : o.value("choices").toArray()) p.choices << c.toString();
        if (!o.contains("default")) return fail(QStringLiteral("parameter '%1' has no default").arg(p.id));
        auto defaultValue = p.validate(o.value("default").toVariant());
        if (!defaultValue) return fail(QStringLiteral("default of ") + QString::fromStdString(defaultValue.error()));
        p.defaultValue = defaultValue.value();
        m.parameters.push_back(p);
    }
    return m;
}

}  // namespace ut::sim
