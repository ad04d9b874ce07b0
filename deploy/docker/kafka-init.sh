#!/usr/bin/env bash
# Creates OKC's Kafka topics in the docker-compose stack (the one-shot `kafka-init` service runs this inside the
# apache/kafka image, where /opt/kafka/bin/kafka-topics.sh exists). Safe to re-run: --if-not-exists.
#
# The list below MIRRORS libs/contracts/src/topics.ts (TOPIC_SPECS, with partition counts; every topic also
# gets its `<topic>.dlq` twin with the same partition count). libs/contracts is the source of truth: when a
# topic is added there (or a `.v2` appears), add it here too. Without Docker, deploy/local creates the topics
# from topics.ts directly.
set -euo pipefail

BOOTSTRAP="${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}"
PREFIX="${KAFKA_TOPIC_PREFIX:-}"
REPLICATION_FACTOR="${KAFKA_REPLICATION_FACTOR:-1}"
KAFKA_TOPICS=/opt/kafka/bin/kafka-topics.sh

# name:partitions — keep in the order of TOPIC_SPECS in libs/contracts/src/topics.ts
TOPICS=(
  "telephony.calls.v1:6"
  "telephony.agents.v1:3"
  "pbx.commands.v1:3"
  "pbx.command-results.v1:3"
  "pbx.modes.v1:1"
  "identity.users.v1:3"
  "focus.agent-states.v1:3"
  "focus.dispositions.v1:3"
  "helper.topics.v1:1"
  "helper.suggestions.v1:3"
)
DLQ_SUFFIX=".dlq"

# The compose file already waits for the broker's health check; this loop only covers a manual run.
for attempt in $(seq 1 30); do
  if "$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --list >/dev/null 2>&1; then break; fi
  if [ "$attempt" -eq 30 ]; then echo "kafka-init: broker $BOOTSTRAP not reachable" >&2; exit 1; fi
  sleep 2
done

for spec in "${TOPICS[@]}"; do
  name="${spec%%:*}"
  partitions="${spec##*:}"
  for topic in "${PREFIX}${name}" "${PREFIX}${name}${DLQ_SUFFIX}"; do
    "$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
      --topic "$topic" --partitions "$partitions" --replication-factor "$REPLICATION_FACTOR"
  done
done

echo "kafka-init: topics on $BOOTSTRAP:"
"$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --list
