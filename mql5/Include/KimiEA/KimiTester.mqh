//+------------------------------------------------------------------+
//| KimiTester.mqh - the number OnTester returns to MT5's optimiser  |
//|                                                                  |
//| The criteria of kimi optimize (OptimizationCriterion, codes in   |
//| MT5's order; docs/optimize.md), computed as BacktestStatistics   |
//| computes them: over the closed trades, each trade's pnl being    |
//| its closing deal's profit + swap + commission + fee plus its     |
//| share of the entry deal's commission. The drawdowns are MT5's    |
//| own (STAT_EQUITY_DD, STAT_EQUITY_DDREL_PERCENT). An undefined    |
//| ratio is KIMI_CRITERION_UNDEFINED, below every defined value.    |
//| Mirrored, with hand-worked cases, in tests/standin/standin.c.    |
//+------------------------------------------------------------------+
#ifndef KIMITESTER_MQH
#define KIMITESTER_MQH

//--- criterion codes (OptimizationCriterion in src/KimiEA.Optimize/Search/Criterion.cs)
#define KIMI_CRITERION_BALANCE          0 // final balance
#define KIMI_CRITERION_PROFIT_FACTOR    1 // gross profit / |gross loss|; undefined without a losing trade
#define KIMI_CRITERION_EXPECTED_PAYOFF  2 // net profit / trades (0 without trades)
#define KIMI_CRITERION_DRAWDOWN         3 // minus the relative equity drawdown, %
#define KIMI_CRITERION_RECOVERY_FACTOR  4 // net profit / maximal equity drawdown in money; undefined without drawdown
#define KIMI_CRITERION_SHARPE           5 // per-trade Sharpe ratio (0 with fewer than two trades)
#define KIMI_CRITERION_UNDEFINED  (-DBL_MAX) // kimi optimize's -infinity: ranks below every defined value

//--- The closed trades' totals (BacktestStatistics)
struct KimiTradeTotals
  {
   double            net_profit;
   double            gross_profit;   // sum of the winning trades' pnl
   double            gross_loss;     // sum of the losing trades' pnl (<= 0)
   long              trades;
   double            sharpe;         // mean / sample standard deviation of r = pnl / balance before the trade
  };

//--- The commission of an entry deal that a close of closed_volume carries, out of entry_commission_left charged
//--- for the volume_left still open: its proportional share rounded to the cent (half away from zero), the whole
//--- remainder when the close takes the rest (so the trades' commissions add up to the deals').
double KimiEntryCommissionShare(const double entry_commission_left, const double volume_left, const double closed_volume)
  {
   if(volume_left <= 0.0 || closed_volume >= volume_left - 1e-9)
      return(entry_commission_left);
   const double cents = entry_commission_left * 100.0 * (closed_volume / volume_left);
   return((cents < 0.0 ? -MathFloor(-cents + 0.5) : MathFloor(cents + 0.5)) / 100.0);
  }

//--- Totals and per-trade Sharpe of count trades' pnl in closing order, on an account that started at deposit
void KimiTradeTotalsOf(const double &pnl[], const int count, const double deposit, KimiTradeTotals &totals)
  {
   totals.net_profit = 0.0;
   totals.gross_profit = 0.0;
   totals.gross_loss = 0.0;
   totals.trades = count;
   totals.sharpe = 0.0;
   double sum = 0.0;
   for(int i = 0; i < count; i++)
     {
      const double before = deposit + totals.net_profit;
      sum += before > 0.0 ? pnl[i] / before : 0.0;
      totals.net_profit += pnl[i];
      if(pnl[i] > 0.0)
         totals.gross_profit += pnl[i];
      else
         if(pnl[i] < 0.0)
            totals.gross_loss += pnl[i];
     }
   if(count < 2)
      return;
   const double mean = sum / count;
   double squares = 0.0;
   double running = 0.0;
   for(int i = 0; i < count; i++)
     {
      const double before = deposit + running;
      const double r = before > 0.0 ? pnl[i] / before : 0.0;
      squares += (r - mean) * (r - mean);
      running += pnl[i];
     }
   const double sd = MathSqrt(squares / (count - 1));
   totals.sharpe = sd > 0.0 ? mean / sd : 0.0;
  }

//--- The value of criterion code (higher is better) from the trades' totals and MT5's equity drawdowns
double KimiCriterionValue(const int code, const double deposit, const KimiTradeTotals &totals,
                          const double equity_dd_money, const double equity_dd_relative_percent)
  {
   switch(code)
     {
      case KIMI_CRITERION_BALANCE:
         return(deposit + totals.net_profit);
      case KIMI_CRITERION_PROFIT_FACTOR:
         return(totals.gross_loss < 0.0 ? totals.gross_profit / -totals.gross_loss : KIMI_CRITERION_UNDEFINED);
      case KIMI_CRITERION_EXPECTED_PAYOFF:
         return(totals.trades > 0 ? totals.net_profit / totals.trades : 0.0);
      case KIMI_CRITERION_DRAWDOWN:
         return(-equity_dd_relative_percent);
      case KIMI_CRITERION_RECOVERY_FACTOR:
         return(equity_dd_money > 0.0 ? totals.net_profit / equity_dd_money : KIMI_CRITERION_UNDEFINED);
      case KIMI_CRITERION_SHARPE:
         return(totals.sharpe);
     }
   return(KIMI_CRITERION_UNDEFINED);
  }

#endif // KIMITESTER_MQH
//+------------------------------------------------------------------+
