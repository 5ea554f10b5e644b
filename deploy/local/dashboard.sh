# What the dashboard needs beyond the .NET SDK, installed when missing. Sourced by run.sh and test.sh after servers.sh
# (whose _lr_apt_install it uses: apt-get update first on a machine without package lists).
#
#   lr_dashboard_assets   npm (Debian package) and the chart library pinned in services/Dashboard/package-lock.json,
#                         installed with `npm ci` into services/Dashboard/node_modules; the build copies it into wwwroot/lib
#   lr_dashboard_browser  Debian's chromium, which the dashboard's browser tests drive (/usr/bin/chromium)

lr_dashboard_assets() {
  local dir="$LR_ROOT/services/Dashboard"
  [ -f "$dir/package-lock.json" ] || return 0
  command -v npm >/dev/null || _lr_apt_install npm || return 1
  # npm ci records what it installed in node_modules/.package-lock.json: reinstall only when the lock file is newer.
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    _lr_say "installing the dashboard's chart library with npm ci (services/Dashboard)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || { _lr_fail "npm ci failed in services/Dashboard"; return 1; }
  fi
}

lr_dashboard_browser() {
  [ -x /usr/bin/chromium ] || _lr_apt_install chromium
}
