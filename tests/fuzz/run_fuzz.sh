#!/bin/sh
# Builds a fuzz target for one of our parsers with clang (libFuzzer, AddressSanitizer, UBSan) and runs it on a
# copy of its corpus. Usage: tests/fuzz/run_fuzz.sh [cityjson|citygml] [SECONDS] [BUILD_DIR]
set -eu
target=${1:-cityjson}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${3:-$root/build-fuzz}
mkdir -p "$out/corpus_$target"
cp "$root"/tests/fuzz/corpus_"$target"/* "$out/corpus_$target/"
dict=""
if [ "$target" = cityjson ]; then
  cp "$root"/tests/data/denhaag_DH_01_subs.city.json "$out/corpus_$target/"
  dict="-dict=$root/tests/fuzz/cityjson.dict"
fi
flags="-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fPIC"
includes="-I$root/geodata/include $(pkg-config --cflags Qt6Core eigen3 gdal proj)"
libs="$(pkg-config --libs Qt6Core gdal proj)"
sources="$root/tests/fuzz/fuzz_$target.cpp $(ls "$root"/geodata/src/*.cpp)"
# shellcheck disable=SC2086
clang++ $flags $includes $sources $libs -o "$out/fuzz_$target"
# shellcheck disable=SC2086
ASAN_OPTIONS=detect_leaks=0 "$out/fuzz_$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 $dict \
  "$out/corpus_$target"
