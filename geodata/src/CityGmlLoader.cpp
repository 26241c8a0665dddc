#include "ut/geodata/CityGmlLoader.h"

#include <QFile>
#include <QRegularExpression>
#include <QXmlStreamReader>
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "ModelBuilding.h"
#include "ut/geodata/CoordinateTransform.h"

namespace ut {

namespace {

SurfaceType boundaryTypeOf(QStringView name) {
    if (name == u"RoofSurface") return SurfaceType::Roof;
    if (name == u"WallSurface") return SurfaceType::Wall;
    if (name == u"GroundSurface") return SurfaceType::Ground;
    if (name == u"ClosureSurface") return SurfaceType::Closure;
    return SurfaceType::Other;
}

bool isBoundarySurface(QStringView name) {
    return name == u"RoofSurface" || name == u"WallSurface" || name == u"GroundSurface" || name == u"ClosureSurface" ||
           name == u"OuterCeilingSurface" || name == u"OuterFloorSurface" || name == u"FloorSurface" ||
           name == u"CeilingSurface" || name == u"InteriorWallSurface";
}

// "lod2MultiSurface" → 2; -1 when the name is no LoD geometry property.
int lodOf(QStringView name) {
    if (name.size() < 5 || !name.startsWith(u"lod") || !name[3].isDigit()) return -1;
    if (name.endsWith(u"MultiCurve") || name.endsWith(u"TerrainIntersection") || name.endsWith(u"ImplicitRepresentation"))
        return -1;
    return name[3].digitValue();
}

struct Surface {
    int lod = -1;
    CityJsonDocument::Surface surface;
};

struct Pending {
    int depth = 0;
    CityJsonDocument::Object object;
    std::vector<Surface> surfaces;
};

}  // namespace

Result<CityJsonDocument> parseCityGml(const QByteArray& bytes, const std::string& path) {
    CityJsonDocument document;
    QXmlStreamReader xml(bytes);
    std::vector<Pending> open;  // Building, BuildingPart nesting
    std::vector<Pending> done;
    SurfaceType boundary = SurfaceType::Other;
    int boundaryDepth = -1;
    int lod = -1;
    int lodDepth = -1;
    int depth = 0;
    CityJsonDocument::Surface polygon;
    bool inPolygon = false;
    int polygonDepth = -1;
    int srsDimension = 3;
    QString genericName;
    bool sawCityModel = false;
    auto skip = [&](const std::string& reason) { ++document.skipReasons[reason]; };
    while (!xml.atEnd()) {
        const auto token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            ++depth;
            const QStringView name = xml.name();
            const auto attributes = xml.attributes();
            if (depth == 1) sawCityModel = name == u"CityModel";
            if (document.referenceSystem.empty() && attributes.hasAttribute(QStringLiteral("srsName"))) {
                const QString srs = attributes.value(QStringLiteral("srsName")).toString();
                static const QRegularExpression epsg(QStringLiteral("EPSG[^0-9]*(\\d+)"), QRegularExpression::CaseInsensitiveOption);
                const auto match = epsg.match(srs);
                document.referenceSystem = match.hasMatch() ? "EPSG:" + match.captured(1).toStdString() : srs.toStdString();
            }
            if (attributes.hasAttribute(QStringLiteral("srsDimension"))) {
                srsDimension = attributes.value(QStringLiteral("srsDimension")).toInt();
            }
            if (name == u"Building" || name == u"BuildingPart") {
                ++document.cityObjects;
                Pending pending;
                pending.depth = depth;
                pending.object.type = name == u"Building" ? "Building" : "BuildingPart";
                pending.object.id = attributes.value(QStringLiteral("gml:id")).toString().toStdString();
                if (pending.object.id.empty()) pending.object.id = attributes.value(QStringLiteral("id")).toString().toStdString();
                if (pending.object.id.empty()) pending.object.id = pending.object.type + "#" + std::to_string(document.cityObjects);
                if (!open.empty()) {
                    pending.object.parent = open.back().object.id;
                    open.back().object.children.push_back(pending.object.id);
                }
                open.push_back(std::move(pending));
                continue;
            }
            if (open.empty()) continue;
            if (isBoundarySurface(name)) {
                boundary = boundaryTypeOf(name);
                boundaryDepth = depth;
            } else if (const int l = lodOf(name); l >= 0) {
                lod = l;
                lodDepth = depth;
            } else if (name == u"Polygon" || name == u"Triangle") {
                polygon = {};
                polygon.type = boundaryDepth >= 0 ? boundary : SurfaceType::Other;
                inPolygon = true;
                polygonDepth = depth;
            } else if (inPolygon && name == u"LinearRing") {
                polygon.rings.emplace_back();
            } else if (inPolygon && (name == u"posList" || name == u"pos")) {
                const QString text = xml.readElementText().simplified();
                --depth;  // readElementText consumed the end element
                const auto numbers = QStringView(text).split(u' ', Qt::SkipEmptyParts);
                const int dimension = srsDimension == 2 ? 2 : 3;
                if (polygon.rings.empty()) polygon.rings.emplace_back();
                std::vector<std::uint32_t>* ring = &polygon.rings.back();
                if (numbers.size() % dimension != 0) {
                    skip("coordinates not a multiple of the dimension");
                    inPolygon = false;
                    continue;
                }
                for (qsizetype i = 0; i + dimension <= numbers.size(); i += dimension) {
                    bool okX = false;
                    bool okY = false;
                    bool okZ = true;
                    const double x = numbers[i].toDouble(&okX);
                    const double y = numbers[i + 1].toDouble(&okY);
                    const double z = dimension == 3 ? numbers[i + 2].toDouble(&okZ) : 0.0;
                    if (!okX || !okY || !okZ || !std::isfinite(x) || !std::isfinite(y) || !std::isfinite(z)) {
                        skip("coordinate not a number");
                        inPolygon = false;
                        break;
                    }
                    ring->push_back(static_cast<std::uint32_t>(document.vertices.size()));
                    document.vertices.emplace_back(x, y, z);
                }
            } else if (name == u"stringAttribute" || name == u"intAttribute" || name == u"doubleAttribute" ||
                       name == u"dateAttribute" || name == u"uriAttribute" || name == u"measureAttribute") {
                genericName = attributes.value(QStringLiteral("name")).toString();
            } else if (name == u"value" && !genericName.isEmpty()) {
                const QString text = xml.readElementText();
                --depth;
                open.back().object.attributes.emplace_back(genericName.toStdString(), text.trimmed().toStdString());
                genericName.clear();
            } else if (!inPolygon && depth == open.back().depth + 1) {
                // A simple property directly under the building: measuredHeight, function, yearOfConstruction …
                static const QStringList simple = {QStringLiteral("measuredHeight"), QStringLiteral("function"),
                                                   QStringLiteral("usage"), QStringLiteral("class"),
                                                   QStringLiteral("yearOfConstruction"), QStringLiteral("roofType"),
                                                   QStringLiteral("storeysAboveGround"), QStringLiteral("name")};
                if (simple.contains(name.toString())) {
                    const QString key = xml.prefix() == u"gml" ? QStringLiteral("name") : name.toString();
                    const QString text = xml.readElementText(QXmlStreamReader::SkipChildElements);
                    --depth;
                    if (!text.trimmed().isEmpty()) open.back().object.attributes.emplace_back(key.toStdString(), text.trimmed().toStdString());
                }
            }
        } else if (token == QXmlStreamReader::EndElement) {
            const QStringView name = xml.name();
            if ((name == u"Building" || name == u"BuildingPart") && !open.empty()) {
                done.push_back(std::move(open.back()));
                open.pop_back();
            } else if (inPolygon && depth == polygonDepth) {
                inPolygon = false;
                for (auto& ring : polygon.rings)
                    if (ring.size() > 1 && document.vertices[ring.front()] == document.vertices[ring.back()]) ring.pop_back();
                if (polygon.rings.empty() || polygon.rings.front().size() < 3) {
                    skip("surface with fewer than 3 vertices");
                } else if (!open.empty()) {
                    open.back().surfaces.push_back({lod, std::move(polygon)});
                }
            }
            if (depth == boundaryDepth) boundaryDepth = -1;
            if (depth == lodDepth) {
                lod = -1;
                lodDepth = -1;
            }
            --depth;
        }
    }
    if (xml.hasError()) {
        return Error{path + ":" + std::to_string(xml.lineNumber()) + ":" + std::to_string(xml.columnNumber()) +
                     ": invalid XML: " + xml.errorString().toStdString()};
    }
    if (!sawCityModel) return Error{path + ": not CityGML (no CityModel root element)"};
    // Each object keeps the surfaces of its highest LoD.
    for (auto& pending : done) {
        int best = -1;
        for (const auto& s : pending.surfaces) best = std::max(best, s.lod);
        for (auto& s : pending.surfaces)
            if (s.lod == best) pending.object.surfaces.push_back(std::move(s.surface));
        if (best >= 0) pending.object.lod = std::to_string(best);
        document.objects.push_back(std::move(pending.object));
    }
    return document;
}

bool CityGmlLoader::isCityGml(const std::string& path) {
    const QString lower = QString::fromStdString(path).toLower();
    if (lower.endsWith(QStringLiteral(".citygml"))) return true;
    if (!lower.endsWith(QStringLiteral(".gml")) && !lower.endsWith(QStringLiteral(".xml"))) return false;
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly)) return false;
    const QByteArray head = file.read(8192);
    return head.contains("opengis.net/citygml");
}

Result<LoadReport> CityGmlLoader::load(const std::string& path, const LoadOptions& options, CityModel& model,
                                       Feedback* feedback) {
    QFile file(QString::fromStdString(path));
    if (!file.exists()) return Error{path + ": no such file"};
    if (!file.open(QIODevice::ReadOnly)) return Error{path + ": cannot read: " + file.errorString().toStdString()};
    auto parsed = parseCityGml(file.readAll(), path);
    if (!parsed) return Error{parsed.error()};
    CityJsonDocument& document = parsed.value();
    if (feedback && feedback->isCanceled()) return Error{path + ": loading canceled"};
    LoadReport report;
    report.path = path;
    report.driver = "CityGML";
    report.skipReasons = document.skipReasons;
    std::string crs = document.referenceSystem;
    if (crs.empty()) {
        if (!model.frame.hasCrs()) {
            return Error{path + ": no srsName in the file: name the CRS of its coordinates as the project frame "
                                "(e.g. \"frame\": {\"crs\": \"EPSG:25833\"} or info --frame EPSG:25833)"};
        }
        crs = model.frame.crs();
    }
    report.sourceCrs = crs;
    auto inFrame = planarVerticesInFrame(document.vertices, crs, model, path);
    if (!inFrame) return Error{inFrame.error()};
    std::vector<Eigen::Vector2d>& planar = inFrame.value();

    ModelBuilding builder(model, options.heights, report, planar, document.vertices);
    std::unordered_map<std::string, std::size_t> byId;
    for (std::size_t o = 0; o < document.objects.size(); ++o) byId.emplace(document.objects[o].id, o);
    for (auto& object : document.objects) {
        if (!object.parent.empty() && byId.contains(object.parent)) continue;  // a part, added with its building
        ModelBuilding::Item building{object.id, &object.attributes, &object.surfaces, {}};
        for (const auto& child : object.children) {
            const auto it = byId.find(child);
            if (it == byId.end()) continue;
            auto& part = document.objects[it->second];
            building.parts.push_back({part.id, &part.attributes, &part.surfaces, {}});
        }
        builder.add(building);
    }
    if (feedback) feedback->setProgress(1.0);
    return report;
}

}  // namespace ut
