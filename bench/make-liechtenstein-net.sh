#!/usr/bin/env bash
# Builds the SUMO network of the Liechtenstein OSM extract for `urbantwin-bench traffic --net … --routes random`:
#   bench/make-liechtenstein-net.sh OUT_DIR   →   OUT_DIR/li.net.xml
# Needs osmium-tool and sumo (netconvert) from Debian: apt-get install osmium-tool sumo
set -euo pipefail
out="${1:?usage: $0 OUT_DIR}"
here="$(cd "$(dirname "$0")" && pwd)"
pbf="$here/../../shared/data/osm/liechtenstein-2013-08-03.osm.pbf"
mkdir -p "$out"
osmium cat "$pbf" -o "$out/li.osm" -O
# --xml-validation never: Debian's sumo has no SUMO_HOME with the schemas netconvert's built-in type map wants
netconvert --osm-files "$out/li.osm" -o "$out/li.net.xml" --xml-validation never \
  --keep-edges.by-vclass passenger --remove-edges.isolated --geometry.remove --roundabouts.guess \
  --ramps.guess --junctions.join --tls.guess-signals --tls.discard-simple --tls.join --no-warnings --seed 1
