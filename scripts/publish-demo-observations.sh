#!/usr/bin/env bash
# Publishes a live test signal for the demo's S-DoT sensors to an MQTT broker, as SensorThings
# observations (topic v1.1/Datastreams(<id>)/Observations), one round every few seconds.
#
# The values are real but not local: each round sends the Seoul-wide hourly average of PM2.5 and
# PM10 (data/demo/sensors/seoul-air_hourly_2022-03.csv, one row per round) to every sensor, stamped
# with the current time. It shows the live path — broker, feed, store, pins — not Jamsil's air.
#
# Usage: scripts/publish-demo-observations.sh [HOST] [PORT] [SECONDS_BETWEEN_ROUNDS]
# Needs mosquitto_pub (Debian: mosquitto-clients) and a broker, e.g. `mosquitto -p 1883`.
set -euo pipefail

host=${1:-127.0.0.1}
port=${2:-1883}
pause=${3:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
things="$here/data/demo/sensors/jamsil-sdot-things.json"
series="$here/data/demo/sensors/seoul-air_hourly_2022-03.csv"

command -v mosquitto_pub >/dev/null || { echo "$0: mosquitto_pub not found (apt-get install mosquitto-clients)" >&2; exit 2; }
mapfile -t sensors < <(python3 -c 'import json,sys; [print(t["@iot.id"]) for t in json.load(open(sys.argv[1]))["value"]]' "$things")

tail -n +2 "$series" | while IFS=, read -r _ _ pm25 pm10 _; do
  now=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
  for sensor in "${sensors[@]}"; do
    for stream in "pm25:$pm25" "pm10:$pm10"; do
      mosquitto_pub -h "$host" -p "$port" -q 1 -t "v1.1/Datastreams($sensor-${stream%%:*})/Observations" \
        -m "{\"phenomenonTime\": \"$now\", \"result\": ${stream#*:}}"
    done
  done
  echo "published PM2.5 $pm25, PM10 $pm10 µg/m³ to ${#sensors[@]} sensors at $now"
  sleep "$pause"
done
