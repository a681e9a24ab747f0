/*
 * kimiea.h — the C ABI of the KimiEA engine library (KimiEA.dll on Windows, KimiEA.so on Linux).
 *
 * This header is the single written contract between the engine and every host:
 *   - mql5/Include/KimiEA/KimiEA.mqh   (#import block; the EA on each MT5 chart)
 *   - tests/standin/standin.c          (the C stand-in for the terminal, compiled by the tests)
 *   - src/KimiEA.NativeHost            (the .NET binding used by `kimi backtest`, benchmarks and tests)
 * An automated drift check (tests/KimiEA.Native.Tests) compares this header, the .mqh #import block and the
 * library's exported symbols on every function name and parameter type.
 *
 * Rules (see shared/mt5-notes.md §1):
 *   - Only 64-bit integers, 32-bit int status codes, doubles, pointers to POD structs and arrays, and UTF-16
 *     NUL-terminated strings cross the boundary. Booleans are int (0/1). Nothing returns a pointer or a string:
 *     text comes back only in caller-owned UTF-16 buffers.
 *   - Every struct below contains only 8-byte fields (int64_t / double), so its layout is identical with MQL5's
 *     default pack(1), pack(8) and natural C alignment. MqlRates and MqlTick are MQL5's own 60-byte structs.
 *   - Every export catches every exception and returns an error code (< 0); the text of the last error of a
 *     handle is available through kimi_last_error. An exception never crosses the boundary (it would kill the
 *     terminal).
 *   - The library never reads the wall clock: all time comes from the caller (server time).
 *   - Handles are per chart (per EA instance). Calls on one handle are serialised by the library; different
 *     handles may be used from different threads at the same time (MT5 runs each chart's EA on its own thread).
 *     Account-level risk state (daily drawdown breaker, exposure, order rate, emergency stop) is process-wide and
 *     shared by all handles.
 *
 * THE CALL SEQUENCE (the EA, the C stand-in and the tester all follow it exactly):
 *
 *   The PENDING WORD. kimi_warmup, kimi_sync_positions, kimi_on_tick, kimi_on_bar, kimi_on_timer,
 *   kimi_on_trade_transaction, kimi_report_result and kimi_approve return, on success, what the agent holds for the host right
 *   after the call: (pending & KIMI_PENDING_INSTRUCTIONS) = instructions ready to poll (capped at 0xFFFF),
 *   (pending & KIMI_PENDING_EVENTS) != 0 when events / log lines wait to be drained, and
 *   (pending & KIMI_PENDING_TIMER) != 0 while the agent has time-driven work (it owns positions, or orders are in
 *   flight). Nothing to poll = nothing further to call: one tick that changes nothing costs exactly one call.
 *   The host keeps the TIMER bit of the LAST successful handler call; < 0 is an error code and changes nothing.
 *   "DRAIN(pending)" below means:
 *     a. if (pending & KIMI_PENDING_INSTRUCTIONS) != 0: n = kimi_poll_instructions(h, out, cap) until it returns 0;
 *        execute each with OrderSend in order, and for EACH instruction call kimi_report_result(h, &result)
 *        exactly once with the final outcome (after the EA's own retries on requote / price changed / price off).
 *        Re-polling never yields an instruction already handed out. On timeout / connection errors the EA reports
 *        the retcode, then re-reads its positions by magic and calls kimi_sync_positions before anything else is
 *        sent (the rest of that batch is reported as not sent, retcode 0).
 *     b. if (pending & (KIMI_PENDING_INSTRUCTIONS | KIMI_PENDING_EVENTS)) != 0 (handing out instructions always
 *        leaves events): kimi_poll_events(h, events, cap) until it returns less than cap, and
 *        kimi_poll_log(h, buf, cap) until it returns 0 (journal lines for Print()).
 *   A host that ignores the pending word and always drains stays correct, only slower.
 *
 *   OnInit
 *     0. Only permanent problems fail OnInit (DLLs not allowed, the ABI handshake, a kimi_create refusal). Transient
 *        ones - not connected, login 0, no price yet, tick value 0, margin unknown, history shorter than the warm-up
 *        while no position of the chart is open (at most a minute) - make the EA show the reason and retry steps 2-5
 *        from OnTimer; with positions open it starts at once with the bars it has and prints the short warm-up.
 *     1. kimi_abi_version() must equal KIMI_ABI_VERSION, and
 *        kimi_check_abi(KIMI_ABI_VERSION, sizeof(MqlRates), sizeof(MqlTick), sizeof(KimiConfig),
 *                       sizeof(KimiSymbolSpec), sizeof(KimiAccount), sizeof(KimiInstruction),
 *                       sizeof(KimiOrderResult), sizeof(KimiDeal), sizeof(KimiPosition), sizeof(KimiStatus),
 *                       sizeof(KimiEvent), sizeof(KimiZone)) must return KIMI_OK; otherwise INIT_FAILED.
 *     2. h = kimi_create(&config, symbol, &spec, &account, journal_path, live_allowlist, calibration_path); h <= 0
 *        is an error code, its text from kimi_last_error(0, ...). calibration_path (NULL or empty: the calibration
 *        shipped in the library) names a signal calibration file written by `kimi calibrate --fit --out`; a file
 *        fitted for other inputs or another time frame is refused (KIMI_E_CONFIG naming each difference).
 *     3. kimi_warmup(h, bars, n): the last n CLOSED bars of the chart, oldest first (no trades from warm-up).
 *     4. Reconciliation with the journal, broker wins: first kimi_on_trade_transaction(h, &deal) for every
 *        buy/sell deal of this symbol and magic in the account history (the EA: the last 30 days, oldest first) —
 *        fills and closes that happened while no engine was running, or whose journal rows a crash lost, are booked
 *        with their real prices and P&L; deals the journal already holds are ignored — then
 *        kimi_sync_positions(h, positions, n, now_msc) with every open position of this symbol and magic (a
 *        complete snapshot, n may be 0).
 *     5. DRAIN(the pending words of 3 and 4, OR-ed).
 *   OnTick (every tick)
 *     1. kimi_on_tick(h, &tick, &account): tick from SymbolInfoTick, account from AccountInfo* (balance, equity...).
 *     2. If a new bar has opened since the last call: kimi_update_spec(h, &spec) (tick value and margin move with
 *        price), then kimi_on_bar(h, &closed_bar) for every bar closed since the last one sent, oldest first. Only
 *        closed bars; the last bar sent advances only over bars the terminal returned (a failed CopyRates is retried
 *        on the next tick, nothing is skipped). After bars were sent, the deal history of this symbol and magic since
 *        shortly before the previous scan goes through kimi_on_trade_transaction (DEAL_ADD events can be lost; the
 *        engine ignores deals it already has).
 *     3. DRAIN(the pending words of 1 and 2, OR-ed).
 *   OnTradeTransaction
 *     For TRADE_TRANSACTION_DEAL_ADD of this symbol and magic: kimi_on_trade_transaction(h, &deal) — fills of our
 *     own orders, server-side SL/TP, stop-outs and manual closes. Then DRAIN(its pending word).
 *   OnTimer (the EA uses a 1 s timer)
 *     If the terminal reconnected since the last timer event, the EA first reconciles as in OnInit 4 (deal history,
 *     then kimi_sync_positions). Then, if the kept TIMER bit is set (or the sync just ran):
 *     kimi_on_timer(h, server_time_msc, &account) — vertical
 *     barriers, breaker flattening, emergency closes and the kill switch's withdrawal of unsent entries are honoured
 *     here even without ticks. A flat, idle agent clears the bit: its timer call could change nothing (new entries
 *     are decided on bars, where the kill switch and the breaker are checked). Then DRAIN(the pending words, OR-ed).
 *   OnDeinit (MT5 allows 2.5 s)
 *     With the EA's "close this chart's positions" input and reason REMOVE only (never a timeframe change, recompile
 *     or shutdown): market closes of the chart's positions and their deals forwarded. Then DRAIN(KIMI_PENDING_EVENTS)
 *     (the last lines) and kimi_destroy(h, reason) with the MQL5 uninit reason (the handle is invalid afterwards;
 *     account-level state survives for the other charts and for re-initialisation).
 *   The approval band (any time after OnInit, on the chart's thread)
 *     An intent whose confidence is at least min_confidence but below auto_execute_confidence is not traded at
 *     once: the agent emits KIMI_EVT_APPROVAL with code KIMI_APPROVAL_AWAITING (ticket = the intent id, value = its
 *     confidence, price/sl/tp/volume as proposed) and the intent waits up to approval_expiry_bars closed bars.
 *     The EA shows it; the trader's decision is kimi_approve(h, intent_id, 1 = approve / 0 = skip), then
 *     DRAIN(its pending word). Approved, the intent goes through every pre-trade rule again at the current market
 *     (the approval stands in for the auto-execute threshold only) and, if it passes, becomes the OPEN instruction
 *     with the same id. An approval after expiry (KIMI_E_EXPIRED), a second decision (KIMI_E_STATE) or an unknown
 *     id (KIMI_E_UNKNOWN_INTENT) is refused and changes nothing. A Simulation chart records an approved intent
 *     and sends nothing.
 *   Any time
 *     kimi_get_status(h, &status), kimi_last_error(h, buf, cap), kimi_emergency_stop(engage, reason_text),
 *     kimi_code_name(kind, code, buf, cap).
 *   The panel's buttons (any time after OnInit, on the chart's thread; each click is a journal row)
 *     kimi_close_positions(h): a CLOSE (reason KIMI_EXIT_MANUAL) for every position this chart's agent owns, then
 *     DRAIN(its pending word). kimi_request_halt(h, 1 = halt / 0 = resume, reason): writes the halt or resume into the
 *     chart's journal, where every agent writing it (every chart of the terminal) takes it within the journal's control
 *     poll, exactly as `kimi halt --db` / `kimi resume --db` from outside; KIMI_E_JOURNAL without a journal or when the
 *     row cannot be written (nothing changes). Then DRAIN(its pending word).
 *   Zones (after each closed bar, when the EA draws them)
 *     n = kimi_get_zones(h, zones, cap): the live structure after the last bar (warm-up included), at most cap records:
 *     first the LEG and the last BREAK (when they exist), then order blocks, fair value gaps and liquidity pools taken
 *     newest first in turn (one of each kind per round), so a small cap still shows some of every kind. Mitigated order
 *     blocks and gaps are not in it (the EA deletes what is no longer listed). Allocates nothing; n < 0 is an error.
 *
 * TIME (what the library believes about "now"; all times are server milliseconds unless named otherwise):
 *   - The ACCOUNT'S CLOCK is process-wide (one process = one account) and follows MARKET time only: tick times
 *     (kimi_on_tick) and the close times (time + timeframe) of closed bars (kimi_on_bar). It alone rolls the daily
 *     drawdown breaker's trading day and drives the order rate limiter, for every chart. Timers, order results, deals
 *     and position snapshots are checked against it but never move it: one chart's odd timer or deal cannot reset the
 *     breaker or rate-limit another chart.
 *   - A market time up to 15 minutes (or, for a bar, one chart period) ahead of the clock moves it at once. A larger
 *     jump - a Monday tick after Friday's, a holiday, a reconnect, or a glitch - is a GAP: the call succeeds, but the
 *     clock moves only when a second market time (any chart) lands within 15 minutes of the first. One stray tick
 *     therefore never rolls the trading day (a bar that closes after an unconfirmed gap is handled the same way).
 *   - Refused with KIMI_E_INVALID_ARGUMENT, changing nothing: any time before 1971-01-01 (seconds passed as
 *     milliseconds) or at/after 2100-01-01; a tick, timer, result or snapshot time more than 10 minutes BEHIND the
 *     clock (charts' ticks may interleave by seconds, not more); a timer, result, deal, position or snapshot time more
 *     than 14 days AHEAD of it (the server clock runs on over weekends and holidays without ticks; a backtest's data
 *     may have holes of days). Deals and positions
 *     may be of any age (the EA forwards 30 days of history at init). 0 means "unknown" for result, position and
 *     snapshot times.
 *   - Before the first market time (a fresh process, or after every chart was removed: the clock is then forgotten,
 *     the breaker's state is not) only the absolute window applies, and the breaker waits for market time. A breaker
 *     state restored from the journal whose trading day is after the market's keeps its state but takes the market's
 *     day, so it rolls over at the next real day.
 *   - Each agent also keeps its own time (event and instruction stamps, the vertical barrier by time): plausible
 *     ticks, bars, timers, results and snapshots move it forward; deals never do.
 *
 * INPUTS: every field an export reads is checked before anything changes; a refused call returns
 * KIMI_E_INVALID_ARGUMENT (KIMI_E_CONFIG for the KimiConfig of kimi_create), names the field and its value in
 * kimi_last_error, and changes nothing. Numbers must be finite; prices, volumes, tick size/value and volume
 * min/step/max positive (volume_min <= volume_max); margin, contract size, volume limit, fees in the config and
 * result prices/volumes >= 0; enumeration fields one of their values; int64 fields the engine keeps as int (limits,
 * levels, leverage, retcodes) within int. A batch (kimi_warmup's bars, kimi_sync_positions' positions) is refused
 * as a whole. A broker position that cannot exist - volume above max(volume_max, volume_limit), a non-positive open
 * price, a buy's stop-loss at or above its take-profit (a sell's at or below) - is never adopted into the risk
 * book: the snapshot (or the fill deal) is refused and a reconciliation row RefusedBrokerPosition says why.
 *
 * Text out (kimi_poll_log, kimi_last_error, kimi_code_name): UTF-16, always NUL-terminated, truncated to
 * capacity-1 characters; the return value is the number of characters written (0 = nothing), or < 0 on error.
 * kimi_poll_log needs capacity >= 2 (one character and the NUL): a longer line is cut to the buffer and consumed;
 * with capacity < 2 it returns KIMI_E_INVALID_ARGUMENT and the line stays queued. kimi_get_status reads one
 * consistent snapshot (halted is derived from the same emergency and breaker values it reports).
 * kimi_emergency_stop(1, reason) is process-wide: every agent refuses new risk and, at its next call, hands out
 * CLOSE instructions (reason KIMI_EXIT_EMERGENCY) for every position it owns — also positions it adopts later —
 * and keeps doing so until the position is gone: a CLOSE the broker refuses is sent again after a back-off of
 * 1 s, 2 s, 4 s ... at most 60 s of server time, and a CLOSE handed out but never answered for 60 s is replaced.
 * The breaker's flatten-on-trip closes the same way. kimi_emergency_stop(0, reason) resets it; any other engage
 * value is refused (KIMI_E_INVALID_ARGUMENT) and leaves the stop as it was.
 *
 * Charts and the account. Each chart's agent decides by its own inputs (mode, confidence gates, approval expiry,
 * sizing, risk per trade, Kelly fraction, max lot, max_positions, every strategy input). Only the account-wide
 * limits are shared: daily_drawdown, breaker_reset_hour, flatten_on_breaker, max_total_risk, max_leverage,
 * max_positions_total, max_orders_per_minute, and the server clock (server_time_zone, server_utc_offset_minutes:
 * every chart of a terminal reads one server time). kimi_create refuses (KIMI_E_CONFIG, naming each differing input, the
 * value in force and the chart that set it) a chart whose account-wide inputs differ from those of the charts
 * attached, and a chart with the magic and symbol of a chart still attached. kimi_destroy keeps the risk, notional
 * and count of the positions the chart leaves open in the account book until they close or a chart with the same
 * magic and symbol adopts them again (never counted twice; an adoption above a limit is journaled and reported as a
 * KIMI_EVT_ERROR with the limit's denial code). kimi_code_name names a code of an event kind: denial reasons (KIMI_EVT_DENIED), exit reasons
 * (KIMI_EVT_CLOSE), trade server retcodes (KIMI_EVT_RESULT), breaker states (KIMI_EVT_BREAKER), approval
 * states (KIMI_EVT_APPROVAL).
 */
#ifndef KIMIEA_H
#define KIMIEA_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define KIMI_API __declspec(dllimport)
#else
#define KIMI_API
#endif

/* ABI version: bumped on every incompatible change of an export or a struct. */
#define KIMI_ABI_VERSION 4

/* ---- status codes: >= 0 success (often a count or a pending word), < 0 error ---- */
#define KIMI_OK 0
#define KIMI_E_INVALID_HANDLE -1   /* unknown or destroyed handle */
#define KIMI_E_INVALID_ARGUMENT -2 /* null pointer, NaN price, negative capacity, bad enum value ... */
#define KIMI_E_ABI_MISMATCH -3     /* version or struct size differs from the library's */
#define KIMI_E_STATE -4            /* call out of sequence (e.g. a result for an unknown instruction) */
#define KIMI_E_INTERNAL -5         /* an unexpected exception inside the engine; text via kimi_last_error */
#define KIMI_E_BUFFER_TOO_SMALL -6 /* reserved: text out is truncated to the buffer instead (see below) */
#define KIMI_E_CONFIG -7           /* kimi_create: invalid input, or a mode the account refuses (paper on a non-demo account, live without opt-in or not allow-listed) */
#define KIMI_E_JOURNAL -8          /* the journal cannot be opened (the agent is created halted instead when possible) */
#define KIMI_E_UNKNOWN_INTENT -9   /* kimi_approve: no intent with that id ever waited for approval on this chart */
#define KIMI_E_EXPIRED -10         /* kimi_approve: the intent's approval window has passed (or its chart was detached) */

/* ---- the pending word returned by the event handlers (see THE CALL SEQUENCE) ---- */
#define KIMI_PENDING_INSTRUCTIONS 65535 /* mask 0xFFFF: instructions ready for kimi_poll_instructions */
#define KIMI_PENDING_EVENTS 65536       /* flag 0x10000: events and log lines wait for kimi_poll_events / kimi_poll_log */
#define KIMI_PENDING_TIMER 131072       /* flag 0x20000: the agent has time-driven work; without it OnTimer skips kimi_on_timer */

/* ---- enumerations (values of int64_t fields) ---- */
/* execution mode */
#define KIMI_MODE_SIMULATION 0 /* decisions recorded, no orders */
#define KIMI_MODE_PAPER 1      /* orders only on a demo account */
#define KIMI_MODE_LIVE 2       /* requires live_opt_in = 1 and the account in the allow-list */
/* sizing */
#define KIMI_SIZING_KELLY 0
#define KIMI_SIZING_FIXED_FRACTION 1
/* the broker server's clock (server_time_zone; KimiEA.Core.Time.TimeZoneKind values) */
#define KIMI_TZ_FIXED 0           /* server_utc_offset_minutes all year (UTC: 0) */
#define KIMI_TZ_NEW_YORK_CLOSE 2  /* UTC+2 while New York is on standard time, UTC+3 while on daylight time, switching at
                                     New York's instants: the server day starts at 17:00 New York (offset must be 120) */
/* instruction kinds */
#define KIMI_INSTR_OPEN 1   /* market order with SL/TP attached */
#define KIMI_INSTR_CLOSE 3  /* close volume lots of position_ticket (netting: exactly this agent's own volume; 2 was a
                               MODIFY the engine never produced, retired in ABI 4) */
/* directions */
#define KIMI_BUY 1
#define KIMI_SELL -1
/* exit reasons (KimiInstruction.reason for closes, KimiEvent.code for close events) */
#define KIMI_EXIT_TP 1
#define KIMI_EXIT_SL 2
#define KIMI_EXIT_TIMEOUT 3
#define KIMI_EXIT_BREAKER 4
#define KIMI_EXIT_EMERGENCY 5
#define KIMI_EXIT_MANUAL 6
#define KIMI_EXIT_RECONCILED 7
/* breaker states */
#define KIMI_BREAKER_ACTIVE 0
#define KIMI_BREAKER_REDUCING_ONLY 1
#define KIMI_BREAKER_HALTED 2
/* MT5 deal entry / type values used in KimiDeal */
#define KIMI_DEAL_ENTRY_IN 0
#define KIMI_DEAL_ENTRY_OUT 1
#define KIMI_DEAL_ENTRY_INOUT 2
#define KIMI_DEAL_ENTRY_OUT_BY 3
#define KIMI_DEAL_TYPE_BUY 0
#define KIMI_DEAL_TYPE_SELL 1
/* MT5 DEAL_REASON_* values used in KimiDeal.reason */
#define KIMI_DEAL_REASON_CLIENT 0
#define KIMI_DEAL_REASON_MOBILE 1
#define KIMI_DEAL_REASON_WEB 2
#define KIMI_DEAL_REASON_EXPERT 3
#define KIMI_DEAL_REASON_SL 4
#define KIMI_DEAL_REASON_TP 5
#define KIMI_DEAL_REASON_SO 6
/* event kinds (KimiEvent.kind) */
#define KIMI_EVT_SIGNAL 1        /* a trade intent was produced (value = confidence) */
#define KIMI_EVT_DENIED 2        /* an intent was refused (code = denial reason) */
#define KIMI_EVT_INSTRUCTION 3   /* an instruction was handed out */
#define KIMI_EVT_RESULT 4        /* an OrderSend result was reported (code = retcode) */
#define KIMI_EVT_FILL 5          /* a position was opened (ticket, price, volume) */
#define KIMI_EVT_CLOSE 6         /* a position was closed (code = exit reason, value = profit) */
#define KIMI_EVT_BREAKER 7       /* breaker transition (code = new state, value = equity) */
#define KIMI_EVT_HALT 8          /* trading halted or resumed (code = 1 halted / 0 resumed) */
#define KIMI_EVT_RECONCILED 9    /* reconciliation action (code = kind) */
#define KIMI_EVT_ERROR 10        /* a problem the trader must see (text via kimi_poll_log) */
#define KIMI_EVT_APPROVAL 11     /* an intent in the approval band (code = KIMI_APPROVAL_*, ticket = intent id, value = confidence) */
/* SMC zone kinds (KimiZone.kind) */
#define KIMI_ZONE_LEG 1          /* the dealing range: last confirmed swing high (top) and low (bottom); direction = where the
                                    last close sits: KIMI_BUY discount (below equilibrium), KIMI_SELL premium, 0 at it */
#define KIMI_ZONE_BREAK 2        /* the last BOS/CHoCH: level (top = bottom), from the broken swing to the breaking bar */
#define KIMI_ZONE_ORDER_BLOCK 3  /* an unmitigated order block: KIMI_BUY demand, KIMI_SELL supply */
#define KIMI_ZONE_FVG 4          /* an unmitigated fair value gap: KIMI_BUY bullish, KIMI_SELL bearish */
#define KIMI_ZONE_LIQUIDITY 5    /* a liquidity pool (level = top = bottom): KIMI_BUY buy-side (equal highs), KIMI_SELL sell-side */
/* KimiZone.flags */
#define KIMI_ZONE_FLAG_CHOCH 1     /* BREAK: a change of character (else a break of structure) */
#define KIMI_ZONE_FLAG_CONFIRMED 2 /* BREAK: final, no later pattern can clear it */
#define KIMI_ZONE_FLAG_SWEPT 4     /* LIQUIDITY: price has swept the pool */
/* approval states (KimiEvent.code of KIMI_EVT_APPROVAL) */
#define KIMI_APPROVAL_AWAITING 0 /* the intent waits for kimi_approve (price, sl, tp, volume as proposed) */
#define KIMI_APPROVAL_APPROVED 1 /* the trader approved it; the gate decides it again at the current market */
#define KIMI_APPROVAL_SKIPPED 2  /* the trader skipped it */
#define KIMI_APPROVAL_EXPIRED 3  /* no decision within approval_expiry_bars closed bars */

/* ---- MQL5 structures, byte for byte (pack 1, 60 bytes each) ---- */
#pragma pack(push, 1)
typedef struct MqlRates {
    int64_t time;        /* bar open time, server seconds */
    double open;
    double high;
    double low;
    double close;
    int64_t tick_volume;
    int32_t spread;      /* points */
    int64_t real_volume;
} MqlRates;

typedef struct MqlTick {
    int64_t time;        /* server seconds */
    double bid;
    double ask;
    double last;
    uint64_t volume;
    int64_t time_msc;    /* server milliseconds */
    uint32_t flags;
    double volume_real;
} MqlTick;
#pragma pack(pop)

/* ---- KimiEA structures: only 8-byte fields, no padding under any packing ---- */

/* The EA's inputs (one per chart). Defaults in brackets are the EA's input defaults. */
typedef struct KimiConfig {
    int64_t magic;                    /* magic number of this agent's orders */
    int64_t timeframe_seconds;        /* chart period (PeriodSeconds()) */
    int64_t mode;                     /* KIMI_MODE_* [SIMULATION] */
    int64_t live_opt_in;              /* 1 = the trader explicitly allows live trading [0] */
    int64_t sizing_mode;              /* KIMI_SIZING_* [KELLY] */
    int64_t max_positions;            /* open positions (and entries in flight) of this chart's agent at most [1] */
    int64_t max_positions_total;      /* across all agents [5] */
    int64_t max_orders_per_minute;    /* account-wide order rate limit [10] */
    int64_t max_holding_bars;         /* vertical barrier in bars of the chart timeframe [48] */
    int64_t swing_length;             /* SMC swing length [10] */
    int64_t breaker_reset_hour;       /* server hour at which the trading day starts [0] */
    int64_t flatten_on_breaker;       /* 1 = close all positions when the breaker trips [1] */
    int64_t approval_expiry_bars;     /* closed bars an intent in the approval band waits for kimi_approve [3] */
    int64_t server_utc_offset_minutes;/* server time minus UTC outside daylight saving, minutes, -840 to 840 [120] */
    int64_t server_time_zone;         /* KIMI_TZ_*: the server clock's daylight rule, for sessions/kill zones; account-wide [NEW_YORK_CLOSE] */
    int64_t deviation_points;         /* max slippage for market orders [10] */
    int64_t warmup_bars;              /* bars the EA feeds through kimi_warmup [500] */
    double risk_per_trade;            /* fraction of equity at risk per trade [0.01] */
    double kelly_fraction;            /* fractional Kelly multiplier [0.5] */
    double min_confidence;            /* below: intent ignored [0.70] */
    double auto_execute_confidence;   /* below: only signalled, not traded [0.85] */
    double max_lot;                   /* hard lot cap per order [1.0] */
    double daily_drawdown;            /* breaker trip level, fraction of day-start equity [0.02] */
    double max_total_risk;            /* open risk + exposure cap across agents, fraction of equity [0.10] */
    double max_leverage;              /* total notional / equity cap [30] */
    double price_band_atr;            /* entry must be within N x ATR of bid/ask [1.0] */
    double range_percent;             /* SMC liquidity tolerance [0.01] */
    double min_reward_risk;           /* minimum take-profit / stop distance ratio [1.5] */
    double commission_per_lot;        /* round-turn commission per lot in account currency, for sizing [0] */
} KimiConfig;

/* Symbol facts from SymbolInfo* / OrderCalcProfit / OrderCalcMargin; money in the account currency. */
typedef struct KimiSymbolSpec {
    int64_t digits;              /* SYMBOL_DIGITS */
    int64_t stops_level_points;  /* SYMBOL_TRADE_STOPS_LEVEL */
    int64_t freeze_level_points; /* SYMBOL_TRADE_FREEZE_LEVEL */
    int64_t filling_mode;        /* ORDER_FILLING_* the EA chose (informational) */
    double point;                /* SYMBOL_POINT */
    double tick_size;            /* SYMBOL_TRADE_TICK_SIZE */
    double tick_value_profit;    /* SYMBOL_TRADE_TICK_VALUE_PROFIT */
    double tick_value_loss;      /* SYMBOL_TRADE_TICK_VALUE_LOSS */
    double contract_size;        /* SYMBOL_TRADE_CONTRACT_SIZE */
    double volume_min;           /* SYMBOL_VOLUME_MIN */
    double volume_step;          /* SYMBOL_VOLUME_STEP */
    double volume_max;           /* SYMBOL_VOLUME_MAX */
    double volume_limit;         /* SYMBOL_VOLUME_LIMIT (0 = none) */
    double margin_per_lot;       /* OrderCalcMargin for 1.0 lot */
    double notional_per_lot;     /* value of 1 lot in account currency */
} KimiSymbolSpec;

/* Account facts from AccountInfo*. */
typedef struct KimiAccount {
    int64_t login;       /* ACCOUNT_LOGIN */
    int64_t trade_mode;  /* ACCOUNT_TRADE_MODE: 0 demo, 1 contest, 2 real */
    int64_t margin_mode; /* ACCOUNT_MARGIN_MODE: 0 netting, 1 exchange, 2 hedging */
    int64_t leverage;    /* ACCOUNT_LEVERAGE */
    double balance;
    double equity;
    double margin;
    double free_margin;
} KimiAccount;

/* An order instruction for the EA to execute with OrderSend. */
typedef struct KimiInstruction {
    int64_t id;               /* deterministic, unique per agent and never reused (also written into the order
                                 comment as "kimi:<id>") */
    int64_t kind;             /* KIMI_INSTR_* */
    int64_t direction;        /* KIMI_BUY / KIMI_SELL: the side of the order to send */
    int64_t position_ticket;  /* CLOSE: the position (its POSITION_IDENTIFIER, as KimiPosition.ticket); 0 for OPEN */
    int64_t magic;            /* the agent's magic */
    int64_t deviation_points; /* max slippage */
    int64_t reason;           /* CLOSE: KIMI_EXIT_*; 0 otherwise */
    int64_t created_msc;      /* server time the instruction was created */
    double volume;            /* lots (already a multiple of the volume step); CLOSE: this agent's own volume of the
                                 position, never more (on a netting account other EAs' or manual volume may share it) */
    double price;             /* reference price (ask for buys, bid for sells) at creation */
    double sl;                /* stop-loss price (0 = none; never 0 for OPEN) */
    double tp;                /* take-profit price (0 = none) */
} KimiInstruction;

/* The outcome of one instruction, reported once by the EA (MqlTradeResult + context). */
typedef struct KimiOrderResult {
    int64_t instruction_id;  /* KimiInstruction.id */
    int64_t retcode;         /* MqlTradeResult.retcode (10009 DONE ...) or 0 if OrderSend failed before sending */
    int64_t order_ticket;    /* MqlTradeResult.order */
    int64_t deal_ticket;     /* MqlTradeResult.deal */
    int64_t position_ticket; /* the position opened/closed: its identifier (0 if unknown) */
    int64_t time_msc;        /* server time of the result */
    double price;            /* MqlTradeResult.price (fill price) */
    double volume;           /* MqlTradeResult.volume (filled volume) */
    double bid;              /* MqlTradeResult.bid */
    double ask;              /* MqlTradeResult.ask */
} KimiOrderResult;

/* A deal of this symbol and magic (OnTradeTransaction DEAL_ADD + HistoryDeal*). */
typedef struct KimiDeal {
    int64_t deal_ticket;
    int64_t order_ticket;
    int64_t position_ticket; /* DEAL_POSITION_ID */
    int64_t time_msc;        /* DEAL_TIME_MSC */
    int64_t entry;           /* KIMI_DEAL_ENTRY_* */
    int64_t type;            /* KIMI_DEAL_TYPE_* */
    int64_t reason;          /* KIMI_DEAL_REASON_* */
    int64_t magic;           /* DEAL_MAGIC */
    double volume;
    double price;
    double profit;
    double commission;
    double swap;
    double reserved;         /* 0 */
} KimiDeal;

/* An open position of this symbol and magic, for reconciliation (PositionGet*). On a netting account the symbol's one
   position may be shared with other EAs and manual trades: volume is then this magic's share, the net of its own deals
   on the position (the EA's KimiNettingOwnVolume), and a position with no share is not reported. */
typedef struct KimiPosition {
    int64_t ticket;          /* POSITION_IDENTIFIER: the id the position's deals carry (DEAL_POSITION_ID); POSITION_TICKET
                                can change when the server re-opens a position, the identifier never does */
    int64_t type;            /* 0 buy, 1 sell (POSITION_TYPE) */
    int64_t magic;           /* POSITION_MAGIC */
    int64_t time_msc;        /* POSITION_TIME_MSC */
    int64_t instruction_id;  /* parsed from the comment "kimi:<id>", 0 if absent or altered */
    int64_t reserved;        /* 0 */
    double volume;
    double price_open;
    double sl;
    double tp;
    double profit;
    double swap;
} KimiPosition;

/* A snapshot of the agent and of the account-level state, for the chart comment and reports. */
typedef struct KimiStatus {
    int64_t mode;                 /* KIMI_MODE_* in force */
    int64_t breaker_state;        /* KIMI_BREAKER_* */
    int64_t halted;               /* 1 if new risk is refused (breaker, kill switch, emergency, journal failure) */
    int64_t emergency;            /* 1 while the emergency stop is engaged */
    int64_t open_positions;       /* this agent */
    int64_t pending_instructions; /* handed out, result not yet reported */
    int64_t bars_seen;
    int64_t signals;
    int64_t denials;
    int64_t trades_closed;
    int64_t ambiguous_exits;      /* server-side SL/TP exits whose bar had also touched the other barrier */
    int64_t journal_state;        /* 0 ok, 1 failed (see kimi_last_error), 2 disabled */
    double day_start_equity;      /* breaker reference */
    double equity;                /* last equity seen */
    double open_risk;             /* money at risk of all agents' open positions */
    double realized_pnl;          /* this agent, since create */
} KimiStatus;

/* One engine event, for the Experts log and for reports. */
typedef struct KimiEvent {
    int64_t seq;       /* per agent, increasing */
    int64_t time_msc;  /* server time */
    int64_t kind;      /* KIMI_EVT_* */
    int64_t code;      /* reason / retcode / state, depending on kind */
    int64_t direction; /* KIMI_BUY / KIMI_SELL / 0 */
    int64_t ticket;    /* position ticket or instruction id, depending on kind */
    double price;
    double volume;
    double sl;
    double tp;
    double value;      /* confidence / profit / equity, depending on kind */
    double hit_probability; /* signal / denied / approval events: the intent's hit probability (value is its confidence); 0 otherwise */
} KimiEvent;

/* One piece of the live SMC structure of a chart, for drawing (kimi_get_zones). Times are bar open times in server
   seconds (0 when the bar is older than the engine's bar history); a zone of the same kind and start_time is the same
   zone from one call to the next, so the EA can name its chart objects by them. */
typedef struct KimiZone {
    int64_t kind;        /* KIMI_ZONE_* */
    int64_t direction;   /* KIMI_BUY / KIMI_SELL / 0, by kind (see KIMI_ZONE_*) */
    int64_t start_time;  /* LEG: the older swing; BREAK: the broken swing; ORDER_BLOCK: its candle; FVG: the middle
                            candle; LIQUIDITY: the first pooled swing */
    int64_t end_time;    /* LEG: the newer swing; BREAK: the breaking bar; LIQUIDITY: the last pooled swing (or the
                            sweeping bar); ORDER_BLOCK, FVG: 0 (live: extend to the current bar) */
    int64_t flags;       /* KIMI_ZONE_FLAG_* */
    int64_t members;     /* LIQUIDITY: pooled swings; 0 otherwise */
    double top;
    double bottom;
    double value;        /* LEG: the equilibrium (50 %); ORDER_BLOCK: strength in percent; 0 otherwise */
    double reserved;     /* 0 */
} KimiZone;

/* ---- exports ---- */
KIMI_API int32_t kimi_abi_version(void);
KIMI_API int32_t kimi_check_abi(int32_t abi_version, int32_t sizeof_rates, int32_t sizeof_tick, int32_t sizeof_config,
                                int32_t sizeof_spec, int32_t sizeof_account, int32_t sizeof_instruction,
                                int32_t sizeof_result, int32_t sizeof_deal, int32_t sizeof_position,
                                int32_t sizeof_status, int32_t sizeof_event, int32_t sizeof_zone);
KIMI_API int64_t kimi_create(const KimiConfig *config, const uint16_t *symbol, const KimiSymbolSpec *spec,
                             const KimiAccount *account, const uint16_t *journal_path,
                             const uint16_t *live_allowlist, const uint16_t *calibration_path);
KIMI_API int32_t kimi_destroy(int64_t handle, int32_t reason);
KIMI_API int32_t kimi_warmup(int64_t handle, const MqlRates *bars, int32_t count);
KIMI_API int32_t kimi_update_spec(int64_t handle, const KimiSymbolSpec *spec);
KIMI_API int32_t kimi_on_tick(int64_t handle, const MqlTick *tick, const KimiAccount *account);
KIMI_API int32_t kimi_on_bar(int64_t handle, const MqlRates *bar);
KIMI_API int32_t kimi_poll_instructions(int64_t handle, KimiInstruction *out, int32_t capacity);
KIMI_API int32_t kimi_report_result(int64_t handle, const KimiOrderResult *result);
KIMI_API int32_t kimi_on_trade_transaction(int64_t handle, const KimiDeal *deal);
KIMI_API int32_t kimi_sync_positions(int64_t handle, const KimiPosition *positions, int32_t count, int64_t time_msc);
KIMI_API int32_t kimi_on_timer(int64_t handle, int64_t time_msc, const KimiAccount *account);
KIMI_API int32_t kimi_approve(int64_t handle, int64_t intent_id, int32_t approve);
KIMI_API int32_t kimi_poll_events(int64_t handle, KimiEvent *out, int32_t capacity);
KIMI_API int32_t kimi_poll_log(int64_t handle, uint16_t *buffer, int32_t capacity);
KIMI_API int32_t kimi_get_status(int64_t handle, KimiStatus *out);
KIMI_API int32_t kimi_last_error(int64_t handle, uint16_t *buffer, int32_t capacity);
KIMI_API int32_t kimi_emergency_stop(int32_t engage, const uint16_t *reason);
KIMI_API int32_t kimi_code_name(int32_t event_kind, int32_t code, uint16_t *buffer, int32_t capacity);
KIMI_API int32_t kimi_get_zones(int64_t handle, KimiZone *out, int32_t capacity);
KIMI_API int32_t kimi_close_positions(int64_t handle);
KIMI_API int32_t kimi_request_halt(int64_t handle, int32_t halt, const uint16_t *reason);
/* Diagnostics: bytes allocated by the engine's own .NET runtime since the library was loaded. The benchmarks read it
   around a batch of calls to prove that ticks and bars allocate nothing in steady state. */
KIMI_API int64_t kimi_allocated_bytes(void);

#ifdef __cplusplus
}
#endif

#endif /* KIMIEA_H */
