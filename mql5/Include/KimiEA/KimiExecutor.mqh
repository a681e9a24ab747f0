//+------------------------------------------------------------------+
//| KimiExecutor.mqh - executes KimiEA instructions with OrderSend     |
//|                                                                  |
//| Mechanical transport only: the engine decided side, volume, SL,   |
//| TP and ticket; this file normalises prices to the tick size and   |
//| volumes to the step, sends synchronously, retries with fresh      |
//| prices on requote / price changed / price off, and tells the      |
//| caller when the outcome is unknown (timeout, connection, error),  |
//| in which case positions must be reconciled before any other send. |
//+------------------------------------------------------------------+
#ifndef KIMIEXECUTOR_MQH
#define KIMIEXECUTOR_MQH

#include <KimiEA/KimiFacts.mqh>
#include <KimiEA/KimiLifecycle.mqh>

//--- What the executor needs to know about the chart it trades on
struct KimiExecContext
  {
   string                  symbol;
   ENUM_ORDER_TYPE_FILLING filling;
   bool                    hedging;
   int                     max_retries;      // extra attempts after requote / price changed / price off
   int                     retry_delay_ms;
  };

//--- Retcodes after which a new attempt with fresh prices is safe (mt5-notes 4)
bool KimiIsPriceRetry(const uint retcode)
  {
   return(retcode == TRADE_RETCODE_REQUOTE || retcode == TRADE_RETCODE_PRICE_CHANGED || retcode == TRADE_RETCODE_PRICE_OFF);
  }

//--- Retcodes after which the order may or may not have executed: reconcile before anything else
bool KimiIsUnknownOutcome(const uint retcode)
  {
   return(retcode == TRADE_RETCODE_TIMEOUT || retcode == TRADE_RETCODE_CONNECTION || retcode == TRADE_RETCODE_ERROR);
  }

//--- A price on the symbol's tick grid
double KimiNormalizePrice(const string symbol, const double price)
  {
   if(price == 0.0)
      return(0.0);
   const double tick_size = SymbolInfoDouble(symbol, SYMBOL_TRADE_TICK_SIZE);
   const int digits = (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS);
   if(tick_size <= 0.0)
      return(NormalizeDouble(price, digits));
   return(NormalizeDouble(MathRound(price / tick_size) * tick_size, digits));
  }

//--- A volume rounded down to the symbol's volume step (the engine already sends multiples of the step;
//--- this only removes floating-point residue)
double KimiNormalizeVolume(const string symbol, const double volume)
  {
   const double step = SymbolInfoDouble(symbol, SYMBOL_VOLUME_STEP);
   if(step <= 0.0)
      return(volume);
   const double steps = MathFloor(volume / step + 1e-7);
   int decimals = 0;
   while(decimals < 8 && MathAbs(step * MathPow(10.0, decimals) - MathRound(step * MathPow(10.0, decimals))) > 1e-9)
      decimals++;
   return(NormalizeDouble(steps * step, decimals));
  }

//--- The current quote; false (with the reason printed) when the terminal has none
bool KimiFreshTick(const string symbol, MqlTick &tick)
  {
   if(SymbolInfoTick(symbol, tick) && tick.bid > 0.0 && tick.ask > 0.0)
      return(true);
   PrintFormat("KimiEA: no current quote for %s (error %d)", symbol, GetLastError());
   return(false);
  }

//--- Fills the result fields that do not depend on the request kind
void KimiFillResult(const KimiInstruction &instruction, const MqlTradeResult &trade, const long position_ticket,
                    const string symbol, KimiOrderResult &result)
  {
   MqlTick tick;
   ZeroMemory(tick);
   const bool has_tick = SymbolInfoTick(symbol, tick);
   result.instruction_id  = instruction.id;
   result.retcode         = (long)trade.retcode;
   result.order_ticket    = (long)trade.order;
   result.deal_ticket     = (long)trade.deal;
   result.position_ticket = position_ticket;
   result.time_msc        = has_tick ? tick.time_msc : (long)TimeTradeServer() * 1000;
   result.price           = trade.price;
   result.volume          = trade.volume;
   result.bid             = trade.bid > 0.0 ? trade.bid : tick.bid;
   result.ask             = trade.ask > 0.0 ? trade.ask : tick.ask;
  }

//--- The position a deal belongs to (DEAL_POSITION_ID), 0 if the deal is not in the history yet
long KimiPositionOfDeal(const ulong deal_ticket)
  {
   if(deal_ticket == 0 || !HistoryDealSelect(deal_ticket))
      return(0);
   return(HistoryDealGetInteger(deal_ticket, DEAL_POSITION_ID));
  }

//--- Selects the open position of symbol whose POSITION_IDENTIFIER is id (the id its deals carry);
//--- false when no such position is open
bool KimiSelectPositionById(const string symbol, const long id)
  {
   for(int i = PositionsTotal() - 1; i >= 0; i--)
     {
      const ulong ticket = PositionGetTicket(i);
      if(ticket != 0 && PositionGetString(POSITION_SYMBOL) == symbol && PositionGetInteger(POSITION_IDENTIFIER) == id)
         return(true);
     }
   return(false);
  }

//--- One synchronous OrderSend with bounded retries on price retcodes. Market requests get a fresh
//--- price before every attempt. Returns the final MqlTradeResult (retcode 0 = never reached the server).
void KimiSend(MqlTradeRequest &request, const KimiExecContext &ctx, const long instruction_id, MqlTradeResult &trade)
  {
   for(int attempt = 0; attempt <= ctx.max_retries; attempt++)
     {
      if(request.action == TRADE_ACTION_DEAL)
        {
         MqlTick tick;
         if(!KimiFreshTick(ctx.symbol, tick))
           {
            ZeroMemory(trade);
            return;
           }
         request.price = KimiNormalizePrice(ctx.symbol, request.type == ORDER_TYPE_BUY ? tick.ask : tick.bid);
        }
      ZeroMemory(trade);
      ResetLastError();
      const bool accepted = OrderSend(request, trade);
      if(!accepted && trade.retcode == 0)
        {
         PrintFormat("KimiEA: instruction %I64d: OrderSend refused the request before sending (error %d)", instruction_id, GetLastError());
         return;
        }
      if(!KimiIsPriceRetry(trade.retcode) || attempt == ctx.max_retries)
         return;
      PrintFormat("KimiEA: instruction %I64d: retcode %u (%s), retrying with a fresh price (%d/%d)",
                  instruction_id, trade.retcode, trade.comment, attempt + 1, ctx.max_retries);
      if(ctx.retry_delay_ms > 0)
         Sleep(ctx.retry_delay_ms * (attempt + 1));
     }
  }

//--- The request of an OPEN: market order, SL/TP attached, comment "kimi:<id>"
void KimiBuildOpen(const KimiInstruction &instruction, const KimiExecContext &ctx, MqlTradeRequest &request)
  {
   request.action       = TRADE_ACTION_DEAL;
   request.symbol       = ctx.symbol;
   request.magic        = (ulong)instruction.magic;
   request.volume       = KimiNormalizeVolume(ctx.symbol, instruction.volume);
   request.type         = instruction.direction == KIMI_BUY ? ORDER_TYPE_BUY : ORDER_TYPE_SELL;
   request.sl           = KimiNormalizePrice(ctx.symbol, instruction.sl);
   request.tp           = KimiNormalizePrice(ctx.symbol, instruction.tp);
   request.deviation    = (ulong)instruction.deviation_points;
   request.type_filling = ctx.filling;
   request.type_time    = ORDER_TIME_GTC;
   request.comment      = KIMIEA_COMMENT_PREFIX + IntegerToString(instruction.id);
  }

//--- Executes one instruction and fills its result. Returns true when the outcome is unknown or the
//--- terminal's positions disagree with the instruction: the caller must reconcile (kimi_sync_positions)
//--- before anything else is sent.
bool KimiExecute(const KimiInstruction &instruction, const KimiExecContext &ctx, KimiOrderResult &result)
  {
   MqlTradeRequest request;
   MqlTradeResult trade;
   ZeroMemory(request);
   ZeroMemory(trade);
   ZeroMemory(result);
   long position_ticket = instruction.position_ticket;

   if(instruction.kind == KIMI_INSTR_OPEN)
     {
      KimiBuildOpen(instruction, ctx, request);
      KimiSend(request, ctx, instruction.id, trade);
      position_ticket = KimiPositionOfDeal(trade.deal);
      if(position_ticket == 0 && ctx.hedging && trade.deal > 0)
         position_ticket = (long)trade.order; // on hedging accounts the position id is the opening order's ticket
     }
   else
      if(instruction.kind == KIMI_INSTR_CLOSE)
     {
      //--- the engine names the position by its identifier (the id of its deals); select it by that
      if(!KimiSelectPositionById(ctx.symbol, instruction.position_ticket))
        {
         PrintFormat("KimiEA: instruction %I64d: position #%I64d is no longer open; not sent, reconciling", instruction.id, instruction.position_ticket);
         KimiFillResult(instruction, trade, instruction.position_ticket, ctx.symbol, result);
         return(true);
        }
      const long position_type = PositionGetInteger(POSITION_TYPE);
      const long closing_side = position_type == (long)POSITION_TYPE_BUY ? KIMI_SELL : KIMI_BUY;
      if(instruction.direction != closing_side)
        {
         PrintFormat("KimiEA: instruction %I64d: close side %I64d does not close position #%I64d (type %I64d); not sent, reconciling",
                     instruction.id, instruction.direction, instruction.position_ticket, position_type);
         KimiFillResult(instruction, trade, instruction.position_ticket, ctx.symbol, result);
         return(true);
        }
      //--- exactly this agent's volume: on a netting account the position may hold other EAs' or manual volume
      const double volume = KimiNormalizeVolume(ctx.symbol, KimiCloseVolume(instruction.volume, PositionGetDouble(POSITION_VOLUME)));
      if(!(volume > 0.0))
        {
         PrintFormat("KimiEA: instruction %I64d: close of %g lots of position #%I64d (%g open) sends nothing; reconciling",
                     instruction.id, instruction.volume, instruction.position_ticket, PositionGetDouble(POSITION_VOLUME));
         KimiFillResult(instruction, trade, instruction.position_ticket, ctx.symbol, result);
         return(true);
        }
      request.action       = TRADE_ACTION_DEAL;
      request.symbol       = ctx.symbol;
      request.magic        = (ulong)instruction.magic;
      request.type         = closing_side == KIMI_BUY ? ORDER_TYPE_BUY : ORDER_TYPE_SELL;
      request.volume       = volume;
      request.deviation    = (ulong)instruction.deviation_points;
      request.type_filling = ctx.filling;
      request.type_time    = ORDER_TIME_GTC;
      request.comment      = KIMIEA_COMMENT_PREFIX + IntegerToString(instruction.id);
      if(ctx.hedging)
         request.position = (ulong)PositionGetInteger(POSITION_TICKET); // hedging: this ticket; netting: the opposite deal reduces the position
      KimiSend(request, ctx, instruction.id, trade);
     }
   else
     {
      PrintFormat("KimiEA: instruction %I64d has unknown kind %I64d; not sent", instruction.id, instruction.kind);
      KimiFillResult(instruction, trade, 0, ctx.symbol, result);
      return(false);
     }

   KimiFillResult(instruction, trade, position_ticket, ctx.symbol, result);
   if(trade.retcode != TRADE_RETCODE_DONE && trade.retcode != TRADE_RETCODE_PLACED && trade.retcode != TRADE_RETCODE_DONE_PARTIAL)
      PrintFormat("KimiEA: instruction %I64d (kind %I64d): retcode %u %s", instruction.id, instruction.kind, trade.retcode, trade.comment);
   return(KimiIsUnknownOutcome(trade.retcode));
  }

#endif // KIMIEXECUTOR_MQH
//+------------------------------------------------------------------+
