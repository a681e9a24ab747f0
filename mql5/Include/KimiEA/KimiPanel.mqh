//+------------------------------------------------------------------+
//| KimiPanel.mqh - the chart panel: what the agent is doing, and    |
//| the trader's buttons                                             |
//|                                                                  |
//| Lines: mode and breaker; the day's P&L against the breaker's     |
//| limit; positions and open risk; the last signal with its         |
//| confidence and fate; an intent awaiting approval with the bars   |
//| it has left. Buttons: Halt / Resume (every chart on this         |
//| journal), Close (this chart's positions), Approve / Skip. The     |
//| EA turns clicks into kimi_request_halt, kimi_close_positions and  |
//| kimi_approve, each journaled by the engine. The panel sits in the |
//| lower-left corner, away from the latest prices, and moves with    |
//| its background when dragged.                                      |
//+------------------------------------------------------------------+
#ifndef KIMIPANEL_MQH
#define KIMIPANEL_MQH

#include <KimiEA/KimiEA.mqh>
#include <KimiEA/KimiFacts.mqh>

#define KIMI_PANEL_LINES 5
#define KIMI_PANEL_WIDTH 330
#define KIMI_PANEL_LINE_HEIGHT 16

//--- what the panel shows besides kimi_get_status, folded from the engine's events
struct KimiPanelState
  {
   long              signal_direction;   // last signal: KIMI_BUY / KIMI_SELL, 0 = none yet
   double            signal_confidence;
   string            signal_fate;        // "signalled", "denied: <reason>", "sent", "awaiting approval", ...
   long              awaiting_id;        // intent waiting for approval, 0 = none
   long              awaiting_direction;
   double            awaiting_confidence;
   long              awaiting_since_bars; // bars_seen when it started waiting
   bool              halt_requested;     // the journal's halt (kill switch) is in force, from KIMI_EVT_HALT
  };

//--- Bars an intent awaiting approval has left: expiry_bars minus the closed bars since it started waiting
long KimiApprovalBarsLeft(const long expiry_bars, const long since_bars, const long bars_now)
  {
   const long left = expiry_bars - (bars_now - since_bars);
   return(left > 0 ? left : 0);
  }

//--- Folds one engine event into the panel state
void KimiPanelOnEvent(KimiPanelState &state, const KimiEvent &e, const long bars_seen)
  {
   if(e.kind == KIMI_EVT_SIGNAL)
     {
      state.signal_direction = e.direction;
      state.signal_confidence = e.value;
      state.signal_fate = "signalled";
     }
   else
      if(e.kind == KIMI_EVT_DENIED)
         state.signal_fate = "denied: " + KimiCodeName(e.kind, e.code);
      else
         if(e.kind == KIMI_EVT_INSTRUCTION && e.code == KIMI_INSTR_OPEN)
            state.signal_fate = "order sent";
         else
            if(e.kind == KIMI_EVT_FILL)
               state.signal_fate = "filled";
            else
               if(e.kind == KIMI_EVT_HALT)
                  state.halt_requested = e.code == 1;
               else
                  if(e.kind == KIMI_EVT_APPROVAL)
                    {
                     if(e.code == KIMI_APPROVAL_AWAITING)
                       {
                        state.awaiting_id = e.ticket;
                        state.awaiting_direction = e.direction;
                        state.awaiting_confidence = e.value;
                        state.awaiting_since_bars = bars_seen;
                        state.signal_fate = "awaiting approval";
                       }
                     else
                       {
                        if(e.ticket == state.awaiting_id)
                           state.awaiting_id = 0;
                        state.signal_fate = e.code == KIMI_APPROVAL_APPROVED ? "approved" : e.code == KIMI_APPROVAL_SKIPPED ? "skipped" : "expired";
                       }
                    }
  }

//--- Object names of the panel (one EA per chart, named by its magic)
string KimiPanelName(const long magic, const string part)
  {
   return("KimiEA.p." + IntegerToString(magic) + "." + part);
  }

void KimiPanelLabel(const string name, const int x, const int y, const string text, const color clr)
  {
   if(ObjectFind(0, name) < 0)
     {
      ObjectCreate(0, name, OBJ_LABEL, 0, 0, 0);
      ObjectSetInteger(0, name, OBJPROP_CORNER, CORNER_LEFT_LOWER);
      ObjectSetInteger(0, name, OBJPROP_ANCHOR, ANCHOR_LEFT_LOWER);
      ObjectSetInteger(0, name, OBJPROP_FONTSIZE, 8);
      ObjectSetString(0, name, OBJPROP_FONT, "Consolas");
      ObjectSetInteger(0, name, OBJPROP_SELECTABLE, false);
      ObjectSetInteger(0, name, OBJPROP_HIDDEN, true);
     }
   ObjectSetInteger(0, name, OBJPROP_XDISTANCE, x);
   ObjectSetInteger(0, name, OBJPROP_YDISTANCE, y);
   ObjectSetInteger(0, name, OBJPROP_COLOR, clr);
   ObjectSetString(0, name, OBJPROP_TEXT, text);
  }

void KimiPanelButton(const string name, const int x, const int y, const int width, const string text, const bool visible)
  {
   if(!visible)
     {
      ObjectDelete(0, name);
      return;
     }
   if(ObjectFind(0, name) < 0)
     {
      ObjectCreate(0, name, OBJ_BUTTON, 0, 0, 0);
      ObjectSetInteger(0, name, OBJPROP_CORNER, CORNER_LEFT_LOWER);
      ObjectSetInteger(0, name, OBJPROP_YSIZE, 18);
      ObjectSetInteger(0, name, OBJPROP_FONTSIZE, 8);
      ObjectSetInteger(0, name, OBJPROP_SELECTABLE, false);
      ObjectSetInteger(0, name, OBJPROP_HIDDEN, true);
     }
   ObjectSetInteger(0, name, OBJPROP_XDISTANCE, x);
   ObjectSetInteger(0, name, OBJPROP_YDISTANCE, y);
   ObjectSetInteger(0, name, OBJPROP_XSIZE, width);
   ObjectSetString(0, name, OBJPROP_TEXT, text);
   ObjectSetInteger(0, name, OBJPROP_STATE, false);
  }

//--- Draws (or refreshes) the panel at its background's position
void KimiPanelDraw(const long magic, const KimiStatus &status, const KimiPanelState &state, const double daily_drawdown,
                   const long approval_expiry_bars, const string mode_name, const string breaker_name)
  {
   const string bg = KimiPanelName(magic, "bg");
   const int height = KIMI_PANEL_LINES * KIMI_PANEL_LINE_HEIGHT + 30;
   if(ObjectFind(0, bg) < 0)
     {
      ObjectCreate(0, bg, OBJ_RECTANGLE_LABEL, 0, 0, 0);
      ObjectSetInteger(0, bg, OBJPROP_CORNER, CORNER_LEFT_LOWER);
      ObjectSetInteger(0, bg, OBJPROP_XDISTANCE, 8);
      ObjectSetInteger(0, bg, OBJPROP_YDISTANCE, height + 24);
      ObjectSetInteger(0, bg, OBJPROP_XSIZE, KIMI_PANEL_WIDTH);
      ObjectSetInteger(0, bg, OBJPROP_YSIZE, height);
      ObjectSetInteger(0, bg, OBJPROP_BGCOLOR, clrBlack);
      ObjectSetInteger(0, bg, OBJPROP_BORDER_TYPE, BORDER_FLAT);
      ObjectSetInteger(0, bg, OBJPROP_COLOR, clrDimGray);
      ObjectSetInteger(0, bg, OBJPROP_SELECTABLE, true); // drag it to move the panel
      ObjectSetInteger(0, bg, OBJPROP_HIDDEN, true);
     }
   const int x = (int)ObjectGetInteger(0, bg, OBJPROP_XDISTANCE) + 6;
   const int top = (int)ObjectGetInteger(0, bg, OBJPROP_YDISTANCE) - 4;
   const double day_pnl = status.equity - status.day_start_equity;
   const double day_limit = daily_drawdown * status.day_start_equity;
   string lines[KIMI_PANEL_LINES];
   lines[0] = StringFormat("KimiEA %s | breaker %s%s%s", mode_name, breaker_name, status.halted != 0 ? " | HALTED" : "",
                           status.emergency != 0 ? " | EMERGENCY" : "");
   lines[1] = StringFormat("day P&L %+.2f of -%.2f limit%s", day_pnl, day_limit, status.journal_state == 1 ? " | JOURNAL FAILED" : "");
   lines[2] = StringFormat("positions %I64d, pending %I64d | open risk %.2f", status.open_positions, status.pending_instructions, status.open_risk);
   lines[3] = state.signal_direction == 0 ? "no signal yet" :
              StringFormat("last signal %s conf %.2f: %s", state.signal_direction == KIMI_BUY ? "BUY" : "SELL", state.signal_confidence, state.signal_fate);
   lines[4] = state.awaiting_id == 0 ? "" :
              StringFormat("approve #%I64d %s conf %.2f? %I64d bar(s) left", state.awaiting_id, state.awaiting_direction == KIMI_BUY ? "BUY" : "SELL",
                           state.awaiting_confidence, KimiApprovalBarsLeft(approval_expiry_bars, state.awaiting_since_bars, status.bars_seen));
   for(int i = 0; i < KIMI_PANEL_LINES; i++)
      KimiPanelLabel(KimiPanelName(magic, "l" + IntegerToString(i)), x, top - i * KIMI_PANEL_LINE_HEIGHT, lines[i],
                     i == 0 && status.halted != 0 ? clrTomato : clrWhiteSmoke);
   const int by = top - KIMI_PANEL_LINES * KIMI_PANEL_LINE_HEIGHT - 4;
   KimiPanelButton(KimiPanelName(magic, "halt"), x, by, 70, state.halt_requested ? "Resume" : "Halt", true);
   KimiPanelButton(KimiPanelName(magic, "close"), x + 76, by, 80, "Close chart", true);
   KimiPanelButton(KimiPanelName(magic, "approve"), x + 162, by, 74, "Approve", state.awaiting_id != 0);
   KimiPanelButton(KimiPanelName(magic, "skip"), x + 242, by, 74, "Skip", state.awaiting_id != 0);
  }

//--- Every panel object of this EA
void KimiPanelDelete(const long magic)
  {
   const string prefix = KimiPanelName(magic, "");
   for(int k = ObjectsTotal(0, -1, -1) - 1; k >= 0; k--)
     {
      const string name = ObjectName(0, k, -1, -1);
      if(StringFind(name, prefix) == 0)
         ObjectDelete(0, name);
     }
  }

#endif // KIMIPANEL_MQH
//+------------------------------------------------------------------+
