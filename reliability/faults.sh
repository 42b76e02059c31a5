#!/usr/bin/env bash
# Provider fault storms at full length (issue 7, item 2): every storm (429 with Retry-After, 5xx
# bursts, hangs, streams cut mid-way) for 30 s against the simulated provider and the fake
# servers of Bedrock, Azure OpenAI and Workers AI, through the broker and a worker on an embedded
# Kafka. The table goes to app/target/fault-storms.md, one timeline per run to
# app/target/fault-storms/*.csv.
#
#   reliability/faults.sh                                   # all storms, all providers, 30 s
#   STORM_SECONDS=5 reliability/faults.sh                   # the test suite's length
#   STORMS=hang,stream-cut PROVIDERS=bedrock reliability/faults.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/lib/jdk.sh
aibroker_pick_jdk
export MAVEN_OPTS="$(aibroker_jdk_flags) ${MAVEN_OPTS:-}"
exec ./mvnw -B -ntp -pl app -am verify \
  -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ProviderFaultStormsIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dfaults.storm.seconds="${STORM_SECONDS:-30}" \
  -Dfaults.storms="${STORMS:-}" \
  -Dfaults.providers="${PROVIDERS:-simulated,bedrock,azure-openai,workers-ai}" \
  -Dfaults.rate="${RATE:-8}" \
  "$@"
