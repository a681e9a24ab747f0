/*
 * standin.c — a stand-in for the MetaTrader 5 terminal, in C.
 *
 * It loads the engine library (KimiEA.so) with dlopen and drives it exactly as mql5/Experts/KimiEA/KimiEA.mq5
 * does, following THE CALL SEQUENCE of include/kimiea.h with the header's own structs and prototypes:
 *   OnInit   abi version + struct-size handshake, create, warm-up with closed bars (oldest first),
 *            sync positions (a complete snapshot), drain(pending)
 *   OnTick   on_tick, then on a new bar update_spec + on_bar for every closed bar not sent yet (oldest first; the
 *            last bar sent advances only over a successful copy), the recent deal history, drain(pending), and
 *            get_zones (the EA's drawing; the stand-in checks every record)
 *   OnTradeTransaction  on_trade_transaction(deal) for every deal of our magic, then drain(pending)
 *   OnTimer  on_timer every second of server time while the last pending word's TIMER bit is set, then
 *            drain(pending)
 *   OnDeinit destroy(handle, REASON_REMOVE)
 *   Panel    close_positions (--close-drill), request_halt / resume through the journal
 * The EA's decision helpers (mql5/Include/KimiEA/KimiLifecycle.mqh, KimiAlerts.mqh, KimiPanel.mqh, and KimiTester.mqh,
 * OnTester's criterion) are mirrored here
 * function for function and checked on hand-worked cases; --start-wait, --copyrates-fail, --drop-deals and
 * --netting-drill replay the terminal's failure modes they exist for.
 * where "drain(pending)" is the EA's DRAIN of the header: nothing when the handlers' pending word is 0;
 * otherwise poll instructions (when the word counts some), execute each and report its result exactly once
 * (after the EA's own retries on requote), reconcile with sync_positions after an unknown outcome, poll events
 * and log lines until empty, read the status. Every 16th idle drain the stand-in polls anyway and requires
 * that nothing was waiting (the pending word must never hide an instruction or an event).
 *
 * The market is real: EURUSD ticks (data/samples/lean-oanda, UTC used as server time), M15 chart bars built
 * from the bids as the terminal builds them, the warm-up bars aggregated from the same source's M1 bars of the
 * days before. The trade server is a minimal fill model on a hedging demo account in USD: market orders fill at
 * ask (buy) / bid (sell), the 1st, 4th, 7th ... OPEN is requoted once first, the first CLOSE executes but answers
 * 10012 TIMEOUT (so the EA reconciles), SL/TP trigger on ticks (buy on bid, sell on ask) and arrive as deals
 * through on_trade_transaction.
 *
 * Invariants checked (each breach prints "standin: VIOLATION: ..." and makes the exit code 1): every
 * instruction answered exactly once and accepted; no instruction id handed out twice (re-polling never returns
 * one already handed out); SL and TP on the correct sides of every OPEN; volumes on the step within the lot
 * cap; magic and deviation of the config; CLOSE only for positions the agent owns; event sequence
 * numbers increasing; no pending instruction and the same open positions as the terminal at the end; the
 * emergency stop closes every position with reason EMERGENCY and blocks OPENs; error codes for bad calls
 * (invalid handle, null pointers, NaN prices, negative capacities, wrong struct sizes and version, unknown
 * instruction results, live without opt-in) with the last error's text retrievable.
 *
 * Usage: standin <library.so> <ticks.csv> <m1.csv> <work-dir> [--quiet] [--trace FILE] [--timeframe SECONDS]
 *                [--no-journal] [--min-confidence X] [--auto-confidence X] [--approve-band] [--zones-out DIR]
 *                [--drop-deals N] [--copyrates-fail N] [--start-wait] [--close-drill] [--netting-drill]
 * With --approve-band the intents of the approval band (between the two confidences) are approved and skipped in
 * turn through kimi_approve (a repeated or unknown decision must be refused); without it they expire.
 * Exit: 0 all invariants held, 1 a violation, 2 the run could not start (library, export or data missing).
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep: the halt drill waits for the journal's control poll */
#include <dlfcn.h>
#include <float.h>
#include <time.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kimiea.h"

_Static_assert(sizeof(MqlRates) == 60, "MqlRates must be MQL5's 60-byte packed struct");
_Static_assert(sizeof(MqlTick) == 60, "MqlTick must be MQL5's 60-byte packed struct");

/* ---- the library, bound through the header's own prototypes ---- */
#define EXPORTS(X)                                                                                                 \
    X(kimi_abi_version) X(kimi_check_abi) X(kimi_create) X(kimi_destroy) X(kimi_warmup) X(kimi_update_spec)      \
    X(kimi_on_tick) X(kimi_on_bar) X(kimi_poll_instructions) X(kimi_report_result) X(kimi_on_trade_transaction)   \
    X(kimi_sync_positions) X(kimi_on_timer) X(kimi_approve) X(kimi_poll_events) X(kimi_poll_log) X(kimi_get_status)               \
    X(kimi_last_error) X(kimi_emergency_stop) X(kimi_code_name) X(kimi_get_zones) X(kimi_close_positions) X(kimi_request_halt)
#define DECLARE(name) static __typeof__(name) *p_##name;
EXPORTS(DECLARE)

/* ---- constants of the simulated terminal ---- */
#define MAGIC 77001
#define POINT 0.00001
#define CONTRACT 100000.0
#define LEVERAGE 100
#define VOLUME_STEP 0.01
#define MAX_POSITIONS 256
#define MAX_IDS 100000
#define MAX_BARS 4096
#define INSTR_CAP 16
#define EVENT_CAP 64
#define TEXT_CAP 2048
#define REASON_REMOVE 1
#define RETCODE_REQUOTE 10004
#define RETCODE_DONE 10009
#define RETCODE_TIMEOUT 10012
#define RETCODE_INVALID_STOPS 10016
#define RETCODE_LIMIT_POSITIONS 10040
#define MAX_RETRIES 3

typedef struct Position {
    int64_t ticket, type, time_msc, instruction_id;
    double volume, price_open, sl, tp;
    double foreign; /* --netting-drill: volume of the position that other EAs' deals hold (not this magic's) */
} Position;

/* ---- run state ---- */
static int quiet;
static int no_journal; /* --no-journal: journal_path NULL (journal disabled) */
static int64_t timeframe = 900; /* the chart period in seconds: M15 unless --timeframe */
static FILE *trace; /* --trace: every instruction and result, for the determinism check */
static int64_t handle;
static KimiConfig config;
static KimiSymbolSpec spec;
static double balance = 10000.0;
static Position positions[MAX_POSITIONS];
static int position_count;
static KimiDeal deal_queue[MAX_POSITIONS * 2];
static int deal_count;
static int64_t next_order = 1000, next_deal = 500000;
static MqlTick cur; /* the terminal's current quote */
static int64_t now_ms; /* server time: the last tick or timer event, like the EA's ServerNowMsc() */
static int64_t *seen_ids;
static unsigned char *answered;
static int seen_count;
static int64_t last_event_seq;
static int emergency_engaged;
static int emergency_closes, emergency_positions;
static int timer_wanted = 1; /* KIMI_PENDING_TIMER of the last handler call, as the EA keeps it */

static struct {
    long ticks, bars, warmup, timers, instructions, opens, closes, results, deals, sl_exits, tp_exits,
        retries, reconciles, timeouts, invalid_stops, events, log_lines, bad_calls, violations, denied_events, signal_events,
        idle_drains, busy_drains, idle_checks, timers_skipped, timer_checks, awaiting, approvals, skips, expired,
        zone_calls, zones, dropped_deals, history_forwards, history_deals, copy_failures, start_waits, manual_closes, halt_drill, alerts, alerts_limited, netting_drill, tester_criteria;
} n;

static void drain(int32_t pending);

static void violation(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("standin: VIOLATION: ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    n.violations++;
}

/* ---- the EA's lifecycle decisions: mql5/Include/KimiEA/KimiLifecycle.mqh, function for function ---- */
#define KIMI_WAIT_NONE 0
#define KIMI_WAIT_DISCONNECTED 1
#define KIMI_WAIT_LOGIN 2
#define KIMI_WAIT_TICK 3
#define KIMI_WAIT_TICK_VALUE 4
#define KIMI_WAIT_MARGIN 5
#define KIMI_WAIT_HISTORY 6
#define KIMI_HISTORY_WAIT_SECONDS 60
#define REASON_RECOMPILE 2
#define REASON_CHARTCHANGE 3
#define REASON_CLOSE 9

static int kimi_start_wait(int connected, int64_t login, int has_tick, double tick_value, int margin_known) {
    if (!connected) return KIMI_WAIT_DISCONNECTED;
    if (login <= 0) return KIMI_WAIT_LOGIN;
    if (!has_tick) return KIMI_WAIT_TICK;
    if (!(tick_value > 0.0)) return KIMI_WAIT_TICK_VALUE;
    if (!margin_known) return KIMI_WAIT_MARGIN;
    return KIMI_WAIT_NONE;
}

static int kimi_history_ready(int bars_available, int warmup_bars, int positions_open, int waited_seconds) {
    return bars_available >= warmup_bars || positions_open || waited_seconds >= KIMI_HISTORY_WAIT_SECONDS;
}

static double kimi_close_volume(double own_volume, double position_volume) {
    if (!(own_volume > 0.0) || !(position_volume > 0.0)) return 0.0;
    return own_volume < position_volume ? own_volume : position_volume;
}

static int kimi_close_on_remove(int close_input, int reason) { return close_input && reason == REASON_REMOVE; }

static double kimi_netting_own_volume(double own_net_signed, int64_t position_type, double position_volume) {
    const double own = position_type == 0 ? own_net_signed : -own_net_signed; /* POSITION_TYPE_BUY = 0 */
    if (!(own > 0.0) || !(position_volume > 0.0)) return 0.0;
    return own < position_volume ? own : position_volume;
}

/* mql5/Include/KimiEA/KimiAlerts.mqh */
#define KIMI_ALERT_BREAKER 1
#define KIMI_ALERT_HALT 2
#define KIMI_ALERT_TRADE 4
#define KIMI_ALERT_REJECT 8
#define KIMI_ALERT_JOURNAL 16
#define KIMI_ALERT_APPROVAL 32
#define KIMI_JOURNAL_FAILED_CODE 100
#define KIMI_ALERT_WINDOW 10

static int kimi_alert_class(int64_t kind, int64_t code) {
    if (kind == KIMI_EVT_BREAKER) return code != KIMI_BREAKER_ACTIVE ? KIMI_ALERT_BREAKER : 0;
    if (kind == KIMI_EVT_HALT) return code == 1 ? KIMI_ALERT_HALT : 0;
    if (kind == KIMI_EVT_CLOSE) return code == KIMI_EXIT_EMERGENCY ? (KIMI_ALERT_HALT | KIMI_ALERT_TRADE) : KIMI_ALERT_TRADE;
    if (kind == KIMI_EVT_FILL) return KIMI_ALERT_TRADE;
    if (kind == KIMI_EVT_RESULT) return code == 10008 || code == 10009 || code == 10010 ? 0 : KIMI_ALERT_REJECT;
    if (kind == KIMI_EVT_ERROR) return code == KIMI_JOURNAL_FAILED_CODE ? KIMI_ALERT_JOURNAL : 0;
    if (kind == KIMI_EVT_APPROVAL) return code == KIMI_APPROVAL_AWAITING ? KIMI_ALERT_APPROVAL : 0;
    return 0;
}

static uint64_t alert_sent[KIMI_ALERT_WINDOW]; /* the pop-up channel's recent sends (the stand-in's run) */

static int kimi_alert_allowed(uint64_t sent_ms[KIMI_ALERT_WINDOW], uint64_t now_ms) {
    int last_second = 0, last_minute = 0, oldest = 0;
    for (int i = 0; i < KIMI_ALERT_WINDOW; i++) {
        if (sent_ms[i] == 0) { oldest = i; continue; }
        if (now_ms - sent_ms[i] < 1000) last_second++;
        if (now_ms - sent_ms[i] < 60000) last_minute++;
        if (sent_ms[oldest] != 0 && sent_ms[i] < sent_ms[oldest]) oldest = i;
    }
    if (last_second >= 2 || last_minute >= KIMI_ALERT_WINDOW) return 0;
    sent_ms[oldest] = now_ms;
    return 1;
}

/* mql5/Include/KimiEA/KimiPanel.mqh */
static int64_t kimi_approval_bars_left(int64_t expiry_bars, int64_t since_bars, int64_t bars_now) {
    const int64_t left = expiry_bars - (bars_now - since_bars);
    return left > 0 ? left : 0;
}

/* mql5/Include/KimiEA/KimiTester.mqh: OnTester's criterion (kimi optimize's codes and definitions) */
#define KIMI_CRITERION_BALANCE 0
#define KIMI_CRITERION_PROFIT_FACTOR 1
#define KIMI_CRITERION_EXPECTED_PAYOFF 2
#define KIMI_CRITERION_DRAWDOWN 3
#define KIMI_CRITERION_RECOVERY_FACTOR 4
#define KIMI_CRITERION_SHARPE 5
#define KIMI_CRITERION_UNDEFINED (-DBL_MAX)

typedef struct { double net_profit, gross_profit, gross_loss; int64_t trades; double sharpe; } KimiTradeTotals;

static double kimi_entry_commission_share(double entry_commission_left, double volume_left, double closed_volume) {
    if (volume_left <= 0.0 || closed_volume >= volume_left - 1e-9) return entry_commission_left;
    const double cents = entry_commission_left * 100.0 * (closed_volume / volume_left);
    return (cents < 0.0 ? -floor(-cents + 0.5) : floor(cents + 0.5)) / 100.0;
}

static void kimi_trade_totals_of(const double *pnl, int count, double deposit, KimiTradeTotals *t) {
    t->net_profit = t->gross_profit = t->gross_loss = t->sharpe = 0.0;
    t->trades = count;
    double sum = 0.0;
    for (int i = 0; i < count; i++) {
        const double before = deposit + t->net_profit;
        sum += before > 0.0 ? pnl[i] / before : 0.0;
        t->net_profit += pnl[i];
        if (pnl[i] > 0.0) t->gross_profit += pnl[i];
        else if (pnl[i] < 0.0) t->gross_loss += pnl[i];
    }
    if (count < 2) return;
    const double mean = sum / count;
    double squares = 0.0, running = 0.0;
    for (int i = 0; i < count; i++) {
        const double before = deposit + running;
        const double r = before > 0.0 ? pnl[i] / before : 0.0;
        squares += (r - mean) * (r - mean);
        running += pnl[i];
    }
    const double sd = sqrt(squares / (count - 1));
    t->sharpe = sd > 0.0 ? mean / sd : 0.0;
}

static double kimi_criterion_value(int code, double deposit, const KimiTradeTotals *t, double equity_dd_money, double equity_dd_relative_percent) {
    switch (code) {
    case KIMI_CRITERION_BALANCE: return deposit + t->net_profit;
    case KIMI_CRITERION_PROFIT_FACTOR: return t->gross_loss < 0.0 ? t->gross_profit / -t->gross_loss : KIMI_CRITERION_UNDEFINED;
    case KIMI_CRITERION_EXPECTED_PAYOFF: return t->trades > 0 ? t->net_profit / (double)t->trades : 0.0;
    case KIMI_CRITERION_DRAWDOWN: return -equity_dd_relative_percent;
    case KIMI_CRITERION_RECOVERY_FACTOR: return equity_dd_money > 0.0 ? t->net_profit / equity_dd_money : KIMI_CRITERION_UNDEFINED;
    case KIMI_CRITERION_SHARPE: return t->sharpe;
    }
    return KIMI_CRITERION_UNDEFINED;
}

/* Hand-worked cases of OnTester's criteria. A 10 000 deposit and four trades of +200, -100, +300, -50 (closing
 * order): balance 10 350; gross profit 500, gross loss -150, profit factor 500/150 = 3.3333...; expected payoff
 * 350/4 = 87.5; with MT5's equity drawdowns 175 (money) and 2.5 %: recovery factor 350/175 = 2, drawdown -2.5;
 * returns over the balance before each trade: 200/10000 = 0.02, -100/10200, 300/10100, -50/10400, mean
 * 0.0087728391, sample sd 0.0190930..., Sharpe 0.4594754662. Undefined ratios and the one- and no-trade cases
 * follow kimi optimize (docs/optimize.md). */
static void check_tester_criteria(void) {
    const double pnl[] = {200, -100, 300, -50};
    KimiTradeTotals t;
    kimi_trade_totals_of(pnl, 4, 10000, &t);
    const struct { double got, want; const char *what; } cases[] = {
        {kimi_criterion_value(KIMI_CRITERION_BALANCE, 10000, &t, 175, 2.5), 10350, "balance"},
        {kimi_criterion_value(KIMI_CRITERION_PROFIT_FACTOR, 10000, &t, 175, 2.5), 500.0 / 150.0, "profit factor"},
        {kimi_criterion_value(KIMI_CRITERION_EXPECTED_PAYOFF, 10000, &t, 175, 2.5), 87.5, "expected payoff"},
        {kimi_criterion_value(KIMI_CRITERION_DRAWDOWN, 10000, &t, 175, 2.5), -2.5, "drawdown, minimised"},
        {kimi_criterion_value(KIMI_CRITERION_RECOVERY_FACTOR, 10000, &t, 175, 2.5), 2.0, "recovery factor"},
        {kimi_criterion_value(KIMI_CRITERION_SHARPE, 10000, &t, 175, 2.5), 0.45947546624, "per-trade Sharpe"},
        {kimi_criterion_value(KIMI_CRITERION_RECOVERY_FACTOR, 10000, &t, 0, 0), KIMI_CRITERION_UNDEFINED, "recovery factor without drawdown"},
        {kimi_criterion_value(6, 10000, &t, 175, 2.5), KIMI_CRITERION_UNDEFINED, "custom is kimi optimize's alone"},
        {kimi_entry_commission_share(-7.0, 1.0, 0.3), -2.1, "entry commission of a 0.30 partial close of 1 lot"},
        {kimi_entry_commission_share(-4.9, 0.7, 0.7), -4.9, "the last close carries the remainder"},
        {kimi_entry_commission_share(-1.0, 3.0, 1.0), -0.33, "a third of -1.00, to the cent"},
        {kimi_entry_commission_share(-0.05, 0.2, 0.1), -0.03, "-2.5 cents rounds away from zero"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        n.tester_criteria++;
        if (!(fabs(cases[i].got - cases[i].want) <= 1e-9 * fmax(1.0, fabs(cases[i].want)))) violation("OnTester criterion '%s': %.12g, expected %.12g", cases[i].what, cases[i].got, cases[i].want);
    }
    /* no losing trade: profit factor undefined; one trade: Sharpe 0; no trade: expected payoff 0 */
    const double wins[] = {100, 50};
    kimi_trade_totals_of(wins, 2, 10000, &t);
    n.tester_criteria++;
    if (kimi_criterion_value(KIMI_CRITERION_PROFIT_FACTOR, 10000, &t, 10, 0.1) != KIMI_CRITERION_UNDEFINED) violation("profit factor without a losing trade is not undefined");
    kimi_trade_totals_of(wins, 1, 10000, &t);
    n.tester_criteria++;
    if (t.sharpe != 0.0 || t.gross_profit != 100) violation("one trade: Sharpe %.6g (expected 0), gross profit %.2f (expected 100)", t.sharpe, t.gross_profit);
    kimi_trade_totals_of(wins, 0, 10000, &t);
    n.tester_criteria++;
    if (kimi_criterion_value(KIMI_CRITERION_EXPECTED_PAYOFF, 10000, &t, 0, 0) != 0.0 || kimi_criterion_value(KIMI_CRITERION_BALANCE, 10000, &t, 0, 0) != 10000)
        violation("no trade: expected payoff must be 0 and balance the deposit");
}

/* Hand-worked cases of the decisions (each a violation when it fails). */
static void check_lifecycle_decisions(void) {
    struct { int got, want; const char *what; } cases[] = {
        {kimi_start_wait(0, 0, 0, 0.0, 0), KIMI_WAIT_DISCONNECTED, "nothing yet: the connection first"},
        {kimi_start_wait(1, 0, 1, 1.0, 1), KIMI_WAIT_LOGIN, "connected, login 0"},
        {kimi_start_wait(1, 7, 0, 1.0, 1), KIMI_WAIT_TICK, "no price yet"},
        {kimi_start_wait(1, 7, 1, 0.0, 1), KIMI_WAIT_TICK_VALUE, "tick value 0"},
        {kimi_start_wait(1, 7, 1, NAN, 1), KIMI_WAIT_TICK_VALUE, "tick value NaN"},
        {kimi_start_wait(1, 7, 1, 1.0, 0), KIMI_WAIT_MARGIN, "margin unknown"},
        {kimi_start_wait(1, 7, 1, 1.0, 1), KIMI_WAIT_NONE, "all there"},
        {kimi_history_ready(499, 500, 0, 59), 0, "short history, flat, waited 59 s: wait"},
        {kimi_history_ready(499, 500, 0, 60), 1, "short history, flat, waited 60 s: start short"},
        {kimi_history_ready(10, 500, 1, 0), 1, "short history with positions open: start at once"},
        {kimi_history_ready(500, 500, 0, 0), 1, "full warm-up"},
        {kimi_close_on_remove(1, REASON_REMOVE), 1, "removed by the trader"},
        {kimi_close_on_remove(1, REASON_CHARTCHANGE), 0, "timeframe change"},
        {kimi_close_on_remove(1, REASON_RECOMPILE), 0, "recompile"},
        {kimi_close_on_remove(1, REASON_CLOSE), 0, "terminal shutdown"},
        {kimi_close_on_remove(0, REASON_REMOVE), 0, "input off"},
        /* netting: 0.30 lots on the symbol, 0.10 of them this agent's: the close sends 0.10 and leaves 0.20 */
        {(int)lround(kimi_close_volume(0.10, 0.30) * 100), 10, "netting close of own 0.10 in 0.30"},
        {(int)lround(kimi_close_volume(0.0, 0.30) * 100), 0, "a close naming no volume sends nothing"},
        {(int)lround(kimi_close_volume(0.50, 0.30) * 100), 30, "never more than the position holds"},
        /* netting: a 0.30-lot buy position; this EA's deals: buy 0.10 -> its share 0.10 (0.20 is another magic's) */
        {(int)lround(kimi_netting_own_volume(0.10, 0, 0.30) * 100), 10, "netting share of a buy 0.10 in 0.30"},
        {(int)lround(kimi_netting_own_volume(-0.10, 0, 0.30) * 100), 0, "own sells against a buy position: none ours"},
        {(int)lround(kimi_netting_own_volume(-0.10, 1, 0.30) * 100), 10, "netting share of a sell 0.10 in 0.30"},
        {(int)lround(kimi_netting_own_volume(0.50, 0, 0.30) * 100), 30, "share never above the position"},
        {(int)lround(kimi_netting_own_volume(0.0, 0, 0.30) * 100), 0, "own deals flat"},
        /* and the close of that share sends 0.10, leaving the other magic's 0.20 */
        {(int)lround((0.30 - kimi_close_volume(kimi_netting_own_volume(0.10, 0, 0.30), 0.30)) * 100), 20, "netting close leaves the other magic's 0.20"},
        {kimi_alert_class(KIMI_EVT_BREAKER, KIMI_BREAKER_HALTED), KIMI_ALERT_BREAKER, "breaker tripped"},
        {kimi_alert_class(KIMI_EVT_BREAKER, KIMI_BREAKER_ACTIVE), 0, "breaker back to active"},
        {kimi_alert_class(KIMI_EVT_CLOSE, KIMI_EXIT_EMERGENCY), KIMI_ALERT_HALT | KIMI_ALERT_TRADE, "emergency close"},
        {kimi_alert_class(KIMI_EVT_RESULT, 10009), 0, "order done"},
        {kimi_alert_class(KIMI_EVT_RESULT, 10004), KIMI_ALERT_REJECT, "requote"},
        {kimi_alert_class(KIMI_EVT_RESULT, 0), KIMI_ALERT_REJECT, "not sent"},
        {kimi_alert_class(KIMI_EVT_ERROR, 100), KIMI_ALERT_JOURNAL, "journal failed"},
        {kimi_alert_class(KIMI_EVT_APPROVAL, KIMI_APPROVAL_AWAITING), KIMI_ALERT_APPROVAL, "awaiting approval"},
        {kimi_alert_class(KIMI_EVT_APPROVAL, KIMI_APPROVAL_EXPIRED), 0, "approval expired"},
        {kimi_alert_class(KIMI_EVT_SIGNAL, 0), 0, "a signal alone"},
        {(int)kimi_approval_bars_left(3, 100, 101), 2, "3-bar expiry, one bar later"},
        {(int)kimi_approval_bars_left(3, 100, 105), 0, "expired bars never negative"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        n.bad_calls++;
        if (cases[i].got != cases[i].want) violation("lifecycle decision '%s': %d, expected %d", cases[i].what, cases[i].got, cases[i].want);
    }
    /* the push limit: twelve alerts 100 ms apart from t = 1000 ms; 2 per second and 10 per minute let through
     * t = 1000, 1100 (then the second is full), 2000, 2100 */
    uint64_t sent[KIMI_ALERT_WINDOW] = {0};
    char pattern[16] = {0};
    for (int k = 0; k < 12; k++) pattern[k] = kimi_alert_allowed(sent, 1000 + 100 * (uint64_t)k) ? '1' : '0';
    n.bad_calls++;
    if (strcmp(pattern, "110000000011") != 0) violation("alert rate limit over 12 alerts 100 ms apart: %s, expected 110000000011", pattern);
    /* and never more than 10 in a minute: one alert per 2 s for 60 s lets through the first 10 only */
    uint64_t slow[KIMI_ALERT_WINDOW] = {0};
    int through = 0;
    for (int k = 0; k < 30; k++) through += kimi_alert_allowed(slow, 1000 + 2000 * (uint64_t)k);
    n.bad_calls++;
    if (through != 10) violation("alert rate limit over 30 alerts 2 s apart: %d sent, expected 10", through);
}

/* ---- UTF-16 ---- */
static void to_u16(const char *s, uint16_t *out, size_t cap) {
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++) out[i] = (uint16_t)(unsigned char)s[i];
    out[i] = 0;
}

static void to_utf8(const uint16_t *s, int count, char *out, size_t cap) {
    size_t o = 0;
    for (int i = 0; i < count && s[i]; i++) {
        uint32_t c = s[i];
        if (c < 0x80 && o + 1 < cap) out[o++] = (char)c;
        else if (c < 0x800 && o + 2 < cap) { out[o++] = (char)(0xC0 | (c >> 6)); out[o++] = (char)(0x80 | (c & 0x3F)); }
        else if (o + 3 < cap) { out[o++] = (char)(0xE0 | (c >> 12)); out[o++] = (char)(0x80 | ((c >> 6) & 0x3F)); out[o++] = (char)(0x80 | (c & 0x3F)); }
    }
    out[o] = 0;
}

/* The last error text of a handle (0 = process-wide), in UTF-8. */
static const char *last_error(int64_t h) {
    static uint16_t buf[TEXT_CAP];
    static char text[TEXT_CAP * 3];
    int32_t written = p_kimi_last_error(h, buf, TEXT_CAP);
    if (written < 0) { snprintf(text, sizeof text, "(kimi_last_error failed: %d)", written); return text; }
    to_utf8(buf, written, text, sizeof text);
    return text;
}

/* ---- time ---- */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* "2014-05-07T00:00:07.135Z" or "2014-05-01T00:00:00Z" -> milliseconds since 1970 (UTC = server time here). */
static int parse_time_ms(const char *s, int64_t *ms) {
    int y, mo, d, h, mi, sec, frac = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) != 6) return 0;
    if (s[19] == '.') {
        int scale = 100;
        for (const char *c = s + 20; *c >= '0' && *c <= '9' && scale > 0; c++, scale /= 10) frac += (*c - '0') * scale;
    }
    *ms = ((days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400) + h * 3600 + mi * 60 + sec) * 1000 + frac;
    return 1;
}

/* ---- the simulated account and trade server ---- */
static double position_profit(const Position *p, double bid, double ask) {
    return p->type == 0 ? (bid - p->price_open) * CONTRACT * p->volume : (p->price_open - ask) * CONTRACT * p->volume;
}

static void read_account(KimiAccount *a) {
    double floating = 0, margin = 0;
    for (int i = 0; i < position_count; i++) {
        floating += position_profit(&positions[i], cur.bid, cur.ask);
        margin += positions[i].volume * spec.margin_per_lot;
    }
    a->login = 5000123;
    a->trade_mode = 0; /* demo */
    a->margin_mode = 2; /* hedging */
    a->leverage = LEVERAGE;
    a->balance = balance;
    a->equity = balance + floating;
    a->margin = margin;
    a->free_margin = a->equity - margin;
}

/* Symbol facts as KimiFacts.mqh reads them, priced at the current quote. */
static void read_spec(KimiSymbolSpec *s) {
    s->digits = 5;
    s->stops_level_points = 0;
    s->freeze_level_points = 0;
    s->filling_mode = 0; /* ORDER_FILLING_FOK */
    s->point = POINT;
    s->tick_size = POINT;
    s->tick_value_profit = POINT * CONTRACT; /* USD account, USD profit currency: 1.0 per tick and lot */
    s->tick_value_loss = POINT * CONTRACT;
    s->contract_size = CONTRACT;
    s->volume_min = 0.01;
    s->volume_step = VOLUME_STEP;
    s->volume_max = 100.0;
    s->volume_limit = 0.0;
    s->margin_per_lot = CONTRACT * cur.ask / LEVERAGE; /* EURUSD margin is in EUR: converted at ask */
    s->notional_per_lot = CONTRACT * cur.ask;
}

static int find_position(int64_t ticket) {
    for (int i = 0; i < position_count; i++)
        if (positions[i].ticket == ticket) return i;
    return -1;
}

static void queue_deal(const Position *p, int64_t entry, int64_t type, int64_t reason, double volume, double price,
                       double profit, int64_t order) {
    KimiDeal *d = &deal_queue[deal_count++];
    memset(d, 0, sizeof *d);
    d->deal_ticket = next_deal++;
    d->order_ticket = order;
    d->position_ticket = p->ticket;
    d->time_msc = cur.time_msc;
    d->entry = entry;
    d->type = type;
    d->reason = reason;
    d->magic = MAGIC;
    d->volume = volume;
    d->price = price;
    d->profit = profit;
}

/* Closes (part of) position i at the current market; returns the deal's profit. */
static double close_position(int i, double volume, int64_t reason, int64_t order) {
    Position *p = &positions[i];
    const double price = p->type == 0 ? cur.bid : cur.ask;
    Position part = *p;
    part.volume = volume;
    const double profit = round(position_profit(&part, cur.bid, cur.ask) * 100.0) / 100.0;
    balance += profit;
    queue_deal(p, KIMI_DEAL_ENTRY_OUT, p->type == 0 ? KIMI_DEAL_TYPE_SELL : KIMI_DEAL_TYPE_BUY, reason, volume, price,
               profit, order);
    p->volume = round((p->volume - volume) / VOLUME_STEP) * VOLUME_STEP;
    if (p->volume < VOLUME_STEP / 2) positions[i] = positions[--position_count];
    return profit;
}

/* Server side, on every tick: SL/TP of open positions (buy on bid, sell on ask). */
static void server_check_stops(void) {
    for (int i = 0; i < position_count;) {
        const Position *p = &positions[i];
        const double px = p->type == 0 ? cur.bid : cur.ask;
        int reason = 0;
        if (p->type == 0) reason = (p->sl > 0 && px <= p->sl) ? KIMI_DEAL_REASON_SL : (p->tp > 0 && px >= p->tp) ? KIMI_DEAL_REASON_TP : 0;
        else reason = (p->sl > 0 && px >= p->sl) ? KIMI_DEAL_REASON_SL : (p->tp > 0 && px <= p->tp) ? KIMI_DEAL_REASON_TP : 0;
        if (reason == 0) { i++; continue; }
        if (reason == KIMI_DEAL_REASON_SL) n.sl_exits++; else n.tp_exits++;
        close_position(i, p->volume, reason, next_order++);
    }
}

/* ---- the EA's executor (KimiExecutor.mqh) against the fill model ---- */
static int is_on_step(double v, double step) { return fabs(v / step - round(v / step)) < 1e-6; }

static void check_instruction(const KimiInstruction *in) {
    if (in->magic != MAGIC) violation("instruction %lld: magic %lld, the config says %d", (long long)in->id, (long long)in->magic, MAGIC);
    if (in->direction != KIMI_BUY && in->direction != KIMI_SELL) violation("instruction %lld: direction %lld", (long long)in->id, (long long)in->direction);
    if (in->kind == KIMI_INSTR_OPEN) {
        n.opens++;
        if (emergency_engaged == 1) violation("instruction %lld: OPEN handed out while the emergency stop is engaged", (long long)in->id);
        if (in->sl <= 0 || in->tp <= 0) violation("instruction %lld: OPEN without SL/TP (sl %.5f tp %.5f)", (long long)in->id, in->sl, in->tp);
        else if (in->direction == KIMI_BUY ? !(in->sl < in->price && in->price < in->tp) : !(in->tp < in->price && in->price < in->sl))
            violation("instruction %lld: OPEN %s at %.5f with SL %.5f / TP %.5f on the wrong side", (long long)in->id,
                      in->direction == KIMI_BUY ? "buy" : "sell", in->price, in->sl, in->tp);
        if (in->position_ticket != 0) violation("instruction %lld: OPEN with position ticket %lld", (long long)in->id, (long long)in->position_ticket);
        if (in->deviation_points != config.deviation_points) violation("instruction %lld: deviation %lld, config %lld", (long long)in->id, (long long)in->deviation_points, (long long)config.deviation_points);
        if (!(in->volume >= spec.volume_min - 1e-9) || in->volume > config.max_lot + 1e-9 || !is_on_step(in->volume, spec.volume_step))
            violation("instruction %lld: volume %.4f not on the step %.2f within [%.2f, %.2f]", (long long)in->id, in->volume, spec.volume_step, spec.volume_min, config.max_lot);
    } else if (in->kind == KIMI_INSTR_CLOSE) {
        n.closes++;
        if (in->reason < KIMI_EXIT_TP || in->reason > KIMI_EXIT_RECONCILED) violation("instruction %lld: CLOSE with reason %lld", (long long)in->id, (long long)in->reason);
        if (emergency_engaged && in->reason == KIMI_EXIT_EMERGENCY) emergency_closes++;
        if (in->reason == KIMI_EXIT_MANUAL) n.manual_closes++;
    } else {
        violation("instruction %lld: unknown kind %lld", (long long)in->id, (long long)in->kind);
    }
}

static void fill_result(const KimiInstruction *in, int64_t retcode, int64_t order, int64_t deal, int64_t position,
                        double price, double volume, KimiOrderResult *r) {
    memset(r, 0, sizeof *r);
    r->instruction_id = in->id;
    r->retcode = retcode;
    r->order_ticket = order;
    r->deal_ticket = deal;
    r->position_ticket = position;
    r->time_msc = cur.time_msc;
    r->price = price;
    r->volume = volume;
    r->bid = cur.bid;
    r->ask = cur.ask;
}

/* The trade server's answer to a market OPEN: the 1st, 4th, 7th ... OPEN is requoted on its first attempt (the EA then
 * retries with a fresh price, mt5-notes §4); SL/TP on the wrong side of the market answer 10016 INVALID_STOPS;
 * otherwise it fills at ask (buy) / bid (sell) with SL/TP attached. */
static int64_t server_open(const KimiInstruction *in, int attempt, KimiOrderResult *r) {
    if (n.opens % 3 == 1 && attempt == 0) {
        fill_result(in, RETCODE_REQUOTE, 0, 0, 0, 0, 0, r);
        return RETCODE_REQUOTE;
    }
    if (position_count == MAX_POSITIONS) { fill_result(in, RETCODE_LIMIT_POSITIONS, 0, 0, 0, 0, 0, r); return RETCODE_LIMIT_POSITIONS; }
    const int is_buy = in->direction == KIMI_BUY;
    /* like the server: a buy's SL/TP must lie below/above the bid, a sell's above/below the ask (stops level 0) */
    const double ref = is_buy ? cur.bid : cur.ask;
    if (is_buy ? !(in->sl < ref && in->tp > ref) : !(in->sl > ref && in->tp < ref)) {
        n.invalid_stops++;
        fill_result(in, RETCODE_INVALID_STOPS, 0, 0, 0, 0, 0, r);
        return RETCODE_INVALID_STOPS;
    }
    Position p = {0};
    p.ticket = next_order++;
    p.type = is_buy ? 0 : 1;
    p.time_msc = cur.time_msc;
    p.instruction_id = in->id;
    p.volume = in->volume;
    p.price_open = is_buy ? cur.ask : cur.bid;
    p.sl = round(in->sl / POINT) * POINT;
    p.tp = round(in->tp / POINT) * POINT;
    positions[position_count++] = p;
    queue_deal(&p, KIMI_DEAL_ENTRY_IN, is_buy ? KIMI_DEAL_TYPE_BUY : KIMI_DEAL_TYPE_SELL, KIMI_DEAL_REASON_EXPERT,
               p.volume, p.price_open, 0.0, p.ticket);
    fill_result(in, RETCODE_DONE, p.ticket, deal_queue[deal_count - 1].deal_ticket, p.ticket, p.price_open, p.volume, r);
    return RETCODE_DONE;
}

/* Executes one instruction like KimiExecute(); returns 1 when positions must be reconciled before any send. */
static int execute(const KimiInstruction *in, KimiOrderResult *r) {
    if (in->kind == KIMI_INSTR_OPEN) {
        /* KimiSend(): a fresh price before every attempt, bounded retries on REQUOTE */
        for (int attempt = 0; attempt <= MAX_RETRIES; attempt++) {
            if (server_open(in, attempt, r) != RETCODE_REQUOTE || attempt == MAX_RETRIES) break;
            n.retries++;
        }
        return 0;
    }
    const int i = find_position(in->position_ticket);
    /* CLOSE: the EA checks that the position is still open and that the side closes it, else reconciles */
    if (i < 0) { fill_result(in, 0, 0, 0, in->position_ticket, 0, 0, r); return 1; }
    const int64_t closing = positions[i].type == 0 ? KIMI_SELL : KIMI_BUY;
    if (in->direction != closing) {
        violation("instruction %lld: CLOSE side %lld does not close position %lld", (long long)in->id, (long long)in->direction, (long long)in->position_ticket);
        fill_result(in, 0, 0, 0, in->position_ticket, 0, 0, r);
        return 1;
    }
    const double volume = kimi_close_volume(in->volume, positions[i].volume);
    if (!(volume > 0)) { violation("instruction %lld: CLOSE of %.2f lots of position %lld sends nothing", (long long)in->id, in->volume, (long long)in->position_ticket); fill_result(in, 0, 0, 0, in->position_ticket, 0, 0, r); return 1; }
    const int64_t order = next_order++;
    const int64_t ticket = positions[i].ticket;
    const double price = positions[i].type == 0 ? cur.bid : cur.ask;
    close_position(i, volume, KIMI_DEAL_REASON_EXPERT, order);
    if (n.closes == 1) {
        /* the first CLOSE executes on the server but its answer is lost: the EA sees 10012 TIMEOUT, reports it and
         * reconciles from the terminal's positions before anything else (the deal still arrives as a transaction) */
        n.timeouts++;
        fill_result(in, RETCODE_TIMEOUT, 0, 0, ticket, 0, 0, r);
        return 1;
    }
    fill_result(in, RETCODE_DONE, order, deal_queue[deal_count - 1].deal_ticket, ticket, price, volume, r);
    return 0;
}

static int64_t server_now_msc(void) { return now_ms > cur.time_msc ? now_ms : cur.time_msc; }

/* KimiReadPositions + kimi_sync_positions: the array always has one element at least, like the EA's.
 * Returns the pending word (0 after a failure, which is a violation). */
static int32_t sync_positions(void) {
    KimiPosition snapshot[MAX_POSITIONS + 1];
    memset(snapshot, 0, sizeof snapshot);
    int count = 0;
    for (int i = 0; i < position_count; i++) {
        const Position *p = &positions[i];
        /* KimiReadPositions: a shared (netting) position counts with this EA's share only, from its own deals */
        const double own_net = (p->type == 0 ? 1 : -1) * (p->volume - p->foreign);
        const double volume = p->foreign > 0 ? kimi_netting_own_volume(own_net, p->type, p->volume) : p->volume;
        if (!(volume > 0)) continue;
        snapshot[count].ticket = p->ticket;
        snapshot[count].type = p->type;
        snapshot[count].magic = MAGIC;
        snapshot[count].time_msc = p->time_msc;
        snapshot[count].instruction_id = p->instruction_id;
        snapshot[count].volume = volume;
        snapshot[count].price_open = p->price_open;
        snapshot[count].sl = p->sl;
        snapshot[count].tp = p->tp;
        snapshot[count].profit = position_profit(p, cur.bid, cur.ask);
        count++;
    }
    const int32_t rc = p_kimi_sync_positions(handle, snapshot, count, server_now_msc());
    if (rc < 0) violation("kimi_sync_positions failed with %d: %s", rc, last_error(handle));
    else timer_wanted = (rc & KIMI_PENDING_TIMER) != 0;
    return rc < 0 ? 0 : rc;
}

/* A handler's pending word (kimiea.h): keeps its TIMER bit; an error is a violation and adds nothing. */
static int32_t pending_of(const char *call, int32_t rc) {
    if (rc >= 0) { timer_wanted = (rc & KIMI_PENDING_TIMER) != 0; return rc; }
    violation("%s failed with %d: %s", call, rc, last_error(handle));
    return 0;
}

static int id_index(int64_t id) {
    for (int i = seen_count - 1; i >= 0; i--)
        if (seen_ids[i] == id) return i;
    return -1;
}

/* DRAIN a: poll, execute in order, report each result exactly once. */
static void execute_instructions(void) {
    KimiInstruction batch[INSTR_CAP];
    for (;;) {
        const int32_t count = p_kimi_poll_instructions(handle, batch, INSTR_CAP);
        if (count < 0) { violation("kimi_poll_instructions failed with %d: %s", count, last_error(handle)); return; }
        if (count == 0) return;
        if (count > INSTR_CAP) { violation("kimi_poll_instructions returned %d > capacity %d", count, INSTR_CAP); return; }
        int reconciled = 0;
        for (int k = 0; k < count; k++) {
            const KimiInstruction *in = &batch[k];
            n.instructions++;
            if (in->id <= 0 || id_index(in->id) >= 0) { violation("instruction id %lld handed out twice (or not positive)", (long long)in->id); continue; }
            if (seen_count == MAX_IDS) { violation("more than %d instructions", MAX_IDS); return; }
            seen_ids[seen_count++] = in->id;
            check_instruction(in);
            KimiOrderResult r;
            int must_reconcile = 0;
            if (reconciled) fill_result(in, 0, 0, 0, in->position_ticket, 0, 0, &r);
            else must_reconcile = execute(in, &r);
            if (trace)
                fprintf(trace, "%lld instr %lld kind %lld dir %lld pos %lld vol %.2f price %.5f sl %.5f tp %.5f reason %lld -> retcode %lld pos %lld price %.5f\n",
                        (long long)cur.time_msc, (long long)in->id, (long long)in->kind, (long long)in->direction, (long long)in->position_ticket,
                        in->volume, in->price, in->sl, in->tp, (long long)in->reason, (long long)r.retcode, (long long)r.position_ticket, r.price);
            const int32_t rc = p_kimi_report_result(handle, &r);
            if (rc < 0) violation("kimi_report_result(%lld) failed with %d: %s", (long long)in->id, rc, last_error(handle));
            else {
                timer_wanted = (rc & KIMI_PENDING_TIMER) != 0;
                answered[seen_count - 1] = 1;
                n.results++;
                if (n.results == 1) { /* a second report of the same instruction is out of sequence */
                    n.bad_calls++;
                    const int32_t again = p_kimi_report_result(handle, &r);
                    if (again != KIMI_E_STATE) violation("a second kimi_report_result(%lld) returned %d, expected KIMI_E_STATE", (long long)in->id, again);
                }
            }
            if (must_reconcile) { n.reconciles++; sync_positions(); reconciled = 1; }
        }
    }
}

/* The trader's side of the approval band: every other intent that waits is approved, the others skipped (the EA's
 * chart buttons call kimi_approve the same way), each decision's pending word drained. A second decision on the same
 * id must be refused with KIMI_E_STATE and an unknown id with KIMI_E_UNKNOWN_INTENT, changing nothing. */
#define APPROVAL_CAP 64
static int64_t approval_ids[APPROVAL_CAP];
static int approval_count;
static int approve_band; /* --approve-band: decide the intents of the approval band (else they expire) */

static void decide_approvals(void) {
    if (!approve_band) { approval_count = 0; return; }
    while (approval_count > 0) {
        const int64_t id = approval_ids[--approval_count];
        const int approve = ((n.approvals + n.skips) & 1) == 0;
        const int32_t rc = p_kimi_approve(handle, id, approve);
        if (rc < 0) { violation("kimi_approve(%lld, %d) failed with %d: %s", (long long)id, approve, rc, last_error(handle)); continue; }
        if (approve) n.approvals++; else n.skips++;
        timer_wanted = (rc & KIMI_PENDING_TIMER) != 0;
        n.bad_calls += 2;
        const int32_t again = p_kimi_approve(handle, id, 1);
        if (again != KIMI_E_STATE) violation("a second kimi_approve(%lld) returned %d, expected KIMI_E_STATE", (long long)id, again);
        const int32_t unknown = p_kimi_approve(handle, -id, 1);
        if (unknown != KIMI_E_UNKNOWN_INTENT) violation("kimi_approve of an unknown id returned %d, expected KIMI_E_UNKNOWN_INTENT", unknown);
        drain(rc);
    }
}

/* DRAIN b: events until a short batch, journal lines until empty. */
static void drain_events_and_log(void) {
    KimiEvent events[EVENT_CAP];
    for (;;) {
        const int32_t count = p_kimi_poll_events(handle, events, EVENT_CAP);
        if (count < 0) { violation("kimi_poll_events failed with %d: %s", count, last_error(handle)); break; }
        if (count == 0) break;
        for (int i = 0; i < count; i++) {
            if (events[i].seq <= last_event_seq) violation("event seq %lld after %lld", (long long)events[i].seq, (long long)last_event_seq);
            last_event_seq = events[i].seq;
            if (events[i].kind < KIMI_EVT_SIGNAL || events[i].kind > KIMI_EVT_APPROVAL) violation("event %lld of unknown kind %lld", (long long)events[i].seq, (long long)events[i].kind);
            if (events[i].kind == KIMI_EVT_APPROVAL && events[i].code == KIMI_APPROVAL_AWAITING) {
                n.awaiting++;
                if (approval_count < APPROVAL_CAP) approval_ids[approval_count++] = events[i].ticket;
            }
            if (events[i].kind == KIMI_EVT_APPROVAL && events[i].code == KIMI_APPROVAL_EXPIRED) n.expired++;
            /* the EA's pop-up alerts (default classes: all but fills/closes), rate-limited on server time */
            if ((kimi_alert_class(events[i].kind, events[i].code) & 59) != 0) {
                if (kimi_alert_allowed(alert_sent, (uint64_t)server_now_msc())) n.alerts++;
                else n.alerts_limited++;
            }
            if (events[i].kind == KIMI_EVT_DENIED) n.denied_events++;
            if (events[i].kind == KIMI_EVT_SIGNAL) n.signal_events++;
            n.events++;
        }
        if (count < EVENT_CAP) break;
    }
    decide_approvals();
    uint16_t buf[TEXT_CAP];
    char line[TEXT_CAP * 3];
    for (;;) {
        const int32_t written = p_kimi_poll_log(handle, buf, TEXT_CAP);
        if (written < 0) { violation("kimi_poll_log failed with %d: %s", written, last_error(handle)); break; }
        if (written == 0) break;
        if (written >= TEXT_CAP || buf[written] != 0) violation("kimi_poll_log wrote %d characters without the NUL at [%d]", written, written);
        n.log_lines++;
        to_utf8(buf, written, line, sizeof line);
        if (!quiet) printf("KimiEA: %s\n", line);
    }
}

/* ---- the SMC zones (kimi_get_zones), as the EA draws them after each closed bar ---- */
#define ZONE_CAP 256
static KimiZone zones[ZONE_CAP];
static int zone_count;
static MqlRates fed[MAX_BARS * 2]; /* every bar the engine was given (warm-up, then closed bars), for --zones-out */
static int fed_count;

static void remember_bar(const MqlRates *b) {
    if (fed_count < MAX_BARS * 2) fed[fed_count++] = *b;
}

/* kimi_get_zones after a bar; checks what the EA's drawing relies on (kimiea.h, KimiZone). */
static void read_zones(int64_t bar_time) {
    const int32_t count = p_kimi_get_zones(handle, zones, ZONE_CAP);
    n.zone_calls++;
    if (count < 0 || count > ZONE_CAP) { violation("kimi_get_zones returned %d (capacity %d): %s", count, ZONE_CAP, last_error(handle)); zone_count = 0; return; }
    zone_count = count;
    n.zones += count;
    for (int i = 0; i < count; i++) {
        const KimiZone *z = &zones[i];
        if (z->kind < KIMI_ZONE_LEG || z->kind > KIMI_ZONE_LIQUIDITY) { violation("zone %d: kind %lld", i, (long long)z->kind); continue; }
        if (!(z->top >= z->bottom) || !(z->bottom > 0)) violation("zone %d (kind %lld): top %.5f below bottom %.5f or not positive", i, (long long)z->kind, z->top, z->bottom);
        if (z->direction < -1 || z->direction > 1 || (z->kind != KIMI_ZONE_LEG && z->direction == 0)) violation("zone %d (kind %lld): direction %lld", i, (long long)z->kind, (long long)z->direction);
        if (z->start_time > bar_time || (z->end_time != 0 && (z->end_time < z->start_time || z->end_time > bar_time)))
            violation("zone %d (kind %lld): times %lld..%lld outside the bars fed (last %lld)", i, (long long)z->kind, (long long)z->start_time, (long long)z->end_time, (long long)bar_time);
        if ((z->kind == KIMI_ZONE_LEG && i != 0) || (z->kind == KIMI_ZONE_BREAK && i > 1)) violation("zone %d: kind %lld out of order (LEG first, then BREAK)", i, (long long)z->kind);
        if ((z->kind == KIMI_ZONE_ORDER_BLOCK || z->kind == KIMI_ZONE_FVG) && z->end_time != 0) violation("zone %d: a live order block / gap with end time %lld", i, (long long)z->end_time);
        for (int k = 0; k < i; k++)
            if (zones[k].kind == z->kind && zones[k].start_time == z->start_time && zones[k].direction == z->direction && z->kind >= KIMI_ZONE_ORDER_BLOCK)
                violation("zone %d: kind %lld at %lld listed twice", i, (long long)z->kind, (long long)z->start_time);
    }
}

static void civil_from_days(int64_t z, int *y, int *m, int *d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* --zones-out DIR: the bars fed (a normalized CSV `kimi smc --input` reads) and the last zones, for the test that compares
 * the export with `kimi smc` on the same bars. */
static int write_zones_out(const char *dir) {
    char path[1200];
    snprintf(path, sizeof path, "%s/bars.norm.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f) { fprintf(stderr, "standin: cannot write %s\n", path); return 0; }
    fputs("time_utc,open,high,low,close,volume,spread_points\n", f);
    for (int i = 0; i < fed_count; i++) {
        const MqlRates *b = &fed[i];
        int y, mo, d;
        civil_from_days(b->time >= 0 ? b->time / 86400 : (b->time - 86399) / 86400, &y, &mo, &d);
        const int64_t sod = b->time - (b->time >= 0 ? b->time / 86400 : (b->time - 86399) / 86400) * 86400;
        fprintf(f, "%04d-%02d-%02dT%02d:%02d:%02dZ,%.17g,%.17g,%.17g,%.17g,%lld,%d\n", y, mo, d, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
                b->open, b->high, b->low, b->close, (long long)(b->real_volume != 0 ? b->real_volume : b->tick_volume), b->spread);
    }
    fclose(f);
    snprintf(path, sizeof path, "%s/zones.csv", dir);
    f = fopen(path, "w");
    if (!f) { fprintf(stderr, "standin: cannot write %s\n", path); return 0; }
    fputs("kind,direction,start_time,end_time,flags,members,top,bottom,value\n", f);
    for (int i = 0; i < zone_count; i++) {
        const KimiZone *z = &zones[i];
        fprintf(f, "%lld,%lld,%lld,%lld,%lld,%lld,%.17g,%.17g,%.17g\n", (long long)z->kind, (long long)z->direction, (long long)z->start_time,
                (long long)z->end_time, (long long)z->flags, (long long)z->members, z->top, z->bottom, z->value);
    }
    fclose(f);
    return 1;
}

static void status(KimiStatus *s) {
    memset(s, 0, sizeof *s);
    const int32_t rc = p_kimi_get_status(handle, s);
    if (rc < 0) violation("kimi_get_status failed with %d: %s", rc, last_error(handle));
}

/* The pending word said "nothing": check that it told the truth (the EA would make no call here). A wrong 0 would
 * leave an instruction unsent or an event unread on a real terminal, so every kind is polled once. */
static void check_nothing_pending(void) {
    KimiInstruction batch[INSTR_CAP];
    KimiEvent events[EVENT_CAP];
    uint16_t buf[TEXT_CAP];
    n.idle_checks++;
    const int32_t ins = p_kimi_poll_instructions(handle, batch, INSTR_CAP);
    const int32_t evs = p_kimi_poll_events(handle, events, EVENT_CAP);
    const int32_t log = p_kimi_poll_log(handle, buf, TEXT_CAP);
    if (ins != 0 || evs != 0 || log != 0)
        violation("pending word 0, but kimi_poll_instructions/events/log returned %d/%d/%d", ins, evs, log);
}

/* The EA's Drain(pending): nothing when the engine holds nothing; else instructions, events/log, status line. */
static void drain(int32_t pending) {
    if ((pending & (KIMI_PENDING_INSTRUCTIONS | KIMI_PENDING_EVENTS)) == 0) {
        /* every 16th idle drain is verified (all of them would double the calls of the whole run) */
        if ((n.idle_drains++ & 15) == 0) check_nothing_pending();
        return;
    }
    n.busy_drains++;
    if ((pending & KIMI_PENDING_INSTRUCTIONS) != 0) execute_instructions();
    drain_events_and_log();
    KimiStatus s;
    status(&s);
    if (s.mode != KIMI_MODE_PAPER) violation("status mode %lld, expected paper", (long long)s.mode);
}

/* OnTradeTransaction for every queued deal, each followed by a drain (which may queue more). */
/* ---- the account's deal history and the EA's recovery of lost transactions (KimiEA.mq5) ----
 * Every deal also goes into the history; with --drop-deals N every Nth DEAL_ADD never reaches OnTradeTransaction (the
 * terminal's transaction queue is bounded and may supersede events). The EA forwards the deal history on every new
 * bar (ForwardDealHistory) and the engine ignores the deals it knows, so a dropped deal is booked one bar late. */
#define MAX_HISTORY 4096
static KimiDeal deal_history[MAX_HISTORY];
static int history_count;
static int drop_deals_every; /* --drop-deals N: 0 = none */
static int copyrates_fail_every; /* --copyrates-fail N: 0 = CopyRates never fails */

static void deliver_deals(void) {
    for (int i = 0; i < deal_count; i++) {
        const KimiDeal d = deal_queue[i];
        if (history_count < MAX_HISTORY) deal_history[history_count++] = d;
        if (drop_deals_every > 0 && (history_count % drop_deals_every) == 0) { n.dropped_deals++; continue; }
        const int32_t rc = pending_of("kimi_on_trade_transaction", p_kimi_on_trade_transaction(handle, &d));
        n.deals++;
        drain(rc);
    }
    deal_count = 0;
}

/* ForwardRecentDeals: the deals of this symbol and magic since 300 s before the previous scan, oldest first; returns
 * the OR of the pending words. */
#define BAR_DEAL_OVERLAP_MS 300000
static int64_t last_deal_scan_ms;
static int32_t forward_recent_deals(void) {
    int32_t pending = 0;
    const int64_t from = last_deal_scan_ms - BAR_DEAL_OVERLAP_MS;
    last_deal_scan_ms = server_now_msc();
    for (int i = 0; i < history_count; i++)
        if (deal_history[i].time_msc >= from) {
            pending |= pending_of("kimi_on_trade_transaction (history)", p_kimi_on_trade_transaction(handle, &deal_history[i]));
            n.history_deals++;
        }
    n.history_forwards++;
    return pending;
}

/* ---- data ---- */
typedef struct Tick { int64_t ms; double bid, ask; } Tick;

static Tick *read_ticks(const char *path, long *count) {
    FILE *f = fopen(path, "r");
    if (!f) { fprintf(stderr, "standin: cannot open the ticks %s\n", path); exit(2); }
    long cap = 1 << 18, k = 0, line_no = 0;
    Tick *t = malloc(sizeof *t * (size_t)cap);
    char line[256];
    while (fgets(line, sizeof line, f)) {
        line_no++;
        if (line_no == 1) continue; /* header */
        char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
        if (!c2 || !parse_time_ms(line, &t[k].ms)) { fprintf(stderr, "standin: %s line %ld: cannot read '%s'\n", path, line_no, line); exit(2); }
        t[k].bid = strtod(c1 + 1, NULL);
        t[k].ask = strtod(c2 + 1, NULL);
        if (++k == cap) { cap *= 2; t = realloc(t, sizeof *t * (size_t)cap); }
    }
    fclose(f);
    *count = k;
    return t;
}

/* M15 bars (bid OHLC) aggregated from the M1 file, for bars opening before `before_s`. */
static int read_warmup(const char *path, int64_t before_s, MqlRates *bars, int cap) {
    FILE *f = fopen(path, "r");
    if (!f) { fprintf(stderr, "standin: cannot open the M1 bars %s\n", path); exit(2); }
    char line[256];
    int count = 0;
    long line_no = 0;
    while (fgets(line, sizeof line, f)) {
        line_no++;
        if (line_no == 1) continue;
        int64_t ms;
        double o, h, l, c, vol;
        int spread;
        char *comma = strchr(line, ',');
        if (!comma || !parse_time_ms(line, &ms) || sscanf(comma + 1, "%lf,%lf,%lf,%lf,%lf,%d", &o, &h, &l, &c, &vol, &spread) != 6) {
            fprintf(stderr, "standin: %s line %ld: cannot read '%s'\n", path, line_no, line);
            exit(2);
        }
        const int64_t open = ms / 1000 / timeframe * timeframe;
        if (open >= before_s) break;
        if (count > 0 && bars[(count - 1) % cap].time == open) {
            MqlRates *b = &bars[(count - 1) % cap];
            if (h > b->high) b->high = h;
            if (l < b->low) b->low = l;
            b->close = c;
            b->tick_volume += 1;
            b->spread = spread;
        } else {
            MqlRates *b = &bars[count % cap];
            memset(b, 0, sizeof *b);
            *b = (MqlRates){.time = open, .open = o, .high = h, .low = l, .close = c, .tick_volume = 1, .spread = spread, .real_volume = 0};
            count++;
        }
    }
    fclose(f);
    if (count <= cap) return count;
    /* keep the last `cap` bars, oldest first */
    MqlRates *tmp = malloc(sizeof *tmp * (size_t)cap);
    for (int i = 0; i < cap; i++) tmp[i] = bars[(count - cap + i) % cap];
    memcpy(bars, tmp, sizeof *tmp * (size_t)cap);
    free(tmp);
    return cap;
}

/* ---- bad calls: error codes and last-error text ---- */
static void expect_rc(const char *what, int64_t rc, int64_t expected, int64_t text_handle) {
    n.bad_calls++;
    if (rc != expected) { violation("%s returned %lld, expected %lld", what, (long long)rc, (long long)expected); return; }
    if (text_handle >= 0 && last_error(text_handle)[0] == 0) violation("%s: no last-error text for handle %lld", what, (long long)text_handle);
}

static void check_abi_errors(void) {
    int32_t sizes[12] = {sizeof(MqlRates), sizeof(MqlTick), sizeof(KimiConfig), sizeof(KimiSymbolSpec), sizeof(KimiAccount),
                         sizeof(KimiInstruction), sizeof(KimiOrderResult), sizeof(KimiDeal), sizeof(KimiPosition),
                         sizeof(KimiStatus), sizeof(KimiEvent), sizeof(KimiZone)};
    expect_rc("kimi_check_abi(version + 1)", p_kimi_check_abi(KIMI_ABI_VERSION + 1, sizes[0], sizes[1], sizes[2], sizes[3], sizes[4], sizes[5], sizes[6], sizes[7], sizes[8], sizes[9], sizes[10], sizes[11]), KIMI_E_ABI_MISMATCH, 0);
    for (int k = 0; k < 12; k++) {
        int32_t s[12];
        memcpy(s, sizes, sizeof s);
        s[k] += 8; /* one more 8-byte field, as a stale EA would send */
        char what[64];
        snprintf(what, sizeof what, "kimi_check_abi(size %d + 8)", k + 1);
        expect_rc(what, p_kimi_check_abi(KIMI_ABI_VERSION, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11]), KIMI_E_ABI_MISMATCH, 0);
    }
}

/* A create that should fail; a handle it returns anyway is destroyed so that it cannot trade beside the real one. */
static void expect_create_fails(const char *what, int64_t h, int64_t expected) {
    expect_rc(what, h < 0 ? h : 1, expected, 0);
    if (h > 0) p_kimi_destroy(h, REASON_REMOVE);
}

static void check_create_errors(const KimiAccount *account, const uint16_t *symbol, const uint16_t *journal) {
    expect_create_fails("kimi_create(config NULL)", p_kimi_create(NULL, symbol, &spec, account, journal, NULL, NULL), KIMI_E_INVALID_ARGUMENT);
    expect_create_fails("kimi_create(symbol NULL)", p_kimi_create(&config, NULL, &spec, account, journal, NULL, NULL), KIMI_E_INVALID_ARGUMENT);
    expect_create_fails("kimi_create(spec NULL)", p_kimi_create(&config, symbol, NULL, account, journal, NULL, NULL), KIMI_E_INVALID_ARGUMENT);
    expect_create_fails("kimi_create(account NULL)", p_kimi_create(&config, symbol, &spec, NULL, journal, NULL, NULL), KIMI_E_INVALID_ARGUMENT);
    KimiConfig bad = config;
    bad.mode = KIMI_MODE_LIVE + 1;
    expect_create_fails("kimi_create(mode 3)", p_kimi_create(&bad, symbol, &spec, account, journal, NULL, NULL), KIMI_E_CONFIG);
    bad = config;
    bad.timeframe_seconds = 0;
    expect_create_fails("kimi_create(timeframe 0)", p_kimi_create(&bad, symbol, &spec, account, journal, NULL, NULL), KIMI_E_CONFIG);
}

static void check_handle_errors(int64_t bad, const KimiAccount *account) {
    KimiInstruction out[2];
    KimiStatus s;
    MqlRates bar = {0};
    expect_rc("kimi_on_tick(invalid handle)", p_kimi_on_tick(bad, &cur, account), KIMI_E_INVALID_HANDLE, -1);
    expect_rc("kimi_on_bar(invalid handle)", p_kimi_on_bar(bad, &bar), KIMI_E_INVALID_HANDLE, -1);
    expect_rc("kimi_poll_instructions(invalid handle)", p_kimi_poll_instructions(bad, out, 2), KIMI_E_INVALID_HANDLE, -1);
    expect_rc("kimi_get_status(invalid handle)", p_kimi_get_status(bad, &s), KIMI_E_INVALID_HANDLE, -1);
    expect_rc("kimi_on_timer(invalid handle)", p_kimi_on_timer(bad, cur.time_msc, account), KIMI_E_INVALID_HANDLE, -1);
    expect_rc("kimi_destroy(invalid handle)", p_kimi_destroy(bad, REASON_REMOVE), KIMI_E_INVALID_HANDLE, -1);
}

static void check_argument_errors(const KimiAccount *account) {
    KimiInstruction out[2];
    KimiEvent events[2];
    MqlTick nan_tick = cur;
    nan_tick.bid = NAN;
    expect_rc("kimi_on_tick(tick NULL)", p_kimi_on_tick(handle, NULL, account), KIMI_E_INVALID_ARGUMENT, handle);
    expect_rc("kimi_on_tick(account NULL)", p_kimi_on_tick(handle, &cur, NULL), KIMI_E_INVALID_ARGUMENT, handle);
    expect_rc("kimi_on_tick(NaN bid)", p_kimi_on_tick(handle, &nan_tick, account), KIMI_E_INVALID_ARGUMENT, handle);
    expect_rc("kimi_on_bar(bar NULL)", p_kimi_on_bar(handle, NULL), KIMI_E_INVALID_ARGUMENT, handle);
    expect_rc("kimi_warmup(bars NULL, 5)", p_kimi_warmup(handle, NULL, 5), KIMI_E_INVALID_ARGUMENT, handle);
    expect_rc("kimi_update_spec(spec NULL)", p_kimi_update_spec(handle, NULL), KIMI_E_INVALID_ARGUMENT, handle);
    expect_rc("kimi_poll_instructions(out NULL)", p_kimi_poll_instructions(handle, NULL, 2), KIMI_E_INVALID_ARGUMENT, handle);
    expect_rc("kimi_poll_instructions(capacity -1)", p_kimi_poll_instructions(handle, out, -1), KIMI_E_INVALID_ARGUMENT, handle);
    expect_rc("kimi_poll_events(out NULL)", p_kimi_poll_events(handle, NULL, 2), KIMI_E_INVALID_ARGUMENT, handle);
    expect_rc("kimi_poll_events(capacity -1)", p_kimi_poll_events(handle, events, -1), KIMI_E_INVALID_ARGUMENT, handle);
    expect_rc("kimi_report_result(result NULL)", p_kimi_report_result(handle, NULL), KIMI_E_INVALID_ARGUMENT, handle);
    expect_rc("kimi_on_trade_transaction(deal NULL)", p_kimi_on_trade_transaction(handle, NULL), KIMI_E_INVALID_ARGUMENT, handle);
    expect_rc("kimi_sync_positions(NULL, 1)", p_kimi_sync_positions(handle, NULL, 1, cur.time_msc), KIMI_E_INVALID_ARGUMENT, handle);
    expect_rc("kimi_get_status(out NULL)", p_kimi_get_status(handle, NULL), KIMI_E_INVALID_ARGUMENT, handle);
    expect_rc("kimi_on_timer(account NULL)", p_kimi_on_timer(handle, cur.time_msc, NULL), KIMI_E_INVALID_ARGUMENT, handle);
    KimiOrderResult unknown = {0};
    unknown.instruction_id = 987654321;
    unknown.retcode = RETCODE_DONE;
    unknown.time_msc = cur.time_msc;
    expect_rc("kimi_report_result(unknown instruction)", p_kimi_report_result(handle, &unknown), KIMI_E_STATE, handle);

    /* text out: NULL buffers and negative capacities are errors; a short buffer is truncated and NUL-terminated */
    uint16_t small[4];
    expect_rc("kimi_last_error(buffer NULL)", p_kimi_last_error(handle, NULL, 16), KIMI_E_INVALID_ARGUMENT, -1);
    expect_rc("kimi_poll_log(capacity -1)", p_kimi_poll_log(handle, small, -1), KIMI_E_INVALID_ARGUMENT, -1);
    expect_rc("kimi_code_name(buffer NULL)", p_kimi_code_name(KIMI_EVT_RESULT, RETCODE_DONE, NULL, 16), KIMI_E_INVALID_ARGUMENT, -1);
    p_kimi_on_bar(handle, NULL); /* leaves an error text behind to read through a short buffer */
    memset(small, 0xFF, sizeof small);
    n.bad_calls++;
    const int32_t w = p_kimi_last_error(handle, small, 4);
    if (!((w == 3 && small[3] == 0) || w == KIMI_E_BUFFER_TOO_SMALL))
        violation("kimi_last_error(capacity 4) returned %d (buffer[3] = %u): expected 3 characters + NUL, or KIMI_E_BUFFER_TOO_SMALL", w, small[3]);
    uint16_t name[64];
    char text[192];
    n.bad_calls++;
    const int32_t nw = p_kimi_code_name(KIMI_EVT_RESULT, RETCODE_DONE, name, 64);
    if (nw <= 0) violation("kimi_code_name(RESULT, 10009) returned %d", nw);
    else { to_utf8(name, nw, text, sizeof text); if (!quiet) printf("standin: code name of retcode 10009: %s\n", text); }
}

/* ---- main ---- */
int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: standin <library.so> <ticks.csv> <m1.csv> <work-dir> [--quiet] [--trace FILE] [--timeframe SECONDS] [--no-journal] [--min-confidence X] [--auto-confidence X] [--approve-band] [--zones-out DIR] [--drop-deals N] [--copyrates-fail N] [--start-wait] [--close-drill] [--netting-drill]\n");
        return 2;
    }
    double min_conf = -1, auto_conf = -1;
    const char *zones_out = NULL;
    int start_wait = 0, close_drill = 0, netting_drill = 0;
    for (int i = 5; i < argc; i++) {
        if (strcmp(argv[i], "--quiet") == 0) quiet = 1;
        else if (strcmp(argv[i], "--min-confidence") == 0 && i + 1 < argc) min_conf = atof(argv[++i]);
        else if (strcmp(argv[i], "--auto-confidence") == 0 && i + 1 < argc) auto_conf = atof(argv[++i]);
        else if (strcmp(argv[i], "--no-journal") == 0) no_journal = 1;
        else if (strcmp(argv[i], "--approve-band") == 0) approve_band = 1;
        else if (strcmp(argv[i], "--zones-out") == 0 && i + 1 < argc) zones_out = argv[++i];
        else if (strcmp(argv[i], "--drop-deals") == 0 && i + 1 < argc) drop_deals_every = atoi(argv[++i]);
        else if (strcmp(argv[i], "--start-wait") == 0) start_wait = 1;
        else if (strcmp(argv[i], "--close-drill") == 0) close_drill = 1;
        else if (strcmp(argv[i], "--netting-drill") == 0) netting_drill = 1;
        else if (strcmp(argv[i], "--copyrates-fail") == 0 && i + 1 < argc) copyrates_fail_every = atoi(argv[++i]);
        else if (strcmp(argv[i], "--timeframe") == 0 && i + 1 < argc) {
            timeframe = atoll(argv[++i]);
            if (timeframe < 60 || timeframe % 60 != 0 || 86400 % timeframe != 0) { fprintf(stderr, "standin: --timeframe must be whole minutes dividing a day, got %s\n", argv[i]); return 2; }
        }
        else if (strcmp(argv[i], "--trace") == 0 && i + 1 < argc) {
            trace = fopen(argv[++i], "w");
            if (!trace) { fprintf(stderr, "standin: cannot write the trace %s\n", argv[i]); return 2; }
        }
        else { fprintf(stderr, "standin: unknown argument %s\n", argv[i]); return 2; }
    }

    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "standin: cannot load %s: %s\n", argv[1], dlerror()); return 2; }
#define BIND(name)                                                                                                 \
    *(void **)&p_##name = dlsym(lib, #name); /* the POSIX idiom for function pointers */                          \
    if (!p_##name) { fprintf(stderr, "standin: %s does not export %s (build the full engine library: ./build.sh)\n", argv[1], #name); return 2; }
    EXPORTS(BIND)

    long tick_count;
    Tick *ticks = read_ticks(argv[2], &tick_count);
    if (tick_count == 0) { fprintf(stderr, "standin: no ticks in %s\n", argv[2]); return 2; }
    seen_ids = calloc(MAX_IDS, sizeof *seen_ids);
    answered = calloc(MAX_IDS, 1);

    /* the terminal's state at OnInit: the last known quote is the first tick's */
    cur = (MqlTick){.time = ticks[0].ms / 1000, .bid = ticks[0].bid, .ask = ticks[0].ask, .time_msc = ticks[0].ms, .flags = 6};

    /* ---- OnInit 1: ABI handshake ---- */
    const int32_t version = p_kimi_abi_version();
    if (version != KIMI_ABI_VERSION) { printf("standin: VIOLATION: library ABI %d, header %d\n", version, KIMI_ABI_VERSION); return 1; }
    const int32_t abi = p_kimi_check_abi(KIMI_ABI_VERSION, sizeof(MqlRates), sizeof(MqlTick), sizeof(KimiConfig), sizeof(KimiSymbolSpec),
                                         sizeof(KimiAccount), sizeof(KimiInstruction), sizeof(KimiOrderResult), sizeof(KimiDeal),
                                         sizeof(KimiPosition), sizeof(KimiStatus), sizeof(KimiEvent), sizeof(KimiZone));
    if (abi != KIMI_OK) { printf("standin: VIOLATION: kimi_check_abi failed with %d: %s\n", abi, last_error(0)); return 1; }
    check_abi_errors();

    /* The terminal already holds two positions of this magic, as after a terminal restart: a buy the previous EA
     * instance opened a day earlier (its comment altered by the broker, so no instruction id) and a sell opened
     * just before the data starts ("kimi:42"). Broker wins: the engine adopts both (OnInit 4), which gives it positions to
     * manage (time barrier, server-side SL/TP, emergency stop) whatever its signal does on these two days. */
    const int64_t first_bar = ticks[0].ms / 1000 / timeframe * timeframe;
    positions[position_count++] = (Position){.ticket = 900001, .type = 0, .time_msc = (first_bar - 86400) * 1000, .instruction_id = 0,
                                             .volume = 0.10, .price_open = 1.38900, .sl = 1.37000, .tp = 1.42000};
    positions[position_count++] = (Position){.ticket = 900002, .type = 1, .time_msc = ticks[0].ms - 60000, .instruction_id = 42,
                                             .volume = 0.05, .price_open = ticks[0].bid, .sl = 1.42000, .tp = 1.36000};
    check_lifecycle_decisions();
    check_tester_criteria();

    /* ---- OnInit, transient conditions (KimiEA.mq5 TryStart): with --start-wait the terminal starts as after a VPS
     * restart: second 0 not connected, 1 login 0, 2 no price, 3 tick value 0, 4 margin unknown, and the chart holds
     * only 60 closed bars. Each second the EA's timer retries; nothing is created until the conditions clear, then the
     * open positions start the engine at once with the short warm-up (KimiHistoryReady). */
    int history_cap = 1 << 30;
    if (start_wait) {
        history_cap = 60;
        for (int second = 0;; second++) {
            const int wait = kimi_start_wait(second >= 1, second >= 2 ? 5000123 : 0, second >= 3, second >= 4 ? POINT * CONTRACT : 0.0, second >= 5);
            if (wait == KIMI_WAIT_NONE) break;
            if (wait != second + 1) violation("start second %d: waiting for condition %d, expected %d", second, wait, second + 1);
            n.start_waits++;
            if (second > 10) { violation("the start conditions never cleared"); return 1; }
        }
        if (!kimi_history_ready(history_cap, 500, position_count > 0, 0)) violation("short history with open positions did not start the engine");
    }

    /* ---- OnInit 2: create (paper mode on a demo account, the server clock of its data, UTC, like kimi backtest's
     *      simulated terminal; the header's input defaults otherwise) ---- */
    config = (KimiConfig){
        .magic = MAGIC, .timeframe_seconds = timeframe, .mode = KIMI_MODE_PAPER, .live_opt_in = 0, .sizing_mode = KIMI_SIZING_KELLY,
        .max_positions = 1, .max_positions_total = 5, .max_orders_per_minute = 10, .max_holding_bars = 48,
        .swing_length = 10, .breaker_reset_hour = 0, .flatten_on_breaker = 1, .approval_expiry_bars = 3,
        .server_utc_offset_minutes = 0, .server_time_zone = KIMI_TZ_FIXED, .deviation_points = 10, .warmup_bars = 500, .risk_per_trade = 0.01,
        .kelly_fraction = 0.5, .min_confidence = 0.70, .auto_execute_confidence = 0.85, .max_lot = 1.0,
        .daily_drawdown = 0.02, .max_total_risk = 0.10, .max_leverage = 30, .price_band_atr = 1.0, .range_percent = 0.01,
        .min_reward_risk = 1.5, .commission_per_lot = 0};
    if (min_conf >= 0) config.min_confidence = min_conf;
    if (auto_conf >= 0) config.auto_execute_confidence = auto_conf;
    read_spec(&spec);
    KimiAccount account;
    read_account(&account);
    uint16_t symbol[16], journal[1024], allow[4];
    char journal_path[1024];
    snprintf(journal_path, sizeof journal_path, "%s/standin-journal.db", argv[4]);
    remove(journal_path);
    to_u16("EURUSD", symbol, 16);
    to_u16(journal_path, journal, 1024);
    to_u16("", allow, 4);
    check_create_errors(&account, symbol, journal);
    handle = p_kimi_create(&config, symbol, &spec, &account, no_journal ? NULL : journal, allow, NULL);
    if (handle <= 0) { printf("standin: VIOLATION: kimi_create failed with %lld: %s\n", (long long)handle, last_error(0)); return 1; }

    /* ---- OnInit 3: warm-up with the closed bars before the first tick's bar, oldest first ---- */
    static MqlRates warm[MAX_BARS];
    const int warm_count = read_warmup(argv[3], first_bar, warm, config.warmup_bars < history_cap ? (int)config.warmup_bars : history_cap);
    if (warm_count < config.warmup_bars && !quiet) printf("standin: short warm-up: %d of %lld closed bars (positions of this EA are open)\n", warm_count, (long long)config.warmup_bars);
    n.warmup = warm_count;
    int32_t init_pending = 0;
    if (warm_count > 0) {
        init_pending |= pending_of("kimi_warmup", p_kimi_warmup(handle, warm, warm_count));
        for (int i = 0; i < warm_count; i++) remember_bar(&warm[i]);
        read_zones(warm[warm_count - 1].time);
    }
    int64_t prev_time = -1;
    for (int i = 0; i < warm_count; i++) {
        if (warm[i].time <= prev_time) violation("warm-up bar %d not after the previous one", i);
        prev_time = warm[i].time;
    }

    /* ---- OnInit 4-5: reconcile (the two positions above), drain; then the bad calls on a live handle ---- */
    read_account(&account);
    init_pending |= sync_positions();
    drain(init_pending);
    read_account(&account);
    check_argument_errors(&account);
    check_handle_errors(handle + 1000003, &account);

    /* --close-drill: the panel's "close this chart's positions" right after the start: a CLOSE (MANUAL) for each
     * adopted position, executed in the same drain, and none left open */
    if (close_drill) {
        const int before = position_count;
        drain(pending_of("kimi_close_positions", p_kimi_close_positions(handle)));
        deliver_deals();
        /* the stand-in's first CLOSE answers TIMEOUT (the rest of that batch is not sent, positions are reconciled):
         * a click is one request, so the trader clicks again a second later (after the engine's 1 s back-off) */
        for (int k = 0; k < 10 && position_count > 0; k++) {
            now_ms = server_now_msc() + 1000;
            read_account(&account);
            drain(pending_of("kimi_on_timer", p_kimi_on_timer(handle, now_ms, &account)));
            drain(pending_of("kimi_close_positions", p_kimi_close_positions(handle)));
            deliver_deals();
        }
        if (n.manual_closes < before || position_count != 0)
            violation("kimi_close_positions: %ld CLOSE(MANUAL) for %d positions, %d still open", n.manual_closes, before, position_count);
    }

    /* ---- the ticks ---- */
    MqlRates bar = {0};
    int have_bar = 0;
    static MqlRates chart[MAX_BARS]; /* the chart's closed bars, as CopyRates would return them */
    int chart_count = 0, bars_due = 0, copy_fails_left = 0;
    int64_t last_bar_sent = warm_count > 0 ? warm[warm_count - 1].time : 0;
    last_deal_scan_ms = ticks[0].ms; /* the EA's OnInit scan of the deal history */
    int64_t next_timer_ms = (ticks[0].ms / 1000 + 1) * 1000;
    const long emergency_from = tick_count / 100; /* after the first hour or so of ticks */
    for (long t = 0; t < tick_count; t++) {
        const Tick *tk = &ticks[t];
        /* OnTimer for every second of server time that passed before this tick */
        for (; next_timer_ms <= tk->ms; next_timer_ms += 1000) {
            now_ms = next_timer_ms;
            if (!timer_wanted) {
                /* A flat, idle agent: the EA makes no call. Every 64th skipped timer the stand-in calls anyway and
                 * requires that the call had nothing to do (the TIMER bit must never hide time-driven work). */
                if ((n.timers_skipped++ & 63) != 0) continue;
                read_account(&account);
                const int32_t rc = pending_of("kimi_on_timer", p_kimi_on_timer(handle, next_timer_ms, &account));
                n.timer_checks++;
                if ((rc & (KIMI_PENDING_INSTRUCTIONS | KIMI_PENDING_TIMER)) != 0)
                    violation("the TIMER bit was clear, but kimi_on_timer at %lld returned pending word %d", (long long)next_timer_ms, rc);
                drain(rc);
                continue;
            }
            read_account(&account);
            const int32_t rc = pending_of("kimi_on_timer", p_kimi_on_timer(handle, next_timer_ms, &account));
            n.timers++;
            drain(rc);
            deliver_deals();
        }
        cur = (MqlTick){.time = tk->ms / 1000, .bid = tk->bid, .ask = tk->ask, .last = 0, .volume = 0,
                        .time_msc = tk->ms, .flags = 6 /* TICK_FLAG_BID | TICK_FLAG_ASK */, .volume_real = 0};
        now_ms = tk->ms;
        n.ticks++;

        /* the chart: a tick in a new M15 period closes the forming bar */
        const int64_t open = tk->ms / 1000 / timeframe * timeframe;
        const int spread = (int)lround((tk->ask - tk->bid) / POINT);
        MqlRates closed = bar;
        const int bar_closed = have_bar && open != bar.time;
        if (!have_bar || bar_closed) {
            bar = (MqlRates){.time = open, .open = tk->bid, .high = tk->bid, .low = tk->bid, .close = tk->bid, .tick_volume = 1, .spread = spread};
            have_bar = 1;
        } else {
            if (tk->bid > bar.high) bar.high = tk->bid;
            if (tk->bid < bar.low) bar.low = tk->bid;
            bar.close = tk->bid;
            bar.tick_volume++;
            bar.spread = spread;
        }

        /* the trade server: SL/TP on this tick, deals to OnTradeTransaction */
        server_check_stops();
        deliver_deals();

        /* the emergency stop (process-wide) once a position is open after the start (then released again) */
        if (!emergency_engaged && t >= emergency_from && position_count > 0 && emergency_positions == 0) {
            uint16_t reason[64];
            to_u16("standin: emergency drill", reason, 64);
            const int32_t rc = p_kimi_emergency_stop(1, reason);
            if (rc < 0) violation("kimi_emergency_stop(1) failed with %d: %s", rc, last_error(0));
            emergency_engaged = 1;
            emergency_positions = position_count;
        }

        /* OnTick 1-2 */
        read_account(&account);
        int32_t pending = pending_of("kimi_on_tick", p_kimi_on_tick(handle, &cur, &account));
        int32_t rc;
        if (bar_closed) {
            read_spec(&spec);
            rc = p_kimi_update_spec(handle, &spec);
            if (rc < 0) violation("kimi_update_spec failed with %d: %s", rc, last_error(handle));
            if (chart_count < MAX_BARS) chart[chart_count++] = closed;
            bars_due = 1;
            /* --copyrates-fail N: the terminal's CopyRates fails on the tick of every Nth close (history downloading) */
            copy_fails_left = copyrates_fail_every > 0 && chart_count % copyrates_fail_every == 0 ? 1 : 0;
        }
        /* SendClosedBars (KimiEA.mq5): the last bar sent advances only over bars a successful copy returned */
        if (bars_due) {
            if (copy_fails_left > 0) { copy_fails_left--; n.copy_failures++; }
            else {
                int sent = 0;
                for (int b = 0; b < chart_count; b++) {
                    if (chart[b].time <= last_bar_sent) continue;
                    pending |= pending_of("kimi_on_bar", p_kimi_on_bar(handle, &chart[b]));
                    last_bar_sent = chart[b].time;
                    n.bars++;
                    sent++;
                    remember_bar(&chart[b]);
                    read_zones(chart[b].time);
                }
                bars_due = 0;
                if (sent > 0) pending |= forward_recent_deals();
            }
        }
        /* OnTick 3 (DRAIN), then the transactions of this tick's fills */
        drain(pending);
        deliver_deals();

        if (emergency_engaged == 1) {
            if (position_count != 0) violation("emergency stop engaged but %d position(s) still open after the next tick", position_count);
            if (emergency_closes < emergency_positions) violation("emergency stop: %d CLOSE(EMERGENCY) for %d open position(s)", emergency_closes, emergency_positions);
            KimiStatus s;
            status(&s);
            if (s.emergency != 1 || s.halted != 1) violation("status during the emergency stop: emergency %lld halted %lld", (long long)s.emergency, (long long)s.halted);
            uint16_t reason[32];
            to_u16("standin: drill over", reason, 32);
            rc = p_kimi_emergency_stop(0, reason);
            if (rc < 0) violation("kimi_emergency_stop(0) failed with %d: %s", rc, last_error(0));
            emergency_engaged = 2;
        }
    }

    /* ---- --netting-drill: a position shared with another EA (netting account: one position per symbol). The terminal
     * holds a 0.30-lot buy of which this EA's deals hold 0.10 and another magic's 0.20; the snapshot reports the
     * 0.10 share (KimiNettingOwnVolume), the emergency stop makes the engine close it, and the CLOSE sends exactly
     * 0.10 (KimiCloseVolume): the other magic's 0.20 stay open. ---- */
    if (netting_drill) {
        if (position_count == MAX_POSITIONS) { violation("netting drill: no room for the shared position"); }
        else {
            positions[position_count++] = (Position){.ticket = 990001, .type = 0, .time_msc = cur.time_msc - 60000, .instruction_id = 0,
                                                     .volume = 0.30, .price_open = cur.ask, .sl = cur.bid - 0.0100, .tp = cur.bid + 0.0100, .foreign = 0.20};
            drain(sync_positions());
            const long closes_before = n.closes;
            uint16_t why[32];
            to_u16("standin: netting drill", why, 32);
            if (p_kimi_emergency_stop(1, why) < 0) violation("kimi_emergency_stop(1) failed: %s", last_error(0));
            read_account(&account);
            drain(pending_of("kimi_on_timer", p_kimi_on_timer(handle, server_now_msc(), &account)));
            deliver_deals();
            if (p_kimi_emergency_stop(0, why) < 0) violation("kimi_emergency_stop(0) failed: %s", last_error(0));
            const int i = find_position(990001);
            if (n.closes == closes_before) violation("netting drill: the engine sent no CLOSE for its 0.10 share");
            if (i < 0 || fabs(positions[i].volume - 0.20) > 1e-9)
                violation("netting drill: the shared position holds %.2f lots after the close, expected the other magic's 0.20", i < 0 ? 0.0 : positions[i].volume);
            else n.netting_drill = 1;
            if (i >= 0) positions[i] = positions[--position_count]; /* the other EA's position: none of this chart's business */
            drain(sync_positions());
        }
    }

    /* ---- the panel's Halt / Resume: through the journal, seen by the agent within its control poll ---- */
    {
        uint16_t why[32];
        to_u16("standin: panel drill", why, 32);
        const int32_t rc = p_kimi_request_halt(handle, 1, why);
        if (no_journal) { if (rc != KIMI_E_JOURNAL) violation("kimi_request_halt without a journal returned %d, expected KIMI_E_JOURNAL", rc); }
        else if (rc < 0) violation("kimi_request_halt(1) failed with %d: %s", rc, last_error(handle));
        else {
            KimiStatus hs;
            int halted = 0;
            for (int k = 0; k < 100 && !halted; k++) { /* up to 5 s of wall time for the writer's 100 ms poll */
                const struct timespec pause = {0, 50 * 1000 * 1000};
                nanosleep(&pause, NULL);
                read_account(&account);
                drain(pending_of("kimi_on_timer", p_kimi_on_timer(handle, server_now_msc(), &account)));
                status(&hs);
                halted = hs.halted == 1;
            }
            if (!halted) violation("kimi_request_halt(1): the agent did not halt within 5 s");
            drain(pending_of("kimi_request_halt", p_kimi_request_halt(handle, 0, why)));
            for (int k = 0; k < 100 && halted; k++) {
                const struct timespec pause = {0, 50 * 1000 * 1000};
                nanosleep(&pause, NULL);
                read_account(&account);
                drain(pending_of("kimi_on_timer", p_kimi_on_timer(handle, server_now_msc(), &account)));
                status(&hs);
                halted = hs.halted == 1;
            }
            if (halted) violation("kimi_request_halt(0): the agent was still halted after 5 s");
            n.halt_drill = 1;
        }
        expect_rc("kimi_request_halt(2)", p_kimi_request_halt(handle, 2, why), KIMI_E_INVALID_ARGUMENT, handle);
    }

    /* ---- the end: everything answered, the engine sees the terminal's positions ---- */
    KimiStatus s;
    status(&s);
    for (int i = 0; i < seen_count; i++)
        if (!answered[i]) violation("instruction %lld never answered", (long long)seen_ids[i]);
    if (s.pending_instructions != 0) violation("status: %lld instruction(s) pending at the end", (long long)s.pending_instructions);
    if (s.open_positions != position_count) violation("status: %lld open position(s), the terminal has %d", (long long)s.open_positions, position_count);
    if (s.bars_seen < n.bars) violation("status: %lld bars seen, %ld closed bars sent", (long long)s.bars_seen, n.bars);
    /* no closed bar lost: every bar of the chart but those closed after the last successful copy reached the engine */
    if (n.bars + (bars_due ? 1 : 0) < chart_count) violation("%d bars closed on the chart, %ld sent to the engine", chart_count, n.bars);
    if (s.bars_seen != n.warmup + n.bars) violation("status: %lld bars seen, %ld warm-up + %ld closed bars sent", (long long)s.bars_seen, n.warmup, n.bars);
    KimiInstruction again[INSTR_CAP];
    const int32_t repoll = p_kimi_poll_instructions(handle, again, INSTR_CAP);
    for (int i = 0; i < repoll; i++)
        if (id_index(again[i].id) >= 0) violation("re-poll returned instruction %lld again", (long long)again[i].id);
    drain(KIMI_PENDING_EVENTS);

    /* ---- OnDeinit ---- */
    const int32_t destroyed = p_kimi_destroy(handle, REASON_REMOVE);
    if (destroyed != KIMI_OK) violation("kimi_destroy failed with %d: %s", destroyed, last_error(handle));
    read_account(&account);
    check_handle_errors(handle, &account);

    printf("standin: summary ticks=%ld bars=%ld warmup=%ld timers=%ld instructions=%ld opens=%ld closes=%ld "
           "results=%ld deals=%ld sl_exits=%ld tp_exits=%ld requotes=%ld timeouts=%ld invalid_stops=%ld reconciles=%ld signals=%ld denials=%ld events=%ld "
           "awaiting=%ld approvals=%ld skips=%ld expired=%ld zone_calls=%ld zones=%ld dropped_deals=%ld history_forwards=%ld history_deals=%ld copy_failures=%ld start_waits=%ld manual_closes=%ld halt_drill=%ld alerts=%ld alerts_limited=%ld netting_drill=%ld tester_criteria=%ld chart_bars=%d log_lines=%ld idle_drains=%ld busy_drains=%ld idle_checks=%ld timers_skipped=%ld timer_checks=%ld bad_calls=%ld emergency=%s open_positions=%d balance=%.2f engine_bars=%lld engine_signals=%lld "
           "engine_denials=%lld engine_trades_closed=%lld violations=%ld\n",
           n.ticks, n.bars, n.warmup, n.timers, n.instructions, n.opens, n.closes, n.results, n.deals, n.sl_exits,
           n.tp_exits, n.retries, n.timeouts, n.invalid_stops, n.reconciles, n.signal_events, n.denied_events, n.events, n.awaiting, n.approvals, n.skips, n.expired, n.zone_calls, n.zones, n.dropped_deals, n.history_forwards, n.history_deals, n.copy_failures, n.start_waits, n.manual_closes, n.halt_drill, n.alerts, n.alerts_limited, n.netting_drill, n.tester_criteria, chart_count, n.log_lines, n.idle_drains, n.busy_drains, n.idle_checks, n.timers_skipped, n.timer_checks, n.bad_calls,
           emergency_engaged == 2 ? "exercised" : "not-exercised", position_count, balance, (long long)s.bars_seen,
           (long long)s.signals, (long long)s.denials, (long long)s.trades_closed, n.violations);
    if (zones_out && !write_zones_out(zones_out)) return 2;
    if (trace) fclose(trace);
    free(ticks);
    free(seen_ids);
    free(answered);
    return n.violations == 0 ? 0 : 1;
}
