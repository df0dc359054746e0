# shellcheck shell=bash
# Throwaway Redis and PostgreSQL servers on loopback for the integration tests.
#
#   source .ci/services.sh      # starts both (installing them if missing) and exports
#                               #   PLAID_FACADE_REDIS_URL, PLAID_FACADE_REDIS_CLUSTER_NODES
#                               #   (a 3-master Redis Cluster) and PLAID_FACADE_PG_URL
#   eval "$(bash .ci/services.sh)"   # the same from a shell that cannot source: prints the exports
#   plaid_facade_services_stop  # (after sourcing) stops both; or run .ci/services-stop.sh
#
# Idempotent: a server already answering on its port is reused, a cluster left by an earlier run
# is restarted (or recreated when its port differs). Nothing is persisted: Redis runs with no RDB
# and no AOF, and the PostgreSQL cluster lives only for the tests (trust auth, loopback only).
#
# Settings (environment, all optional):
#   PLAID_FACADE_REDIS_PORT (default 56379)   PLAID_FACADE_PG_PORT (default 55432)
#   PLAID_FACADE_PG_CLUSTER (default plaid_facade)
#   PLAID_FACADE_REDIS_CLUSTER_PORT (default 47001: the Cluster's masters use it and the next two, and each port + 10000)
#   PLAID_FACADE_SERVICES_DIR (default ${TMPDIR:-/tmp}/plaid-facade-services: pidfile, logs)
#
# Written to be sourced: it never calls `exit` or `set -e` in the caller's shell; every step
# runs inside functions that return non-zero on failure.

# shellcheck source=services-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/services-lib.sh" || return 1 2>/dev/null || exit 1

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  # Executed rather than sourced: the exports cannot reach the caller, so print them for `eval`.
  plaid_facade_services_start || exit 1
  printf 'export PLAID_FACADE_REDIS_URL=%q\n' "$PLAID_FACADE_REDIS_URL"
  printf 'export PLAID_FACADE_REDIS_CLUSTER_NODES=%q\n' "$PLAID_FACADE_REDIS_CLUSTER_NODES"
  printf 'export PLAID_FACADE_PG_URL=%q\n' "$PLAID_FACADE_PG_URL"
else
  plaid_facade_services_start
fi
