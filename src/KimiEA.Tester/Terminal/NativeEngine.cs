using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.NativeHost;

namespace KimiEA.Tester.Terminal;

/// <summary>The engine as the native library (KimiEA.so / KimiEA.dll) exposes it, called through <see cref="KimiNative"/>.</summary>
public sealed class NativeEngine : IEngineHost
{
    /// <summary>Wraps a loaded library.</summary>
    public NativeEngine(KimiNative library)
    {
        ArgumentNullException.ThrowIfNull(library);
        Library = library;
    }

    /// <summary>The library.</summary>
    public KimiNative Library { get; }

    /// <summary>Loads the library (<see cref="KimiNative.Locate"/> when <paramref name="path"/> is null) and checks the ABI.</summary>
    /// <exception cref="EngineException">The library is missing, incomplete or of another ABI.</exception>
    public static NativeEngine Load(string? path = null)
    {
        try
        {
            return new NativeEngine(KimiNative.Load(path));
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidOperationException or DllNotFoundException or BadImageFormatException)
        {
            throw new EngineException($"Cannot load the KimiEA engine library: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public IEngineAgent Create(in KimiConfig config, string symbol, in KimiSymbolSpec spec, in KimiAccount account, string? journalPath, string? calibrationPath = null)
    {
        var h = Library.CreateAgent(config, symbol, spec, account, journalPath, null, calibrationPath);
        if (h <= 0)
        {
            throw new EngineException("kimi_create", h, Library.ReadLastError(0));
        }

        return new Agent(Library, h);
    }

    private sealed unsafe class Agent(KimiNative lib, long handle) : IEngineAgent
    {
        public int Warmup(ReadOnlySpan<MqlRates> bars)
        {
            fixed (MqlRates* p = bars)
            {
                return lib.Warmup(handle, p, bars.Length);
            }
        }

        public int SyncPositions(ReadOnlySpan<KimiPosition> positions, long timeMsc)
        {
            fixed (KimiPosition* p = positions)
            {
                return lib.SyncPositions(handle, p, positions.Length, timeMsc);
            }
        }

        public int OnTick(in MqlTick tick, in KimiAccount account)
        {
            fixed (MqlTick* t = &tick)
            fixed (KimiAccount* a = &account)
            {
                return lib.OnTick(handle, t, a);
            }
        }

        public int UpdateSpec(in KimiSymbolSpec spec)
        {
            fixed (KimiSymbolSpec* s = &spec)
            {
                return lib.UpdateSpec(handle, s);
            }
        }

        public int OnBar(in MqlRates bar)
        {
            fixed (MqlRates* b = &bar)
            {
                return lib.OnBar(handle, b);
            }
        }

        public int GetZones(Span<KimiZone> into)
        {
            fixed (KimiZone* z = into)
            {
                return lib.GetZones(handle, z, into.Length);
            }
        }

        public int PollInstructions(Span<KimiInstruction> into)
        {
            fixed (KimiInstruction* p = into)
            {
                return lib.PollInstructions(handle, p, into.Length);
            }
        }

        public int ReportResult(in KimiOrderResult result)
        {
            fixed (KimiOrderResult* r = &result)
            {
                return lib.ReportResult(handle, r);
            }
        }

        public int OnTradeTransaction(in KimiDeal deal)
        {
            fixed (KimiDeal* d = &deal)
            {
                return lib.OnTradeTransaction(handle, d);
            }
        }

        public int OnTimer(long timeMsc, in KimiAccount account)
        {
            fixed (KimiAccount* a = &account)
            {
                return lib.OnTimer(handle, timeMsc, a);
            }
        }

        public int Approve(long intentId, bool approve) => lib.Approve(handle, intentId, approve ? 1 : 0);

        public int PollEvents(Span<KimiEvent> into)
        {
            fixed (KimiEvent* p = into)
            {
                return lib.PollEvents(handle, p, into.Length);
            }
        }

        public int PollLog(Span<char> into)
        {
            fixed (char* p = into)
            {
                return lib.PollLog(handle, p, into.Length);
            }
        }

        public int GetStatus(out KimiStatus status)
        {
            KimiStatus s;
            var rc = lib.GetStatus(handle, &s);
            status = s;
            return rc;
        }

        public int Destroy(int reason) => lib.Destroy(handle, reason);

        public string LastError() => lib.ReadLastError(handle);

        public string NameOf(int eventKind, long code) => lib.NameOf(eventKind, code);
    }
}
