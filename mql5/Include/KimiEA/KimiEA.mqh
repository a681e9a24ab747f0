//+------------------------------------------------------------------+
//| KimiEA.mqh - the MQL5 side of the KimiEA C ABI                    |
//|                                                                  |
//| A mirror of src/KimiEA.Native/include/kimiea.h: every #define,    |
//| every struct field for field and every export. The ABI drift     |
//| check (tests/KimiEA.Native.Tests/Drift) compares this file with   |
//| the header, the C# mirrors and the library's exported symbols;   |
//| change all of them together and bump KIMI_ABI_VERSION.            |
//|                                                                  |
//| Type mapping (shared/mt5-notes.md 1.2):                           |
//|   int32_t -> int, int64_t -> long, double -> double               |
//|   const uint16_t* (string in)  -> string (UTF-16, NUL-terminated) |
//|   uint16_t* (text out)         -> ushort &buffer[] + capacity     |
//|   const T* / T* (one struct)   -> const T &x / T &x               |
//|   T* followed by a count       -> T &x[] (address of element 0)   |
//| Every KimiEA struct holds only 8-byte fields, so MQL5's default   |
//| pack(1) layout equals the C layout; MqlRates and MqlTick are      |
//| MQL5's own 60-byte structs.                                       |
//+------------------------------------------------------------------+
#ifndef KIMIEA_MQH
#define KIMIEA_MQH

//--- ABI version: must equal kimi_abi_version() of the loaded library
#define KIMI_ABI_VERSION 4

//--- status codes: >= 0 success (often a count), < 0 error
#define KIMI_OK 0
#define KIMI_E_INVALID_HANDLE -1
#define KIMI_E_INVALID_ARGUMENT -2
#define KIMI_E_ABI_MISMATCH -3
#define KIMI_E_STATE -4
#define KIMI_E_INTERNAL -5
#define KIMI_E_BUFFER_TOO_SMALL -6
#define KIMI_E_CONFIG -7
#define KIMI_E_JOURNAL -8
#define KIMI_E_UNKNOWN_INTENT -9
#define KIMI_E_EXPIRED -10

//--- the pending word returned by the event handlers (kimiea.h, THE CALL SEQUENCE)
#define KIMI_PENDING_INSTRUCTIONS 65535
#define KIMI_PENDING_EVENTS 65536
#define KIMI_PENDING_TIMER 131072

//--- execution mode
#define KIMI_MODE_SIMULATION 0
#define KIMI_MODE_PAPER 1
#define KIMI_MODE_LIVE 2
//--- sizing
#define KIMI_SIZING_KELLY 0
#define KIMI_SIZING_FIXED_FRACTION 1
#define KIMI_TZ_FIXED 0
#define KIMI_TZ_NEW_YORK_CLOSE 2
//--- same-bar ambiguity rule
//--- instruction kinds
#define KIMI_INSTR_OPEN 1
#define KIMI_INSTR_CLOSE 3
//--- directions
#define KIMI_BUY 1
#define KIMI_SELL -1
//--- exit reasons
#define KIMI_EXIT_TP 1
#define KIMI_EXIT_SL 2
#define KIMI_EXIT_TIMEOUT 3
#define KIMI_EXIT_BREAKER 4
#define KIMI_EXIT_EMERGENCY 5
#define KIMI_EXIT_MANUAL 6
#define KIMI_EXIT_RECONCILED 7
//--- breaker states
#define KIMI_BREAKER_ACTIVE 0
#define KIMI_BREAKER_REDUCING_ONLY 1
#define KIMI_BREAKER_HALTED 2
//--- MT5 deal entry / type values used in KimiDeal
#define KIMI_DEAL_ENTRY_IN 0
#define KIMI_DEAL_ENTRY_OUT 1
#define KIMI_DEAL_ENTRY_INOUT 2
#define KIMI_DEAL_ENTRY_OUT_BY 3
#define KIMI_DEAL_TYPE_BUY 0
#define KIMI_DEAL_TYPE_SELL 1
//--- MT5 DEAL_REASON_* values used in KimiDeal.reason
#define KIMI_DEAL_REASON_CLIENT 0
#define KIMI_DEAL_REASON_MOBILE 1
#define KIMI_DEAL_REASON_WEB 2
#define KIMI_DEAL_REASON_EXPERT 3
#define KIMI_DEAL_REASON_SL 4
#define KIMI_DEAL_REASON_TP 5
#define KIMI_DEAL_REASON_SO 6
//--- event kinds (KimiEvent.kind)
#define KIMI_EVT_SIGNAL 1
#define KIMI_EVT_DENIED 2
#define KIMI_EVT_INSTRUCTION 3
#define KIMI_EVT_RESULT 4
#define KIMI_EVT_FILL 5
#define KIMI_EVT_CLOSE 6
#define KIMI_EVT_BREAKER 7
#define KIMI_EVT_HALT 8
#define KIMI_EVT_RECONCILED 9
#define KIMI_EVT_ERROR 10
#define KIMI_EVT_APPROVAL 11
#define KIMI_ZONE_LEG 1
#define KIMI_ZONE_BREAK 2
#define KIMI_ZONE_ORDER_BLOCK 3
#define KIMI_ZONE_FVG 4
#define KIMI_ZONE_LIQUIDITY 5
#define KIMI_ZONE_FLAG_CHOCH 1
#define KIMI_ZONE_FLAG_CONFIRMED 2
#define KIMI_ZONE_FLAG_SWEPT 4
#define KIMI_APPROVAL_AWAITING 0
#define KIMI_APPROVAL_APPROVED 1
#define KIMI_APPROVAL_SKIPPED 2
#define KIMI_APPROVAL_EXPIRED 3

//--- The EA's inputs (one per chart)
struct KimiConfig
  {
   long              magic;
   long              timeframe_seconds;
   long              mode;
   long              live_opt_in;
   long              sizing_mode;
   long              max_positions;
   long              max_positions_total;
   long              max_orders_per_minute;
   long              max_holding_bars;
   long              swing_length;
   long              breaker_reset_hour;
   long              flatten_on_breaker;
   long              approval_expiry_bars;
   long              server_utc_offset_minutes;
   long              server_time_zone;
   long              deviation_points;
   long              warmup_bars;
   double            risk_per_trade;
   double            kelly_fraction;
   double            min_confidence;
   double            auto_execute_confidence;
   double            max_lot;
   double            daily_drawdown;
   double            max_total_risk;
   double            max_leverage;
   double            price_band_atr;
   double            range_percent;
   double            min_reward_risk;
   double            commission_per_lot;
  };

//--- Symbol facts; money in the account currency
struct KimiSymbolSpec
  {
   long              digits;
   long              stops_level_points;
   long              freeze_level_points;
   long              filling_mode;
   double            point;
   double            tick_size;
   double            tick_value_profit;
   double            tick_value_loss;
   double            contract_size;
   double            volume_min;
   double            volume_step;
   double            volume_max;
   double            volume_limit;
   double            margin_per_lot;
   double            notional_per_lot;
  };

//--- Account facts
struct KimiAccount
  {
   long              login;
   long              trade_mode;
   long              margin_mode;
   long              leverage;
   double            balance;
   double            equity;
   double            margin;
   double            free_margin;
  };

//--- An order instruction to execute with OrderSend
struct KimiInstruction
  {
   long              id;
   long              kind;
   long              direction;
   long              position_ticket;
   long              magic;
   long              deviation_points;
   long              reason;
   long              created_msc;
   double            volume;
   double            price;
   double            sl;
   double            tp;
  };

//--- The outcome of one instruction, reported exactly once
struct KimiOrderResult
  {
   long              instruction_id;
   long              retcode;
   long              order_ticket;
   long              deal_ticket;
   long              position_ticket;
   long              time_msc;
   double            price;
   double            volume;
   double            bid;
   double            ask;
  };

//--- A deal of this symbol and magic (OnTradeTransaction DEAL_ADD)
struct KimiDeal
  {
   long              deal_ticket;
   long              order_ticket;
   long              position_ticket;
   long              time_msc;
   long              entry;
   long              type;
   long              reason;
   long              magic;
   double            volume;
   double            price;
   double            profit;
   double            commission;
   double            swap;
   double            reserved;
  };

//--- An open position of this symbol and magic, for reconciliation
struct KimiPosition
  {
   long              ticket;
   long              type;
   long              magic;
   long              time_msc;
   long              instruction_id;
   long              reserved;
   double            volume;
   double            price_open;
   double            sl;
   double            tp;
   double            profit;
   double            swap;
  };

//--- A snapshot of the agent and the account-level state
struct KimiStatus
  {
   long              mode;
   long              breaker_state;
   long              halted;
   long              emergency;
   long              open_positions;
   long              pending_instructions;
   long              bars_seen;
   long              signals;
   long              denials;
   long              trades_closed;
   long              ambiguous_exits;
   long              journal_state;
   double            day_start_equity;
   double            equity;
   double            open_risk;
   double            realized_pnl;
  };

//--- One engine event
struct KimiEvent
  {
   long              seq;
   long              time_msc;
   long              kind;
   long              code;
   long              direction;
   long              ticket;
   double            price;
   double            volume;
   double            sl;
   double            tp;
   double            value;
   double            hit_probability;
  };

//--- One piece of the live SMC structure (kimi_get_zones)
struct KimiZone
  {
   long              kind;
   long              direction;
   long              start_time;
   long              end_time;
   long              flags;
   long              members;
   double            top;
   double            bottom;
   double            value;
   double            reserved;
  };

//--- The exports of KimiEA.dll (x64; one prototype per line, parsed by the drift check)
#import "KimiEA.dll"
int  kimi_abi_version();
int  kimi_check_abi(int abi_version, int sizeof_rates, int sizeof_tick, int sizeof_config, int sizeof_spec, int sizeof_account, int sizeof_instruction, int sizeof_result, int sizeof_deal, int sizeof_position, int sizeof_status, int sizeof_event, int sizeof_zone);
long kimi_create(const KimiConfig &config, string symbol, const KimiSymbolSpec &spec, const KimiAccount &account, string journal_path, string live_allowlist, string calibration_path);
int  kimi_destroy(long handle, int reason);
int  kimi_warmup(long handle, const MqlRates &bars[], int count);
int  kimi_update_spec(long handle, const KimiSymbolSpec &spec);
int  kimi_on_tick(long handle, const MqlTick &tick, const KimiAccount &account);
int  kimi_on_bar(long handle, const MqlRates &bar);
int  kimi_poll_instructions(long handle, KimiInstruction &out[], int capacity);
int  kimi_report_result(long handle, const KimiOrderResult &result);
int  kimi_on_trade_transaction(long handle, const KimiDeal &deal);
int  kimi_sync_positions(long handle, const KimiPosition &positions[], int count, long time_msc);
int  kimi_on_timer(long handle, long time_msc, const KimiAccount &account);
int  kimi_approve(long handle, long intent_id, int approve);
int  kimi_poll_events(long handle, KimiEvent &out[], int capacity);
int  kimi_poll_log(long handle, ushort &buffer[], int capacity);
int  kimi_get_status(long handle, KimiStatus &out);
int  kimi_last_error(long handle, ushort &buffer[], int capacity);
int  kimi_emergency_stop(int engage, string reason);
int  kimi_code_name(int event_kind, int code, ushort &buffer[], int capacity);
int  kimi_get_zones(long handle, KimiZone &out[], int capacity);
int  kimi_close_positions(long handle);
int  kimi_request_halt(long handle, int halt, string reason);
long kimi_allocated_bytes();
#import

#endif // KIMIEA_MQH
//+------------------------------------------------------------------+
