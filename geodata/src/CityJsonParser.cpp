#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>
#include <cmath>
#include <unordered_map>

#include "ut/geodata/TextPosition.h"
#include "ut/geodata/CityJsonLoader.h"

namespace ut {

namespace {

SurfaceType surfaceTypeOf(const QString& type) {
    if (type == QLatin1String("RoofSurface")) return SurfaceType::Roof;
    if (type == QLatin1String("WallSurface")) return SurfaceType::Wall;
    if (type == QLatin1String("GroundSurface")) return SurfaceType::Ground;
    if (type == QLatin1String("ClosureSurface")) return SurfaceType::Closure;
    return SurfaceType::Other;
}


std::string attributeText(const QJsonValue& value) {
    switch (value.type()) {
        case QJsonValue::String: return value.toString().toStdString();
        case QJsonValue::Double: return QString::number(value.toDouble(), 'g', 15).toStdString();
        case QJsonValue::Bool: return value.toBool() ? "true" : "false";
        case QJsonValue::Array: return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact).toStdString();
        case QJsonValue::Object: return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact).toStdString();
        default: return {};
    }
}

double lodOf(const QJsonValue& lod) {
    if (lod.isDouble()) return lod.toDouble();
    bool ok = false;
    const double v = lod.toString().toDouble(&ok);
    return ok ? v : -1.0;
}

struct Parser {
    CityJsonDocument& document;
    const std::string& path;
    Eigen::Vector3d scale{1.0, 1.0, 1.0};
    Eigen::Vector3d translate{0.0, 0.0, 0.0};

    void skip(const std::string& reason) { ++document.skipReasons[reason]; }

    std::string readTransform(const QJsonObject& root) {
        const QJsonValue transform = root.value(QLatin1String("transform"));
        if (transform.isUndefined()) return {};
        const QJsonArray s = transform.toObject().value(QLatin1String("scale")).toArray();
        const QJsonArray t = transform.toObject().value(QLatin1String("translate")).toArray();
        if (s.size() != 3 || t.size() != 3) return path + ": transform: expected scale and translate of 3 numbers each";
        for (int i = 0; i < 3; ++i) {
            if (!s[i].isDouble() || !t[i].isDouble() || !std::isfinite(s[i].toDouble()) || s[i].toDouble() == 0.0 ||
                !std::isfinite(t[i].toDouble())) {
                return path + ": transform: expected finite numbers and a scale other than 0";
            }
            scale[i] = s[i].toDouble();
            translate[i] = t[i].toDouble();
        }
        return {};
    }

    // Appends vertices; returns an error message or empty.
    std::string readVertices(const QJsonArray& vertices, const std::string& where) {
        document.vertices.reserve(document.vertices.size() + static_cast<std::size_t>(vertices.size()));
        for (qsizetype i = 0; i < vertices.size(); ++i) {
            const QJsonArray v = vertices[i].toArray();
            if (v.size() != 3 || !v[0].isDouble() || !v[1].isDouble() || !v[2].isDouble()) {
                return path + ": " + where + "vertices[" + std::to_string(i) + "]: expected [x, y, z]";
            }
            const Eigen::Vector3d p(v[0].toDouble() * scale.x() + translate.x(), v[1].toDouble() * scale.y() + translate.y(),
                                    v[2].toDouble() * scale.z() + translate.z());
            if (!p.allFinite()) return path + ": " + where + "vertices[" + std::to_string(i) + "]: not a finite number";
            document.vertices.push_back(p);
        }
        return {};
    }

    // One surface: [[ring of vertex indices], [hole] …]. Indices are offset by base (CityJSONSeq).
    bool readSurface(const QJsonValue& value, SurfaceType type, std::size_t base, std::size_t vertexEnd,
                     CityJsonDocument::Object& object) {
        if (!value.isArray()) {
            skip("malformed surface");
            return false;
        }
        CityJsonDocument::Surface surface;
        surface.type = type;
        const QJsonArray rings = value.toArray();
        for (qsizetype r = 0; r < rings.size(); ++r) {
            const QJsonArray ring = rings[r].toArray();
            std::vector<std::uint32_t> indices;
            indices.reserve(static_cast<std::size_t>(ring.size()));
            for (const QJsonValue& index : ring) {
                const double i = index.toDouble(-1.0);
                if (!index.isDouble() || !(i >= 0.0 && i < static_cast<double>(vertexEnd - base)) || i != std::floor(i)) {
                    skip("vertex index out of range");
                    return false;
                }
                indices.push_back(static_cast<std::uint32_t>(base + static_cast<std::size_t>(i)));
            }
            if (indices.size() > 1 && indices.front() == indices.back()) indices.pop_back();
            if (indices.size() < 3) {
                if (r == 0) {
                    skip("surface with fewer than 3 vertices");
                    return false;
                }
                continue;
            }
            surface.rings.push_back(std::move(indices));
        }
        if (surface.rings.empty()) {
            skip("empty surface");
            return false;
        }
        object.surfaces.push_back(std::move(surface));
        return true;
    }

    // Surfaces of a geometry; values are the semantics' indices at the same nesting (or null).
    void readGeometry(const QJsonObject& geometry, std::size_t base, std::size_t vertexEnd, CityJsonDocument::Object& object) {
        const QString type = geometry.value(QLatin1String("type")).toString();
        const QJsonArray boundaries = geometry.value(QLatin1String("boundaries")).toArray();
        const QJsonObject semantics = geometry.value(QLatin1String("semantics")).toObject();
        const QJsonArray semanticSurfaces = semantics.value(QLatin1String("surfaces")).toArray();
        const QJsonValue values = semantics.value(QLatin1String("values"));
        auto typeOf = [&](const QJsonValue& value) {
            if (!value.isDouble()) return SurfaceType::Other;
            const int i = value.toInt(-1);
            if (i < 0 || i >= semanticSurfaces.size()) return SurfaceType::Other;
            return surfaceTypeOf(semanticSurfaces[i].toObject().value(QLatin1String("type")).toString());
        };
        auto readShell = [&](const QJsonArray& shell, const QJsonValue& shellValues) {
            const QJsonArray valueArray = shellValues.toArray();
            for (qsizetype s = 0; s < shell.size(); ++s) {
                readSurface(shell[s], typeOf(s < valueArray.size() ? valueArray[s] : QJsonValue()), base, vertexEnd, object);
            }
        };
        if (type == QLatin1String("MultiSurface") || type == QLatin1String("CompositeSurface")) {
            readShell(boundaries, values);
        } else if (type == QLatin1String("Solid")) {
            for (qsizetype s = 0; s < boundaries.size(); ++s) readShell(boundaries[s].toArray(), values.toArray().at(s));
        } else if (type == QLatin1String("MultiSolid") || type == QLatin1String("CompositeSolid")) {
            for (qsizetype solid = 0; solid < boundaries.size(); ++solid) {
                const QJsonArray shells = boundaries[solid].toArray();
                const QJsonValue solidValues = values.toArray().at(solid);
                for (qsizetype s = 0; s < shells.size(); ++s) readShell(shells[s].toArray(), solidValues.toArray().at(s));
            }
        } else if (type == QLatin1String("GeometryInstance")) {
            skip("geometry template (GeometryInstance) not supported");
        } else {
            skip("unsupported geometry " + (type.isEmpty() ? std::string("(no type)") : type.toStdString()));
        }
    }

    void readCityObjects(const QJsonObject& cityObjects, std::size_t base, std::size_t vertexEnd) {
        for (auto it = cityObjects.begin(); it != cityObjects.end(); ++it) {
            ++document.cityObjects;
            const QJsonObject o = it.value().toObject();
            const QString type = o.value(QLatin1String("type")).toString();
            if (type != QLatin1String("Building") && type != QLatin1String("BuildingPart")) continue;
            CityJsonDocument::Object object;
            object.id = it.key().toStdString();
            object.type = type.toStdString();
            const QJsonArray parents = o.value(QLatin1String("parents")).toArray();
            if (!parents.isEmpty()) object.parent = parents.first().toString().toStdString();
            for (const QJsonValue& child : o.value(QLatin1String("children")).toArray())
                object.children.push_back(child.toString().toStdString());
            const QJsonObject attributes = o.value(QLatin1String("attributes")).toObject();
            for (auto a = attributes.begin(); a != attributes.end(); ++a) {
                if (a.value().isNull()) continue;
                object.attributes.emplace_back(a.key().toStdString(), attributeText(a.value()));
            }
            // The geometry of the highest LoD.
            const QJsonArray geometries = o.value(QLatin1String("geometry")).toArray();
            qsizetype best = -1;
            double bestLod = -2.0;
            for (qsizetype g = 0; g < geometries.size(); ++g) {
                const double lod = lodOf(geometries[g].toObject().value(QLatin1String("lod")));
                if (lod > bestLod) {
                    bestLod = lod;
                    best = g;
                }
            }
            if (best >= 0) {
                const QJsonObject geometry = geometries[best].toObject();
                object.lod = attributeText(geometry.value(QLatin1String("lod")));
                readGeometry(geometry, base, vertexEnd, object);
            }
            document.objects.push_back(std::move(object));
        }
    }

    std::string readReferenceSystem(const QJsonObject& root) {
        const QString system = root.value(QLatin1String("metadata")).toObject().value(QLatin1String("referenceSystem")).toString();
        if (system.isEmpty()) return {};
        static const QRegularExpression epsg(QStringLiteral("EPSG(?:/\\d+/|::?)(\\d+)"), QRegularExpression::CaseInsensitiveOption);
        const auto match = epsg.match(system);
        return match.hasMatch() ? "EPSG:" + match.captured(1).toStdString() : system.toStdString();
    }

    std::string readHeader(const QJsonObject& root, const std::string& where) {
        if (root.value(QLatin1String("type")).toString() != QLatin1String("CityJSON")) {
            return path + ": " + where + "not CityJSON (\"type\" is not \"CityJSON\")";
        }
        document.version = root.value(QLatin1String("version")).toString().toStdString();
        if (!(document.version.starts_with("1.") || document.version.starts_with("2."))) {
            return path + ": " + where + "CityJSON version '" + document.version + "' is not supported (1.x, 2.0)";
        }
        document.referenceSystem = readReferenceSystem(root);
        return readTransform(root);
    }
};

}  // namespace

Result<CityJsonDocument> parseCityJson(const QByteArray& bytes, const std::string& path) {
    CityJsonDocument document;
    Parser parser{document, path};
    QJsonParseError error;
    QJsonDocument json = QJsonDocument::fromJson(bytes, &error);
    if (error.error == QJsonParseError::NoError) {
        if (!json.isObject()) return Error{path + ": expected a CityJSON object"};
        const QJsonObject root = json.object();
        if (auto message = parser.readHeader(root, ""); !message.empty()) return Error{message};
        if (!root.value(QLatin1String("CityObjects")).isObject()) return Error{path + ": CityObjects: expected an object"};
        if (!root.value(QLatin1String("vertices")).isArray()) return Error{path + ": vertices: expected an array"};
        if (auto message = parser.readVertices(root.value(QLatin1String("vertices")).toArray(), ""); !message.empty()) {
            return Error{message};
        }
        parser.readCityObjects(root.value(QLatin1String("CityObjects")).toObject(), 0, document.vertices.size());
        return document;
    }
    // CityJSONSeq: a CityJSON header line, then one CityJSONFeature per line.
    const qsizetype firstEnd = bytes.indexOf('\n');
    QJsonParseError headerError;
    const QJsonDocument header = QJsonDocument::fromJson(bytes.left(firstEnd < 0 ? bytes.size() : firstEnd), &headerError);
    if (firstEnd < 0 || headerError.error != QJsonParseError::NoError || !header.isObject()) {
        return Error{path + ":" + lineAndColumn(bytes, error.offset) + ": invalid JSON: " + error.errorString().toStdString()};
    }
    if (auto message = parser.readHeader(header.object(), "line 1: "); !message.empty()) return Error{message};
    int line = 1;
    for (qsizetype start = firstEnd + 1; start < bytes.size();) {
        qsizetype end = bytes.indexOf('\n', start);
        if (end < 0) end = bytes.size();
        ++line;
        const QByteArray text = bytes.mid(start, end - start);
        start = end + 1;
        if (text.trimmed().isEmpty()) continue;
        const std::string where = "line " + std::to_string(line) + ": ";
        QJsonParseError featureError;
        const QJsonDocument feature = QJsonDocument::fromJson(text, &featureError);
        if (featureError.error != QJsonParseError::NoError || !feature.isObject()) {
            return Error{path + ":" + std::to_string(line) + ":" + std::to_string(featureError.offset + 1) +
                         ": invalid JSON: " + featureError.errorString().toStdString()};
        }
        const QJsonObject f = feature.object();
        if (f.value(QLatin1String("type")).toString() != QLatin1String("CityJSONFeature")) {
            return Error{path + ": " + where + "expected a CityJSONFeature"};
        }
        const std::size_t base = document.vertices.size();
        if (auto message = parser.readVertices(f.value(QLatin1String("vertices")).toArray(), where); !message.empty()) {
            return Error{message};
        }
        parser.readCityObjects(f.value(QLatin1String("CityObjects")).toObject(), base, document.vertices.size());
    }
    return document;
}

}  // namespace ut
