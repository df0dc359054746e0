#!/usr/bin/env bash
# Stops the Redis and PostgreSQL servers that .ci/services.sh started (same settings from the
# environment) and removes the throwaway PostgreSQL cluster. After sourcing services.sh,
# `plaid_facade_services_stop` does the same.
set -u
# shellcheck source=services-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/services-lib.sh"
plaid_facade_services_stop
