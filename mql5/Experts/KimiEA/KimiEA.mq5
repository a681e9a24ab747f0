//+------------------------------------------------------------------+
//| KimiEA.mq5 - the thin chart side of KimiEA                         |
//|                                                                  |
//| Forwards ticks, closed bars, account and position facts into      |
//| KimiEA.dll (a NativeAOT C# engine) and executes the instructions  |
//| it hands back with OrderSend. No trading logic lives here: every  |
//| handler follows THE CALL SEQUENCE of kimiea.h, step for step.     |
//|                                                                  |
//| Install: KimiEA.dll (one file) in MQL5\Libraries, this            |
//| file in MQL5\Experts\KimiEA, the .mqh files in                    |
//| MQL5\Include\KimiEA; allow DLL imports for the EA.                |
//+------------------------------------------------------------------+
#property copyright "KimiEA contributors (MIT)"
#property version   "1.00"
#property description "Smart Money Concepts engine in a native library; this EA transports and executes."

#include <KimiEA/KimiEA.mqh>
#include <KimiEA/KimiFacts.mqh>
#include <KimiEA/KimiExecutor.mqh>
#include <KimiEA/KimiZones.mqh>
#include <KimiEA/KimiPanel.mqh>
#include <KimiEA/KimiAlerts.mqh>
#include <KimiEA/KimiTester.mqh>

//--- execution mode (values are KIMI_MODE_*)
enum ENUM_KIMI_RUN_MODE
  {
   KIMI_RUN_SIMULATION = 0, // Simulation: record decisions, send no orders
   KIMI_RUN_PAPER      = 1, // Paper: trade on a demo account only
   KIMI_RUN_LIVE       = 2  // Live: real account (needs opt-in and allow-list)
  };

//--- sizing (values are KIMI_SIZING_*)
enum ENUM_KIMI_SIZING
  {
   KIMI_SIZE_KELLY          = 0, // Fractional Kelly
   KIMI_SIZE_FIXED_FRACTION = 1  // Fixed fraction of equity
  };

//--- what OnTester returns to MT5's optimiser ("Custom max"; values are KIMI_CRITERION_*, kimi optimize's codes)
enum ENUM_KIMI_TESTER_CRITERION
  {
   KIMI_CRIT_BALANCE         = 0, // Final balance
   KIMI_CRIT_PROFIT_FACTOR   = 1, // Profit factor
   KIMI_CRIT_EXPECTED_PAYOFF = 2, // Expected payoff
   KIMI_CRIT_DRAWDOWN        = 3, // Relative equity drawdown (minimised)
   KIMI_CRIT_RECOVERY_FACTOR = 4, // Recovery factor
   KIMI_CRIT_SHARPE          = 5  // Sharpe ratio (per trade)
  };

//--- the broker server's clock (values are KIMI_TZ_*)
enum ENUM_KIMI_SERVER_CLOCK
  {
   KIMI_CLOCK_FIXED    = 0, // Fixed offset all year (UTC: offset 0)
   KIMI_CLOCK_NY_CLOSE = 2  // New York close: UTC+2, UTC+3 during US daylight saving
  };

input group "Mode"
input ENUM_KIMI_RUN_MODE InpMode           = KIMI_RUN_SIMULATION; // Execution mode
input bool               InpLiveOptIn      = false;               // I allow live trading on a real account
input string             InpLiveAllowList  = "";                  // Live account allow-list (logins, comma separated)

input group "Risk"
input double             InpRiskPercent    = 1.0;                 // Risk per trade, % of equity
input ENUM_KIMI_SIZING   InpSizing         = KIMI_SIZE_KELLY;     // Position sizing
input double             InpKellyFraction  = 0.5;                 // Kelly fraction
input double             InpMinConfidence  = 0.70;                // Minimum confidence (below: ignored)
input double             InpAutoConfidence = 0.85;                // Auto-execute confidence (below: waits for approval)
input int                InpApprovalExpiryBars = 3;               // Bars an intent waits for approval
input double             InpMaxLot         = 1.0;                 // Maximum lot per order
input double             InpMaxTotalRiskPercent = 10.0;           // Open risk cap across charts, % of equity
input double             InpMaxLeverage    = 30.0;                // Total notional / equity cap
input double             InpMinRewardRisk  = 1.5;                 // Minimum reward / risk
input double             InpCommissionPerLot = 0.0;               // Round-turn commission per lot (account currency)

input group "Daily drawdown breaker"
input double             InpDailyDrawdownPercent = 2.0;           // Daily drawdown limit, % of day-start equity
input int                InpBreakerResetHour = 0;                 // Server hour the trading day starts
input bool               InpFlattenOnBreaker = true;              // Close all positions when the breaker trips

input group "Orders"
input long               InpMagic          = 20260401;            // Magic number (one per chart)
input int                InpMaxPositions   = 1;                   // Max open positions on this chart
input int                InpMaxPositionsTotal = 5;                // Max open positions across charts
input int                InpOrdersPerMinute = 10;                 // Max orders per minute (account-wide)
input int                InpDeviationPoints = 10;                 // Max slippage, points
input int                InpMaxRetries     = 3;                   // Retries on requote / price changed / price off

input group "Strategy"
input int                InpMaxHoldingBars = 48;                  // Max holding time, bars (vertical barrier)
input int                InpSwingLength    = 10;                  // SMC swing length
input double             InpRangePercent   = 0.01;                // SMC liquidity tolerance (fraction)
input double             InpPriceBandAtr   = 1.0;                 // Entry within N x ATR of the quote
input int                InpWarmupBars     = 500;                 // Warm-up bars

input group "Broker time (the same on every chart of the terminal)"
input ENUM_KIMI_SERVER_CLOCK InpServerTimeZone = KIMI_CLOCK_NY_CLOSE; // Server clock rule (most MT5 brokers: New York close)
input int                InpServerUtcOffsetMinutes = 120;         // Server time minus UTC outside US daylight saving, minutes (New York close: 120)

input group "Journal and display"
input string             InpJournalPath    = "";                  // Journal file (empty: Common\Files\KimiEA\<login>.db; tester: fresh per pass)
input string             InpCalibrationFile = "";                 // Signal calibration file (kimi calibrate --fit --out; empty: the shipped fit)
input bool               InpPrintEvents    = false;               // Print every engine event
input bool               InpDrawZones      = true;                // Draw SMC zones (order blocks, gaps, liquidity, BOS/CHoCH, equilibrium)
input int                InpMaxZoneObjects = 40;                  // Most zone objects on the chart
input bool               InpCloseOnRemove  = false;               // Close this chart's positions when I remove the EA

input group "Panel and alerts"
input bool               InpShowPanel      = true;                // Show the panel (status and buttons; off: one comment line)
input int                InpAlertPopup     = 59;                  // Alert() classes: 1 breaker, 2 halt/emergency, 4 fills/closes, 8 rejects, 16 journal, 32 approvals (add up)
input int                InpAlertPush      = 19;                  // SendNotification() classes (same numbers)
input int                InpAlertMail      = 0;                   // SendMail() classes (same numbers)

input group "Strategy Tester"
input ENUM_KIMI_TESTER_CRITERION InpTesterCriterion = KIMI_CRIT_BALANCE; // OnTester result for "Custom max" (as kimi optimize --criterion)

#define KIMIEA_INSTRUCTION_CAPACITY 16
#define KIMIEA_HISTORY_DAYS 30   // deal history forwarded before each reconciliation (kimiea.h OnInit 4)
#define KIMIEA_EVENT_CAPACITY 64
#define KIMIEA_DEINIT_BUDGET_MS 2000 // of MT5's 2.5 s for OnDeinit
#define KIMIEA_BAR_DEAL_OVERLAP_SECONDS 300 // each bar's deal scan reaches this far back before the previous scan

//--- state of this chart
long            g_handle = 0;
KimiExecContext g_exec;
datetime        g_last_bar_sent = 0;     // open time of the last closed bar the engine has (warm-up or kimi_on_bar)
datetime        g_forming_open = 0;      // open time of the forming bar when closed bars were last fetched
bool            g_bars_due = false;      // a bar closed and its CopyRates has not succeeded yet
datetime        g_copy_warned = 0;       // forming bar whose failed CopyRates was printed
int             g_wait = KIMI_WAIT_NONE; // why the engine has not started yet (KimiLifecycle.mqh)
datetime        g_deal_scan = 0;         // server time of the last deal-history scan (ForwardRecentDeals)
uint            g_history_wait_ms = 0;   // GetTickCount() when the history wait began (0 = not waiting)
bool            g_was_connected = true;
bool            g_timer_wanted = true;   // KIMI_PENDING_TIMER of the last handler call (kimiea.h)
KimiInstruction g_instructions[];
KimiEvent       g_events[];
KimiZone        g_zones[];
KimiPanelState  g_panel;
long            g_bars_seen = 0;         // KimiStatus.bars_seen at the last status read (approval countdown)
ulong           g_alert_popup[KIMI_ALERT_WINDOW]; // recent sends per channel (KimiAlertAllowed)
ulong           g_alert_push[KIMI_ALERT_WINDOW];
ulong           g_alert_mail[KIMI_ALERT_WINDOW];
ushort          g_text[];

//+------------------------------------------------------------------+
//| The EA's inputs in the ABI's config struct                        |
//+------------------------------------------------------------------+
void BuildConfig(KimiConfig &config)
  {
   ZeroMemory(config);
   config.magic                     = InpMagic;
   config.timeframe_seconds         = (long)PeriodSeconds(_Period);
   config.mode                      = (long)InpMode;
   config.live_opt_in               = InpLiveOptIn ? 1 : 0;
   config.sizing_mode               = (long)InpSizing;
   config.max_positions             = InpMaxPositions;
   config.max_positions_total       = InpMaxPositionsTotal;
   config.max_orders_per_minute     = InpOrdersPerMinute;
   config.max_holding_bars          = InpMaxHoldingBars;
   config.swing_length              = InpSwingLength;
   config.breaker_reset_hour        = InpBreakerResetHour;
   config.flatten_on_breaker        = InpFlattenOnBreaker ? 1 : 0;
   config.approval_expiry_bars      = InpApprovalExpiryBars;
   config.server_utc_offset_minutes = InpServerUtcOffsetMinutes;
   config.server_time_zone          = (long)InpServerTimeZone;
   config.deviation_points          = InpDeviationPoints;
   config.warmup_bars               = InpWarmupBars;
   config.risk_per_trade            = InpRiskPercent / 100.0;
   config.kelly_fraction            = InpKellyFraction;
   config.min_confidence            = InpMinConfidence;
   config.auto_execute_confidence   = InpAutoConfidence;
   config.max_lot                   = InpMaxLot;
   config.daily_drawdown            = InpDailyDrawdownPercent / 100.0;
   config.max_total_risk            = InpMaxTotalRiskPercent / 100.0;
   config.max_leverage              = InpMaxLeverage;
   config.price_band_atr            = InpPriceBandAtr;
   config.range_percent             = InpRangePercent;
   config.min_reward_risk           = InpMinRewardRisk;
   config.commission_per_lot        = InpCommissionPerLot;
  }

//+------------------------------------------------------------------+
//| Journal file: the input, or Common\Files\KimiEA\<login>.db         |
//+------------------------------------------------------------------+
string JournalPath()
  {
   if(StringLen(InpJournalPath) > 0)
      return(InpJournalPath);
   //--- in the tester every pass starts from an empty journal in the agent's own sandbox, so that parallel
   //--- agents and consecutive optimisation passes never read each other's positions
   if(MQLInfoInteger(MQL_TESTER) != 0)
     {
      const string name = "KimiEA\\tester-" + _Symbol + "-" + IntegerToString(InpMagic) + ".db";
      if(!FolderCreate("KimiEA"))
         PrintFormat("KimiEA: cannot create the folder MQL5\\Files\\KimiEA (error %d)", GetLastError());
      FileDelete(name);
      FileDelete(name + "-wal");
      FileDelete(name + "-shm");
      return(TerminalInfoString(TERMINAL_DATA_PATH) + "\\MQL5\\Files\\" + name);
     }
   if(!FolderCreate("KimiEA", FILE_COMMON))
      PrintFormat("KimiEA: cannot create the folder Common\\Files\\KimiEA (error %d)", GetLastError());
   return(TerminalInfoString(TERMINAL_COMMONDATA_PATH) + "\\Files\\KimiEA\\" +
          IntegerToString(AccountInfoInteger(ACCOUNT_LOGIN)) + ".db");
  }

//+------------------------------------------------------------------+
//| Server time now, in milliseconds, never behind the last quote     |
//+------------------------------------------------------------------+
long ServerNowMsc()
  {
   long now = (long)TimeTradeServer() * 1000;
   MqlTick tick;
   if(SymbolInfoTick(_Symbol, tick) && tick.time_msc > now)
      now = tick.time_msc;
   return(now);
  }

//+------------------------------------------------------------------+
//| Prints an export's failure with the handle's last error text      |
//+------------------------------------------------------------------+
void ReportFailure(const string call, const long rc)
  {
   PrintFormat("KimiEA: %s failed with %I64d: %s", call, rc, KimiLastErrorText(g_handle));
  }

//+------------------------------------------------------------------+
//| Deal history of this symbol and magic -> kimi_on_trade_transaction |
//| (oldest first): fills and closes that happened while no engine ran |
//| or whose journal rows a crash lost; the engine ignores known ones. |
//| Returns the OR of the pending words.                               |
//+------------------------------------------------------------------+
int ForwardDealHistory()
  {
   return(ForwardDealsSince(TimeTradeServer() - (datetime)KIMIEA_HISTORY_DAYS * 86400));
  }

//+------------------------------------------------------------------+
//| On each new bar: the deals since shortly before the previous scan |
//| (DEAL_ADD events can be superseded in the terminal's queue). The   |
//| window keeps each deal to two scans, well inside what the engine   |
//| remembers of recent deals (KIMIEA_BAR_DEAL_OVERLAP_SECONDS).       |
//+------------------------------------------------------------------+
int ForwardRecentDeals()
  {
   const datetime now = TimeTradeServer();
   const datetime from = g_deal_scan > 0 ? g_deal_scan - KIMIEA_BAR_DEAL_OVERLAP_SECONDS : now - (datetime)KIMIEA_HISTORY_DAYS * 86400;
   g_deal_scan = now;
   return(ForwardDealsSince(from));
  }

int ForwardDealsSince(const datetime from)
  {
   ulong tickets[];
   const int count = KimiHistoryDealTickets(_Symbol, InpMagic, from, tickets);
   int pending = 0;
   for(int i = 0; i < count; i++)
     {
      KimiDeal deal;
      ZeroMemory(deal);
      if(KimiReadDeal(tickets[i], _Symbol, InpMagic, deal))
         pending |= Pending("kimi_on_trade_transaction", kimi_on_trade_transaction(g_handle, deal));
     }
   return(pending);
  }

//+------------------------------------------------------------------+
//| Positions of this symbol and magic -> kimi_sync_positions;        |
//| returns its pending word (< 0: failed, already printed)           |
//+------------------------------------------------------------------+
int SyncPositions()
  {
   KimiPosition positions[];
   const int count = KimiReadPositions(_Symbol, InpMagic, positions);
   const int rc = kimi_sync_positions(g_handle, positions, count, ServerNowMsc());
   if(rc < 0)
      ReportFailure("kimi_sync_positions", rc);
   else
      g_timer_wanted = (rc & KIMI_PENDING_TIMER) != 0;
   return(rc);
  }

//+------------------------------------------------------------------+
//| A handler's pending word (kimiea.h): keeps its TIMER bit; errors  |
//| are printed and add nothing                                       |
//+------------------------------------------------------------------+
int Pending(const string call, const int rc)
  {
   if(rc >= 0)
     {
      g_timer_wanted = (rc & KIMI_PENDING_TIMER) != 0;
      return(rc);
     }
   ReportFailure(call, rc);
   return(0);
  }

//+------------------------------------------------------------------+
//| DRAIN a: execute every instruction in order and                   |
//| report each result exactly once. After an unknown outcome the     |
//| positions are reconciled and the rest of the batch is reported    |
//| as not sent (retcode 0): nothing else is sent before the engine   |
//| has seen the reconciled positions.                                |
//+------------------------------------------------------------------+
void ExecuteInstructions()
  {
   while(true)
     {
      const int count = kimi_poll_instructions(g_handle, g_instructions, KIMIEA_INSTRUCTION_CAPACITY);
      if(count < 0)
        {
         ReportFailure("kimi_poll_instructions", count);
         return;
        }
      if(count == 0)
         return;
      bool reconciled = false;
      for(int i = 0; i < count; i++)
        {
         KimiOrderResult result;
         ZeroMemory(result);
         bool must_reconcile = false;
         if(reconciled)
           {
            result.instruction_id  = g_instructions[i].id;
            result.retcode         = 0;
            result.position_ticket = g_instructions[i].position_ticket;
            result.time_msc        = ServerNowMsc();
            PrintFormat("KimiEA: instruction %I64d not sent: positions were just reconciled", g_instructions[i].id);
           }
         else
            must_reconcile = KimiExecute(g_instructions[i], g_exec, result);
         Pending("kimi_report_result", kimi_report_result(g_handle, result));
         if(must_reconcile)
           {
            PrintFormat("KimiEA: instruction %I64d: outcome unknown (retcode %I64d); reconciling positions by magic %I64d",
                        result.instruction_id, result.retcode, InpMagic);
            SyncPositions();
            reconciled = true;
           }
        }
     }
  }

//+------------------------------------------------------------------+
//| DRAIN b: engine events and journal lines                          |
//+------------------------------------------------------------------+
void DrainEventsAndLog()
  {
   while(true)
     {
      const int count = kimi_poll_events(g_handle, g_events, KIMIEA_EVENT_CAPACITY);
      if(count < 0)
        {
         ReportFailure("kimi_poll_events", count);
         break;
        }
      if(count == 0)
         break;
      for(int i = 0; i < count; i++)
        {
         KimiPanelOnEvent(g_panel, g_events[i], g_bars_seen);
         AlertOn(g_events[i]);
        }
      for(int i = 0; i < count && InpPrintEvents; i++)
         PrintFormat("KimiEA: event %I64d kind %I64d code %s dir %I64d ticket %I64d price %g volume %g sl %g tp %g value %g",
                     g_events[i].seq, g_events[i].kind, KimiCodeName(g_events[i].kind, g_events[i].code),
                     g_events[i].direction, g_events[i].ticket, g_events[i].price, g_events[i].volume,
                     g_events[i].sl, g_events[i].tp, g_events[i].value);
      if(count < KIMIEA_EVENT_CAPACITY)
         break;
     }
   while(true)
     {
      const int written = kimi_poll_log(g_handle, g_text, KIMIEA_TEXT_CAPACITY);
      if(written < 0)
        {
         ReportFailure("kimi_poll_log", written);
         break;
        }
      if(written == 0)
         break;
      Print("KimiEA: ", KimiText(g_text, written));
     }
  }

//+------------------------------------------------------------------+
//| Display names of KIMI_MODE_* and KIMI_BREAKER_*                   |
//+------------------------------------------------------------------+
string ModeName(const long mode)
  {
   if(mode == KIMI_MODE_SIMULATION)
      return("SIMULATION");
   if(mode == KIMI_MODE_PAPER)
      return("PAPER");
   if(mode == KIMI_MODE_LIVE)
      return("LIVE");
   return(IntegerToString(mode));
  }

string BreakerName(const long state)
  {
   if(state == KIMI_BREAKER_ACTIVE)
      return("active");
   if(state == KIMI_BREAKER_REDUCING_ONLY)
      return("reducing-only");
   if(state == KIMI_BREAKER_HALTED)
      return("HALTED");
   return(IntegerToString(state));
  }

//+------------------------------------------------------------------+
//| One status line on the chart from kimi_get_status                 |
//+------------------------------------------------------------------+
void ShowStatus()
  {
   KimiStatus status;
   ZeroMemory(status);
   const int rc = kimi_get_status(g_handle, status);
   if(rc < 0)
     {
      Comment("KimiEA: status unavailable (", rc, ")");
      return;
     }
   const string mode_name = ModeName(status.mode);
   const string breaker_name = BreakerName(status.breaker_state);
   g_bars_seen = status.bars_seen;
   if(MQLInfoInteger(MQL_OPTIMIZATION) != 0)
      return; // nobody looks at an optimisation pass's chart
   if(InpShowPanel)
     {
      KimiPanelDraw(InpMagic, status, g_panel, InpDailyDrawdownPercent / 100.0, InpApprovalExpiryBars, mode_name, breaker_name);
      ChartRedraw(0);
      return;
     }
   Comment(StringFormat("KimiEA %s | breaker %s%s%s | positions %I64d, pending %I64d | bars %I64d, signals %I64d, denials %I64d, closed %I64d | day-start equity %.2f, equity %.2f, open risk %.2f, realised %.2f%s",
                        mode_name, breaker_name,
                        status.halted != 0 ? " | HALTED" : "",
                        status.emergency != 0 ? " | EMERGENCY STOP" : "",
                        status.open_positions, status.pending_instructions,
                        status.bars_seen, status.signals, status.denials, status.trades_closed,
                        status.day_start_equity, status.equity, status.open_risk, status.realized_pnl,
                        status.journal_state == 1 ? " | JOURNAL FAILED" : ""));
  }

//+------------------------------------------------------------------+
//| DRAIN(pending) of kimiea.h: nothing when the engine holds nothing; |
//| the status line is refreshed whenever something happened           |
//+------------------------------------------------------------------+
void Drain(const int pending)
  {
   if((pending & (KIMI_PENDING_INSTRUCTIONS | KIMI_PENDING_EVENTS)) == 0)
      return;
   if((pending & KIMI_PENDING_INSTRUCTIONS) != 0)
      ExecuteInstructions();
   DrainEventsAndLog();
   ShowStatus();
  }

//+------------------------------------------------------------------+
//| The engine's SMC zones on the chart (after each closed bar)       |
//+------------------------------------------------------------------+
void DrawZones()
  {
   if(!InpDrawZones || g_handle <= 0 || MQLInfoInteger(MQL_OPTIMIZATION) != 0)
      return;
   const int drawn = KimiDrawZones(g_handle, InpMagic, g_zones, MathMax(InpMaxZoneObjects, 1));
   if(drawn < 0)
      ReportFailure("kimi_get_zones", drawn);
   ChartRedraw(0);
  }

//+------------------------------------------------------------------+
//| OnInit: CALL SEQUENCE steps 1-5                                   |
//+------------------------------------------------------------------+
int OnInit()
  {
   if(TerminalInfoInteger(TERMINAL_DLLS_ALLOWED) == 0 || MQLInfoInteger(MQL_DLLS_ALLOWED) == 0)
     {
      Print("KimiEA: DLL imports are not allowed. Enable Tools > Options > Expert Advisors > 'Allow DLL imports' ",
            "and tick 'Allow DLL imports' on the EA's Dependencies/Common tab, then attach the EA again.");
      return(INIT_FAILED);
     }

   //--- 1. ABI version and struct-size handshake
   const int version = kimi_abi_version();
   if(version != KIMI_ABI_VERSION)
     {
      PrintFormat("KimiEA: KimiEA.dll implements ABI version %d, this EA was built for %d: install matching files", version, KIMI_ABI_VERSION);
      return(INIT_FAILED);
     }
   const int abi = kimi_check_abi(KIMI_ABI_VERSION, (int)sizeof(MqlRates), (int)sizeof(MqlTick), (int)sizeof(KimiConfig),
                                  (int)sizeof(KimiSymbolSpec), (int)sizeof(KimiAccount), (int)sizeof(KimiInstruction),
                                  (int)sizeof(KimiOrderResult), (int)sizeof(KimiDeal), (int)sizeof(KimiPosition),
                                  (int)sizeof(KimiStatus), (int)sizeof(KimiEvent), (int)sizeof(KimiZone));
   if(abi != KIMI_OK)
     {
      PrintFormat("KimiEA: ABI handshake failed (%d): %s", abi, KimiLastErrorText(0));
      return(INIT_FAILED);
     }

   g_exec.symbol         = _Symbol;
   g_exec.filling        = KimiChooseFilling(_Symbol);
   g_exec.hedging        = KimiIsHedging();
   g_exec.max_retries    = MathMax(InpMaxRetries, 0);
   g_exec.retry_delay_ms = MQLInfoInteger(MQL_TESTER) != 0 ? 0 : 100;
   ArrayResize(g_instructions, KIMIEA_INSTRUCTION_CAPACITY);
   ArrayResize(g_events, KIMIEA_EVENT_CAPACITY);
   ArrayResize(g_text, KIMIEA_TEXT_CAPACITY);
   ArrayResize(g_zones, MathMax(InpMaxZoneObjects, 1));
   if(!EventSetTimer(1))
      PrintFormat("KimiEA: EventSetTimer failed (error %d); start retries and vertical barriers only on ticks", GetLastError());

   //--- 2-5, now or, while a transient condition lasts, from OnTimer; only permanent failures fail OnInit
   if(TryStart() < 0)
      return(INIT_FAILED);
   return(INIT_SUCCEEDED);
  }

//+------------------------------------------------------------------+
//| The first transient condition that keeps the engine from starting |
//+------------------------------------------------------------------+
int StartCondition()
  {
   MqlTick tick;
   const bool has_tick = SymbolInfoTick(_Symbol, tick) && tick.bid > 0.0 && tick.ask > 0.0;
   double margin = 0.0;
   const bool margin_known = has_tick && OrderCalcMargin(ORDER_TYPE_BUY, _Symbol, 1.0, tick.ask, margin) && margin >= 0.0;
   const bool connected = TerminalInfoInteger(TERMINAL_CONNECTED) != 0 || MQLInfoInteger(MQL_TESTER) != 0;
   const double tick_value = MathMin(SymbolInfoDouble(_Symbol, SYMBOL_TRADE_TICK_VALUE_PROFIT),
                                     SymbolInfoDouble(_Symbol, SYMBOL_TRADE_TICK_VALUE_LOSS));
   return(KimiStartWait(connected, AccountInfoInteger(ACCOUNT_LOGIN), has_tick, tick_value, margin_known));
  }

//+------------------------------------------------------------------+
//| CALL SEQUENCE OnInit 2-5 once nothing transient is in the way.    |
//| 1 started, 0 waiting (g_wait says why; OnTimer retries),          |
//| -1 permanent failure (printed)                                    |
//+------------------------------------------------------------------+
int TryStart()
  {
   const int wait = StartCondition();
   if(wait != KIMI_WAIT_NONE)
      return(Wait(wait));

   //--- history: the warm-up, unless positions of this EA need protecting now or it stopped growing
   KimiPosition open_positions[];
   const bool positions_open = KimiReadPositions(_Symbol, InpMagic, open_positions) > 0;
   MqlRates bars[];
   ArraySetAsSeries(bars, false);
   const int copied = CopyRates(_Symbol, _Period, 1, MathMax(InpWarmupBars, 1), bars);
   if(g_history_wait_ms == 0)
      g_history_wait_ms = MathMax(GetTickCount(), 1);
   const int waited = (int)((GetTickCount() - g_history_wait_ms) / 1000);
   if(!KimiHistoryReady(MathMax(copied, 0), InpWarmupBars, positions_open, waited))
      return(Wait(KIMI_WAIT_HISTORY));

   KimiSymbolSpec spec;
   ZeroMemory(spec);
   if(!KimiReadSpec(_Symbol, g_exec.filling, spec))
      return(Wait(KIMI_WAIT_MARGIN));
   KimiAccount account;
   ZeroMemory(account);
   KimiReadAccount(account);
   KimiConfig config;
   BuildConfig(config);

   //--- 2. create: a refusal (inputs, a mode the account refuses, journal) is permanent
   const string journal = JournalPath();
   g_handle = kimi_create(config, _Symbol, spec, account, journal, InpLiveAllowList, InpCalibrationFile);
   if(g_handle <= 0)
     {
      PrintFormat("KimiEA: kimi_create failed with %I64d: %s", g_handle, KimiLastErrorText(0));
      g_handle = 0;
      return(-1);
     }
   g_wait = KIMI_WAIT_NONE;
   g_history_wait_ms = 0;
   PrintFormat("KimiEA: agent %I64d on %s %s, magic %I64d, mode %s, %s account, filling %s, journal %s",
               g_handle, _Symbol, EnumToString(_Period), InpMagic, EnumToString(InpMode),
               g_exec.hedging ? "hedging" : "netting", EnumToString(g_exec.filling), journal);

   //--- 3. warm-up: the last closed bars (shift 1..n), oldest first
   int pending = 0;
   if(copied > 0)
     {
      const int rc = kimi_warmup(g_handle, bars, copied);
      if(rc < 0)
        {
         ReportFailure("kimi_warmup", rc);
         return(-1);
        }
      pending |= Pending("kimi_warmup", rc);
      g_last_bar_sent = bars[copied - 1].time;
     }
   else
      g_last_bar_sent = 0; // OnTick takes the bar before the forming one as the start
   if(copied < InpWarmupBars)
      PrintFormat("KimiEA: short warm-up: %d of %d closed bars%s", MathMax(copied, 0), InpWarmupBars,
                  positions_open ? " (started at once: positions of this EA are open)" : " (the history did not grow for a minute)");
   g_forming_open = iTime(_Symbol, _Period, 0);
   g_bars_due = false;

   //--- 4. reconcile with the broker (broker wins): the deal history, then the open positions of this symbol and magic
   g_deal_scan = TimeTradeServer();
   pending |= ForwardDealHistory();
   const int synced = SyncPositions();
   if(synced < 0)
      return(-1);
   pending |= synced;
   g_was_connected = TerminalInfoInteger(TERMINAL_CONNECTED) != 0;

   //--- 5. drain
   Drain(pending);
   ShowStatus();
   DrawZones();
   return(1);
  }

//+------------------------------------------------------------------+
//| A transient start condition: shown on the chart, retried by OnTimer |
//+------------------------------------------------------------------+
int Wait(const int wait)
  {
   if(wait != g_wait)
      PrintFormat("KimiEA: not started yet: %s; retrying every second", KimiStartWaitText(wait));
   g_wait = wait;
   Comment("KimiEA: ", KimiStartWaitText(wait));
   return(0);
  }

//+------------------------------------------------------------------+
//| OnDeinit: destroy the handle with the uninit reason               |
//+------------------------------------------------------------------+
void OnDeinit(const int reason)
  {
   //--- MT5 allows OnDeinit 2.5 s: every step below checks this budget, order retries do not sleep
   const uint started = GetTickCount();
   EventKillTimer();
   if(g_handle > 0)
     {
      if(KimiCloseOnRemove(InpCloseOnRemove, reason))
        {
         g_exec.retry_delay_ms = 0; // the EA is going away: no sleeping retries within the deinit budget
         g_exec.max_retries = MathMin(g_exec.max_retries, 1);
         CloseChartPositions();
         if(GetTickCount() - started < KIMIEA_DEINIT_BUDGET_MS)
            Drain(ForwardRecentDeals()); // the closing deals, booked before the agent goes
        }
      Drain(KIMI_PENDING_EVENTS);
      const int rc = kimi_destroy(g_handle, reason);
      if(rc < 0)
         PrintFormat("KimiEA: kimi_destroy failed with %d: %s", rc, KimiLastErrorText(g_handle));
      g_handle = 0;
     }
   Comment("");
   KimiDeleteZones(InpMagic);
   KimiPanelDelete(InpMagic);
  }

//+------------------------------------------------------------------+
//| An engine event to Alert / SendNotification / SendMail by class   |
//| (inputs), within MT5's push limits; nothing in the tester         |
//+------------------------------------------------------------------+
void AlertOn(const KimiEvent &e)
  {
   const int cls = KimiAlertClass(e.kind, e.code);
   if(cls == 0 || MQLInfoInteger(MQL_TESTER) != 0 || MQLInfoInteger(MQL_OPTIMIZATION) != 0)
      return;
   const string text = StringFormat("KimiEA %s %s: %s %s ticket %I64d price %g volume %g", _Symbol, EnumToString(_Period),
                                    KimiEventKindName(e.kind), KimiCodeName(e.kind, e.code), e.ticket, e.price, e.volume);
   const ulong now = GetTickCount();
   if((InpAlertPopup & cls) != 0 && KimiAlertAllowed(g_alert_popup, now))
      Alert(text);
   if((InpAlertPush & cls) != 0 && KimiAlertAllowed(g_alert_push, now) && !SendNotification(text))
      PrintFormat("KimiEA: SendNotification failed (error %d): enable push notifications in Tools > Options > Notifications", GetLastError());
   if((InpAlertMail & cls) != 0 && KimiAlertAllowed(g_alert_mail, now) && !SendMail("KimiEA " + _Symbol, text))
      PrintFormat("KimiEA: SendMail failed (error %d): set up e-mail in Tools > Options > Email", GetLastError());
  }

string KimiEventKindName(const long kind)
  {
   switch((int)kind)
     {
      case KIMI_EVT_BREAKER:
         return("breaker");
      case KIMI_EVT_HALT:
         return("halt");
      case KIMI_EVT_FILL:
         return("fill");
      case KIMI_EVT_CLOSE:
         return("close");
      case KIMI_EVT_RESULT:
         return("order refused");
      case KIMI_EVT_ERROR:
         return("error");
      case KIMI_EVT_APPROVAL:
         return("approval");
     }
   return("event " + IntegerToString(kind));
  }

//+------------------------------------------------------------------+
//| Panel buttons (each call below is journaled by the engine) and    |
//| dragging the panel                                                |
//+------------------------------------------------------------------+
void OnChartEvent(const int id, const long &lparam, const double &dparam, const string &sparam)
  {
   if(g_handle <= 0 || !InpShowPanel)
      return;
   if(id == CHARTEVENT_OBJECT_DRAG && sparam == KimiPanelName(InpMagic, "bg"))
     {
      ShowStatus();
      return;
     }
   if(id != CHARTEVENT_OBJECT_CLICK)
      return;
   int rc = 0;
   if(sparam == KimiPanelName(InpMagic, "halt"))
     {
      const bool halt = !g_panel.halt_requested;
      PrintFormat("KimiEA: panel: %s clicked", halt ? "Halt" : "Resume");
      rc = kimi_request_halt(g_handle, halt ? 1 : 0, (halt ? "halted" : "resumed") + " from the panel of " + _Symbol + " " + EnumToString(_Period));
     }
   else
      if(sparam == KimiPanelName(InpMagic, "close"))
        {
         Print("KimiEA: panel: Close chart clicked");
         rc = kimi_close_positions(g_handle);
        }
      else
         if(sparam == KimiPanelName(InpMagic, "approve") || sparam == KimiPanelName(InpMagic, "skip"))
           {
            const bool approve = sparam == KimiPanelName(InpMagic, "approve");
            PrintFormat("KimiEA: panel: %s intent #%I64d clicked", approve ? "Approve" : "Skip", g_panel.awaiting_id);
            rc = kimi_approve(g_handle, g_panel.awaiting_id, approve ? 1 : 0);
            if(rc < 0)
               g_panel.awaiting_id = 0; // expired, decided or unknown: the engine said why (printed below)
           }
         else
            return;
   if(rc < 0)
      ReportFailure("panel button", rc);
   else
      Drain(rc | KIMI_PENDING_EVENTS);
   ShowStatus();
  }

//+------------------------------------------------------------------+
//| The trader removed the EA with "close this chart's positions" on  |
//| (or pressed the panel's Close button): the engine hands out a     |
//| CLOSE (reason MANUAL, this agent's own volume) per position, the  |
//| EA executes them now. In OnDeinit retries do not sleep.           |
//+------------------------------------------------------------------+
void CloseChartPositions()
  {
   Drain(Pending("kimi_close_positions", kimi_close_positions(g_handle)));
  }

//+------------------------------------------------------------------+
//| OnTick: CALL SEQUENCE OnTick 1-5                                  |
//+------------------------------------------------------------------+
void OnTick()
  {
   if(g_handle <= 0)
     {
      if(TryStart() < 0)
         ExpertRemove();
      return;
     }
   MqlTick tick;
   if(!SymbolInfoTick(_Symbol, tick))
      return;
   KimiAccount account;
   KimiReadAccount(account);

   //--- 1. the tick
   int pending = Pending("kimi_on_tick", kimi_on_tick(g_handle, tick, account));

   //--- 2. a new bar opened: fresh spec, then every bar that closed since the last one sent, in order
   const int bars_sent = SendClosedBars(pending);
   if(bars_sent > 0)
      pending |= ForwardRecentDeals(); // DEAL_ADD events can be superseded in the queue: the engine ignores known deals

   //--- 3. execute, report, drain (no further call when the engine holds nothing)
   Drain(pending);
   if(bars_sent > 0)
      DrawZones();
  }

//+------------------------------------------------------------------+
//| The closed bars the engine has not had yet, oldest first. The     |
//| last bar sent advances only over bars CopyRates returned, so a    |
//| failed copy (history still downloading) is retried on the next    |
//| tick and loses nothing. Returns the number of bars sent.          |
//+------------------------------------------------------------------+
int SendClosedBars(int &pending)
  {
   const datetime forming = iTime(_Symbol, _Period, 0);
   if(forming <= 0)
      return(0);
   if(forming != g_forming_open)
     {
      g_forming_open = forming;
      g_bars_due = true;
      KimiSymbolSpec spec;
      ZeroMemory(spec);
      if(KimiReadSpec(_Symbol, g_exec.filling, spec))
        {
         const int rc = kimi_update_spec(g_handle, spec);
         if(rc < 0)
            ReportFailure("kimi_update_spec", rc);
        }
     }
   if(!g_bars_due)
      return(0);
   if(g_last_bar_sent <= 0)
     {
      //--- started without warm-up bars: the engine's first bar is the next one that closes
      g_last_bar_sent = forming - 1;
      g_bars_due = false;
      return(0);
     }
   MqlRates closed[];
   ArraySetAsSeries(closed, false);
   ResetLastError();
   const int copied = CopyRates(_Symbol, _Period, (datetime)(g_last_bar_sent + 1), (datetime)(forming - 1), closed);
   if(copied < 0)
     {
      if(g_copy_warned != forming) // once per bar, not on every tick of the retry
         PrintFormat("KimiEA: CopyRates of the closed bars after %s failed (error %d); retried on the next tick",
                     TimeToString(g_last_bar_sent, TIME_DATE | TIME_MINUTES), GetLastError());
      g_copy_warned = forming;
      return(0);
     }
   int sent = 0;
   for(int i = 0; i < copied; i++)
     {
      if(closed[i].time <= g_last_bar_sent || closed[i].time >= forming)
         continue;
      const int rc = kimi_on_bar(g_handle, closed[i]);
      if(rc < 0)
        {
         ReportFailure("kimi_on_bar", rc);
         return(sent); // g_bars_due stays set: retried on the next tick
        }
      pending |= Pending("kimi_on_bar", rc);
      g_last_bar_sent = closed[i].time;
      sent++;
     }
   g_bars_due = false;
   return(sent);
  }

//+------------------------------------------------------------------+
//| OnTradeTransaction: deals of this symbol and magic                |
//+------------------------------------------------------------------+
void OnTradeTransaction(const MqlTradeTransaction &trans, const MqlTradeRequest &request, const MqlTradeResult &result)
  {
   if(g_handle <= 0 || trans.type != TRADE_TRANSACTION_DEAL_ADD || trans.symbol != _Symbol)
      return;
   KimiDeal deal;
   ZeroMemory(deal);
   if(!KimiReadDeal(trans.deal, _Symbol, InpMagic, deal))
      return;
   Drain(Pending("kimi_on_trade_transaction", kimi_on_trade_transaction(g_handle, deal)));
  }

//+------------------------------------------------------------------+
//| OnTimer (1 s): reconcile after a reconnect, then the timer call   |
//+------------------------------------------------------------------+
void OnTimer()
  {
   if(g_handle <= 0)
     {
      //--- a transient start condition: retry; a permanent one unloads the EA with the reason printed
      if(TryStart() < 0)
         ExpertRemove();
      return;
     }
   int pending = 0;
   bool synced = false;
   const bool connected = TerminalInfoInteger(TERMINAL_CONNECTED) != 0;
   if(connected && !g_was_connected)
     {
      Print("KimiEA: terminal reconnected; reconciling deals and positions");
      pending |= ForwardDealHistory();
      pending |= MathMax(SyncPositions(), 0);
      synced = true;
     }
   g_was_connected = connected;
   //--- a flat, idle agent has no timer work (kimiea.h, OnTimer): no call
   if(g_timer_wanted || synced)
     {
      KimiAccount account;
      KimiReadAccount(account);
      pending |= Pending("kimi_on_timer", kimi_on_timer(g_handle, ServerNowMsc(), account));
     }
   Drain(pending);
   ShowStatus();
  }
//+------------------------------------------------------------------+

//+------------------------------------------------------------------+
//| The closed trades' net results from the deal history, in closing  |
//| order: each closing deal's profit + swap + commission plus its    |
//| share of its position's entry commission (KimiTester.mqh)         |
//+------------------------------------------------------------------+
int ClosedTradePnl(double &pnl[])
  {
   ArrayResize(pnl, 0);
   if(!HistorySelect(0, TimeCurrent()))
      return(0);
   const int deals = HistoryDealsTotal();
   long   position_ids[];
   double entry_commission[];
   double open_volume[];
   int positions = 0;
   int count = 0;
   for(int i = 0; i < deals; i++)
     {
      const ulong ticket = HistoryDealGetTicket(i);
      const long type = HistoryDealGetInteger(ticket, DEAL_TYPE);
      if(type != DEAL_TYPE_BUY && type != DEAL_TYPE_SELL)
         continue; // deposits, credit, corrections: not trades
      const long entry = HistoryDealGetInteger(ticket, DEAL_ENTRY);
      const long id = HistoryDealGetInteger(ticket, DEAL_POSITION_ID);
      const double volume = HistoryDealGetDouble(ticket, DEAL_VOLUME);
      const double commission = HistoryDealGetDouble(ticket, DEAL_COMMISSION);
      int k = 0;
      while(k < positions && position_ids[k] != id)
         k++;
      if(k == positions)
        {
         positions++;
         ArrayResize(position_ids, positions, 64);
         ArrayResize(entry_commission, positions, 64);
         ArrayResize(open_volume, positions, 64);
         position_ids[k] = id;
         entry_commission[k] = 0.0;
         open_volume[k] = 0.0;
        }
      if(entry == DEAL_ENTRY_IN)
        {
         entry_commission[k] += commission;
         open_volume[k] += volume;
         continue;
        }
      //--- OUT, OUT_BY, or INOUT (a netting reversal: it closes the open volume and opens the rest, and its
      //--- commission is split between the two in proportion)
      const double closed = entry == DEAL_ENTRY_INOUT ? MathMin(volume, open_volume[k]) : volume;
      const double exit_commission = volume > 0.0 ? commission * (closed / volume) : commission;
      const double share = KimiEntryCommissionShare(entry_commission[k], open_volume[k], closed);
      ArrayResize(pnl, count + 1, 256);
      pnl[count++] = HistoryDealGetDouble(ticket, DEAL_PROFIT) + HistoryDealGetDouble(ticket, DEAL_SWAP) + exit_commission + share;
      entry_commission[k] -= share;
      open_volume[k] = MathMax(open_volume[k] - closed, 0.0);
      if(entry == DEAL_ENTRY_INOUT)
        {
         entry_commission[k] += commission - exit_commission;
         open_volume[k] = volume - closed;
        }
     }
   return(count);
  }

//+------------------------------------------------------------------+
//| OnTester: the criterion chosen by InpTesterCriterion, as          |
//| kimi optimize computes it (docs/optimize.md); with "Custom max"   |
//| MT5's optimiser ranks the passes as kimi optimize does            |
//+------------------------------------------------------------------+
double OnTester()
  {
   double pnl[];
   const int count = ClosedTradePnl(pnl);
   const double deposit = TesterStatistics(STAT_INITIAL_DEPOSIT);
   KimiTradeTotals totals;
   KimiTradeTotalsOf(pnl, count, deposit, totals);
   return(KimiCriterionValue((int)InpTesterCriterion, deposit, totals,
                             TesterStatistics(STAT_EQUITY_DD), TesterStatistics(STAT_EQUITY_DDREL_PERCENT)));
  }
//+------------------------------------------------------------------+
