#!/usr/bin/env bash
# Rebuild src/suanli/report/vendor/plotly-report.min.js: plotly.js core + the trace types the
# report and the capacity page draw (entry.js), at the plotly.js version of the installed plotly
# wheel's package_data/plotly.min.js. Needs node and npm (the npm registry); runs in a temporary
# folder, so no node_modules is left in the repository. Pinned versions: package.json and
# package-lock.json here. The output is deterministic (same inputs, same bytes).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
vendor="$here/../../src/suanli/report/vendor"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$here/entry.js" "$here/build.js" "$tmp/"
cd "$tmp"
npm ci --ignore-scripts --no-audit --no-fund
node build.js "$vendor/plotly-report.min.js" "$vendor/THIRD-PARTY.md"
cp node_modules/plotly.js/LICENSE "$vendor/LICENSE-plotly.js.txt"
echo "plotly.js $(node -p "require('plotly.js/package.json').version"), esbuild $(node -p "require('esbuild/package.json').version"), node $(node --version)"
ls -l "$vendor/plotly-report.min.js"
sha256sum "$vendor/plotly-report.min.js"
