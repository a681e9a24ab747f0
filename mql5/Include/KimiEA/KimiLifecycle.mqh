//+------------------------------------------------------------------+
//| KimiLifecycle.mqh - the EA's start, bar and stop decisions       |
//|                                                                  |
//| Small pure functions, so the decisions are the same in the EA    |
//| and in tests/standin/standin.c, which mirrors each of them by     |
//| name and drives them through the stand-in runs:                  |
//|   KimiStartWait      a transient start condition (retry from     |
//|                      OnTimer) or none                            |
//|   KimiHistoryReady   enough history for the warm-up, or start    |
//|                      anyway (positions to protect, waited long)  |
//|   KimiCloseVolume    what a CLOSE may send: this agent's own     |
//|                      volume, never the whole netted position     |
//|   KimiCloseOnRemove  the "close this chart's positions" input    |
//|                      acts on REASON_REMOVE only                   |
//+------------------------------------------------------------------+
#ifndef KIMILIFECYCLE_MQH
#define KIMILIFECYCLE_MQH

//--- transient start conditions: OnInit succeeds, OnTimer retries until none is left
#define KIMI_WAIT_NONE         0
#define KIMI_WAIT_DISCONNECTED 1
#define KIMI_WAIT_LOGIN        2
#define KIMI_WAIT_TICK         3
#define KIMI_WAIT_TICK_VALUE   4
#define KIMI_WAIT_MARGIN       5
#define KIMI_WAIT_HISTORY      6

//--- seconds the EA waits for history to reach the warm-up before it starts with a short one
#define KIMI_HISTORY_WAIT_SECONDS 60

//--- The first transient condition that keeps the engine from starting, in the order they clear at a
//--- terminal start (connection, account, quote, symbol money facts); KIMI_WAIT_NONE when it can start.
int KimiStartWait(const bool connected, const long login, const bool has_tick, const double tick_value,
                  const bool margin_known)
  {
   if(!connected)
      return(KIMI_WAIT_DISCONNECTED);
   if(login <= 0)
      return(KIMI_WAIT_LOGIN);
   if(!has_tick)
      return(KIMI_WAIT_TICK);
   if(!(tick_value > 0.0))
      return(KIMI_WAIT_TICK_VALUE);
   if(!margin_known)
      return(KIMI_WAIT_MARGIN);
   return(KIMI_WAIT_NONE);
  }

//--- The chart text of a start condition
string KimiStartWaitText(const int wait)
  {
   if(wait == KIMI_WAIT_DISCONNECTED)
      return("waiting for the trade server connection");
   if(wait == KIMI_WAIT_LOGIN)
      return("waiting for the account login");
   if(wait == KIMI_WAIT_TICK)
      return("waiting for the first price");
   if(wait == KIMI_WAIT_TICK_VALUE)
      return("waiting for the symbol's tick value");
   if(wait == KIMI_WAIT_MARGIN)
      return("waiting for the margin of one lot");
   if(wait == KIMI_WAIT_HISTORY)
      return("waiting for the chart history (warm-up)");
   return("starting");
  }

//--- True when the engine may start with the closed bars available: the warm-up is complete, or
//--- positions of this EA are open at the broker (they need the engine's barriers now), or the history
//--- has not grown for KIMI_HISTORY_WAIT_SECONDS (the EA then prints the short warm-up).
bool KimiHistoryReady(const int bars_available, const int warmup_bars, const bool positions_open, const int waited_seconds)
  {
   return(bars_available >= warmup_bars || positions_open || waited_seconds >= KIMI_HISTORY_WAIT_SECONDS);
  }

//--- The volume a CLOSE sends: this agent's own volume, at most what the position holds. 0 = send nothing
//--- (the instruction names no volume, or the position is gone): on a netting account the symbol's one
//--- position may also hold other EAs' and manual volume, which a close must leave alone.
double KimiCloseVolume(const double own_volume, const double position_volume)
  {
   if(!(own_volume > 0.0) || !(position_volume > 0.0))
      return(0.0);
   return(MathMin(own_volume, position_volume));
  }

//--- Netting accounts: this EA's share of the symbol's one position, from the net of its own deals on the position
//--- (buys +, sells -). The position may also hold other EAs' and manual volume; only this share is the engine's
//--- to manage and close. 0 when none of it is this EA's (its deals are flat or point the other way).
double KimiNettingOwnVolume(const double own_net_signed, const long position_type, const double position_volume)
  {
   const double own = position_type == (long)POSITION_TYPE_BUY ? own_net_signed : -own_net_signed;
   if(!(own > 0.0) || !(position_volume > 0.0))
      return(0.0);
   return(MathMin(own, position_volume));
  }

//--- The "close this chart's positions when the EA is removed" input acts on REASON_REMOVE (the trader
//--- removed the EA) only: never on a timeframe or symbol change, recompile, new inputs, terminal shutdown,
//--- account change or a failed init.
bool KimiCloseOnRemove(const bool close_input, const int reason)
  {
   return(close_input && reason == REASON_REMOVE);
  }

#endif // KIMILIFECYCLE_MQH
//+------------------------------------------------------------------+
