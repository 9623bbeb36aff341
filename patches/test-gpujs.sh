#!/usr/bin/env bash
# Runs gpu.js's own tests for its WebAssembly backend (test/features/webasm/*.js, qunit) against a
# gpu.js checkout, first as it is and then with patches/gpu.js+2.24.1.patch applied, and prints
# the pass/fail counts of both runs. Nothing of gpu.js is kept in this repository.
#
#   bash patches/test-gpujs.sh CHECKOUT
#
# CHECKOUT is a gpu.js source tree at 2.24.1 (package.json, src/, test/features/webasm/); its
# node_modules (acorn, gpu-mock.js) must be installed or linked. Work happens in a temporary copy.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
checkout="$(cd "${1:?usage: test-gpujs.sh CHECKOUT}" && pwd)"
patch_file="$here/gpu.js+2.24.1.patch"
version="$(node -p "require('$checkout/package.json').version")"
[ "$version" = "2.24.1" ] || echo "warning: the checkout is gpu.js $version, the patch is for 2.24.1" >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$checkout/src" "$checkout/test" "$checkout/package.json" "$work/"
[ -e "$checkout/node_modules" ] && ln -s "$(readlink -f "$checkout/node_modules")" "$work/node_modules"
# the tests require('qunit'): gpu.js's own devDependency version, installed beside the copy
npm install --prefix "$work/.qunit" --no-audit --no-fund --no-save qunit@2.22.0 > /dev/null
export NODE_PATH="$work/.qunit/node_modules"
qunit=("$work/.qunit/node_modules/.bin/qunit")

run() {
  (cd "$work" && "${qunit[@]}" test/features/webasm > "$work/$1.tap" 2>&1) || true
  local pass fail skip
  pass=$(sed -n 's/^# pass //p' "$work/$1.tap"); fail=$(sed -n 's/^# fail //p' "$work/$1.tap"); skip=$(sed -n 's/^# skip //p' "$work/$1.tap")
  echo "$1: ${pass:-?} passed, ${fail:-?} failed, ${skip:-?} skipped"
  grep '^not ok' "$work/$1.tap" | sed 's/^/  /' || true
}

run unpatched
# the patch names node_modules/gpu.js/<path>: strip a/, node_modules/, gpu.js/
(cd "$work" && patch -p3 --quiet < "$patch_file")
run patched
# and the patch's own tests, which go upstream with it (they fail on the unpatched source)
cp "$here/gpujs-tests/codegen.js" "$work/test/features/webasm/codegen.js"
run "patched, with the patch's own tests"
