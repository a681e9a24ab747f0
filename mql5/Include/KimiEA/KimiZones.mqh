//+------------------------------------------------------------------+
//| KimiZones.mqh - draws the engine's live SMC structure            |
//|                                                                  |
//| kimi_get_zones after each closed bar -> chart objects named      |
//| "KimiEA.z.<magic>.<kind>.<dir>.<start time>": a zone keeps its   |
//| object from bar to bar, a zone no longer listed (mitigated gap   |
//| or block, a superseded break) loses it, and every object of this |
//| chart's EA goes on deinit. Colours: demand / bullish green,      |
//| supply / bearish red (gaps lighter), liquidity gold, the last    |
//| BOS/CHoCH blue, the dealing range grey with its equilibrium.     |
//+------------------------------------------------------------------+
#ifndef KIMIZONES_MQH
#define KIMIZONES_MQH

#include <KimiEA/KimiEA.mqh>

#define KIMIEA_ZONE_PREFIX "KimiEA.z."

//--- The prefix of this EA's zone objects on its chart (one EA per chart, named by its magic)
string KimiZonePrefix(const long magic)
  {
   return(KIMIEA_ZONE_PREFIX + IntegerToString(magic) + ".");
  }

//--- Colour of a zone: one colour per kind and side, the same on every chart
color KimiZoneColor(const long kind, const long direction)
  {
   if(kind == KIMI_ZONE_ORDER_BLOCK)
      return(direction == KIMI_BUY ? clrSeaGreen : clrIndianRed);
   if(kind == KIMI_ZONE_FVG)
      return(direction == KIMI_BUY ? clrPaleGreen : clrLightPink);
   if(kind == KIMI_ZONE_LIQUIDITY)
      return(clrGold);
   if(kind == KIMI_ZONE_BREAK)
      return(clrDodgerBlue);
   return(clrSilver);
  }

//--- Creates the object when missing, then sets its two anchor points and colour
void KimiZoneObject(const string name, const ENUM_OBJECT type, const datetime t1, const double p1, const datetime t2,
                    const double p2, const color clr, const int style, const string tooltip)
  {
   if(ObjectFind(0, name) < 0)
     {
      if(!ObjectCreate(0, name, type, 0, t1, p1, t2, p2))
         return;
      ObjectSetInteger(0, name, OBJPROP_BACK, true);
      ObjectSetInteger(0, name, OBJPROP_SELECTABLE, false);
      ObjectSetInteger(0, name, OBJPROP_HIDDEN, true);
      if(type == OBJ_TREND)
         ObjectSetInteger(0, name, OBJPROP_RAY_RIGHT, false);
     }
   ObjectMove(0, name, 0, t1, p1);
   ObjectMove(0, name, 1, t2, p2);
   ObjectSetInteger(0, name, OBJPROP_COLOR, clr);
   ObjectSetInteger(0, name, OBJPROP_STYLE, style);
   ObjectSetString(0, name, OBJPROP_TOOLTIP, tooltip);
  }

//--- Draws up to max_objects zones; deletes this EA's zone objects that are no longer listed.
//--- zones[] must hold max_objects elements. Returns the number of zones drawn (< 0: the export failed).
int KimiDrawZones(const long handle, const long magic, KimiZone &zones[], const int max_objects)
  {
   const int count = kimi_get_zones(handle, zones, max_objects);
   if(count < 0)
      return(count);
   const string prefix = KimiZonePrefix(magic);
   const datetime now = iTime(_Symbol, _Period, 0);
   string keep[];
   ArrayResize(keep, count);
   for(int i = 0; i < count; i++)
     {
      const datetime start = (datetime)(zones[i].start_time > 0 ? zones[i].start_time : iTime(_Symbol, _Period, Bars(_Symbol, _Period) - 1));
      const datetime end = zones[i].end_time > 0 ? (datetime)zones[i].end_time : now;
      const string name = prefix + IntegerToString(zones[i].kind) + "." + IntegerToString(zones[i].direction) + "." + IntegerToString(zones[i].start_time);
      keep[i] = name;
      const color clr = KimiZoneColor(zones[i].kind, zones[i].direction);
      if(zones[i].kind == KIMI_ZONE_ORDER_BLOCK || zones[i].kind == KIMI_ZONE_FVG)
         KimiZoneObject(name, OBJ_RECTANGLE, start, zones[i].top, now, zones[i].bottom, clr, STYLE_SOLID,
                        StringFormat("%s %s %.5f-%.5f", zones[i].kind == KIMI_ZONE_ORDER_BLOCK ? "order block" : "fair value gap",
                                     zones[i].direction == KIMI_BUY ? "bullish" : "bearish", zones[i].bottom, zones[i].top));
      else
         if(zones[i].kind == KIMI_ZONE_LIQUIDITY)
            KimiZoneObject(name, OBJ_TREND, start, zones[i].top, end, zones[i].top, clr,
                           (zones[i].flags & KIMI_ZONE_FLAG_SWEPT) != 0 ? STYLE_DOT : STYLE_DASH,
                           StringFormat("%s liquidity (%I64d swings)%s", zones[i].direction == KIMI_BUY ? "buy-side" : "sell-side",
                                        zones[i].members, (zones[i].flags & KIMI_ZONE_FLAG_SWEPT) != 0 ? ", swept" : ""));
         else
            if(zones[i].kind == KIMI_ZONE_BREAK)
               KimiZoneObject(name, OBJ_TREND, start, zones[i].top, end, zones[i].top, clr, STYLE_SOLID,
                              StringFormat("%s %s at %.5f", (zones[i].flags & KIMI_ZONE_FLAG_CHOCH) != 0 ? "CHoCH" : "BOS",
                                           zones[i].direction == KIMI_BUY ? "bullish" : "bearish", zones[i].top));
            else
               if(zones[i].kind == KIMI_ZONE_LEG)
                  KimiZoneObject(name, OBJ_TREND, start, zones[i].value, now, zones[i].value, clr, STYLE_DOT,
                                 StringFormat("equilibrium %.5f of %.5f-%.5f: price in %s", zones[i].value, zones[i].bottom, zones[i].top,
                                              zones[i].direction == KIMI_BUY ? "discount" : zones[i].direction == KIMI_SELL ? "premium" : "equilibrium"));
     }
   //--- what is no longer listed goes (walk backwards: deleting shifts the indexes after it)
   for(int k = ObjectsTotal(0, -1, -1) - 1; k >= 0; k--)
     {
      const string name = ObjectName(0, k, -1, -1);
      if(StringFind(name, prefix) != 0)
         continue;
      bool listed = false;
      for(int i = 0; i < count && !listed; i++)
         listed = keep[i] == name;
      if(!listed)
         ObjectDelete(0, name);
     }
   return(count);
  }

//--- Every zone object of this EA (OnDeinit, or when drawing is turned off)
void KimiDeleteZones(const long magic)
  {
   const string prefix = KimiZonePrefix(magic);
   for(int k = ObjectsTotal(0, -1, -1) - 1; k >= 0; k--)
     {
      const string name = ObjectName(0, k, -1, -1);
      if(StringFind(name, prefix) == 0)
         ObjectDelete(0, name);
     }
  }

#endif // KIMIZONES_MQH
//+------------------------------------------------------------------+
