#!/usr/bin/env bash
# The test command of KimiEA (README "Run the tests"): builds everything with build.sh, then runs every test
# project against the freshly published native library. Ends with one line "N passed, N failed".
#   ./test.sh            all tests
#   ./test.sh --no-build reuse the artifacts of a previous ./build.sh
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" != "--no-build" ]; then ./build.sh; fi
export KIMI_NATIVE_LIB="$PWD/artifacts/native/KimiEA.so"
export KIMI_REPO_ROOT="$PWD"
log=$(mktemp)
set +e
dotnet test KimiEA.sln -c "${CONFIG:-Release}" --no-build -nologo 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# Sum the per-project summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ...").
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- +Failed: ' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"
# The Slurm proof of kimi optimize (a real single-node Slurm; skipped with its reason when slurm-wlm/munge are absent).
if slurm=$(tests/slurm/slurm-test.sh 2>&1); then
  case "$slurm" in *skipped*) skipped=$((skipped + 1)) ;; *) passed=$((passed + 1)) ;; esac
else
  failed=$((failed + 1))
fi
echo "$slurm"
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ]; then exit 1; fi
if [ "$passed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
