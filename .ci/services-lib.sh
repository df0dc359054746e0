# shellcheck shell=bash
# Functions shared by .ci/services.sh and .ci/services-stop.sh. Sourcing this file starts nothing.

: "${PLAID_FACADE_REDIS_PORT:=56379}"
: "${PLAID_FACADE_PG_PORT:=55432}"
: "${PLAID_FACADE_PG_CLUSTER:=plaid_facade}"
: "${PLAID_FACADE_REDIS_CLUSTER_PORT:=47001}"   # the first of three ports (3 masters); each also uses port+10000 for the cluster bus, so at most 55533
: "${PLAID_FACADE_SERVICES_DIR:=${TMPDIR:-/tmp}/plaid-facade-services}"

_pf_log() { printf 'services.sh: %s\n' "$*" >&2; }

# Installs the Debian packages that provide the missing commands. The package lists are updated
# only when a package has no install candidate, or an install failed with the current lists.
_pf_install_missing() {
  local packages=()
  command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
  command -v redis-cli >/dev/null 2>&1 || packages+=(redis-tools)
  if ! command -v pg_createcluster >/dev/null 2>&1 || ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
    packages+=(postgresql)
  fi
  [ "${#packages[@]}" -eq 0 ] && return 0

  local sudo=''
  [ "$(id -u)" -ne 0 ] && sudo='sudo'
  local apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0)
  local package needs_update=0
  for package in "${packages[@]}"; do
    # Captured first: under a caller's pipefail, grep -q closing the pipe early would look like failure.
    local policy
    policy=$(apt-cache policy "$package" 2>/dev/null) || policy=''
    case $policy in *'Candidate: ('*|'') needs_update=1 ;; esac
  done
  _pf_log "installing ${packages[*]}"
  if [ "$needs_update" -eq 1 ]; then "${apt[@]}" update >&2 || return 1; fi
  if ! "${apt[@]}" install --no-install-recommends "${packages[@]}" >&2; then
    # Stale lists (a package version no longer on the mirror): update once and try again.
    "${apt[@]}" update >&2 && "${apt[@]}" install --no-install-recommends "${packages[@]}" >&2 || return 1
  fi
}

# Polls a command until it succeeds, for at most ~15 s.
_pf_wait() {
  local what=$1 tries=0
  shift
  until "$@" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -ge 150 ]; then
      _pf_log "$what did not answer within 15 s"
      return 1
    fi
    sleep 0.1
  done
}

_pf_redis_ping() { [ "$(redis-cli -h 127.0.0.1 -p "$PLAID_FACADE_REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

_pf_start_redis() {
  if _pf_redis_ping; then
    _pf_log "redis already answering on 127.0.0.1:$PLAID_FACADE_REDIS_PORT"
    return 0
  fi
  mkdir -p "$PLAID_FACADE_SERVICES_DIR" || return 1
  redis-server --port "$PLAID_FACADE_REDIS_PORT" --bind 127.0.0.1 --protected-mode yes \
    --save '' --appendonly no --daemonize yes \
    --dir "$PLAID_FACADE_SERVICES_DIR" \
    --pidfile "$PLAID_FACADE_SERVICES_DIR/redis.pid" \
    --logfile "$PLAID_FACADE_SERVICES_DIR/redis.log" || return 1
  _pf_wait redis _pf_redis_ping || return 1
  _pf_log "redis started on 127.0.0.1:$PLAID_FACADE_REDIS_PORT"
}

# The three ports of the Redis Cluster's masters.
_pf_cluster_ports() {
  local first=$PLAID_FACADE_REDIS_CLUSTER_PORT
  printf '%s %s %s\n' "$first" "$((first + 1))" "$((first + 2))"
}

_pf_cluster_ok() {
  redis-cli -h 127.0.0.1 -p "$PLAID_FACADE_REDIS_CLUSTER_PORT" cluster info 2>/dev/null | grep -q '^cluster_state:ok'
}

# A 3-master Redis Cluster (no replicas) on loopback, for the suites that must hold on Cluster
# (hash slots spread over masters, CROSSSLOT never raised). Reused when it already answers.
_pf_start_redis_cluster() {
  if _pf_cluster_ok; then
    _pf_log "redis cluster already answering on 127.0.0.1:$PLAID_FACADE_REDIS_CLUSTER_PORT"
    return 0
  fi
  local port dir nodes=()
  for port in $(_pf_cluster_ports); do
    dir="$PLAID_FACADE_SERVICES_DIR/cluster-$port"
    # A half-made cluster from an earlier run: start each master afresh.
    redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
    rm -rf "$dir" && mkdir -p "$dir" || return 1
    redis-server --port "$port" --bind 127.0.0.1 --protected-mode yes \
      --cluster-enabled yes --cluster-config-file "$dir/nodes.conf" --cluster-node-timeout 2000 \
      --save '' --appendonly no --daemonize yes --dir "$dir" \
      --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" || return 1
    _pf_wait "redis cluster node $port" redis-cli -h 127.0.0.1 -p "$port" ping || return 1
    nodes+=("127.0.0.1:$port")
  done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >&2 || return 1
  _pf_wait 'redis cluster state ok' _pf_cluster_ok || return 1
  _pf_log "redis cluster (3 masters) ready on ${nodes[*]}"
}

_pf_stop_redis_cluster() {
  local port dir
  for port in $(_pf_cluster_ports); do
    dir="$PLAID_FACADE_SERVICES_DIR/cluster-$port"
    redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
    rm -rf "$dir"
  done
}

# The newest PostgreSQL major version installed (15 on Debian 12).
_pf_pg_version() {
  local dir
  dir=$(compgen -G '/usr/lib/postgresql/*/bin/postgres' | sort -V | tail -n 1) || return 1
  dir=${dir#/usr/lib/postgresql/}
  printf '%s\n' "${dir%%/*}"
}

_pf_pg_ready() { pg_isready -q -h 127.0.0.1 -p "$PLAID_FACADE_PG_PORT" -U postgres; }

_pf_create_pg_cluster() {
  # --auth=trust is safe only because the cluster listens on localhost (the default
  # listen_addresses) and holds test data; fsync=off because nothing in it must survive a crash.
  pg_createcluster "$1" "$PLAID_FACADE_PG_CLUSTER" -p "$PLAID_FACADE_PG_PORT" \
    -o fsync=off -- --auth=trust >&2
}

_pf_start_postgres() {
  local version port='' status=''
  version=$(_pf_pg_version) || { _pf_log 'no PostgreSQL server installed'; return 1; }
  # pg_lsclusters -h: "version name port status owner datadir logfile"
  read -r port status < <(pg_lsclusters -h 2>/dev/null | awk -v v="$version" -v n="$PLAID_FACADE_PG_CLUSTER" \
    '$1 == v && $2 == n { print $3, $4 }') || true
  if [ -n "$port" ] && [ "$port" != "$PLAID_FACADE_PG_PORT" ]; then
    _pf_log "cluster $version/$PLAID_FACADE_PG_CLUSTER is on port $port, recreating it on $PLAID_FACADE_PG_PORT"
    pg_dropcluster --stop "$version" "$PLAID_FACADE_PG_CLUSTER" >&2 || return 1
    port=''
  fi
  if [ -z "$port" ]; then
    _pf_create_pg_cluster "$version" || return 1
    status=down
  fi
  if [ "$status" != online ] && ! pg_ctlcluster "$version" "$PLAID_FACADE_PG_CLUSTER" start >&2; then
    # A cluster left broken by an earlier run: it only ever holds test data, so start afresh.
    _pf_log "cluster $version/$PLAID_FACADE_PG_CLUSTER would not start, recreating it"
    pg_dropcluster --stop "$version" "$PLAID_FACADE_PG_CLUSTER" >&2 || return 1
    _pf_create_pg_cluster "$version" || return 1
    pg_ctlcluster "$version" "$PLAID_FACADE_PG_CLUSTER" start >&2 || return 1
  fi
  _pf_wait postgresql _pf_pg_ready || return 1
  _pf_log "postgresql $version ready on 127.0.0.1:$PLAID_FACADE_PG_PORT (cluster $PLAID_FACADE_PG_CLUSTER)"
}

# Starts the servers and exports their URLs (the Cluster's as comma-separated host:port nodes). Returns non-zero (with a message) on failure.
plaid_facade_services_start() {
  _pf_install_missing || { _pf_log 'could not install redis-server/postgresql'; return 1; }
  _pf_start_redis || return 1
  _pf_start_redis_cluster || return 1
  _pf_start_postgres || return 1
  export PLAID_FACADE_REDIS_URL="redis://127.0.0.1:$PLAID_FACADE_REDIS_PORT"
  local port cluster_nodes=''
  for port in $(_pf_cluster_ports); do cluster_nodes="${cluster_nodes:+$cluster_nodes,}127.0.0.1:$port"; done
  export PLAID_FACADE_REDIS_CLUSTER_NODES="$cluster_nodes"
  export PLAID_FACADE_PG_URL="postgres://postgres@127.0.0.1:$PLAID_FACADE_PG_PORT/postgres"
}

# Stops both servers and removes the PostgreSQL cluster. Safe to call when they are not running.
plaid_facade_services_stop() {
  local pidfile="$PLAID_FACADE_SERVICES_DIR/redis.pid" version
  if _pf_redis_ping; then
    redis-cli -h 127.0.0.1 -p "$PLAID_FACADE_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  elif [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  _pf_stop_redis_cluster
  version=$(_pf_pg_version 2>/dev/null) || version=''
  if [ -n "$version" ] && pg_lsclusters -h 2>/dev/null | awk -v v="$version" -v n="$PLAID_FACADE_PG_CLUSTER" \
    '$1 == v && $2 == n { found = 1 } END { exit !found }'; then
    pg_dropcluster --stop "$version" "$PLAID_FACADE_PG_CLUSTER" >&2 || true
  fi
  unset PLAID_FACADE_REDIS_URL PLAID_FACADE_PG_URL PLAID_FACADE_REDIS_CLUSTER_NODES
  _pf_log 'services stopped'
}
