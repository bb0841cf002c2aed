#!/usr/bin/env bash
# Refresh cleanprod/static/vendor from the npm registry (versions pinned here and in its README).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && for p in htmx.org@2.0.11 echarts@6.1.0 bootstrap@5.3.8 echarts@4.9.0; do
  npm pack --silent "$p" >/dev/null; done
  for f in *.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done)
v=cleanprod/static/vendor
cp "$tmp"/htmx.org-2.0.11/package/dist/htmx.min.js "$v"/htmx/
cp "$tmp"/echarts-6.1.0/package/dist/echarts.min.js "$v"/echarts/
cp "$tmp"/bootstrap-5.3.8/package/dist/css/bootstrap.min.css "$v"/bootstrap/
cp "$tmp"/bootstrap-5.3.8/package/dist/js/bootstrap.bundle.min.js "$v"/bootstrap/
cp "$tmp"/echarts-4.9.0/package/map/json/china.json "$v"/maps/
# The packages do not ship the .map files their sourceMappingURL comments name; whitenoise's
# manifest storage (collectstatic in production) fails on a missing referenced file. Strip them.
find "$v" -type f \( -name '*.js' -o -name '*.css' \) \
  -exec sed -i -E 's@(//|/\*)# sourceMappingURL=[^ *]*( \*/)?@@' {} +
