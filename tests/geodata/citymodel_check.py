#!/usr/bin/env python3
"""Independent checks for test_citymodels: python's json and ElementTree, not our parsers.

usage: citymodel_check.py COMMAND FILE [ARG]
"""
import sys


# "buildings parts roofs walls grounds" of a CityJSON file, semantics as it declares them
def count():
    import json, sys
    d = json.load(open(sys.argv[2]))
    objs = d['CityObjects'].values()
    types = {'RoofSurface': 0, 'WallSurface': 0, 'GroundSurface': 0}
    def walk(v, surfaces):
        if isinstance(v, list):
            for x in v: walk(x, surfaces)
        elif isinstance(v, int) and surfaces[v]['type'] in types:
            types[surfaces[v]['type']] += 1
    for o in objs:
        if o['type'] not in ('Building', 'BuildingPart') or not o.get('geometry'): continue
        g = max(o['geometry'], key=lambda g: float(g.get('lod', 0)))
        sem = g.get('semantics')
        if sem: walk(sem['values'], sem['surfaces'])
    print(sum(o['type'] == 'Building' for o in objs), sum(o['type'] == 'BuildingPart' for o in objs),
          types['RoofSurface'], types['WallSurface'], types['GroundSurface'])


# lowest and highest z of a CityJSON Building and its parts: "min max"
def zrange():
    import json, sys
    d = json.load(open(sys.argv[2])); o = d['CityObjects']; s = d['transform']['scale']; t = d['transform']['translate']
    ids = [sys.argv[3]] + o[sys.argv[3]].get('children', [])
    zs = []
    def walk(v):
        if isinstance(v, list):
            for x in v: walk(x)
        else: zs.append(d['vertices'][v][2] * s[2] + t[2])
    for i in ids:
        for g in o[i].get('geometry', []): walk(g['boundaries'])
    print(min(zs), max(zs))


# area seen from above of the top surfaces of an LoD1 CityJSON solid (its footprint)
def roofarea():
    import json, sys
    d = json.load(open(sys.argv[2])); s = d['transform']['scale']; t = d['transform']['translate']
    g = d['CityObjects'][sys.argv[3]]['geometry'][0]
    P = lambda i: [d['vertices'][i][k] * s[k] + t[k] for k in range(3)]
    faces = [[P(i) for i in f[0]] for f in g['boundaries'][0]]
    top = max(p[2] for f in faces for p in f)
    area = 0.0
    for f in faces:
        if all(abs(p[2] - top) < 1e-6 for p in f):
            area += abs(sum(f[i][0] * f[(i + 1) % len(f)][1] - f[(i + 1) % len(f)][0] * f[i][1] for i in range(len(f)))) / 2
    print(area)


# CityJSON -> CityJSONSeq: the header, then one CityJSONFeature per Building with its parts and own vertices
def toseq():
    import json, sys
    d = json.load(open(sys.argv[2])); out = open(sys.argv[3], 'w')
    header = {k: v for k, v in d.items() if k not in ('CityObjects', 'vertices')}
    header['CityObjects'] = {}; header['vertices'] = []
    out.write(json.dumps(header) + '\n')
    for bid, b in d['CityObjects'].items():
        if b['type'] != 'Building': continue
        objs = {i: json.loads(json.dumps(d['CityObjects'][i])) for i in [bid] + b.get('children', [])}
        remap = {}
        def walk(v):
            if isinstance(v, list): return [walk(x) for x in v]
            remap.setdefault(v, len(remap)); return remap[v]
        for o in objs.values():
            for g in o.get('geometry', []): g['boundaries'] = walk(g['boundaries'])
        verts = [None] * len(remap)
        for old, new in remap.items(): verts[new] = d['vertices'][old]
        out.write(json.dumps({'type': 'CityJSONFeature', 'id': bid, 'CityObjects': objs, 'vertices': verts}) + '\n')


# CityGML with ElementTree: "buildings parts roofPolygons wallPolygons groundPolygons"
def gmlcount():
    import sys, xml.etree.ElementTree as ET
    root = ET.parse(sys.argv[2]).getroot()
    local = lambda e: e.tag.rsplit('}', 1)[-1]
    count = lambda name: sum(1 for e in root.iter() if local(e) == name)
    polygons = lambda name: sum(1 for e in root.iter() if local(e) == name for p in e.iter() if local(p) == 'Polygon')
    print(count('Building'), count('BuildingPart'), polygons('RoofSurface'), polygons('WallSurface'), polygons('GroundSurface'))


if __name__ == "__main__":
    globals()[sys.argv[1]]()
