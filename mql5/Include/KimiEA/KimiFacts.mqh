//+------------------------------------------------------------------+
//| KimiFacts.mqh - terminal facts in the ABI's structs                |
//|                                                                  |
//| Reads the symbol, the account, the open positions and one deal    |
//| from the terminal and fills the KimiEA structs. Facts only: no    |
//| decisions are taken here.                                         |
//+------------------------------------------------------------------+
#ifndef KIMIFACTS_MQH
#define KIMIFACTS_MQH

#include <KimiEA/KimiEA.mqh>
#include <KimiEA/KimiLifecycle.mqh>

#define KIMIEA_TEXT_CAPACITY 2048
#define KIMIEA_COMMENT_PREFIX "kimi:"

//--- UTF-16 text returned by an export into a caller buffer
string KimiText(const ushort &buffer[], const int written)
  {
   if(written <= 0)
      return("");
   return(ShortArrayToString(buffer, 0, written));
  }

//--- The text of the last error of a handle (0 = process-wide, e.g. after a failed kimi_create)
string KimiLastErrorText(const long handle)
  {
   ushort buffer[];
   ArrayResize(buffer, KIMIEA_TEXT_CAPACITY);
   const int written = kimi_last_error(handle, buffer, KIMIEA_TEXT_CAPACITY);
   if(written < 0)
      return(StringFormat("(kimi_last_error failed with %d)", written));
   return(KimiText(buffer, written));
  }

//--- The name of a code of an event kind (denial reason, exit reason, retcode, breaker state)
string KimiCodeName(const long event_kind, const long code)
  {
   ushort buffer[];
   ArrayResize(buffer, 128);
   const int written = kimi_code_name((int)event_kind, (int)code, buffer, 128);
   if(written <= 0)
      return(IntegerToString(code));
   return(KimiText(buffer, written));
  }

//--- ORDER_FILLING_* from SYMBOL_FILLING_MODE: FOK bit, then IOC bit, then RETURN (mt5-notes 4)
ENUM_ORDER_TYPE_FILLING KimiChooseFilling(const string symbol)
  {
   const long modes = SymbolInfoInteger(symbol, SYMBOL_FILLING_MODE);
   if((modes & SYMBOL_FILLING_FOK) == SYMBOL_FILLING_FOK)
      return(ORDER_FILLING_FOK);
   if((modes & SYMBOL_FILLING_IOC) == SYMBOL_FILLING_IOC)
      return(ORDER_FILLING_IOC);
   return(ORDER_FILLING_RETURN);
  }

//--- Account facts from AccountInfo*
void KimiReadAccount(KimiAccount &account)
  {
   account.login       = AccountInfoInteger(ACCOUNT_LOGIN);
   account.trade_mode  = AccountInfoInteger(ACCOUNT_TRADE_MODE);
   account.margin_mode = AccountInfoInteger(ACCOUNT_MARGIN_MODE);
   account.leverage    = AccountInfoInteger(ACCOUNT_LEVERAGE);
   account.balance     = AccountInfoDouble(ACCOUNT_BALANCE);
   account.equity      = AccountInfoDouble(ACCOUNT_EQUITY);
   account.margin      = AccountInfoDouble(ACCOUNT_MARGIN);
   account.free_margin = AccountInfoDouble(ACCOUNT_MARGIN_FREE);
  }

bool KimiIsHedging()
  {
   return(AccountInfoInteger(ACCOUNT_MARGIN_MODE) == (long)ACCOUNT_MARGIN_MODE_RETAIL_HEDGING);
  }

//--- Symbol facts; money in the account currency. Returns false (with the reason printed) when the
//--- terminal cannot price the symbol yet (no tick, margin or profit not computable).
bool KimiReadSpec(const string symbol, const ENUM_ORDER_TYPE_FILLING filling, KimiSymbolSpec &spec)
  {
   MqlTick tick;
   if(!SymbolInfoTick(symbol, tick) || tick.ask <= 0.0 || tick.bid <= 0.0)
     {
      PrintFormat("KimiEA: no current price for %s yet (error %d)", symbol, GetLastError());
      return(false);
     }
   spec.digits              = SymbolInfoInteger(symbol, SYMBOL_DIGITS);
   spec.stops_level_points  = SymbolInfoInteger(symbol, SYMBOL_TRADE_STOPS_LEVEL);
   spec.freeze_level_points = SymbolInfoInteger(symbol, SYMBOL_TRADE_FREEZE_LEVEL);
   spec.filling_mode        = (long)filling;
   spec.point               = SymbolInfoDouble(symbol, SYMBOL_POINT);
   spec.tick_size           = SymbolInfoDouble(symbol, SYMBOL_TRADE_TICK_SIZE);
   spec.tick_value_profit   = SymbolInfoDouble(symbol, SYMBOL_TRADE_TICK_VALUE_PROFIT);
   spec.tick_value_loss     = SymbolInfoDouble(symbol, SYMBOL_TRADE_TICK_VALUE_LOSS);
   spec.contract_size       = SymbolInfoDouble(symbol, SYMBOL_TRADE_CONTRACT_SIZE);
   spec.volume_min          = SymbolInfoDouble(symbol, SYMBOL_VOLUME_MIN);
   spec.volume_step         = SymbolInfoDouble(symbol, SYMBOL_VOLUME_STEP);
   spec.volume_max          = SymbolInfoDouble(symbol, SYMBOL_VOLUME_MAX);
   spec.volume_limit        = SymbolInfoDouble(symbol, SYMBOL_VOLUME_LIMIT);

   //--- margin of 1.0 lot: the larger of a buy at ask and a sell at bid
   double margin_buy = 0.0;
   double margin_sell = 0.0;
   if(!OrderCalcMargin(ORDER_TYPE_BUY, symbol, 1.0, tick.ask, margin_buy) ||
      !OrderCalcMargin(ORDER_TYPE_SELL, symbol, 1.0, tick.bid, margin_sell))
     {
      PrintFormat("KimiEA: OrderCalcMargin failed for %s (error %d)", symbol, GetLastError());
      return(false);
     }
   spec.margin_per_lot = MathMax(margin_buy, margin_sell);

   //--- notional of 1.0 lot in the account currency: the profit of a buy from ask to 2 x ask is
   //--- contract size x ask in the profit currency, converted by the terminal. Fallback for symbols
   //--- OrderCalcProfit cannot price: ask / tick size x tick value (the same conversion via tick value).
   double notional = 0.0;
   if(!OrderCalcProfit(ORDER_TYPE_BUY, symbol, 1.0, tick.ask, 2.0 * tick.ask, notional) || notional <= 0.0)
     {
      if(spec.tick_size <= 0.0 || spec.tick_value_profit <= 0.0)
        {
         PrintFormat("KimiEA: cannot value one lot of %s (OrderCalcProfit error %d, tick size %g, tick value %g)",
                     symbol, GetLastError(), spec.tick_size, spec.tick_value_profit);
         return(false);
        }
      notional = tick.ask / spec.tick_size * spec.tick_value_profit;
     }
   spec.notional_per_lot = notional;
   return(true);
  }

//--- "kimi:<id>" -> id; 0 if the comment is absent or was altered by the broker
long KimiParseInstructionId(const string comment)
  {
   const int prefix = StringLen(KIMIEA_COMMENT_PREFIX);
   if(StringFind(comment, KIMIEA_COMMENT_PREFIX) != 0)
      return(0);
   const string digits = StringSubstr(comment, prefix);
   const int length = StringLen(digits);
   if(length == 0 || length > 18)
      return(0);
   for(int i = 0; i < length; i++)
     {
      const ushort c = StringGetCharacter(digits, i);
      if(c < '0' || c > '9')
         return(0);
     }
   return(StringToInteger(digits));
  }

//--- Every open position of this symbol and magic (a complete snapshot). The array always has at
//--- least one element so that the DLL never receives the address of an empty array; the count
//--- returned is the number of real positions (may be 0).
int KimiReadPositions(const string symbol, const long magic, KimiPosition &positions[])
  {
   const bool hedging = KimiIsHedging();
   const int total = PositionsTotal();
   ArrayResize(positions, MathMax(total, 1));
   ZeroMemory(positions[0]);
   int count = 0;
   for(int i = 0; i < total; i++)
     {
      const ulong ticket = PositionGetTicket(i);
      if(ticket == 0 || PositionGetString(POSITION_SYMBOL) != symbol)
         continue;
      double volume = PositionGetDouble(POSITION_VOLUME);
      if(hedging)
        {
         if(PositionGetInteger(POSITION_MAGIC) != magic)
            continue;
        }
      else
        {
         //--- netting: one position per symbol, possibly shared with other EAs and manual trades; this EA's share
         //--- comes from its own deals (POSITION_MAGIC is only the magic of the deal that opened it)
         volume = KimiNettingOwnVolume(KimiOwnDealNet(PositionGetInteger(POSITION_IDENTIFIER), magic),
                                       PositionGetInteger(POSITION_TYPE), volume);
         if(!(volume > 0.0))
            continue;
        }
      //--- the position's identifier, the id its deals carry (DEAL_POSITION_ID); POSITION_TICKET may change when
      //--- the server re-opens the position (e.g. charging swaps), the identifier never does
      positions[count].ticket         = PositionGetInteger(POSITION_IDENTIFIER);
      positions[count].type           = PositionGetInteger(POSITION_TYPE);
      positions[count].magic          = magic;
      positions[count].time_msc       = PositionGetInteger(POSITION_TIME_MSC);
      positions[count].instruction_id = KimiParseInstructionId(PositionGetString(POSITION_COMMENT));
      positions[count].reserved       = 0;
      positions[count].volume         = volume;
      positions[count].price_open     = PositionGetDouble(POSITION_PRICE_OPEN);
      positions[count].sl             = PositionGetDouble(POSITION_SL);
      positions[count].tp             = PositionGetDouble(POSITION_TP);
      positions[count].profit         = PositionGetDouble(POSITION_PROFIT);
      positions[count].swap           = PositionGetDouble(POSITION_SWAP);
      count++;
     }
   return(count);
  }

//--- Net volume of this magic's deals on a position (buys +, sells -), from HistorySelectByPosition
double KimiOwnDealNet(const long identifier, const long magic)
  {
   if(!HistorySelectByPosition(identifier))
      return(0.0);
   double net = 0.0;
   for(int i = HistoryDealsTotal() - 1; i >= 0; i--)
     {
      const ulong deal = HistoryDealGetTicket(i);
      if(deal == 0 || HistoryDealGetInteger(deal, DEAL_MAGIC) != magic)
         continue;
      const long type = HistoryDealGetInteger(deal, DEAL_TYPE);
      if(type == (long)DEAL_TYPE_BUY)
         net += HistoryDealGetDouble(deal, DEAL_VOLUME);
      else
         if(type == (long)DEAL_TYPE_SELL)
            net -= HistoryDealGetDouble(deal, DEAL_VOLUME);
     }
   return(net);
  }

//--- A deal from the history (after HistoryDealSelect) in the ABI's struct; false if the deal is not
//--- a buy/sell deal of this symbol and magic.
bool KimiReadDeal(const ulong deal_ticket, const string symbol, const long magic, KimiDeal &deal)
  {
   if(!HistoryDealSelect(deal_ticket))
     {
      PrintFormat("KimiEA: deal #%I64u not found in the history (error %d)", deal_ticket, GetLastError());
      return(false);
     }
   if(HistoryDealGetString(deal_ticket, DEAL_SYMBOL) != symbol || HistoryDealGetInteger(deal_ticket, DEAL_MAGIC) != magic)
      return(false);
   const long type = HistoryDealGetInteger(deal_ticket, DEAL_TYPE);
   if(type != (long)DEAL_TYPE_BUY && type != (long)DEAL_TYPE_SELL)
      return(false);
   deal.deal_ticket     = (long)deal_ticket;
   deal.order_ticket    = HistoryDealGetInteger(deal_ticket, DEAL_ORDER);
   deal.position_ticket = HistoryDealGetInteger(deal_ticket, DEAL_POSITION_ID);
   deal.time_msc        = HistoryDealGetInteger(deal_ticket, DEAL_TIME_MSC);
   deal.entry           = HistoryDealGetInteger(deal_ticket, DEAL_ENTRY);
   deal.type            = type;
   deal.reason          = HistoryDealGetInteger(deal_ticket, DEAL_REASON);
   deal.magic           = HistoryDealGetInteger(deal_ticket, DEAL_MAGIC);
   deal.volume          = HistoryDealGetDouble(deal_ticket, DEAL_VOLUME);
   deal.price           = HistoryDealGetDouble(deal_ticket, DEAL_PRICE);
   deal.profit          = HistoryDealGetDouble(deal_ticket, DEAL_PROFIT);
   deal.commission      = HistoryDealGetDouble(deal_ticket, DEAL_COMMISSION);
   deal.swap            = HistoryDealGetDouble(deal_ticket, DEAL_SWAP);
   deal.reserved        = 0.0;
   return(true);
  }

//--- Tickets of the buy/sell deals of this symbol and magic from `from` (server time) on, oldest first. Collected
//--- before any is read: HistoryDealSelect (used by KimiReadDeal) replaces the list HistorySelect selected.
int KimiHistoryDealTickets(const string symbol, const long magic, const datetime from, ulong &tickets[])
  {
   ArrayResize(tickets, 0);
   const datetime now = TimeTradeServer();
   if(!HistorySelect(from, now + 86400))
     {
      PrintFormat("KimiEA: HistorySelect failed (error %d); no deal history forwarded", GetLastError());
      return(0);
     }
   const int total = HistoryDealsTotal();
   int count = 0;
   for(int i = 0; i < total; i++)
     {
      const ulong ticket = HistoryDealGetTicket(i);
      if(ticket == 0 || HistoryDealGetString(ticket, DEAL_SYMBOL) != symbol || HistoryDealGetInteger(ticket, DEAL_MAGIC) != magic)
         continue;
      ArrayResize(tickets, count + 1, 64);
      tickets[count++] = ticket;
     }
   return(count);
  }

#endif // KIMIFACTS_MQH
//+------------------------------------------------------------------+
