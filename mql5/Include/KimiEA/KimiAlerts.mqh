//+------------------------------------------------------------------+
//| KimiAlerts.mqh - which engine events alert the trader, and how   |
//| often                                                            |
//|                                                                  |
//| KimiAlertClass maps an event to a class; each class goes to      |
//| Alert, SendNotification and/or SendMail by the EA's inputs;      |
//| KimiAlertAllowed keeps a channel within MT5's push limits (2 per  |
//| second, 10 per minute). Both are mirrored, with hand-worked      |
//| cases, in tests/standin/standin.c. Silent in the tester.         |
//+------------------------------------------------------------------+
#ifndef KIMIALERTS_MQH
#define KIMIALERTS_MQH

#include <KimiEA/KimiEA.mqh>

//--- alert classes (bits of the EA's alert inputs)
#define KIMI_ALERT_BREAKER  1  // the daily drawdown breaker left ACTIVE
#define KIMI_ALERT_HALT     2  // trading halted (kill switch, emergency stop) or an emergency close
#define KIMI_ALERT_TRADE    4  // a fill or a close
#define KIMI_ALERT_REJECT   8  // an order the trade server (or the terminal) refused
#define KIMI_ALERT_JOURNAL 16  // the journal failed: no new trades until it works
#define KIMI_ALERT_APPROVAL 32 // an intent waits for the trader's approval
#define KIMI_ALERT_ALL     63

#define KIMI_JOURNAL_FAILED_CODE 100 // KimiEvent.code of the journal-failure error (kimi_code_name names it)
#define KIMI_ALERT_WINDOW 10         // sends remembered per channel: MT5 allows 10 per minute

//--- The class of an engine event, 0 when it alerts nobody
int KimiAlertClass(const long kind, const long code)
  {
   if(kind == KIMI_EVT_BREAKER)
      return(code != KIMI_BREAKER_ACTIVE ? KIMI_ALERT_BREAKER : 0);
   if(kind == KIMI_EVT_HALT)
      return(code == 1 ? KIMI_ALERT_HALT : 0);
   if(kind == KIMI_EVT_CLOSE)
      return(code == KIMI_EXIT_EMERGENCY ? (KIMI_ALERT_HALT | KIMI_ALERT_TRADE) : KIMI_ALERT_TRADE);
   if(kind == KIMI_EVT_FILL)
      return(KIMI_ALERT_TRADE);
   if(kind == KIMI_EVT_RESULT)
      return(code == 10008 || code == 10009 || code == 10010 ? 0 : KIMI_ALERT_REJECT); // PLACED, DONE, DONE_PARTIAL
   if(kind == KIMI_EVT_ERROR)
      return(code == KIMI_JOURNAL_FAILED_CODE ? KIMI_ALERT_JOURNAL : 0);
   if(kind == KIMI_EVT_APPROVAL)
      return(code == KIMI_APPROVAL_AWAITING ? KIMI_ALERT_APPROVAL : 0);
   return(0);
  }

//--- True when one more message may go out at now_ms on a channel whose recent sends are in sent_ms[]
//--- (KIMI_ALERT_WINDOW slots, 0 = empty): at most 2 within any second and 10 within any minute. A true
//--- answer records the send.
bool KimiAlertAllowed(ulong &sent_ms[], const ulong now_ms)
  {
   int last_second = 0;
   int last_minute = 0;
   int oldest = 0;
   for(int i = 0; i < KIMI_ALERT_WINDOW; i++)
     {
      if(sent_ms[i] == 0)
        {
         oldest = i;
         continue;
        }
      if(now_ms - sent_ms[i] < 1000)
         last_second++;
      if(now_ms - sent_ms[i] < 60000)
         last_minute++;
      if(sent_ms[oldest] != 0 && sent_ms[i] < sent_ms[oldest])
         oldest = i;
     }
   if(last_second >= 2 || last_minute >= KIMI_ALERT_WINDOW)
      return(false);
   sent_ms[oldest] = now_ms;
   return(true);
  }

#endif // KIMIALERTS_MQH
//+------------------------------------------------------------------+
