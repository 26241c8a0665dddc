#!/usr/bin/env bash
# Runs the whole test suite through ctest, under xvfb-run when there is no display.
set -euo pipefail
build_dir=${1:-build}
ctest_cmd=(ctest --test-dir "$build_dir" --output-on-failure -j 2)
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1600x1000x24" "${ctest_cmd[@]}"
fi
exec "${ctest_cmd[@]}"
