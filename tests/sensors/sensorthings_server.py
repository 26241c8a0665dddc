#!/usr/bin/env python3
"""A small OGC SensorThings API (Part 1: Sensing, v1.1 and v1.0) server for the tests.

It serves Things at three Seoul S-DoT sensor locations, each with two Datastreams of the
Seoul-wide hourly air-quality series (tests/data/sensors/sensorthings/SOURCE.md), read-only
except for creating Observations (POST .../Datastreams(id)/Observations), which is how a test
appends new ones. Query options honoured: $top, $skip, $count, $orderby (phenomenonTime, id),
$filter (phenomenonTime gt|ge|lt|le|eq <ISO 8601>, joined by "and"), $expand (with nested
options, e.g. Datastreams($expand=ObservedProperty;$top=1)), $select. Collections carry
@iot.nextLink while more entities remain, expanded collections X@iot.nextLink likewise.

Prints "listening on PORT" once it accepts connections. Faults for the error tests:
--fault http500 | malformed | nextlink-loop | hang | missing-fields, --fail-first N (503 for the first N requests).
"""

import argparse
import csv
import datetime
import json
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SERVICE_PREFIX = "/FROST-Server/"
VERSIONS = ("v1.0", "v1.1")

UNIT_UG_M3 = {"name": "Microgram per cubic metre", "symbol": "µg/m³",
              "definition": "http://qudt.org/vocab/unit/MicroGM-PER-M3"}
UNIT_PPM = {"name": "Parts per million", "symbol": "ppm", "definition": "http://qudt.org/vocab/unit/PPM"}

# (CSV column, observed property, unit) per datastream; two per Thing in Thing order.
SERIES = [
    (2, ("PM2.5", "http://vocabs.lter-europe.net/EnvThes/22084", "Particulate matter below 2.5 µm"), UNIT_UG_M3),
    (3, ("PM10", "http://vocabs.lter-europe.net/EnvThes/22085", "Particulate matter below 10 µm"), UNIT_UG_M3),
    (4, ("O3", "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/7", "Ozone"), UNIT_PPM),
    (5, ("NO2", "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/8", "Nitrogen dioxide"), UNIT_PPM),
    (6, ("CO", "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/10", "Carbon monoxide"), UNIT_PPM),
    (7, ("SO2", "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/1", "Sulphur dioxide"), UNIT_PPM),
]

KST = datetime.timezone(datetime.timedelta(hours=9))


class BadRequest(Exception):
    pass


class NotFound(Exception):
    pass


def format_time(ms):
    instant = datetime.datetime.fromtimestamp(ms / 1000.0, tz=datetime.timezone.utc)
    if ms % 1000:
        return instant.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text):
    text = text.strip()
    if "/" in text:
        text = text.split("/")[0]
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    instant = datetime.datetime.fromisoformat(text)
    if instant.tzinfo is None:
        raise ValueError("time without offset")
    return int(round(instant.timestamp() * 1000))


def csv_number(text):
    return float(text) if "." in text else int(text)


def kst_hour_to_ms(text):
    # "2018-01-01 24:00" is the Korean convention for 2018-01-02 00:00 KST.
    day, clock = text.split(" ")
    hour = int(clock.split(":")[0])
    start = datetime.datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=KST)
    return int((start + datetime.timedelta(hours=hour)).timestamp() * 1000)


class Store:
    def __init__(self, data_dir, hours, string_ids):
        self.lock = threading.Lock()
        self.string_ids = string_ids
        self.things, self.locations, self.datastreams, self.properties = [], [], [], []
        self.observations = []
        self.sensor = {"id": self.key("sensor", 1), "name": "Seoul air-quality average",
                       "description": "서울시 평균 (Seoul Metropolitan Government)",
                       "encodingType": "text/html", "metadata": "https://cleanair.seoul.go.kr/airquality/localAvg"}
        with open(f"{data_dir}/sdot_sensor_locations_3.csv", encoding="utf-8") as handle:
            sites = list(csv.reader(handle))[1:]
        for index, (serial, latitude, longitude) in enumerate(sites):
            number = index + 1
            point = {"type": "Point", "coordinates": [float(longitude), float(latitude)]}
            # The third site uses the GeoJSON Feature form a Location may also take.
            geometry = point if number < 3 else {"type": "Feature", "properties": {}, "geometry": point}
            self.locations.append({"id": self.key(f"loc-{serial}", number), "name": f"S-DoT {serial}",
                                   "description": "S-DoT sensor site", "encodingType": "application/geo+json",
                                   "location": geometry, "thing": index})
            self.things.append({"id": self.key(f"sdot-{serial}", number), "name": f"S-DoT {serial}",
                                "description": "Seoul S-DoT street sensor site",
                                "properties": {"serial": serial}, "location": index})
        for index, (column, (name, definition, description), unit) in enumerate(SERIES):
            number = index + 1
            thing = index // 2
            serial = self.things[thing]["properties"]["serial"]
            self.properties.append({"id": self.key(f"prop-{name}", number), "name": name,
                                    "definition": definition, "description": description})
            self.datastreams.append({
                "id": self.key(f"{serial}-{name}", number), "name": f"{name} at S-DoT {serial}",
                "description": f"Hourly {name}, Seoul-wide average", "column": column,
                "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
                "unitOfMeasurement": unit, "thing": thing, "property": index})
        with open(f"{data_dir}/seoul-air_hourly_2018-01-01_300h.csv", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))[1:hours + 1]
        for datastream in range(len(self.datastreams)):
            column = self.datastreams[datastream]["column"]
            for row in rows:
                if row[column] != "-":
                    self.add_observation(datastream, kst_hour_to_ms(row[1]), csv_number(row[column]))

    def key(self, text, number):
        return text if self.string_ids else number

    def add_observation(self, datastream, time_ms, result):
        serial = len(self.observations) + 1
        observation = {"id": self.key(f"obs-{serial}", serial), "datastream": datastream,
                       "phenomenonTime": time_ms, "result": result}
        self.observations.append(observation)
        return observation


def format_key(key):
    if isinstance(key, str):
        return "'" + key.replace("'", "''") + "'"
    return str(key)


def parse_key(text):
    if text.startswith("'") and text.endswith("'") and len(text) >= 2:
        return text[1:-1].replace("''", "'")
    try:
        return int(text)
    except ValueError:
        raise BadRequest(f"invalid entity id {text}")


def split_top_level(text, separator):
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == separator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    if current:
        parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def parse_options(pairs):
    options = {}
    for name, value in pairs:
        if name == "$expand":
            options["$expand"] = parse_expand(value)
        else:
            options[name] = value
    return options


def parse_expand(text):
    expand = {}
    for item in split_top_level(text, ","):
        match = re.fullmatch(r"([A-Za-z]+)(?:\((.*)\))?", item)
        if not match:
            raise BadRequest(f"invalid $expand {item}")
        nested = []
        if match.group(2):
            for option in split_top_level(match.group(2), ";"):
                name, _, value = option.partition("=")
                nested.append((name, value))
        expand[match.group(1)] = parse_options(nested)
    return expand


def parse_filter(text):
    conditions = []
    for clause in re.split(r"\s+and\s+", text.strip()):
        match = re.fullmatch(r"phenomenonTime\s+(gt|ge|lt|le|eq)\s+(\S+)", clause.strip())
        if not match:
            raise BadRequest(f"unsupported $filter {clause}")
        try:
            conditions.append((match.group(1), parse_time(match.group(2))))
        except ValueError:
            raise BadRequest(f"invalid time in $filter {clause}")
    return conditions


COMPARE = {"gt": lambda a, b: a > b, "ge": lambda a, b: a >= b, "lt": lambda a, b: a < b,
           "le": lambda a, b: a <= b, "eq": lambda a, b: a == b}


class Api:
    """Resolves SensorThings resource paths and renders entities as the standard's JSON."""

    def __init__(self, store, root, max_top, expand_top):
        self.store, self.root, self.max_top, self.expand_top = store, root, max_top, expand_top

    # Entity sets: name -> (list, singular type)
    def entity_set(self, name):
        store = self.store
        sets = {"Things": (store.things, "Thing"), "Locations": (store.locations, "Location"),
                "Datastreams": (store.datastreams, "Datastream"),
                "ObservedProperties": (store.properties, "ObservedProperty"),
                "Observations": (store.observations, "Observation"), "Sensors": ([store.sensor], "Sensor")}
        if name not in sets:
            raise NotFound(f"no entity set {name}")
        return sets[name]

    def navigate(self, kind, entity, name):
        """Returns (kind, list) for a to-many navigation, (kind, entity) for a to-one."""
        store = self.store
        index_of = lambda collection: next(i for i, e in enumerate(collection) if e is entity)
        if kind == "Thing" and name == "Datastreams":
            thing = index_of(store.things)
            return "Datastream", [d for d in store.datastreams if d["thing"] == thing]
        if kind == "Thing" and name == "Locations":
            return "Location", [store.locations[entity["location"]]]
        if kind == "Location" and name == "Things":
            return "Thing", [store.things[entity["thing"]]]
        if kind == "Datastream" and name == "Observations":
            datastream = index_of(store.datastreams)
            return "Observation", [o for o in store.observations if o["datastream"] == datastream]
        if kind == "Datastream" and name == "Thing":
            return "Thing", store.things[entity["thing"]]
        if kind == "Datastream" and name == "ObservedProperty":
            return "ObservedProperty", store.properties[entity["property"]]
        if kind == "Datastream" and name == "Sensor":
            return "Sensor", store.sensor
        if kind == "ObservedProperty" and name == "Datastreams":
            prop = index_of(store.properties)
            return "Datastream", [d for d in store.datastreams if d["property"] == prop]
        if kind == "Observation" and name == "Datastream":
            return "Datastream", store.datastreams[entity["datastream"]]
        raise NotFound(f"no navigation {kind}/{name}")

    NAVIGATIONS = {"Thing": ["Locations", "HistoricalLocations", "Datastreams"],
                   "Location": ["Things", "HistoricalLocations"],
                   "Datastream": ["Thing", "Sensor", "ObservedProperty", "Observations"],
                   "ObservedProperty": ["Datastreams"], "Sensor": ["Datastreams"],
                   "Observation": ["Datastream", "FeatureOfInterest"]}
    SET_NAMES = {"Thing": "Things", "Location": "Locations", "Datastream": "Datastreams",
                 "ObservedProperty": "ObservedProperties", "Observation": "Observations", "Sensor": "Sensors"}

    def self_link(self, kind, entity):
        return f"{self.root}/{self.SET_NAMES[kind]}({format_key(entity['id'])})"

    def properties_of(self, kind, entity):
        if self.store.missing_fields:
            return self.damaged_properties_of(kind, entity)
        return self.complete_properties_of(kind, entity)

    def damaged_properties_of(self, kind, entity):
        # What a careless client or a broken migration leaves behind: the second Datastream
        # without its unit, the second Location without coordinates, the sixth Observation
        # with a text result.
        properties = self.complete_properties_of(kind, entity)
        if kind == "Datastream" and entity is self.store.datastreams[1]:
            del properties["unitOfMeasurement"]
        if kind == "Location" and entity is self.store.locations[1]:
            properties["location"] = {"type": "Point"}
        if kind == "Observation" and entity is self.store.observations[5]:
            properties["result"] = "n/a"
        return properties

    def complete_properties_of(self, kind, entity):
        if kind == "Thing":
            return {"name": entity["name"], "description": entity["description"], "properties": entity["properties"]}
        if kind == "Location":
            return {k: entity[k] for k in ("name", "description", "encodingType", "location")}
        if kind == "Datastream":
            return {k: entity[k] for k in ("name", "description", "observationType", "unitOfMeasurement")}
        if kind == "ObservedProperty":
            return {k: entity[k] for k in ("name", "definition", "description")}
        if kind == "Sensor":
            return {k: entity[k] for k in ("name", "description", "encodingType", "metadata")}
        return {"phenomenonTime": format_time(entity["phenomenonTime"]), "resultTime": None,
                "result": entity["result"]}

    def render(self, kind, entity, options):
        link = self.self_link(kind, entity)
        document = {"@iot.id": entity["id"], "@iot.selfLink": link}
        document.update(self.properties_of(kind, entity))
        select = options.get("$select")
        if select:
            wanted = {name.strip() for name in select.split(",")}
            document = {k: v for k, v in document.items()
                        if k in wanted or (k.startswith("@iot.") and ("id" in wanted or "@iot.id" in wanted))}
        expand = options.get("$expand", {})
        for name in self.NAVIGATIONS[kind]:
            if name not in expand:
                if not select:
                    document[f"{name}@iot.navigationLink"] = f"{link}/{name}"
                continue
            target_kind, target = self.navigate(kind, entity, name)
            if isinstance(target, list):
                nested = expand[name]
                page = self.collection(target_kind, target, nested, f"{link}/{name}", self.expand_top)
                document[name] = page["value"]
                if "@iot.nextLink" in page:
                    document[f"{name}@iot.nextLink"] = page["@iot.nextLink"]
            else:
                document[name] = self.render(target_kind, target, expand[name])
        return document

    def collection(self, kind, entities, options, url, default_top):
        if kind == "Observation":
            for operator, instant in parse_filter(options["$filter"]) if "$filter" in options else []:
                entities = [e for e in entities if COMPARE[operator](e["phenomenonTime"], instant)]
            order = options.get("$orderby", "").strip()
            if order:
                field, _, direction = order.partition(" ")
                if field not in ("phenomenonTime", "id", "@iot.id"):
                    raise BadRequest(f"unsupported $orderby {order}")
                key = (lambda e: e["phenomenonTime"]) if field == "phenomenonTime" else (lambda e: e["id"])
                entities = sorted(entities, key=key, reverse=direction.strip() == "desc")
        elif "$filter" in options:
            raise BadRequest(f"unsupported $filter on {kind}")
        try:
            top = min(int(options.get("$top", default_top)), self.max_top)
            skip = int(options.get("$skip", 0))
        except ValueError:
            raise BadRequest("invalid $top or $skip")
        if top < 0 or skip < 0:
            raise BadRequest("negative $top or $skip")
        page = {}
        if options.get("$count") == "true":
            page["@iot.count"] = len(entities)
        if skip + top < len(entities):
            page["@iot.nextLink"] = self.next_link(url, options, skip + top, top)
        page["value"] = [self.render(kind, e, options) for e in entities[skip:skip + top]]
        return page

    def next_link(self, url, options, skip, top):
        pairs = [("$top", str(top)), ("$skip", str(skip))]
        for name, value in options.items():
            if name in ("$top", "$skip"):
                continue
            pairs.append((name, format_expand(value) if name == "$expand" else value))
        return url + "?" + urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote, safe="$(),'=;:")

    def resolve(self, segments):
        """Returns ("collection", kind, list, url) or ("entity", kind, entity)."""
        match = re.fullmatch(r"([A-Za-z]+)(?:\((.+)\))?", segments[0])
        if not match:
            raise NotFound(f"no resource {segments[0]}")
        entities, kind = self.entity_set(match.group(1))
        url = f"{self.root}/{match.group(1)}"
        if match.group(2) is None:
            if len(segments) > 1:
                raise NotFound("navigation from a collection")
            return ("collection", kind, entities, url)
        key = parse_key(match.group(2))
        found = next((e for e in entities if e["id"] == key), None)
        if found is None:
            raise NotFound(f"no {kind} {match.group(2)}")
        current = ("entity", kind, found)
        for segment in segments[1:]:
            if current[0] != "entity":
                raise NotFound("navigation from a collection")
            target_kind, target = self.navigate(current[1], current[2], segment)
            link = self.self_link(current[1], current[2])
            current = (("collection", target_kind, target, f"{link}/{segment}") if isinstance(target, list)
                       else ("entity", target_kind, target))
        return current


def format_expand(expand):
    items = []
    for name, nested in expand.items():
        inner = ";".join(f"{k}={format_expand(v) if k == '$expand' else v}" for k, v in nested.items())
        items.append(f"{name}({inner})" if inner else name)
    return ",".join(items)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "UrbanTwinTestSTA/1.0"

    def log_message(self, *args):
        pass

    def send(self, status, body, extra_headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True

    def error(self, status, message):
        self.send(status, {"code": status, "type": "error", "message": message})

    def split_path(self):
        parsed = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(parsed.path)
        if not path.startswith(SERVICE_PREFIX):
            raise NotFound("not under the service root")
        rest = path[len(SERVICE_PREFIX):].strip("/").split("/")
        if rest[0] not in VERSIONS:
            raise NotFound("unknown version")
        root = f"http://{self.server.host}:{self.server.server_port}{SERVICE_PREFIX}{rest[0]}"
        pairs = urllib.parse.parse_qsl(parsed.query, keep_blank_values=True)
        return root, [segment for segment in rest[1:] if segment], pairs

    def injected_fault(self):
        server = self.server
        with server.store.lock:
            server.requests += 1
            failing = server.requests <= server.fail_first
        if failing:
            self.error(503, "Service temporarily unavailable (test)")
            return True
        if server.fault == "http500":
            self.error(500, "Internal server error (test)")
            return True
        if server.fault == "malformed":
            self.send(200, b'{"@iot.nextLink": "x", "value": [{"@iot.id": 1, "name": ')
            return True
        if server.fault == "hang":
            time.sleep(60)
            return True
        return False

    def do_GET(self):
        if self.injected_fault():
            return
        try:
            root, segments, pairs = self.split_path()
            api = Api(self.server.store, root, self.server.max_top, self.server.expand_top)
            with self.server.store.lock:
                if not segments:
                    self.send(200, service_document(root))
                    return
                resolved = api.resolve(segments)
                options = parse_options(pairs)
                if resolved[0] == "collection":
                    _, kind, entities, url = resolved
                    page = api.collection(kind, entities, options, url, self.server.default_top)
                    if self.server.fault == "nextlink-loop":
                        page["@iot.nextLink"] = f"http://{self.server.host}:{self.server.server_port}{self.path}"
                    self.send(200, page)
                else:
                    self.send(200, api.render(resolved[1], resolved[2], options))
        except BadRequest as problem:
            self.error(400, str(problem))
        except NotFound as problem:
            self.error(404, str(problem))

    def do_POST(self):
        try:
            root, segments, _ = self.split_path()
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"null")
            api = Api(self.server.store, root, self.server.max_top, self.server.expand_top)
            with self.server.store.lock:
                resolved = api.resolve(segments)
                if resolved[0] != "collection" or resolved[1] != "Observation" or len(segments) != 2:
                    raise BadRequest("only Datastreams(id)/Observations accepts POST here")
                datastream_key = parse_key(re.fullmatch(r"Datastreams\((.+)\)", segments[0]).group(1))
                datastream = next(i for i, d in enumerate(self.server.store.datastreams)
                                  if d["id"] == datastream_key)
                if not isinstance(body, dict) or "result" not in body:
                    raise BadRequest("an Observation needs a result")
                instant = parse_time(body["phenomenonTime"]) if "phenomenonTime" in body else int(time.time() * 1000)
                observation = self.server.store.add_observation(datastream, instant, body["result"])
                document = api.render("Observation", observation, {})
            self.send(201, document, [("Location", document["@iot.selfLink"])])
        except (BadRequest, ValueError, KeyError) as problem:
            self.error(400, str(problem))
        except NotFound as problem:
            self.error(404, str(problem))


def service_document(root):
    names = ["Datastreams", "MultiDatastreams", "FeaturesOfInterest", "HistoricalLocations", "Locations",
             "Observations", "ObservedProperties", "Sensors", "Things"]
    return {"value": [{"name": name, "url": f"{root}/{name}"} for name in names],
            "serverSettings": {"conformance": [
                "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
                "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities",
                "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data",
                "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete"]}}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True, help="tests/data/sensors/sensorthings")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--hours", type=int, default=300)
    parser.add_argument("--string-ids", action="store_true")
    parser.add_argument("--default-top", type=int, default=100)
    parser.add_argument("--max-top", type=int, default=10000)
    parser.add_argument("--expand-top", type=int, default=100)
    parser.add_argument("--fault", choices=["none", "http500", "malformed", "nextlink-loop", "hang", "missing-fields"], default="none")
    parser.add_argument("--fail-first", type=int, default=0)
    arguments = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), Handler)
    server.daemon_threads = True
    server.host = "127.0.0.1"
    server.store = Store(arguments.data, arguments.hours, arguments.string_ids)
    server.store.missing_fields = arguments.fault == "missing-fields"
    server.default_top, server.max_top, server.expand_top = (arguments.default_top, arguments.max_top,
                                                             arguments.expand_top)
    server.fault, server.fail_first, server.requests = arguments.fault, arguments.fail_first, 0
    print(f"listening on {server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
