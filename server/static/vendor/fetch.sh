#!/bin/sh
# Refresh the query page's vendored libraries from npm (run: make vendor).
# Why vendored and committed: the page must work offline, with nothing fetched at run time.
# Versions are pinned here; bump one, run this script, look at the page, commit the result.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent \
  codemirror@6.0.2 @codemirror/state@6 @codemirror/view@6 @codemirror/language@6 \
  @codemirror/legacy-modes@6.5.5 @codemirror/autocomplete@6 \
  cytoscape@3.35.0 chart.js@4.6.1 esbuild@0.28.2
cp "$HERE/codemirror-entry.js" entry.js
npx esbuild entry.js --bundle --minify --format=iife --global-name=CM \
  --legal-comments=none --outfile="$HERE/codemirror.min.js"
cp node_modules/cytoscape/dist/cytoscape.min.js "$HERE/cytoscape.min.js"
cp node_modules/chart.js/dist/chart.umd.min.js "$HERE/chart.umd.min.js"
mkdir -p "$HERE/licenses"
for pkg in codemirror @codemirror/state @codemirror/view @codemirror/language \
           @codemirror/legacy-modes @codemirror/autocomplete @codemirror/commands \
           @codemirror/search @codemirror/lint @lezer/common @lezer/highlight @lezer/lr \
           style-mod w3c-keyname crelt @marijn/find-cluster-break cytoscape chart.js \
           @kurkle/color; do
  [ -d "node_modules/$pkg" ] || continue
  name=$(echo "$pkg" | tr '/' '_' | tr -d '@')
  lic=$(ls node_modules/$pkg | grep -i -m1 -E '^(licen[cs]e|copying)' || true)
  [ -n "$lic" ] && cp "node_modules/$pkg/$lic" "$HERE/licenses/$name.LICENSE"
  node -e "const p=require('./node_modules/$pkg/package.json');console.log(p.name+' '+p.version+' '+p.license)"
done > "$HERE/VERSIONS.txt"
echo "vendored into $HERE:"; cat "$HERE/VERSIONS.txt"
