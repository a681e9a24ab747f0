@echo off
rem KimiEA Windows build: restore and build the solution, publish the NativeAOT engine library (KimiEA.dll, win-x64)
rem and the kimi CLI into artifacts\, and optionally install the EA into a MetaTrader 5 data folder.
rem
rem   build.cmd                         build into artifacts\
rem   build.cmd "<MT5 data folder>"     build, then copy the EA, its includes and the DLL into
rem                                     <data folder>\MQL5\Experts\KimiEA, \MQL5\Include\KimiEA and \MQL5\Libraries
rem                                     (the data folder is the one MetaTrader 5 opens with File > Open Data Folder)
rem
rem Layout produced:
rem   artifacts\native\KimiEA.dll, include\kimiea.h   the library the EA imports: one file, SQLite linked in
rem   artifacts\symbols\KimiEA.pdb                    symbols for crash dumps of terminal64.exe
rem   artifacts\cli\kimi.exe and artifacts\kimi.cmd   the kimi tool (self-contained, one file) and its launcher
rem
rem Needs the .NET 10 SDK, the Visual Studio C++ build tools (NativeAOT links with the MSVC linker; cl.exe compiles
rem the SQLite amalgamation linked into KimiEA.dll, see src\KimiEA.Native\StaticSqlite.targets) and npm (the
rem amalgamation and the report's chart library are fetched with it).
rem The engine is built for net10.0 here (KimiNativeTfm); Linux CI builds net9.0, see Directory.Build.props.
setlocal EnableExtensions
cd /d "%~dp0"
set "CONFIG=Release"
if not "%KIMI_CONFIG%"=="" set "CONFIG=%KIMI_CONFIG%"
set "TFM=net10.0"
set "RID=win-x64"
set "MT5_DATA=%~1"

if not "%MT5_DATA%"=="" if not exist "%MT5_DATA%\MQL5\" (
  echo build.cmd: "%MT5_DATA%" is not a MetaTrader 5 data folder: it has no MQL5 folder. 1>&2
  echo build.cmd: in MetaTrader 5 use File ^> Open Data Folder and pass that path. 1>&2
  exit /b 2
)

where dotnet >nul 2>nul || (
  echo build.cmd: the .NET SDK ^(dotnet^) is not on the PATH; install the .NET 10 SDK. 1>&2
  exit /b 1
)

where npm >nul 2>nul || (
  echo build.cmd: npm is not on the PATH; install Node.js ^(npm fetches SQLite's amalgamation and the report's chart library^). 1>&2
  exit /b 1
)

rem cl.exe and lib.exe (SQLite, compiled into KimiEA.dll) need the x64 build environment of the C++ build tools.
where cl >nul 2>nul || call :vcvars || goto :failed

echo ==^> restore
dotnet restore KimiEA.sln -p:KimiNativeTfm=%TFM% -nologo || goto :failed

echo ==^> build (%CONFIG%, native TFM %TFM%)
dotnet build KimiEA.sln -c %CONFIG% -p:KimiNativeTfm=%TFM% --no-restore -nologo -clp:ErrorsOnly || goto :failed

rem The Windows DLL keeps the SDK's default instruction-set baseline on purpose (no KimiNativeInstructionSet): a CPU
rem without a required instruction set makes a NativeAOT library fail fast, which would kill the MT5 terminal.
echo ==^> publish native library (NativeAOT, %RID%)
if exist artifacts\native rmdir /s /q artifacts\native
if exist artifacts\symbols rmdir /s /q artifacts\symbols
dotnet publish src\KimiEA.Native\KimiEA.Native.csproj -c %CONFIG% -r %RID% -p:KimiNativeTfm=%TFM% -o artifacts\native -nologo -clp:ErrorsOnly || goto :failed
if not exist artifacts\native\KimiEA.dll (
  echo build.cmd: the publish produced no artifacts\native\KimiEA.dll 1>&2
  goto :failed
)
rem SQLite is inside KimiEA.dll (StaticSqlite.targets); a separate e_sqlite3.dll would mean the static link was lost.
if exist artifacts\native\e_sqlite3.dll (
  echo build.cmd: the publish produced artifacts\native\e_sqlite3.dll: SQLite must be linked into KimiEA.dll 1>&2
  goto :failed
)
mkdir artifacts\symbols
if exist artifacts\native\*.pdb move /y artifacts\native\*.pdb artifacts\symbols\ >nul
del /q artifacts\native\*.xml 2>nul

rem Self-contained and one file, so a trader's Windows machine needs no .NET runtime for `kimi halt` (the kill switch
rem from outside the terminal); its own SQLite is embedded and extracted on first run.
echo ==^> publish kimi CLI (self-contained, one file, %RID%)
if exist artifacts\cli rmdir /s /q artifacts\cli
dotnet publish src\KimiEA.Cli\KimiEA.Cli.csproj -c %CONFIG% -r %RID% --self-contained -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:KimiNativeTfm=%TFM% -o artifacts\cli -nologo -clp:ErrorsOnly || goto :failed
if not exist artifacts\cli\kimi.exe (
  echo build.cmd: the publish produced no artifacts\cli\kimi.exe 1>&2
  goto :failed
)
del /q artifacts\cli\*.pdb artifacts\cli\*.xml 2>nul

> artifacts\kimi.cmd (
  echo @echo off
  echo rem Launcher for the kimi tool; points it at the native engine library published beside it.
  echo if "%%KIMI_NATIVE_LIB%%"=="" set "KIMI_NATIVE_LIB=%%~dp0native\KimiEA.dll"
  echo "%%~dp0cli\kimi.exe" %%*
)

if "%MT5_DATA%"=="" goto :done

echo ==^> install into %MT5_DATA%\MQL5
if not exist "%MT5_DATA%\MQL5\Experts\KimiEA\" mkdir "%MT5_DATA%\MQL5\Experts\KimiEA" || goto :failed
if not exist "%MT5_DATA%\MQL5\Include\KimiEA\" mkdir "%MT5_DATA%\MQL5\Include\KimiEA" || goto :failed
if not exist "%MT5_DATA%\MQL5\Libraries\" mkdir "%MT5_DATA%\MQL5\Libraries" || goto :failed
copy /y mql5\Experts\KimiEA\KimiEA.mq5 "%MT5_DATA%\MQL5\Experts\KimiEA\" >nul || goto :failed
copy /y mql5\Include\KimiEA\*.mqh "%MT5_DATA%\MQL5\Include\KimiEA\" >nul || goto :failed
rem A loaded NativeAOT library never unloads, so the terminal keeps KimiEA.dll open until it exits.
copy /y artifacts\native\KimiEA.dll "%MT5_DATA%\MQL5\Libraries\" >nul || goto :locked
echo     MQL5\Experts\KimiEA\KimiEA.mq5, MQL5\Include\KimiEA\*.mqh, MQL5\Libraries\KimiEA.dll
echo     Next: open MetaEditor, compile Experts\KimiEA\KimiEA.mq5, enable "Allow DLL imports" and attach it to a chart.

:done
echo ==^> done: artifacts\native\KimiEA.dll, artifacts\kimi.cmd
exit /b 0

:locked
echo build.cmd: cannot replace KimiEA.dll in "%MT5_DATA%\MQL5\Libraries": close MetaTrader 5 first ^(a loaded KimiEA.dll stays in use until the terminal exits^). 1>&2
exit /b 1

:failed
echo build.cmd: FAILED 1>&2
exit /b 1

rem Runs vcvars64.bat of the newest Visual Studio (or Build Tools) with the C++ workload, found with vswhere.
:vcvars
set "VSWHERE=%ProgramFiles(x86)%\Microsoft Visual Studio\Installer\vswhere.exe"
if not exist "%VSWHERE%" (
  echo build.cmd: vswhere.exe not found: install the Visual Studio C++ build tools ^(Desktop development with C++^). 1>&2
  exit /b 1
)
set "VSINSTALL="
for /f "usebackq delims=" %%i in (`"%VSWHERE%" -latest -products * -requires Microsoft.VisualStudio.Component.VC.Tools.x86.x64 -property installationPath`) do set "VSINSTALL=%%i"
if "%VSINSTALL%"=="" (
  echo build.cmd: no Visual Studio installation with the x64 C++ tools was found. 1>&2
  exit /b 1
)
call "%VSINSTALL%\VC\Auxiliary\Build\vcvars64.bat" >nul || exit /b 1
where cl >nul 2>nul || (
  echo build.cmd: vcvars64.bat did not put cl.exe on the PATH. 1>&2
  exit /b 1
)
exit /b 0
