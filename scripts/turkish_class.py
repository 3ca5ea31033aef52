"""Solve the Turkish rail line class from the 120 h Georgian border -> Köseköy standard time.

docs/calibration.md ("Line classes", Türkiye): ADY Container's standard time for a container
train across Türkiye, from the Georgian border to Köseköy (İzmit), is 120 h (RailFreight.com,
2020). The class speed is that time spread over the model's own length of the stretch: the
Turkish 76 of Akhalkalaki-Kars's 105 km, Kars-Erzurum-Sivas-Kayseri-Ankara, and Ankara-Istanbul
less Köseköy-Halkalı (Köseköy-Gebze 56 km + Gebze-Halkalı 76.6 km). Every Turkish line but
Halkalı-Kapıkule (a sourced section time) runs at it; Kapıkule-Svilengrad at the harmonic mean
with the Balkan class, Akhalkalaki-Kars at the length-weighted mean with the Georgian line it
continues. Re-run it when a distance on the stretch changes (for example after a merge): it
rewrites only the speed cell, the speed sentence of the note and the source list of those rows.

    python scripts/turkish_class.py           # print the speeds the distances give
    python scripts/turkish_class.py --write   # also rewrite the rows in links.csv
"""

from __future__ import annotations

import argparse
import csv
import io
import re
from pathlib import Path

LINKS = Path(__file__).resolve().parent.parent / "src/corridor/data/eurasia/links.csv"
STANDARD_TIME_H = 120.0
GE_KM, TR_KM = 29.0, 76.0  # Akhalkalaki-Kars, sourced split
KOSEKOY_HALKALI_KM = 56.0 + 76.6
KARS_ANKARA = ["rail_KRS_ERZ", "rail_ERZ_SIV", "rail_SIV_KAY", "rail_KAY_ANK"]
CLASS_ROWS = [*KARS_ANKARA, "rail_ANK_IST", "rail_MER_KAY", "rail_SIV_SSX"]
SOURCES = ["ady-alat-boyukkesik-2020", "sabah-gebze-kosekoy-2012", "railwaypro-gebze-halkali-2019"]
# The speed sentence of each kind of row, as written now or before the class.
CLASS_OLD = [
    r"Speed: [\d.]+ km/h, the Turkish line class .*?the 2020 train's 50 h\.",
    r"Speed: 900 km a day \(37\.5 km/h\) for container block trains.*?assumed before\)\.",
    r"Speed: about 500 km a day assumed in Türkiye \(estimate; the WB notes infrastructure gaps\)\.",
]
AKH_OLD = [
    r"Speed: [\d.]+ km/h, the length-weighted harmonic mean of its two parts.*?whole link\)\.",
    r"Speed: about 500 km a day assumed on the Baku-Tbilisi-Kars line \(estimate\)\.",
]
KPK_OLD = [
    r"Speed: [\d.]+ km/h, the harmonic mean of the Turkish line class.*?before\);",
    r"Speed: 33\.33 km/h, the harmonic mean of the Turkish main-line speed.*?no longer carried\);",
]


def _rows(lines: list[str]) -> tuple[dict[str, int], dict[str, list[str]]]:
    header = next(csv.reader([lines[0]]))
    rows = {f[0]: f for f in csv.reader(line for line in lines[1:] if line)}
    return {name: i for i, name in enumerate(header)}, rows


def _line(fields: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(fields)
    return buf.getvalue()


def _solve(col: dict[str, int], rows: dict[str, list[str]]) -> dict[str, float | str]:
    km = {k: float(f[col["distance_km"]]) for k, f in rows.items()}
    border = km["rail_AKH_KRS"] * TR_KM / (GE_KM + TR_KM)
    kars_ankara = sum(km[k] for k in KARS_ANKARA)
    ankara_kosekoy = km["rail_ANK_IST"] - KOSEKOY_HALKALI_KM
    stretch = border + kars_ankara + ankara_kosekoy
    v = round(stretch / STANDARD_TIME_H, 2)
    georgian = float(rows["rail_MAR_AKH"][col["speed_kmh"]])
    balkan = float(rows["rail_SVI_RUS"][col["speed_kmh"]])
    total = GE_KM + TR_KM
    return {
        "v": v, "stretch": stretch, "border": border, "kars_ankara": kars_ankara,
        "ankara_kosekoy": ankara_kosekoy, "akh_km": km["rail_AKH_KRS"],
        "ank_km": km["rail_ANK_IST"], "georgian": georgian, "balkan": balkan,
        "akh": round(1 / ((GE_KM / total) / georgian + (TR_KM / total) / v), 2),
        "kpk": round(2 / (1 / v + 1 / balkan), 2),
        "ank_src": "its OpenStreetMap geometry" if rows["rail_ANK_IST"][col["distance_source"]]
        else "an estimate",
    }  # fmt: skip


def _sentences(s: dict[str, float | str]) -> dict[str, str]:
    v = s["v"]
    cls = (
        f"Speed: {v} km/h, the Turkish line class (docs/calibration.md, Line classes): the "
        "standard time of a container train across Türkiye from the Georgian border to Köseköy "
        "(İzmit), 120 h (ADY Container via RailFreight.com, July 2020: a Xi'an-Izmit train "
        "crossed Türkiye in a record 50 h, 'seventy hours faster than the standard time'; "
        "ady-alat-boyukkesik-2020), over the model's own length of that stretch, "
        f"{s['stretch']:,.1f} km: the Turkish 76 of the 105 km Akhalkalaki-Kars ({s['akh_km']:g} "
        f"x 76/105 = {s['border']:.1f} km), Kars-Erzurum-Sivas-Kayseri-Ankara "
        f"{s['kars_ankara']:,.0f} km, and Ankara-Istanbul {s['ank_km']:g} km ({s['ank_src']}) "
        "less Köseköy-Halkalı 132.6 km (Köseköy-Gebze 56 km, sabah-gebze-kosekoy-2012, plus "
        f"Gebze-Halkalı 76.6 km, railwaypro-gebze-halkali-2019) = {s['ankara_kosekoy']:.1f} km; "
        f"{s['stretch']:,.1f} / 120 = {v} km/h (derived with scripts/turkish_class.py; stops en "
        "route and the Kars formalities are inside the 120 h, so the running speed may be a "
        "little higher). One class for every Turkish line (estimate beyond that stretch). It "
        "replaces 900 km a day (37.5 km/h) from two first trains (Kars-Mersin in 1.5 days, 2017, "
        "tr-btk-train-2017; Ankara-Marmaray in 12-14 h, 2019, tr-marmaray-train-2019), now "
        "section checks: record runs like the 2020 train's 50 h."
    )
    akh = (
        f"Speed: {s['akh']} km/h, the length-weighted harmonic mean of its two parts, 1 / "
        f"((29/105) / {s['georgian']:g} + (76/105) / {v}): the 29 km in Georgia at the speed of "
        f"the Georgian line it continues ({s['georgian']:g} km/h; Georgia has no sourced class) "
        f"and the 76 km in Türkiye at the Turkish line class ({v} km/h, 120 h standard time "
        "Georgian border-Köseköy, ady-alat-boyukkesik-2020; docs/calibration.md, Line classes) "
        "(derived; it was 500 km a day assumed for the whole link)."
    )
    kpk = (
        f"Speed: {s['kpk']} km/h, the harmonic mean of the Turkish line class ({v} km/h, the "
        "120 h standard time Georgian border-Köseköy, ady-alat-boyukkesik-2020) and the Balkan "
        f"1435 line class ({s['balkan']:g} km/h), i.e. half the link's length run at each "
        "(estimate; 33.33 km/h with the 37.5 km/h of two first trains before);"
    )
    return {"class": cls, "akh": akh, "kpk": kpk}


def _rewrite(fields: list[str], col: dict[str, int], speed: float, olds: list[str], new: str,
             sources: list[str]) -> list[str]:  # fmt: skip
    note = fields[col["note"]]
    pattern = next((p for p in olds if re.search(p, note)), None)
    if pattern is None:
        raise SystemExit(f"links.csv {fields[0]}: no speed sentence to replace in its note")
    out = list(fields)
    out[col["speed_kmh"]] = f"{speed:g}"
    out[col["note"]] = re.sub(pattern, lambda _: new, note, count=1)
    have = out[col["source"]].split(";")
    out[col["source"]] = ";".join(have + [x for x in sources if x not in have])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the rows in links.csv")
    args = parser.parse_args()
    lines = LINKS.read_text(encoding="utf-8").split("\n")
    col, rows = _rows(lines)
    s = _solve(col, rows)
    new = _sentences(s)
    plan = {k: (float(s["v"]), CLASS_OLD, new["class"], SOURCES) for k in CLASS_ROWS}
    plan["rail_AKH_KRS"] = (float(s["akh"]), AKH_OLD, new["akh"], SOURCES)
    plan["rail_KPK_SVI"] = (float(s["kpk"]), KPK_OLD, new["kpk"], SOURCES[:1])
    print(f"stretch {s['stretch']:.1f} km / {STANDARD_TIME_H:g} h = {s['v']} km/h; "
          f"Akhalkalaki-Kars {s['akh']}, Kapıkule-Svilengrad {s['kpk']}")  # fmt: skip
    changed = 0
    for i, line in enumerate(lines[1:], start=1):
        fields = next(csv.reader([line])) if line else []
        if fields and fields[0] in plan:
            rewritten = _line(_rewrite(fields, col, *plan[fields[0]]))
            changed += rewritten != line
            lines[i] = rewritten
    print(f"{changed} row(s) {'rewritten' if args.write else 'would change'}")
    if args.write:
        LINKS.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
