#!/usr/bin/env bash
# Local PostgreSQL and RabbitMQ for LoanRecovery, without Docker.
#
#   deploy/local/servers.sh start [postgres|rabbitmq]  install if missing, start (or reuse), provision;
#                                                      prints the environment; the servers keep running
#   deploy/local/servers.sh stop  [postgres|rabbitmq]  stop them
#   deploy/local/servers.sh status
#   eval "$(deploy/local/servers.sh env)"              connection settings for a shell (dotnet test by hand)
#   deploy/local/servers.sh grant-vhost VHOST          give the services' RabbitMQ users their permissions on VHOST
#
# run.sh and test.sh source this file and call lr_servers_start, then lr_servers_stop on exit, which stops
# only the servers that this shell started (a server that was already running is reused and left running).
#
# Settings, all optional:
#   LR_PG_PORT (55432)  LR_PG_ADMIN_PASSWORD (postgres-dev)
#   LR_RABBIT_PORT (55672, AMQP)  LR_RABBIT_MGMT_PORT (55673, HTTP API)  LR_RABBIT_DIST_PORT (55674, Erlang)
#   LR_RABBIT_PASSWORD (loanrecovery-dev, the administrator loanrecovery)  LR_RABBIT_NODENAME (loanrecovery@localhost)
#   LR_RABBIT_<USER>_PASSWORD (<user>-dev): each service's own RabbitMQ user, deploy/rabbitmq/users.conf
#   LR_SERVER_DATA_DIR (where the servers keep their data; see _lr_settings)
#
# As root the servers run as the `postgres` and `rabbitmq` users; otherwise as the calling user.

LR_ROOT=${LR_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
LR_RABBIT_USER=loanrecovery
_LR_RABBIT_BIN=/usr/lib/rabbitmq/bin
source "$LR_ROOT/deploy/rabbitmq/service-users.sh"

# The settings the services and tests read (the names are the contract; see README.md). Not the broker user: each
# service connects as its own (its appsettings.json; run.sh passes each its password), never as the administrator.
_LR_ENV_KEYS=(
  Postgres__Host Postgres__Port Postgres__Database
  RabbitMq__Host RabbitMq__Port RabbitMq__VirtualHost
  LR_PG_PORT LR_PG_ADMIN_CONNECTION
  LR_RABBIT_PORT LR_RABBIT_MGMT_PORT LR_RABBIT_MANAGEMENT_URL LR_RABBIT_USER LR_RABBIT_PASSWORD
  LR_SHARED_DATA LR_PROVISION_SQL_DIR LR_SERVERS_SCRIPT
)

_lr_say() { printf '[servers] %s\n' "$*" >&2; }
_lr_fail() { _lr_say "ERROR: $*"; return 1; }
_lr_is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a command as the given server user when we are root, as ourselves otherwise. File descriptor 9
# holds the start lock (lr_servers_start): closed here so that the servers do not inherit it.
_lr_as() {
  local user=$1; shift
  if _lr_is_root; then (cd / && runuser -u "$user" -- "$@" 9>&-); else "$@" 9>&-; fi
}

_lr_chown() {  # user path... (root only; otherwise the files are ours already)
  local user=$1; shift
  if _lr_is_root; then chown -R "$user:" "$@"; fi
}

_lr_apt_install() {
  local sudo=() log="$LR_ROOT/.data/logs/apt.log"
  if ! _lr_is_root; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=(sudo -n); else
      _lr_fail "$* is not installed; install it with: sudo apt-get install -y $*"; return 1
    fi
  fi
  command -v apt-get >/dev/null || { _lr_fail "$* is not installed and there is no apt-get"; return 1; }
  mkdir -p "$(dirname "$log")"
  local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -q)
  _lr_say "installing $* with apt-get (log: $log)"
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    "${apt[@]}" update >>"$log" 2>&1 || { tail -n 20 "$log" >&2; _lr_fail "apt-get update failed"; return 1; }
  fi
  # Stale package lists give 404s: refresh them once and retry.
  "${apt[@]}" install "$@" >>"$log" 2>&1 \
    || { "${apt[@]}" update >>"$log" 2>&1 && "${apt[@]}" install "$@" >>"$log" 2>&1; } \
    || { tail -n 20 "$log" >&2; _lr_fail "apt-get install $* failed"; return 1; }
}

_lr_install_missing() {  # all|postgres|rabbitmq
  local packages=()
  [ "$1" = rabbitmq ] || _lr_pg_bin >/dev/null || packages+=(postgresql)
  [ "$1" = postgres ] || [ -x "$_LR_RABBIT_BIN/rabbitmq-server" ] || packages+=(rabbitmq-server)
  [ ${#packages[@]} -eq 0 ] || _lr_apt_install "${packages[@]}"
}

_lr_settings() {
  LR_PG_PORT=${LR_PG_PORT:-55432}
  LR_PG_ADMIN_PASSWORD=${LR_PG_ADMIN_PASSWORD:-postgres-dev}
  LR_RABBIT_PORT=${LR_RABBIT_PORT:-55672}
  LR_RABBIT_MGMT_PORT=${LR_RABBIT_MGMT_PORT:-55673}
  LR_RABBIT_DIST_PORT=${LR_RABBIT_DIST_PORT:-55674}
  LR_RABBIT_PASSWORD=${LR_RABBIT_PASSWORD:-loanrecovery-dev}
  LR_RABBIT_NODENAME=${LR_RABBIT_NODENAME:-loanrecovery@localhost}
  # Server data lives in <repo>/.data unless, as root, the server users cannot reach it (a checkout under
  # /root, say): then under /var/tmp, keyed by the checkout path so that two checkouts never share it.
  if [ -n "${LR_SERVER_DATA_DIR:-}" ]; then
    LR_SERVER_DATA=$LR_SERVER_DATA_DIR
  else
    LR_SERVER_DATA=$LR_ROOT/.data
    if _lr_is_root; then
      mkdir -p -m 755 "$LR_SERVER_DATA"
      local user
      for user in postgres rabbitmq; do
        if id -u "$user" >/dev/null 2>&1 && ! runuser -u "$user" -- test -x "$LR_SERVER_DATA" 2>/dev/null; then
          LR_SERVER_DATA=/var/tmp/loanrecovery-$(printf '%s' "$LR_ROOT" | sha256sum | cut -c1-10)
          break
        fi
      done
    fi
  fi
  mkdir -p "$LR_SERVER_DATA" && chmod 755 "$LR_SERVER_DATA"
}

# ---------------------------------------------------------------------------------------------- PostgreSQL

_lr_pg_bin() {  # the newest installed PostgreSQL, 15 when there
  local bin
  if [ -x /usr/lib/postgresql/15/bin/pg_ctl ]; then bin=/usr/lib/postgresql/15/bin; else
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  [ -n "$bin" ] && [ -x "$bin/pg_ctl" ] && printf '%s\n' "$bin"
}

_lr_pg_running() { [ -n "${_LR_PG_BIN:-}" ] && _lr_as postgres "$_LR_PG_BIN/pg_ctl" -D "$LR_SERVER_DATA/pg" status >/dev/null 2>&1; }

_lr_psql() {  # superuser over the unix socket (local connections are trusted)
  PGOPTIONS='-c client_min_messages=warning' "$_LR_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h "$LR_SERVER_DATA/pg" -p "$LR_PG_PORT" -U postgres "$@"
}

_lr_pg_start() {
  local pgdata=$LR_SERVER_DATA/pg
  _LR_PG_BIN=$(_lr_pg_bin) || { _lr_fail "no PostgreSQL under /usr/lib/postgresql"; return 1; }
  local major=${_LR_PG_BIN%/bin}; major=${major##*/}

  if [ ! -s "$pgdata/PG_VERSION" ]; then
    _lr_say "initialising PostgreSQL $major in $pgdata"
    rm -rf "$pgdata" && mkdir -m 700 "$pgdata" && _lr_chown postgres "$pgdata" || return 1
    _lr_as postgres "$_LR_PG_BIN/initdb" -D "$pgdata" -U postgres -E UTF8 --no-locale \
        --auth-local=trust --auth-host=scram-sha-256 >"$LR_ROOT/.data/logs/postgres-initdb.log" 2>&1 \
      || { tail -n 20 "$LR_ROOT/.data/logs/postgres-initdb.log" >&2; rm -rf "$pgdata"; _lr_fail "initdb failed"; return 1; }
    echo "include_if_exists = 'loanrecovery.conf'" >>"$pgdata/postgresql.conf"
  fi
  [ "$(cat "$pgdata/PG_VERSION")" = "$major" ] \
    || { _lr_fail "$pgdata holds PostgreSQL $(cat "$pgdata/PG_VERSION") data, the server is $major: remove $pgdata"; return 1; }

  if _lr_pg_running; then
    local port; port=$(sed -n 4p "$pgdata/postmaster.pid")
    [ "$port" = "$LR_PG_PORT" ] \
      || { _lr_fail "PostgreSQL on $pgdata already runs on port $port: stop it (deploy/local/servers.sh stop postgres) or set LR_PG_PORT=$port"; return 1; }
    _lr_say "PostgreSQL already running on 127.0.0.1:$LR_PG_PORT (reused)"
  else
    # A development server: fsync off (a crash of the machine, not of PostgreSQL, can lose data).
    cat >"$pgdata/loanrecovery.conf" <<EOF
# Written by deploy/local/servers.sh at each start.
listen_addresses = '127.0.0.1'
port = $LR_PG_PORT
unix_socket_directories = '$pgdata'
max_connections = 300
fsync = off
full_page_writes = off
EOF
    _lr_chown postgres "$pgdata/loanrecovery.conf"
    _lr_as postgres "$_LR_PG_BIN/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 start >/dev/null \
      || { tail -n 20 "$pgdata/server.log" >&2; _lr_fail "PostgreSQL did not start (log: $pgdata/server.log)"; return 1; }
    _LR_STARTED_PG=1
    _lr_say "PostgreSQL $major started on 127.0.0.1:$LR_PG_PORT (data: $pgdata)"
  fi

  local sql=$LR_ROOT/deploy/postgres
  _lr_psql -d postgres -f "$sql/01-roles.sql" \
    && _lr_psql -d postgres -v password="$LR_PG_ADMIN_PASSWORD" <<<"ALTER ROLE postgres PASSWORD :'password';" \
    && _lr_psql -d loanrecovery -f "$sql/02-schemas.sql" \
    || { _lr_fail "provisioning PostgreSQL failed"; return 1; }
}

_lr_pg_stop() {
  _LR_PG_BIN=${_LR_PG_BIN:-$(_lr_pg_bin)} || return 0
  if _lr_pg_running; then
    _lr_as postgres "$_LR_PG_BIN/pg_ctl" -D "$LR_SERVER_DATA/pg" -m fast -w stop >/dev/null && _lr_say "PostgreSQL stopped"
  fi
}

# ------------------------------------------------------------------------------------------------ RabbitMQ

# Everything the node and rabbitmqctl need, so that neither reads /etc/rabbitmq or the system node's
# files. HOME holds the Erlang cookie that both must share.
_lr_rabbit() {  # rabbitmq-server|rabbitmqctl args...
  local rd=$LR_SERVER_DATA/rabbitmq tool=$1; shift
  _lr_as rabbitmq env HOME="$rd" \
    RABBITMQ_NODENAME="$LR_RABBIT_NODENAME" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$LR_RABBIT_PORT" RABBITMQ_DIST_PORT="$LR_RABBIT_DIST_PORT" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}' \
    RABBITMQ_CTL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}' \
    RABBITMQ_CONF_ENV_FILE="$rd/rabbitmq-env.conf" RABBITMQ_CONFIG_FILE="$rd/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$rd/advanced.config" RABBITMQ_ENABLED_PLUGINS_FILE="$rd/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$rd/mnesia" RABBITMQ_LOG_BASE="$rd/log" RABBITMQ_PID_FILE="$rd/rabbitmq.pid" \
    "$_LR_RABBIT_BIN/$tool" "$@"
}

_lr_rabbit_running() {
  local pidfile=$LR_SERVER_DATA/rabbitmq/rabbitmq.pid
  [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

_lr_rabbit_start() {
  local rd=$LR_SERVER_DATA/rabbitmq
  # The consistent-hash exchange spreads core banking payments over Ingestion's partitions by loan id.
  local plugins='[rabbitmq_management,rabbitmq_consistent_hash_exchange].'
  if _lr_rabbit_running; then
    _lr_say "RabbitMQ node $LR_RABBIT_NODENAME already running (reused)"
    if ! grep -q rabbitmq_consistent_hash_exchange "$rd/enabled_plugins" 2>/dev/null; then
      _lr_say "enabling the RabbitMQ plugin rabbitmq_consistent_hash_exchange"
      _lr_rabbit rabbitmq-plugins -q enable rabbitmq_consistent_hash_exchange >/dev/null \
        || { _lr_fail "could not enable rabbitmq_consistent_hash_exchange on the running node"; return 1; }
    fi
  else
    mkdir -p "$rd/mnesia" "$rd/log" || return 1
    if [ ! -s "$rd/.erlang.cookie" ]; then
      od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$rd/.erlang.cookie" && chmod 400 "$rd/.erlang.cookie" || return 1
    fi
    : >"$rd/rabbitmq-env.conf"
    echo "$plugins" >"$rd/enabled_plugins"
    # default_user* only apply when the node initialises its database; the password is checked below.
    cat >"$rd/rabbitmq.conf" <<EOF
# Written by deploy/local/servers.sh at each start.
management.tcp.ip = 127.0.0.1
management.tcp.port = $LR_RABBIT_MGMT_PORT
default_user = $LR_RABBIT_USER
default_pass = $LR_RABBIT_PASSWORD
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
disk_free_limit.absolute = 100MB
log.console = false
log.file.level = info
EOF
    chmod 600 "$rd/rabbitmq.conf"
    _lr_chown rabbitmq "$rd"
    _lr_rabbit rabbitmq-server -detached >"$LR_ROOT/.data/logs/rabbitmq-start.log" 2>&1 \
      && _lr_rabbit rabbitmqctl -q wait "$rd/rabbitmq.pid" --timeout 120 >>"$LR_ROOT/.data/logs/rabbitmq-start.log" 2>&1 \
      || { tail -n 20 "$LR_ROOT/.data/logs/rabbitmq-start.log" "$rd"/log/*.log >&2 2>/dev/null
           _lr_fail "RabbitMQ did not start (logs: $rd/log)"; return 1; }
    _LR_STARTED_RABBIT=1
    _lr_say "RabbitMQ started on 127.0.0.1:$LR_RABBIT_PORT, management http://127.0.0.1:$LR_RABBIT_MGMT_PORT (data: $rd)"
  fi

  # The user may predate a change of LR_RABBIT_PASSWORD, or have been removed: put it back as configured.
  if ! _lr_rabbit rabbitmqctl -q authenticate_user "$LR_RABBIT_USER" "$LR_RABBIT_PASSWORD" >/dev/null 2>&1; then
    _lr_say "setting up RabbitMQ user $LR_RABBIT_USER"
    { _lr_rabbit rabbitmqctl -q add_user "$LR_RABBIT_USER" "$LR_RABBIT_PASSWORD" 2>/dev/null \
        || _lr_rabbit rabbitmqctl -q change_password "$LR_RABBIT_USER" "$LR_RABBIT_PASSWORD"; } \
      && _lr_rabbit rabbitmqctl -q set_user_tags "$LR_RABBIT_USER" administrator \
      && _lr_rabbit rabbitmqctl -q set_permissions -p / "$LR_RABBIT_USER" '.*' '.*' '.*' \
      || { _lr_fail "could not set up RabbitMQ user $LR_RABBIT_USER"; return 1; }
  fi
  _lr_rabbit_grant_service_users /
}

# Creates the services' users (deploy/rabbitmq/users.conf) as configured, and gives them their permissions on the
# virtual hosts named: one rabbitmqctl call, which leaves everything else as it is.
_lr_rabbit_grant_service_users() {
  local definitions
  definitions=$(lr_rabbit_service_definitions "$@") || { _lr_fail "deploy/rabbitmq/users.conf could not be read"; return 1; }
  _lr_rabbit rabbitmqctl -q import_definitions --format json <<<"$definitions" >/dev/null \
    || { _lr_fail "could not set up the services' RabbitMQ users (deploy/rabbitmq/users.conf) on $*"; return 1; }
}

_lr_rabbit_stop() {
  if _lr_rabbit_running; then
    _lr_rabbit rabbitmqctl -q stop "$LR_SERVER_DATA/rabbitmq/rabbitmq.pid" >/dev/null && _lr_say "RabbitMQ stopped"
  fi
  # epmd (Erlang's name server) outlives the node that started it: end it once no node is registered.
  if ! epmd -names 2>/dev/null | grep -q '^name '; then epmd -kill >/dev/null 2>&1 || true; fi
}

# ------------------------------------------------------------------------------------------------- public

lr_servers_env() {
  _lr_settings
  export Postgres__Host=127.0.0.1 Postgres__Port=$LR_PG_PORT Postgres__Database=loanrecovery
  export RabbitMq__Host=127.0.0.1 RabbitMq__Port=$LR_RABBIT_PORT RabbitMq__VirtualHost=/
  export LR_PG_PORT LR_RABBIT_PORT LR_RABBIT_MGMT_PORT LR_RABBIT_USER LR_RABBIT_PASSWORD
  export LR_PG_ADMIN_CONNECTION="Host=127.0.0.1;Port=$LR_PG_PORT;Database=postgres;Username=postgres;Password=$LR_PG_ADMIN_PASSWORD"
  export LR_RABBIT_MANAGEMENT_URL=http://127.0.0.1:$LR_RABBIT_MGMT_PORT
  export LR_SHARED_DATA=${LR_SHARED_DATA:-$(dirname "$LR_ROOT")/shared/data}
  export LR_PROVISION_SQL_DIR=$LR_ROOT/deploy/postgres
  export LR_SERVERS_SCRIPT=$LR_ROOT/deploy/local/servers.sh
}

lr_servers_print_env() {
  local key
  for key in "${_LR_ENV_KEYS[@]}"; do printf 'export %s=%q\n' "$key" "${!key}"; done
}

# lr_servers_start [postgres|rabbitmq]: both by default. Exports the settings (lr_servers_env).
lr_servers_start() {
  local which=${1:-all}
  case $which in all | postgres | rabbitmq) ;; *) _lr_fail "unknown server: $which"; return 1 ;; esac
  # Install first: where the data may live depends on the server users the packages create.
  mkdir -p "$LR_ROOT/.data/logs" && _lr_install_missing "$which" && _lr_settings || return 1
  # One start at a time per data directory (run.sh and test.sh may be started together).
  exec 9>"$LR_SERVER_DATA/.start.lock" && flock -w 300 9 || { _lr_fail "could not lock $LR_SERVER_DATA"; return 1; }
  local rc=0
  case $which in
    all) _lr_pg_start && _lr_rabbit_start || rc=1 ;;
    postgres) _lr_pg_start || rc=1 ;;
    rabbitmq) _lr_rabbit_start || rc=1 ;;
  esac
  exec 9>&-
  [ "$rc" = 0 ] && lr_servers_env
  return "$rc"
}

# Stops what lr_servers_start started in this shell; `lr_servers_stop --all [postgres|rabbitmq]` stops
# whatever runs on this checkout's data directory.
lr_servers_stop() {
  local all=false
  if [ "${1:-}" = --all ]; then all=true; shift; fi
  local which=${1:-all}
  _lr_settings
  if [ "$which" != postgres ] && { $all || [ "${_LR_STARTED_RABBIT:-}" = 1 ]; }; then
    _lr_rabbit_stop; _LR_STARTED_RABBIT=
  fi
  if [ "$which" != rabbitmq ] && { $all || [ "${_LR_STARTED_PG:-}" = 1 ]; }; then
    _lr_pg_stop; _LR_STARTED_PG=
  fi
  return 0
}

# lr_rabbit_grant_vhost VHOST...: the services' users and their permissions on each virtual host (which must exist),
# on the running node of this checkout's settings.
lr_rabbit_grant_vhost() {
  [ $# -gt 0 ] || { _lr_fail "name a virtual host"; return 1; }
  _lr_settings
  _lr_rabbit_running || { _lr_fail "RabbitMQ is not running (deploy/local/servers.sh start)"; return 1; }
  _lr_rabbit_grant_service_users "$@"
}

lr_servers_status() {
  _lr_settings
  _LR_PG_BIN=$(_lr_pg_bin) || true
  if _lr_pg_running; then echo "postgres  running  127.0.0.1:$(sed -n 4p "$LR_SERVER_DATA/pg/postmaster.pid")  $LR_SERVER_DATA/pg"
  else echo "postgres  stopped  $LR_SERVER_DATA/pg"; fi
  if _lr_rabbit_running; then echo "rabbitmq  running  $LR_RABBIT_NODENAME  $LR_SERVER_DATA/rabbitmq"
  else echo "rabbitmq  stopped  $LR_SERVER_DATA/rabbitmq"; fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start) lr_servers_start "${2:-all}"; lr_servers_print_env ;;
    stop) lr_servers_stop --all "${2:-all}" ;;
    status) lr_servers_status ;;
    env) lr_servers_env; lr_servers_print_env ;;
    grant-vhost) shift; lr_rabbit_grant_vhost "$@" ;;
    *) sed -n '2,10s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
  esac
fi
