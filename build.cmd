@echo off
rem KimiEA Windows build: restore and build the solution, publish the NativeAOT engine library (KimiEA.dll, win-x64)
rem and the kimi CLI into artifacts\, and optionally install the EA into a MetaTrader 5 data folder.
rem
rem   build.cmd                         build into artifacts\
rem   build.cmd "<MT5 data folder>"     build, then copy the EA, its includes and the DLLs into
rem                                     <data folder>\MQL5\Experts\KimiEA, \MQL5\Include\KimiEA and \MQL5\Libraries
rem                                     (the data folder is the one MetaTrader 5 opens with File > Open Data Folder)
rem
rem Layout produced:
rem   artifacts\native\KimiEA.dll, e_sqlite3.dll, include\kimiea.h   the library the EA imports
rem   artifacts\symbols\KimiEA.pdb                                   symbols for crash dumps of terminal64.exe
rem   artifacts\cli\kimi.exe and artifacts\kimi.cmd                  the kimi tool and its launcher
rem
rem Needs the .NET 10 SDK and the Visual Studio C++ build tools (NativeAOT links with the MSVC linker).
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
if not exist artifacts\native\e_sqlite3.dll (
  echo build.cmd: the publish produced no artifacts\native\e_sqlite3.dll ^(the journal's SQLite^) 1>&2
  goto :failed
)
mkdir artifacts\symbols
if exist artifacts\native\*.pdb move /y artifacts\native\*.pdb artifacts\symbols\ >nul
del /q artifacts\native\*.xml 2>nul

echo ==^> publish kimi CLI
if exist artifacts\cli rmdir /s /q artifacts\cli
dotnet publish src\KimiEA.Cli\KimiEA.Cli.csproj -c %CONFIG% -p:KimiNativeTfm=%TFM% -o artifacts\cli -nologo -clp:ErrorsOnly || goto :failed

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
copy /y artifacts\native\e_sqlite3.dll "%MT5_DATA%\MQL5\Libraries\" >nul || goto :locked
echo     MQL5\Experts\KimiEA\KimiEA.mq5, MQL5\Include\KimiEA\*.mqh, MQL5\Libraries\KimiEA.dll + e_sqlite3.dll
echo     Next: open MetaEditor, compile Experts\KimiEA\KimiEA.mq5, enable "Allow DLL imports" and attach it to a chart.

:done
echo ==^> done: artifacts\native\KimiEA.dll, artifacts\kimi.cmd
exit /b 0

:locked
echo build.cmd: cannot replace the DLLs in "%MT5_DATA%\MQL5\Libraries": close MetaTrader 5 first ^(a loaded KimiEA.dll stays in use until the terminal exits^). 1>&2
exit /b 1

:failed
echo build.cmd: FAILED 1>&2
exit /b 1
