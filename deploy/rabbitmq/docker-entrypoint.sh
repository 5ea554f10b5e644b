#!/usr/bin/env bash
# The docker-compose broker (image rabbitmq:3.13-management): RabbitMQ's own entrypoint and server, then the services'
# users and their permissions on the virtual host / (deploy/rabbitmq/users.conf; passwords from LR_RABBIT_<USER>_PASSWORD,
# else <user>-dev), applied by the same service-users.sh as deploy/local/servers.sh, at every start. The compose health
# check waits for the marker written once they are applied, so no service connects before its user exists.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/service-users.sh"
marker=/tmp/loanrecovery-users-applied
rm -f "$marker"

# The consistent-hash exchange spreads core banking payments over Ingestion's partitions by loan id.
rabbitmq-plugins enable --offline rabbitmq_consistent_hash_exchange >/dev/null
docker-entrypoint.sh rabbitmq-server &
server=$!
# docker stop: RabbitMQ's orderly shutdown, and its exit status.
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"; exit $?' TERM INT

# A first boot (a new data volume) takes longer than a restart.
started=false
for _ in $(seq 1 120); do
  if rabbitmqctl -q await_startup --timeout 5 >/dev/null 2>&1; then started=true; break; fi
  kill -0 "$server" 2>/dev/null || { wait "$server"; exit $?; }
  sleep 1
done
$started || { echo "[loanrecovery] RabbitMQ did not start within 2 minutes" >&2; kill -TERM "$server"; wait "$server"; exit 1; }

definitions=$(lr_rabbit_service_definitions /)
rabbitmqctl -q import_definitions --format json <<<"$definitions" >/dev/null
touch "$marker"
echo "[loanrecovery] the services' RabbitMQ users are set up: $(lr_rabbit_service_users | paste -sd ' ')"
wait "$server"
