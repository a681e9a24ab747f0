#!/usr/bin/env bash
# The Slurm proof of kimi optimize (docs/optimize.md): a real single-node Slurm (Debian's slurm-wlm and munge), its
# daemons started in the foreground by this script (munged -F, slurmctld -D -i, slurmd -D) on a slurm.conf built for
# this host from `slurmd -C`, runs a plan through deploy/slurm/submit.sh as a 4-task job array (optimize-shard.sbatch)
# and the reduce as a dependent job (optimize-reduce.sbatch, --dependency=afterany); the reduced outputs must equal a
# local run's byte for byte. Every daemon this script started is stopped by its PID. Needs root, the packages, and ./build.sh's
# artifacts; prints "slurm test: skipped (reason)" and exits 0 when the packages or root are missing, exit 1 on failure.
#   tests/slurm/slurm-test.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
skip() { echo "slurm test: skipped ($1)"; exit 0; }
for c in munged slurmctld slurmd sbatch sinfo; do command -v "$c" >/dev/null || skip "$c is not installed: apt-get install -y --no-install-recommends slurm-wlm munge"; done
[ "$(id -u)" -eq 0 ] || skip "the Slurm daemons need root"
id munge >/dev/null 2>&1 || skip "no munge user"
[ -f /etc/munge/munge.key ] || skip "no /etc/munge/munge.key"
[ -x "$repo/artifacts/kimi" ] || { echo "slurm test: FAILED ($repo/artifacts/kimi is missing: run ./build.sh)"; exit 1; }

work=$(mktemp -d /tmp/kimi-slurm.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  local rc=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ $rc -ne 0 ]; then
    echo "slurm test: FAILED; logs:" >&2
    tail -n 20 "$work"/*.log "$work"/*.out 2>/dev/null >&2 || true
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT

# munge on a socket of its own, so a munged already running on this machine is neither used nor disturbed.
mkdir -p "$work/munge"
chown munge:munge "$work/munge"
chmod 755 "$work/munge"
runuser -u munge -- munged -F --socket="$work/munge/munge.sock" --pid-file="$work/munge/munged.pid" \
  --log-file="$work/munge/munged.log" --seed-file="$work/munge/munged.seed" >"$work/munged.log" 2>&1 &
pids+=($!)

# Ports from this script's PID, so two runs on one machine do not meet.
port=$((20000 + ($$ % 20000)))
host=$(hostname -s)
node=$(slurmd -C | head -n 1)
mkdir -p "$work/state" "$work/spool"
cat > "$work/slurm.conf" <<CONF
ClusterName=kimitest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/munge.sock
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
$node
PartitionName=kimi Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"
for _ in $(seq 50); do [ -S "$work/munge/munge.sock" ] && break; sleep 0.1; done
[ -S "$work/munge/munge.sock" ] || { echo "munged did not start" >&2; exit 1; }
slurmctld -D -i -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$work/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 60); do
  [ "$(sinfo -h -o %T 2>/dev/null | head -n 1)" = idle ] && break
  sleep 0.5
done
[ "$(sinfo -h -o %T 2>/dev/null | head -n 1)" = idle ] || { echo "the node did not become idle: $(sinfo 2>&1)" >&2; exit 1; }

# The search: 3 × 2 × 2 passes on the shipped EURUSD M1 sample, every intent approved so that passes trade.
printf 'InpMinConfidence=0||0||0.3||0.6||Y\r\nInpAutoConfidence=0.6||0.6||0||0.6||N\r\nInpSwingLength=5||5||5||10||Y\r\nInpMinRewardRisk=1.5||1||1||2||Y\r\n' > "$work/search.set"
opts=(--set "$work/search.set" --mode m1ohlc --approve all --cache "$work/cache")
kimi="$repo/artifacts/kimi"
"$kimi" optimize --workers 2 --out "$work/local" "${opts[@]}" > "$work/local.out"
cd "$work"
# The shipped submit script plans, submits the 4-task array and the dependent reduce; this script then waits for the
# reduce with a job of its own that depends on it.
submitted=$(KIMI="$kimi" "$repo/deploy/slurm/submit.sh" --shards 4 --out "$work/cluster" "${opts[@]}" | tail -n 1)
echo "$submitted" > "$work/submit.out"
reduce=$(sed -E 's/.*reduce job ([0-9]+).*/\1/' <<<"$submitted")
[[ "$reduce" =~ ^[0-9]+$ ]] || { echo "submit.sh printed no reduce job: $submitted" >&2; exit 1; }
sbatch --wait --dependency=afterany:"$reduce" --output=/dev/null --wrap true > /dev/null
for s in 0 1 2 3; do [ -f "$work/cluster/shards/$s-of-4.done" ] || { echo "shard $s did not finish" >&2; exit 1; }; done
for f in results.csv daily-returns.csv overfitting.json best.set optimize.html; do
  cmp "$work/local/$f" "$work/cluster/$f" || { echo "$f: the Slurm reduce differs from the local run" >&2; exit 1; }
done
echo "slurm test: passed (4-task array + dependent reduce = local run, byte for byte)"
