#!/usr/bin/env bash
# Fuzzes one of Tern's Jazzer fuzz tests for a while (issue #16 point 14). `mvn verify` only replays each
# test's committed corpus; this runs the coverage-guided fuzzer itself on one target (Jazzer fuzzes one
# @FuzzTest per JVM). New inputs that reach new code go to MODULE/.cifuzz-corpus/ (not committed); a crash
# or a failed assertion is written to the test's resources directory (src/test/resources/<package>/
# <Class>Inputs/<method>/crash-*), where `mvn verify` replays it from then on: commit it with the fix.
#
# usage: bench/fuzz.sh TARGET [DURATION 5m]
#   TARGET: codec | channel-data | requests | peer-data | stream | sniffer | config | policy-yaml | policy-json | matrix | all
#   DURATION: as Jazzer takes it (90s, 5m, 1h); `all` runs every target in turn for DURATION each
# Builds the module and what it depends on in the same reactor (-am), so it needs no `mvn install` first.
set -euo pipefail

target=${1:-}
duration=${2:-5m}
[[ "$duration" =~ ^[1-9][0-9]*(s|m|h)$ ]] || { echo "DURATION must be a number and s, m or h (like 5m), was '$duration'" >&2; exit 2; }
cd "$(dirname "$0")/.."

targets=(codec channel-data requests peer-data stream sniffer config policy-yaml policy-json matrix)

# module and Class#method of each target
where() {
  case "$1" in
    codec) echo "stun StunCodecFuzzTest#parseNeverThrowsAndReadsBackWhatItAccepted" ;;
    channel-data) echo "stun StunCodecFuzzTest#channelDataHeaderNeverReadsPastTheDatagram" ;;
    requests) echo "impl-relay RequestHandlingFuzzTest#everyRequestIsAnsweredAndNothingLeaks" ;;
    peer-data) echo "impl-relay PeerDataHandlerFuzzTest#everyPermittedDatagramReachesTheClientFramedAndNothingElseDoes" ;;
    stream) echo "impl-relay StreamFramingFuzzTest#decoderCutsAnyStreamIntoWholeFramesOrClosesIt" ;;
    sniffer) echo "impl-relay StreamFramingFuzzTest#sniffingConnectionSurvivesAnyFirstBytes" ;;
    config) echo "adapters/config ConfigLoaderFuzzTest#onlyConfigExceptionEscapesAndNoSecretIsRepeated" ;;
    policy-yaml) echo "impl-policy PolicyFileFuzzTest#yamlPolicyIsReadOrRefusedWithPolicyFileException" ;;
    policy-json) echo "impl-policy PolicyFileFuzzTest#jsonPolicyIsReadOrRefusedWithPolicyFileException" ;;
    matrix) echo "adapters/matrix-http MatrixHttpFuzzTest#everyRequestStreamGetsWellFormedHttpAnswersOnly" ;;
    *) return 1 ;;
  esac
}

fuzz() {
  local spec module test
  spec=$(where "$1") || { echo "unknown target '$1'; known: ${targets[*]} all" >&2; exit 2; }
  module=${spec%% *}
  test=${spec#* }
  echo "== fuzzing $1 ($module $test) for $duration"
  # Logging at warn: the handlers' debug lines for every refused input would slow the fuzzer down many times.
  JAZZER_FUZZ=1 mvn -B -o -pl "$module" -am test-compile surefire:test -Dtest="$test" \
    -Djazzer.max_duration="$duration" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dsurefire.failIfNoSpecifiedTests=false
}

if [ "$target" = all ]; then
  for t in "${targets[@]}"; do
    fuzz "$t"
  done
elif [ -n "$target" ]; then
  fuzz "$target"
else
  echo "usage: bench/fuzz.sh TARGET [DURATION]; TARGET one of: ${targets[*]} all" >&2
  exit 2
fi
