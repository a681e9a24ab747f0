#!/usr/bin/env python3
"""Derives EURJPY_M1_2013-02.derived.csv = USDJPY M1 (FXCM, this folder) x EURUSD H1 (OANDA, ../lean-oanda).

Each USDJPY minute is multiplied by the open of the EURUSD H1 bar that started last at or before that minute (the
EURUSD price known at that moment: no look-ahead). OHLC are rounded to 3 decimals (EURJPY's 0.001 point); the spread
in EURJPY points is round(USDJPY spread x EURUSD open), clamped at 0 (the FXCM file has crossed bars with negative
spreads). Run from the repository root: python3 data/samples/nautilus-fx/derive_eurjpy.py
"""
import bisect, csv, os

here = os.path.dirname(os.path.abspath(__file__))
eur = []
with open(os.path.join(here, "..", "lean-oanda", "EURUSD_H1_2007-2018.norm.csv")) as f:
    for r in csv.DictReader(f):
        eur.append((r["time_utc"], float(r["open"])))
times = [t for t, _ in eur]
with open(os.path.join(here, "USDJPY_M1_2013-02.norm.csv")) as f, \
        open(os.path.join(here, "EURJPY_M1_2013-02.derived.csv"), "w", newline="\n") as out:
    out.write("time_utc,open,high,low,close,volume,spread_points\n")
    for r in csv.DictReader(f):
        i = bisect.bisect_right(times, r["time_utc"]) - 1
        rate = eur[i][1]
        o, h, l, c = (round(float(r[k]) * rate, 3) for k in ("open", "high", "low", "close"))
        spread = max(0, round(int(r["spread_points"]) * rate))
        out.write(f"{r['time_utc']},{o:.3f},{h:.3f},{l:.3f},{c:.3f},0,{spread}\n")
