#!/usr/bin/env bash
# Linux build of KimiEA: restore and build the solution, publish the NativeAOT engine library and the `kimi` CLI
# into artifacts/, with the CLI runnable as artifacts/kimi.
#
#   ./build.sh                 Release build (native library for linux-x64, framework net9.0 by default)
#   KIMI_NATIVE_TFM=net10.0 ./build.sh   pick the native target framework (one property: KimiNativeTfm)
#   KIMI_NATIVE_ISA=avx|x86-x64-v3|(empty) ./build.sh   the library's instruction-set baseline (default: avx when
#                              /proc/cpuinfo has it; see KimiNativeInstructionSet in src/KimiEA.Native)
#
# Layout produced:
#   artifacts/native/KimiEA.so (+ kimiea.h)   the library the EA loads on Windows as KimiEA.dll; one file: SQLite is
#                                             linked in (src/KimiEA.Native/StaticSqlite.targets, needs cc and npm)
#   artifacts/cli/                              the kimi tool (framework-dependent, .NET 10)
#   artifacts/kimi                              launcher script for the kimi tool
set -euo pipefail
cd "$(dirname "$0")"
CONFIG=${CONFIG:-Release}
TFM=${KIMI_NATIVE_TFM:-net9.0}
# The Linux library is VEX-encoded (AVX) when this machine has AVX: see KimiNativeInstructionSet in
# src/KimiEA.Native/KimiEA.Native.csproj. KIMI_NATIVE_ISA= (empty) forces the SDK's default baseline.
if [ -z "${KIMI_NATIVE_ISA+set}" ]; then
  if grep -qw avx /proc/cpuinfo 2>/dev/null; then KIMI_NATIVE_ISA=avx; else KIMI_NATIVE_ISA=; fi
fi

echo "==> build ($CONFIG, native TFM $TFM)"
dotnet build KimiEA.sln -c "$CONFIG" -p:KimiNativeTfm="$TFM" -nologo -clp:ErrorsOnly
# The benchmarks are not in the solution (BenchmarkDotNet builds them itself when run); compiling them here keeps an
# interface change from leaving them broken until someone next measures.
dotnet build benchmarks/KimiEA.Benchmarks/KimiEA.Benchmarks.csproj -c "$CONFIG" -p:KimiNativeTfm="$TFM" -nologo -clp:ErrorsOnly

echo "==> publish native library (NativeAOT, linux-x64, instruction set: ${KIMI_NATIVE_ISA:-SDK default})"
rm -rf artifacts/native
dotnet publish src/KimiEA.Native/KimiEA.Native.csproj -c "$CONFIG" -r linux-x64 -p:KimiNativeTfm="$TFM" \
  -p:KimiNativeInstructionSet="$KIMI_NATIVE_ISA" -o artifacts/native -nologo -clp:ErrorsOnly
rm -f artifacts/native/*.dbg artifacts/native/*.pdb artifacts/native/*.xml

echo "==> publish kimi CLI"
rm -rf artifacts/cli
dotnet publish src/KimiEA.Cli/KimiEA.Cli.csproj -c "$CONFIG" -p:KimiNativeTfm="$TFM" -o artifacts/cli -nologo -clp:ErrorsOnly

cat > artifacts/kimi <<'LAUNCH'
#!/usr/bin/env bash
# Launcher for the kimi tool; points it at the native engine library published beside it.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export KIMI_NATIVE_LIB="${KIMI_NATIVE_LIB:-$here/native/KimiEA.so}"
exec "$here/cli/kimi" "$@"
LAUNCH
chmod +x artifacts/kimi
echo "==> done: artifacts/kimi, artifacts/native/KimiEA.so"
