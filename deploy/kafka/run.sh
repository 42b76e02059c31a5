#!/usr/bin/env bash
# The Kafka node of docker-compose.yml: one combined KRaft broker and controller that
# authenticates clients with SASL/SCRAM-SHA-512 and authorizes them with ACLs.
#
#   run.sh               write server.properties from the environment, format the log directory
#                        (once, with the SCRAM users), start Kafka
#   run.sh healthcheck   succeed when the broker answers an authenticated admin request
#
# It uses nothing of the apache/kafka image but /opt/kafka/bin: the image's own entrypoint
# formats the log directory without SCRAM users, and in KRaft a SCRAM user can only exist before
# the first client connects if `kafka-storage.sh format --add-scram` puts it in the bootstrap
# metadata.
#
# Environment:
#   KAFKA_<PROPERTY>            a server property, the image's convention: KAFKA_ stripped,
#                               lower-cased, "_" -> ".", "__" -> "_", "___" -> "-"
#                               (KAFKA_LOG_DIRS -> log.dirs); KAFKA_OPTS, KAFKA_HEAP_OPTS and the
#                               other variables of kafka-run-class.sh are left to it
#   CLUSTER_ID                  the cluster id the log directory is formatted with
#   SCRAM_ADMIN_PASSWORD        password of User:admin (super user; inter-broker listener)
#   SCRAM_AIBROKER_PASSWORD     password of User:aibroker (the aibroker services)
#   SCRAM_SCHEMA_REGISTRY_PASSWORD  password of User:schema-registry
# Passwords: 16 or more of A-Z a-z 0-9 . _ ~ + / = - (`openssl rand -hex 24`), since they end up in
# SCRAM arguments (comma-separated) and JAAS configurations (double-quoted).
#
# The SCRAM users are created when the log directory is formatted, that is on the first start
# with an empty volume; later starts leave the directory (and the users) alone. topic-init sets
# the passwords of aibroker and schema-registry from the environment on every start; the admin
# password is the one of the first start (change it with kafka-configs.sh, then in .env).
set -euo pipefail

MECHANISM=SCRAM-SHA-512
SECRETS_DIR=/tmp/aibroker-kafka
PROPERTIES="$SECRETS_DIR/server.properties"
ADMIN_PROPERTIES="$SECRETS_DIR/admin.properties"
KAFKA_BIN=/opt/kafka/bin

# Variables of kafka-run-class.sh and of the image, not server properties.
NOT_PROPERTIES=" KAFKA_OPTS KAFKA_HEAP_OPTS KAFKA_JVM_PERFORMANCE_OPTS KAFKA_GC_LOG_OPTS \
KAFKA_LOG4J_OPTS KAFKA_JMX_OPTS KAFKA_JMX_PORT KAFKA_JMX_HOSTNAME KAFKA_DEBUG KAFKA_VERSION \
KAFKA_LOG4J_ROOT_LOGLEVEL KAFKA_LOG4J_LOGGERS KAFKA_TOOLS_LOG4J_LOGLEVEL "

fail() {
  echo "deploy/kafka/run.sh: $*" >&2
  exit 1
}

password() {
  local name=$1
  local value=${!name:-}
  [[ -n "$value" ]] || fail "$name is not set (docker-compose.yml takes it from .env)"
  [[ "$value" =~ ^[A-Za-z0-9._~+/=-]{16,}$ ]] ||
    fail "$name must be 16 or more of A-Z a-z 0-9 . _ ~ + / = - (e.g. openssl rand -hex 24)"
  printf '%s' "$value"
}

jaas() {
  printf 'org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";' "$1" "$2"
}

property_name() {
  local name=${1#KAFKA_}
  name=${name,,}
  name=${name//_/.}
  name=${name//.../-}
  printf '%s' "${name//../_}"
}

write_properties() {
  local admin=$1
  umask 077
  mkdir -p "$SECRETS_DIR"
  {
    echo "# Written by deploy/kafka/run.sh from the container's environment."
    local var
    while IFS= read -r var; do
      [[ "$var" == KAFKA_* && "$NOT_PROPERTIES" != *" $var "* ]] || continue
      echo "$(property_name "$var")=${!var}"
    done < <(compgen -e | sort)
    # The server side of SCRAM on each SASL listener, and the inter-broker listener's own login.
    echo "listener.name.external.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;"
    echo "listener.name.internal.scram-sha-512.sasl.jaas.config=$(jaas admin "$admin")"
  } > "$PROPERTIES"
  {
    echo "security.protocol=SASL_PLAINTEXT"
    echo "sasl.mechanism=$MECHANISM"
    echo "sasl.jaas.config=$(jaas admin "$admin")"
  } > "$ADMIN_PROPERTIES"
}

start() {
  local admin aibroker registry
  admin=$(password SCRAM_ADMIN_PASSWORD)
  aibroker=$(password SCRAM_AIBROKER_PASSWORD)
  registry=$(password SCRAM_SCHEMA_REGISTRY_PASSWORD)
  [[ -n "${CLUSTER_ID:-}" ]] || fail "CLUSTER_ID is not set"
  [[ -n "${KAFKA_LOG_DIRS:-}" ]] || fail "KAFKA_LOG_DIRS is not set"
  write_properties "$admin"

  local dir=${KAFKA_LOG_DIRS%%,*}
  local marker="$dir/.aibroker-scram-users"
  if [[ -f "$dir/meta.properties" ]]; then
    if [[ ! -f "$marker" ]]; then
      echo "WARNING: $dir was formatted before deploy/kafka/run.sh (without SASL): it has no" \
        "SCRAM users, so no client can log in. Remove the volume (docker compose down -v, which" \
        "deletes every record) or add the users with kafka-configs.sh." >&2
    fi
  else
    echo "Formatting $dir (cluster $CLUSTER_ID) with the SCRAM users admin, aibroker, schema-registry"
    local out
    # its output lists the bootstrap records, SCRAM salts and keys included: shown only on failure
    if ! out=$("$KAFKA_BIN/kafka-storage.sh" format --config "$PROPERTIES" --cluster-id "$CLUSTER_ID" \
      --ignore-formatted \
      --add-scram "$MECHANISM=[name=admin,password=$admin]" \
      --add-scram "$MECHANISM=[name=aibroker,password=$aibroker]" \
      --add-scram "$MECHANISM=[name=schema-registry,password=$registry]" 2>&1); then
      out=${out//"$admin"/***}
      out=${out//"$aibroker"/***}
      echo "${out//"$registry"/***}" >&2
      fail "could not format $dir"
    fi
    touch "$marker"
  fi
  exec "$KAFKA_BIN/kafka-server-start.sh" "$PROPERTIES"
}

healthcheck() {
  [[ -f "$ADMIN_PROPERTIES" ]] || exit 1
  # the INTERNAL listener's advertised address, e.g. kafka:19092
  local internal=${KAFKA_ADVERTISED_LISTENERS:?}
  [[ "$internal" == *INTERNAL://* ]] || fail "KAFKA_ADVERTISED_LISTENERS has no INTERNAL listener"
  internal=${internal#*INTERNAL://}
  "$KAFKA_BIN/kafka-broker-api-versions.sh" --bootstrap-server "${internal%%,*}" \
    --command-config "$ADMIN_PROPERTIES" > /dev/null 2>&1
}

case "${1:-start}" in
  start) start ;;
  healthcheck) healthcheck ;;
  *) fail "unknown command $1 (start, healthcheck)" ;;
esac
