#!/usr/bin/env bash
# Runs the reliability suite at full size (docs/RELIABILITY.md). It takes long; CI runs the short
# versions through the README's test command instead.
#
#   reliability/run.sh              crash matrix: 20,000 requests; 3 worker, 2 broker-app and
#                                   1 Kafka-broker SIGKILLs (about 10 minutes)
#   reliability/run.sh soak         soak: an hour at a steady rate, heap/RSS/state sampled; growth
#                                   over the last 30 minutes (the first 30 fill the RocksDB cache)
#   reliability/run.sh faults       provider fault storms: 30 s storms, every provider (11 minutes)
#   reliability/run.sh inputs       bad-input corpus and security checks (a few minutes)
#   reliability/run.sh all          all of the above, one after the other (about 90 minutes)
#
# Extra arguments are passed to Maven, e.g. -Dreliability.rate=80 or -Dreliability.soak.seconds=180.
# Reports: reliability/target/reliability/crash-matrix.md and soak.md, app/target/fault-storms.md,
# app/target/badinput/corpus.md; process logs and provider call logs under
# reliability/target/reliability/<run>/.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/lib/jdk.sh
aibroker_pick_jdk
export MAVEN_OPTS="${MAVEN_OPTS:-} $(aibroker_jdk_flags)"

what=${1:-crash}
[ $# -gt 0 ] && shift

crash=(-Dreliability.requests=20000 -Dreliability.rate=50 -Dreliability.tenants=100
       -Dreliability.worker-kills=3 -Dreliability.app-kills=2 -Dreliability.kafka-kills=1
       -Dreliability.result-timeout-s=300 -Dreliability.queue-deadline-s=60)
soak=(-Dreliability.soak=true -Dreliability.soak.seconds=3600 -Dreliability.soak.warmup-s=1800
      -Dreliability.soak.sample-s=15 -Dreliability.soak.rate=50)

# Runs the named integration tests of a module (and builds what it needs).
its() {
  local module=$1 tests=$2
  shift 2
  ./mvnw -B -ntp -pl "$module" -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test="$tests" -Dfailsafe.failIfNoSpecifiedTests=false "$@"
}

case "$what" in
  crash)  its reliability CrashMatrixIT "${crash[@]}" "$@" ;;
  soak)   its reliability SoakIT "${soak[@]}" "$@" ;;
  faults) reliability/faults.sh "$@" ;;
  inputs) its app 'BadInputCorpusIT,TenantIsolationIT,SecretsCanaryIT,NetworkDefaultsIT,KafkaSecurityIT' "$@" ;;
  all)
    status=0
    for part in crash soak faults inputs; do
      echo "=== reliability/run.sh $part"
      reliability/run.sh "$part" "$@" || { echo "=== $part FAILED"; status=1; }
    done
    exit $status ;;
  *) echo "usage: reliability/run.sh [crash|soak|faults|inputs|all] [maven options]" >&2; exit 1 ;;
esac
