#!/usr/bin/env bash
# Plans a kimi optimize grid search and submits it to Slurm: an array job of one task per shard and a reduce job that
# depends on it (afterany). Prints the two job ids. Every path must be visible at the same place on every node.
#   deploy/slurm/submit.sh --shards 16 --out /shared/search --set /shared/kimi.set --mode m1ohlc --data /shared/EURUSD.csv
# KIMI (default: kimi on PATH) is the kimi launcher on the nodes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kimi=${KIMI:-kimi}
shards= out=out/optimize
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --shards) shards=${args[$((i + 1))]} ;;
    --out) out=${args[$((i + 1))]} ;;
  esac
done
[ -n "$shards" ] || { echo "usage: submit.sh --shards N --out DIR --set FILE [kimi optimize options]" >&2; exit 2; }
"$kimi" optimize plan "$@"
plan="$(cd "$out" && pwd)/plan.json"
array=$(sbatch --parsable --export=ALL,KIMI="$kimi" --array=0-$((shards - 1)) "$here/optimize-shard.sbatch" "$plan")
reduce=$(sbatch --parsable --export=ALL,KIMI="$kimi" --dependency=afterany:"${array%%;*}" "$here/optimize-reduce.sbatch" "$plan")
echo "array job ${array%%;*} (${shards} shards), reduce job ${reduce%%;*}: results in $(dirname "$plan")"
