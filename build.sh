#!/usr/bin/env bash
# Linux build of KimiEA: restore and build the solution, publish the NativeAOT engine library and the `kimi` CLI
# into artifacts/, with the CLI runnable as artifacts/kimi.
#
#   ./build.sh                 Release build (native library for linux-x64, framework net9.0 by default)
#   KIMI_NATIVE_TFM=net10.0 ./build.sh   pick the native target framework (one property: KimiNativeTfm)
#
# Layout produced:
#   artifacts/native/KimiEA.so (+ libe_sqlite3.so, kimiea.h)   the library the EA loads on Windows as KimiEA.dll
#   artifacts/cli/                                             the kimi tool (framework-dependent, .NET 10)
#   artifacts/kimi                                             launcher script for the kimi tool
set -euo pipefail
cd "$(dirname "$0")"
CONFIG=${CONFIG:-Release}
TFM=${KIMI_NATIVE_TFM:-net9.0}

echo "==> build ($CONFIG, native TFM $TFM)"
dotnet build KimiEA.sln -c "$CONFIG" -p:KimiNativeTfm="$TFM" -nologo -clp:ErrorsOnly

echo "==> publish native library (NativeAOT, linux-x64)"
rm -rf artifacts/native
dotnet publish src/KimiEA.Native/KimiEA.Native.csproj -c "$CONFIG" -r linux-x64 -p:KimiNativeTfm="$TFM" \
  -o artifacts/native -nologo -clp:ErrorsOnly
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
