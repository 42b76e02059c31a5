#!/usr/bin/env bash
# Runs the reliability suite at full size (docs/RELIABILITY.md). It takes long; CI runs the short
# versions through the README's test command instead.
#
#   reliability/run.sh              crash matrix: 20,000 requests; 3 worker, 2 broker-app and
#                                   1 Kafka-broker SIGKILLs
#   reliability/run.sh soak         soak: 30 minutes at a steady rate, heap/RSS/state sampled
#   reliability/run.sh all          both
#
# Extra arguments are passed to Maven, e.g. -Dreliability.rate=80 or -Dreliability.soak.seconds=180.
# Reports: reliability/target/reliability/crash-matrix.md and soak.md; process logs and provider
# call logs under reliability/target/reliability/<run>/.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/lib/jdk.sh
aibroker_pick_jdk
export MAVEN_OPTS="${MAVEN_OPTS:-} $(aibroker_jdk_flags)"

what=${1:-crash}
[ $# -gt 0 ] && shift

crash=(-Dreliability.requests=20000 -Dreliability.rate=50 -Dreliability.tenants=100
       -Dreliability.worker-kills=3 -Dreliability.app-kills=2 -Dreliability.kafka-kills=1
       -Dreliability.result-timeout-s=300)
soak=(-Dreliability.soak=true -Dreliability.soak.seconds=1800 -Dreliability.soak.warmup-s=300
      -Dreliability.soak.sample-s=15 -Dreliability.soak.rate=50)

case "$what" in
  crash) tests=CrashMatrixIT; props=("${crash[@]}") ;;
  soak)  tests=SoakIT;        props=("${soak[@]}") ;;
  all)   tests='CrashMatrixIT,SoakIT'; props=("${crash[@]}" "${soak[@]}") ;;
  *) echo "usage: reliability/run.sh [crash|soak|all] [maven options]" >&2; exit 1 ;;
esac

exec ./mvnw -B -ntp -pl reliability -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test="$tests" -Dfailsafe.failIfNoSpecifiedTests=false "${props[@]}" "$@"
