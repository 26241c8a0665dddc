#include <QJsonDocument>
#include <QRegularExpression>
#include <cmath>
#include <limits>

#include "FlatJson.h"

#include "ut/geodata/TextPosition.h"
#include "ut/geodata/CityJsonLoader.h"

namespace ut {

namespace {

using Node = FlatJson::Node;

SurfaceType surfaceTypeOf(std::string_view type) {
    if (type == "RoofSurface") return SurfaceType::Roof;
    if (type == "WallSurface") return SurfaceType::Wall;
    if (type == "GroundSurface") return SurfaceType::Ground;
    if (type == "ClosureSurface") return SurfaceType::Closure;
    return SurfaceType::Other;
}

std::string attributeText(const Node& value) {
    switch (value.kind) {
        case Node::Kind::String: return std::string(value.text);
        case Node::Kind::Number: return QString::number(value.number, 'g', 15).toStdString();
        case Node::Kind::True: return "true";
        case Node::Kind::False: return "false";
        case Node::Kind::Array:
        case Node::Kind::Object:
            return QJsonDocument::fromJson(QByteArray::fromRawData(value.text.data(), static_cast<qsizetype>(value.text.size())))
                .toJson(QJsonDocument::Compact)
                .toStdString();
        default: return {};
    }
}

double lodOf(const Node& lod) {
    if (lod.isNumber()) return lod.number;
    bool ok = false;
    const double v = lod.isString() ? QString::fromUtf8(lod.text.data(), static_cast<qsizetype>(lod.text.size())).toDouble(&ok) : 0.0;
    return ok ? v : -1.0;
}

// QJsonValue::toInt: an integral number in int range, else fallback.
int intOf(const Node& value, int fallback) {
    if (!value.isNumber()) return fallback;
    const double v = value.number;
    if (!(v >= std::numeric_limits<int>::min() && v <= std::numeric_limits<int>::max()) || v != std::floor(v)) return fallback;
    return static_cast<int>(v);
}

std::string stringOf(const Node& value) { return value.isString() ? std::string(value.text) : std::string(); }

struct Parser {
    CityJsonDocument& document;
    const std::string& path;
    const FlatJson* json = nullptr;
    Eigen::Vector3d scale{1.0, 1.0, 1.0};
    Eigen::Vector3d translate{0.0, 0.0, 0.0};

    void skip(const std::string& reason) { ++document.skipReasons[reason]; }
    const Node& member(const Node& object, std::string_view key) const { return json->member(object, key); }

    std::string readTransform(const Node& root) {
        const Node& transform = member(root, "transform");
        if (transform.kind == Node::Kind::Null && !hasMember(root, "transform")) return {};
        const auto s = json->elements(member(transform, "scale"));
        const auto t = json->elements(member(transform, "translate"));
        if (s.size() != 3 || t.size() != 3) return path + ": transform: expected scale and translate of 3 numbers each";
        for (int i = 0; i < 3; ++i) {
            if (!s[i].isNumber() || !t[i].isNumber() || !std::isfinite(s[i].number) || s[i].number == 0.0 ||
                !std::isfinite(t[i].number)) {
                return path + ": transform: expected finite numbers and a scale other than 0";
            }
            scale[i] = s[i].number;
            translate[i] = t[i].number;
        }
        return {};
    }

    bool hasMember(const Node& object, std::string_view key) const {
        const auto all = json->members(object);
        for (std::size_t i = 0; i < all.size(); i += 2)
            if (all[i].text == key) return true;
        return false;
    }

    // Appends vertices; returns an error message or empty.
    std::string readVertices(const Node& verticesNode, const std::string& where) {
        const auto vertices = json->elements(verticesNode);
        document.vertices.reserve(document.vertices.size() + vertices.size());
        for (std::size_t i = 0; i < vertices.size(); ++i) {
            const auto v = json->elements(vertices[i]);
            if (v.size() != 3 || !v[0].isNumber() || !v[1].isNumber() || !v[2].isNumber()) {
                return path + ": " + where + "vertices[" + std::to_string(i) + "]: expected [x, y, z]";
            }
            const Eigen::Vector3d p(v[0].number * scale.x() + translate.x(), v[1].number * scale.y() + translate.y(),
                                    v[2].number * scale.z() + translate.z());
            if (!p.allFinite()) return path + ": " + where + "vertices[" + std::to_string(i) + "]: not a finite number";
            document.vertices.push_back(p);
        }
        return {};
    }

    // One surface: [[ring of vertex indices], [hole] …]. Indices are offset by base (CityJSONSeq).
    bool readSurface(const Node& value, SurfaceType type, std::size_t base, std::size_t vertexEnd,
                     CityJsonDocument::Object& object) {
        if (!value.isArray()) {
            skip("malformed surface");
            return false;
        }
        CityJsonDocument::Surface surface;
        surface.type = type;
        const auto rings = json->elements(value);
        for (std::size_t r = 0; r < rings.size(); ++r) {
            const auto ring = json->elements(rings[r]);
            std::vector<std::uint32_t> indices;
            indices.reserve(ring.size());
            for (const Node& index : ring) {
                const double i = index.isNumber() ? index.number : -1.0;
                if (!(i >= 0.0 && i < static_cast<double>(vertexEnd - base)) || i != std::floor(i)) {
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
    void readGeometry(const Node& geometry, std::size_t base, std::size_t vertexEnd, CityJsonDocument::Object& object) {
        const std::string_view type = member(geometry, "type").isString() ? member(geometry, "type").text : std::string_view();
        const Node& boundaries = member(geometry, "boundaries");
        const Node& semantics = member(geometry, "semantics");
        const auto semanticSurfaces = json->elements(member(semantics, "surfaces"));
        const Node& values = member(semantics, "values");
        auto typeOf = [&](const Node& value) {
            if (!value.isNumber()) return SurfaceType::Other;
            const int i = intOf(value, -1);
            if (i < 0 || static_cast<std::size_t>(i) >= semanticSurfaces.size()) return SurfaceType::Other;
            const Node& surfaceType = member(semanticSurfaces[static_cast<std::size_t>(i)], "type");
            return surfaceTypeOf(surfaceType.isString() ? surfaceType.text : std::string_view());
        };
        auto readShell = [&](const Node& shellNode, const Node& shellValues) {
            const auto shell = json->elements(shellNode);
            for (std::size_t s = 0; s < shell.size(); ++s) readSurface(shell[s], typeOf(json->at(shellValues, s)), base, vertexEnd, object);
        };
        if (type == "MultiSurface" || type == "CompositeSurface") {
            readShell(boundaries, values);
        } else if (type == "Solid") {
            const auto shells = json->elements(boundaries);
            for (std::size_t s = 0; s < shells.size(); ++s) readShell(shells[s], json->at(values, s));
        } else if (type == "MultiSolid" || type == "CompositeSolid") {
            const auto solids = json->elements(boundaries);
            for (std::size_t solid = 0; solid < solids.size(); ++solid) {
                const auto shells = json->elements(solids[solid]);
                const Node& solidValues = json->at(values, solid);
                for (std::size_t s = 0; s < shells.size(); ++s) readShell(shells[s], json->at(solidValues, s));
            }
        } else if (type == "GeometryInstance") {
            skip("geometry template (GeometryInstance) not supported");
        } else {
            skip("unsupported geometry " + (type.empty() ? std::string("(no type)") : std::string(type)));
        }
    }

    void readCityObjects(const Node& cityObjects, std::size_t base, std::size_t vertexEnd) {
        const auto all = json->members(cityObjects);
        for (std::size_t m = 0; m < all.size(); m += 2) {
            ++document.cityObjects;
            const Node& o = all[m + 1];
            const Node& typeNode = member(o, "type");
            const std::string_view type = typeNode.isString() ? typeNode.text : std::string_view();
            if (type != "Building" && type != "BuildingPart") continue;
            CityJsonDocument::Object object;
            object.id = std::string(all[m].text);
            object.type = std::string(type);
            const auto parents = json->elements(member(o, "parents"));
            if (!parents.empty()) object.parent = stringOf(parents.front());
            for (const Node& child : json->elements(member(o, "children"))) object.children.push_back(stringOf(child));
            const auto attributes = json->members(member(o, "attributes"));
            for (std::size_t a = 0; a < attributes.size(); a += 2) {
                if (attributes[a + 1].kind == Node::Kind::Null) continue;
                object.attributes.emplace_back(std::string(attributes[a].text), attributeText(attributes[a + 1]));
            }
            // The geometry of the highest LoD.
            const auto geometries = json->elements(member(o, "geometry"));
            const Node* best = nullptr;
            double bestLod = -2.0;
            for (const Node& geometry : geometries) {
                const double lod = lodOf(member(geometry, "lod"));
                if (lod > bestLod) {
                    bestLod = lod;
                    best = &geometry;
                }
            }
            if (best) {
                object.lod = attributeText(member(*best, "lod"));
                readGeometry(*best, base, vertexEnd, object);
            }
            document.objects.push_back(std::move(object));
        }
    }

    std::string readReferenceSystem(const Node& root) {
        const std::string system = stringOf(member(member(root, "metadata"), "referenceSystem"));
        if (system.empty()) return {};
        static const QRegularExpression epsg(QStringLiteral("EPSG(?:/\\d+/|::?)(\\d+)"), QRegularExpression::CaseInsensitiveOption);
        const auto match = epsg.match(QString::fromStdString(system));
        return match.hasMatch() ? "EPSG:" + match.captured(1).toStdString() : system;
    }

    std::string readHeader(const Node& root, const std::string& where) {
        if (stringOf(member(root, "type")) != "CityJSON") {
            return path + ": " + where + "not CityJSON (\"type\" is not \"CityJSON\")";
        }
        document.version = stringOf(member(root, "version"));
        if (!(document.version.starts_with("1.") || document.version.starts_with("2."))) {
            return path + ": " + where + "CityJSON version '" + document.version + "' is not supported (1.x, 2.0)";
        }
        document.referenceSystem = readReferenceSystem(root);
        return readTransform(root);
    }
};

// Our reader, and QJsonDocument where it declines (and for the error message).
bool readJson(const QByteArray& bytes, FlatJson& json, FlatJsonError& error) {
    if (readFlatJson(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())), json)) return true;
    return flatJsonFromQt(bytes, json, error);
}

}  // namespace

Result<CityJsonDocument> parseCityJson(const QByteArray& bytes, const std::string& path) {
    CityJsonDocument document;
    Parser parser{document, path};
    FlatJson json;
    parser.json = &json;
    FlatJsonError error;
    if (readJson(bytes, json, error)) {
        if (!json.root.isObject()) return Error{path + ": expected a CityJSON object"};
        const Node& root = json.root;
        if (auto message = parser.readHeader(root, ""); !message.empty()) return Error{message};
        if (!parser.member(root, "CityObjects").isObject()) return Error{path + ": CityObjects: expected an object"};
        if (!parser.member(root, "vertices").isArray()) return Error{path + ": vertices: expected an array"};
        if (auto message = parser.readVertices(parser.member(root, "vertices"), ""); !message.empty()) return Error{message};
        parser.readCityObjects(parser.member(root, "CityObjects"), 0, document.vertices.size());
        return document;
    }
    // CityJSONSeq: a CityJSON header line, then one CityJSONFeature per line.
    const qsizetype firstEnd = bytes.indexOf('\n');
    const QByteArray headerLine = bytes.left(firstEnd < 0 ? bytes.size() : firstEnd);
    FlatJson header;
    FlatJsonError headerError;
    if (firstEnd < 0 || !readJson(headerLine, header, headerError) || !header.root.isObject()) {
        return Error{path + ":" + lineAndColumn(bytes, error.offset) + ": invalid JSON: " + error.message};
    }
    parser.json = &header;
    if (auto message = parser.readHeader(header.root, "line 1: "); !message.empty()) return Error{message};
    int line = 1;
    FlatJson feature;
    parser.json = &feature;
    for (qsizetype start = firstEnd + 1; start < bytes.size();) {
        qsizetype end = bytes.indexOf('\n', start);
        if (end < 0) end = bytes.size();
        ++line;
        const QByteArray text = bytes.mid(start, end - start);
        start = end + 1;
        if (text.trimmed().isEmpty()) continue;
        const std::string where = "line " + std::to_string(line) + ": ";
        FlatJsonError featureError;
        if (!readJson(text, feature, featureError) || !feature.root.isObject()) {
            return Error{path + ":" + std::to_string(line) + ":" + std::to_string(featureError.offset + 1) +
                         ": invalid JSON: " + featureError.message};
        }
        if (stringOf(parser.member(feature.root, "type")) != "CityJSONFeature") {
            return Error{path + ": " + where + "expected a CityJSONFeature"};
        }
        const std::size_t base = document.vertices.size();
        if (auto message = parser.readVertices(parser.member(feature.root, "vertices"), where); !message.empty()) {
            return Error{message};
        }
        parser.readCityObjects(parser.member(feature.root, "CityObjects"), base, document.vertices.size());
    }
    return document;
}

}  // namespace ut
