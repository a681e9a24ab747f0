using System.Runtime.InteropServices;
using KimiEA.Core.Abi;
using KimiEA.Core.Market;

namespace KimiEA.NativeHost;

/// <summary>
/// The engine library (KimiEA.so / KimiEA.dll) loaded with <see cref="NativeLibrary"/>, every export of
/// include/kimiea.h bound as an unmanaged function pointer. Hosts call the engine exactly as the EA does, through
/// the C ABI; nothing here touches the managed engine types.
/// </summary>
/// <remarks>
/// A NativeAOT library cannot be unloaded (dlclose/FreeLibrary is unsupported), so one instance per path lives for
/// the process: use <see cref="Load"/>.
/// </remarks>
public sealed unsafe class KimiNative
{
    private static readonly Lock LoadLock = new();
    private static readonly Dictionary<string, KimiNative> Loaded = new(StringComparer.Ordinal);

    /// <summary>The library's full path.</summary>
    public string LibraryPath { get; }

#pragma warning disable CA1051 // public fields: function pointers are called directly on the hot path.
    /// <summary><c>int32_t kimi_abi_version(void)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<int> AbiVersion;
    /// <summary><c>int32_t kimi_check_abi(...)</c> (12 × int32)</summary>
    public readonly delegate* unmanaged[Cdecl]<int, int, int, int, int, int, int, int, int, int, int, int, int, int> CheckAbi;
    /// <summary><c>int64_t kimi_create(config, symbol, spec, account, journal_path, live_allowlist)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<KimiConfig*, char*, KimiSymbolSpec*, KimiAccount*, char*, char*, char*, long> Create;
    /// <summary><c>int32_t kimi_destroy(handle, reason)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, int, int> Destroy;
    /// <summary><c>int32_t kimi_warmup(handle, bars, count)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, MqlRates*, int, int> Warmup;
    /// <summary><c>int32_t kimi_update_spec(handle, spec)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, KimiSymbolSpec*, int> UpdateSpec;
    /// <summary><c>int32_t kimi_on_tick(handle, tick, account)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, MqlTick*, KimiAccount*, int> OnTick;
    /// <summary><c>int32_t kimi_on_bar(handle, bar)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, MqlRates*, int> OnBar;
    /// <summary><c>int32_t kimi_poll_instructions(handle, out, capacity)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, KimiInstruction*, int, int> PollInstructions;
    /// <summary><c>int32_t kimi_report_result(handle, result)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, KimiOrderResult*, int> ReportResult;
    /// <summary><c>int32_t kimi_on_trade_transaction(handle, deal)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, KimiDeal*, int> OnTradeTransaction;
    /// <summary><c>int32_t kimi_sync_positions(handle, positions, count, time_msc)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, KimiPosition*, int, long, int> SyncPositions;
    /// <summary><c>int32_t kimi_on_timer(handle, time_msc, account)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, long, KimiAccount*, int> OnTimer;
    /// <summary><c>int32_t kimi_approve(handle, intent_id, approve)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, long, int, int> Approve;
    /// <summary><c>int32_t kimi_poll_events(handle, out, capacity)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, KimiEvent*, int, int> PollEvents;
    /// <summary><c>int32_t kimi_poll_log(handle, buffer, capacity)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, char*, int, int> PollLog;
    /// <summary><c>int32_t kimi_get_status(handle, out)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, KimiStatus*, int> GetStatus;
    /// <summary><c>int32_t kimi_last_error(handle, buffer, capacity)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, char*, int, int> LastError;
    /// <summary><c>int32_t kimi_emergency_stop(engage, reason)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<int, char*, int> EmergencyStop;
    /// <summary><c>int32_t kimi_code_name(event_kind, code, buffer, capacity)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<int, int, char*, int, int> CodeName;
    /// <summary><c>int32_t kimi_get_zones(handle, out, capacity)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, KimiZone*, int, int> GetZones;
    /// <summary><c>int32_t kimi_close_positions(handle)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, int> ClosePositions;
    /// <summary><c>int32_t kimi_request_halt(handle, halt, reason)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long, int, char*, int> RequestHalt;
    /// <summary><c>int64_t kimi_allocated_bytes(void)</c></summary>
    public readonly delegate* unmanaged[Cdecl]<long> AllocatedBytes;
#pragma warning restore CA1051

    /// <summary>The names of every export this binding requires (the ABI drift test compares them with the header).</summary>
    public static readonly string[] ExportNames =
    [
        "kimi_abi_version", "kimi_check_abi", "kimi_create", "kimi_destroy", "kimi_warmup", "kimi_update_spec",
        "kimi_on_tick", "kimi_on_bar", "kimi_poll_instructions", "kimi_report_result", "kimi_on_trade_transaction",
        "kimi_sync_positions", "kimi_on_timer", "kimi_approve", "kimi_poll_events", "kimi_poll_log", "kimi_get_status",
        "kimi_last_error", "kimi_emergency_stop", "kimi_code_name", "kimi_get_zones", "kimi_close_positions", "kimi_request_halt", "kimi_allocated_bytes",
    ];

    private KimiNative(string path)
    {
        LibraryPath = path;
        var h = NativeLibrary.Load(path);
        AbiVersion = (delegate* unmanaged[Cdecl]<int>)Export(h, "kimi_abi_version");
        CheckAbi = (delegate* unmanaged[Cdecl]<int, int, int, int, int, int, int, int, int, int, int, int, int, int>)Export(h, "kimi_check_abi");
        Create = (delegate* unmanaged[Cdecl]<KimiConfig*, char*, KimiSymbolSpec*, KimiAccount*, char*, char*, char*, long>)Export(h, "kimi_create");
        Destroy = (delegate* unmanaged[Cdecl]<long, int, int>)Export(h, "kimi_destroy");
        Warmup = (delegate* unmanaged[Cdecl]<long, MqlRates*, int, int>)Export(h, "kimi_warmup");
        UpdateSpec = (delegate* unmanaged[Cdecl]<long, KimiSymbolSpec*, int>)Export(h, "kimi_update_spec");
        OnTick = (delegate* unmanaged[Cdecl]<long, MqlTick*, KimiAccount*, int>)Export(h, "kimi_on_tick");
        OnBar = (delegate* unmanaged[Cdecl]<long, MqlRates*, int>)Export(h, "kimi_on_bar");
        PollInstructions = (delegate* unmanaged[Cdecl]<long, KimiInstruction*, int, int>)Export(h, "kimi_poll_instructions");
        ReportResult = (delegate* unmanaged[Cdecl]<long, KimiOrderResult*, int>)Export(h, "kimi_report_result");
        OnTradeTransaction = (delegate* unmanaged[Cdecl]<long, KimiDeal*, int>)Export(h, "kimi_on_trade_transaction");
        SyncPositions = (delegate* unmanaged[Cdecl]<long, KimiPosition*, int, long, int>)Export(h, "kimi_sync_positions");
        OnTimer = (delegate* unmanaged[Cdecl]<long, long, KimiAccount*, int>)Export(h, "kimi_on_timer");
        Approve = (delegate* unmanaged[Cdecl]<long, long, int, int>)Export(h, "kimi_approve");
        PollEvents = (delegate* unmanaged[Cdecl]<long, KimiEvent*, int, int>)Export(h, "kimi_poll_events");
        PollLog = (delegate* unmanaged[Cdecl]<long, char*, int, int>)Export(h, "kimi_poll_log");
        GetStatus = (delegate* unmanaged[Cdecl]<long, KimiStatus*, int>)Export(h, "kimi_get_status");
        LastError = (delegate* unmanaged[Cdecl]<long, char*, int, int>)Export(h, "kimi_last_error");
        EmergencyStop = (delegate* unmanaged[Cdecl]<int, char*, int>)Export(h, "kimi_emergency_stop");
        CodeName = (delegate* unmanaged[Cdecl]<int, int, char*, int, int>)Export(h, "kimi_code_name");
        GetZones = (delegate* unmanaged[Cdecl]<long, KimiZone*, int, int>)Export(h, "kimi_get_zones");
        ClosePositions = (delegate* unmanaged[Cdecl]<long, int>)Export(h, "kimi_close_positions");
        RequestHalt = (delegate* unmanaged[Cdecl]<long, int, char*, int>)Export(h, "kimi_request_halt");
        AllocatedBytes = (delegate* unmanaged[Cdecl]<long>)Export(h, "kimi_allocated_bytes");
    }

    /// <summary>
    /// Loads the library at <paramref name="path"/> (or the one <see cref="Locate"/> finds), binds every export and
    /// performs the ABI handshake the EA performs in OnInit.
    /// </summary>
    /// <exception cref="FileNotFoundException">No library at the path.</exception>
    /// <exception cref="InvalidOperationException">An export is missing or the ABI handshake fails.</exception>
    public static KimiNative Load(string? path = null)
    {
        var full = Path.GetFullPath(path ?? Locate());
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"The KimiEA engine library was not found at {full}. Run ./build.sh, or set KIMI_NATIVE_LIB.", full);
        }

        lock (LoadLock)
        {
            if (!Loaded.TryGetValue(full, out var lib))
            {
                lib = new KimiNative(full);
                lib.Handshake();
                Loaded[full] = lib;
            }

            return lib;
        }
    }

    /// <summary>
    /// Where the library is: KIMI_NATIVE_LIB, else beside the running program, else ../native next to it (the
    /// artifacts/ layout), else artifacts/native under the current directory.
    /// </summary>
    public static string Locate()
    {
        var file = OperatingSystem.IsWindows() ? "KimiEA.dll" : "KimiEA.so";
        if (Environment.GetEnvironmentVariable("KIMI_NATIVE_LIB") is { Length: > 0 } env)
        {
            return env;
        }

        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, file),
            Path.Combine(AppContext.BaseDirectory, "..", "native", file),
            Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "native", file),
        ];
        return candidates.FirstOrDefault(File.Exists) ?? candidates[^1];
    }

    /// <summary>The ABI handshake of OnInit step 1: version and every struct size.</summary>
    private void Handshake()
    {
        var version = AbiVersion();
        if (version != AbiCodes.AbiVersion)
        {
            throw new InvalidOperationException($"{LibraryPath} implements ABI version {version}, this host expects {AbiCodes.AbiVersion}.");
        }

        var rc = CheckAbi(AbiCodes.AbiVersion, MqlRates.Size, MqlTick.Size, KimiConfig.Size, KimiSymbolSpec.Size,
            KimiAccount.Size, KimiInstruction.Size, KimiOrderResult.Size, KimiDeal.Size, KimiPosition.Size, KimiStatus.Size, KimiEvent.Size, KimiZone.Size);
        if (rc != AbiCodes.Ok)
        {
            throw new InvalidOperationException($"ABI handshake with {LibraryPath} failed ({rc}): {ReadLastError(0)}");
        }
    }

    /// <summary>The last error text of a handle (0 = process-wide).</summary>
    public string ReadLastError(long handle)
    {
        var buf = stackalloc char[1024];
        var n = LastError(handle, buf, 1024);
        return n > 0 ? new string(buf, 0, n) : string.Empty;
    }

    /// <summary>The name of a code of an event kind (denial reason, exit reason, retcode, breaker state).</summary>
    public string NameOf(int eventKind, long code)
    {
        var buf = stackalloc char[256];
        var n = CodeName(eventKind, checked((int)code), buf, 256);
        return n > 0 ? new string(buf, 0, n) : code.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Calls <c>kimi_create</c> with managed strings (marshalled as UTF-16, NUL-terminated).</summary>
    /// <returns>The handle (&gt; 0) or an error code (≤ 0).</returns>
    public long CreateAgent(in KimiConfig config, string symbol, in KimiSymbolSpec spec, in KimiAccount account, string? journalPath, string? liveAllowlist, string? calibrationPath = null)
    {
        fixed (KimiConfig* c = &config)
        fixed (KimiSymbolSpec* s = &spec)
        fixed (KimiAccount* a = &account)
        fixed (char* sym = symbol)
        fixed (char* jp = journalPath ?? string.Empty)
        fixed (char* al = liveAllowlist ?? string.Empty)
        fixed (char* cp = calibrationPath ?? string.Empty)
        {
            return Create(c, sym, s, a, journalPath is null ? null : jp, liveAllowlist is null ? null : al, calibrationPath is null ? null : cp);
        }
    }

    private static nint Export(nint lib, string name) =>
        NativeLibrary.TryGetExport(lib, name, out var p)
            ? p
            : throw new InvalidOperationException($"The engine library does not export '{name}' (ABI drift: rebuild the library and the host together).");
}
