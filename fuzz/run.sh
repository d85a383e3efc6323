#!/usr/bin/env bash
# Builds the fuzz preset (clang++, libFuzzer, ASan and UBSan) and fuzzes each reader for
# N seconds (the argument, default 60), one after the other, on a copy of its seed corpus
# in build-fuzz/fuzz/corpus/ (the corpus in the repository is never modified; the copy
# keeps what earlier runs found). Fails if a fuzzer finds a crash, a sanitizer report,
# an unexpected exception, a timeout or an out-of-memory; the input is saved in
# build-fuzz/fuzz/artifacts/ and can be replayed with `build-fuzz/fuzz/fuzz_csv FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: fuzz/run.sh [SECONDS per fuzzer, default 60]" >&2
  exit 2
fi

cmake --preset fuzz > /dev/null
cmake --build --preset fuzz

out=build-fuzz/fuzz
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
for target in csv model; do
  corpus=$out/corpus/$target
  artifacts=$out/artifacts/$target
  log=$out/fuzz_$target.log
  rm -rf "$artifacts"
  mkdir -p "$corpus" "$artifacts"
  cp fuzz/corpus/"$target"/* "$corpus"/
  echo "fuzz_$target: ${seconds} s on $(find "$corpus" -type f | wc -l) inputs in $corpus"
  status=0
  "$out/fuzz_$target" -dict="fuzz/$target.dict" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" > "$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  echo "fuzz_$target: ${execs:-?} executions, corpus now $(find "$corpus" -type f | wc -l) inputs (log: $log)"
  if [ "$status" -ne 0 ]; then
    echo "fuzz_$target FAILED (exit status $status); the end of its log:" >&2
    tail -n 40 "$log" >&2
    ls -l "$artifacts" >&2
    failed=1
  fi
done
exit "$failed"
