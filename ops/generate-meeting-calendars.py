#!/usr/bin/env python3
"""Writes the example sammanträdesplaner in workflows/organisations/*.json.

The dates are examples built by a rule (each body's usual weekday in given months), moved off Swedish
holidays; dates the seeds give are added as their own entries with a source. Run from the repository root:
    python3 ops/generate-meeting-calendars.py
"""
import datetime as dt
import json

YEARS = range(2022, 2037)  # cycles 2023–2035 need meetings the year before and after


def easter(y):
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    return dt.date(y, (h + l - 7 * m + 114) // 31, (h + l - 7 * m + 114) % 31 + 1)


def holidays(y):
    e = easter(y)
    mid = next(dt.date(y, 6, d) for d in range(20, 27) if dt.date(y, 6, d).weekday() == 5)
    saints = next(dt.date(y, 10, 31) + dt.timedelta(days=n) for n in range(7) if (dt.date(y, 10, 31) + dt.timedelta(days=n)).weekday() == 5)
    fixed = [(1, 1), (1, 6), (5, 1), (6, 6), (12, 24), (12, 25), (12, 26), (12, 31)]
    return {dt.date(y, m, d) for m, d in fixed} | {e - dt.timedelta(2), e, e + dt.timedelta(1), e + dt.timedelta(39), e + dt.timedelta(49), mid - dt.timedelta(1), mid, saints}


def working(d):
    return d.weekday() < 5 and d not in holidays(d.year)


def nth_weekday(y, m, weekday, n):
    """n-th (1-based; -1 = last) weekday (0 = Monday) of a month, moved to the next working day."""
    days = [dt.date(y, m, d) for d in range(1, 32) if _valid(y, m, d) and dt.date(y, m, d).weekday() == weekday]
    d = days[n - 1] if n > 0 else days[n]
    while not working(d):
        d += dt.timedelta(1)
    return d


def _valid(y, m, d):
    try:
        dt.date(y, m, d)
        return True
    except ValueError:
        return False


TUE, WED, THU = 1, 2, 3


def calendar(rules):
    out = []
    for body, weekday, months in rules:
        for y in YEARS:
            dates = [nth_weekday(y, m, weekday, n).isoformat() for m, n in months]
            out.append({"body": body, "year": y, "dates": dates, "example": True})
    return out


def dump(path, org):
    """Indented JSON, but one line per body and one line per sammanträdesplan entry, so a year reads at a glance."""
    head = {k: v for k, v in org.items() if k not in ("bodies", "meetings")}
    text = json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ",\n"
    for key in ("bodies", "meetings"):
        rows = ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in org[key])
        text += f'  "{key}": [\n{rows}\n  ]' + (",\n" if key == "bodies" else "\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "}\n")


def write(path, org, rules, extra):
    org["meetings"] = extra + calendar(rules)
    dump(path, org)


def roles(*pairs):
    return [{"id": i, "title": t} for i, t in pairs]


NAMND = ("namnd", "Nämnden (vid sammanträde)")
FD = ("forvaltningsdirektor", "Förvaltningsdirektör")
CONTROLLER = ("controller", "Controller")
SECRETARY = ("sekreterare", "Nämndsekreterare")

# Which month, which occurrence of the weekday.
RF_MONTHS = [(2, 3), (4, 3), (6, 2), (9, 4), (11, -1)]
RS_MONTHS = [(1, 4), (2, 4), (3, 4), (4, 4), (5, 4), (6, 2), (8, 4), (9, 4), (10, 4), (11, 2), (12, 2)]
NAMND_MONTHS = [(2, 2), (3, 2), (4, 2), (6, 2), (9, 2), (10, 2), (11, 2), (12, 2)]

vasterbotten = {
    "$schema": "../schema/organisation.schema.json",
    "id": "region-vasterbotten",
    "name": "Region Västerbotten",
    "timeZone": "Europe/Stockholm",
    "description": "Bodies from seed 001 section 1.2. Meeting dates marked \"example\" follow a rule (ops/generate-meeting-calendars.py): RF the third Tuesday of February and April, the second Tuesday of June, the fourth of September and the last Tuesday of November; RS the fourth Tuesday of every month but July (second in June, November, December); each nämnd the second Wednesday of February, March, April, June, September, October, November and December. A date on a holiday moves to the next working day.",
    "source": "seed 001 avsnitt 1.2 Region Västerbottens organisation: \"fem nämnder ... regionstyrelsen, hälso- och sjukvårdsnämnden, regionala utvecklingsnämnden, folkhögskolestyrelsen samt patientnämnden\"; \"en förvaltning per nämnd, totalt fem\"",
    "bodies": [
        {"id": "RF", "name": "Regionfullmäktige", "kind": "assembly", "roles": roles(("fullmaktige", "Regionfullmäktige (vid sammanträde)"), ("ordforande", "Fullmäktiges ordförande"))},
        {"id": "RS", "name": "Regionstyrelsen", "kind": "board", "roles": roles(NAMND, ("regiondirektor", "Regiondirektör"), ("ordforande", "Regionstyrelsens ordförande"))},
        {"id": "HSN", "name": "Hälso- och sjukvårdsnämnden", "kind": "committee", "roles": roles(NAMND, ("ordforande", "Ordförande"), SECRETARY)},
        {"id": "RUN", "name": "Regionala utvecklingsnämnden", "kind": "committee", "roles": roles(NAMND, ("ordforande", "Ordförande"), SECRETARY)},
        {"id": "FHS", "name": "Folkhögskolestyrelsen", "kind": "committee", "roles": roles(NAMND, ("ordforande", "Ordförande"), SECRETARY)},
        {"id": "PN", "name": "Patientnämnden", "kind": "committee", "roles": roles(NAMND, ("ordforande", "Ordförande"), SECRETARY)},
        {"id": "RSF", "name": "Regionstyrelsens förvaltning", "kind": "administration", "serves": "RS", "roles": roles(FD, CONTROLLER)},
        {"id": "HSF", "name": "Hälso- och sjukvårdsförvaltningen", "kind": "administration", "serves": "HSN", "roles": roles(FD, CONTROLLER)},
        {"id": "RUF", "name": "Regional utvecklingsförvaltning", "kind": "administration", "serves": "RUN", "roles": roles(FD, CONTROLLER)},
        {"id": "FHF", "name": "Folkhögskolornas förvaltning", "kind": "administration", "serves": "FHS", "roles": roles(FD, CONTROLLER)},
        {"id": "PNF", "name": "Patientnämndens förvaltning", "kind": "administration", "serves": "PN", "roles": roles(FD, CONTROLLER)},
        {"id": "EKO", "name": "Ekonomistaben", "kind": "staff", "roles": roles(("processagare", "Processägare (strateg, ekonomistaben)"), ("ekonomidirektor", "Ekonomidirektör"))},
        {"id": "CLG", "name": "Centrala ledningsgruppen", "kind": "managementGroup", "source": "seed 001 avsnitt 6.3 Dialogmöten i centrala ledningsgruppen, CLG", "roles": roles(("regiondirektor", "Regiondirektör (ordförande i CLG)"))},
        {"id": "REV", "name": "Revisionen", "kind": "audit", "source": "seed 001 avsnitt 1.2: \"Revisionens delegationsordning\"; avsnitt 5.5: \"Ram för Revisionen\"; kommunallagen 12 kap.", "roles": roles(("revisorer", "De förtroendevalda revisorerna"))},
    ],
}

extra_vb = []
write("workflows/organisations/region-vasterbotten.json", vasterbotten,
      [("RF", TUE, [m for m in RF_MONTHS]), ("RS", TUE, RS_MONTHS)] + [(b, WED, NAMND_MONTHS) for b in ["HSN", "RUN", "FHS", "PN"]],
      extra_vb)

# Dates the seeds (or a public record where the seeds are silent) give replace the rule's date in that month.
SEED_DATES = [
    ("RF", "2023-11-20", "seed 000 Regionplan: \"Ny regionplan för 2024-2027 tas fram under 2023 och beslutas 20-21 nov 2023\" (first day of the two-day meeting)"),
    ("RS", "2022-03-01", "seed 001 avsnitt 6.5: \"Beslut fattas av regionstyrelsen den 1 mars 2022\""),
    ("RS", "2022-10-31", "not in the seeds: Region Västerbottens regionstyrelse sammanträdde 31 oktober 2022 och föreslog skattesatsen (KL 11 kap. 8 §) eftersom regionplanen behandlades i november (meetingsplus.vll.se, regionstyrelsen 2022-10-31)"),
    ("RS", "2022-11-15", "not in the seeds: regionplanen 2023 behandlades av regionstyrelsen vid sammanträdet den 15 november 2022 (meetingsplus.vll.se, regionstyrelsen 2022-10-31)"),
]

path = "workflows/organisations/region-vasterbotten.json"
with open(path, encoding="utf-8") as f:
    data = json.load(f)
for n, (body, date, source) in enumerate(SEED_DATES):
    month = date[:7]
    for entry in data["meetings"]:
        if entry["body"] == body and entry["year"] == int(date[:4]):
            entry["dates"] = [d for d in entry["dates"] if not d.startswith(month)]
    data["meetings"].insert(n, {"body": body, "year": int(date[:4]), "dates": [date], "example": False, "source": source})
dump(path, data)

norrbotten = {
    "$schema": "../schema/organisation.schema.json",
    "id": "region-norrbotten",
    "name": "Region Norrbotten",
    "timeZone": "Europe/Stockholm",
    "description": "Seed 003 names regionfullmäktige, regionstyrelsen and \"nämnderna\" without listing them; the nämnder (hälso- och sjukvårdsnämnden, regionala utvecklingsnämnden, patientnämnden), förvaltningar and every meeting date here are examples. Rule (ops/generate-meeting-calendars.py): RF the third Tuesday of February and April, the second Tuesday of June, the fourth of September and the last Tuesday of November; RS the fourth Wednesday of every month but July (second in June and December); each nämnd the second Thursday of February, March, April, June, September, October, November and December.",
    "source": "seed 003 Planerings- och budgetprocess, Uppföljning",
    "bodies": [
        {"id": "RF", "name": "Regionfullmäktige", "kind": "assembly", "roles": roles(("fullmaktige", "Regionfullmäktige (vid sammanträde)"))},
        {"id": "RS", "name": "Regionstyrelsen", "kind": "board", "roles": roles(NAMND, ("regiondirektor", "Regiondirektör"))},
        {"id": "HSN", "name": "Hälso- och sjukvårdsnämnden", "kind": "committee", "example": True, "roles": roles(NAMND, SECRETARY)},
        {"id": "RUN", "name": "Regionala utvecklingsnämnden", "kind": "committee", "example": True, "roles": roles(NAMND, SECRETARY)},
        {"id": "PN", "name": "Patientnämnden", "kind": "committee", "example": True, "roles": roles(NAMND, SECRETARY)},
        {"id": "RSF", "name": "Regionförvaltningen", "kind": "administration", "serves": "RS", "example": True, "roles": roles(FD, CONTROLLER)},
        {"id": "HSF", "name": "Hälso- och sjukvårdsförvaltningen", "kind": "administration", "serves": "HSN", "example": True, "roles": roles(FD, CONTROLLER)},
        {"id": "RUF", "name": "Regional utvecklingsförvaltning", "kind": "administration", "serves": "RUN", "example": True, "roles": roles(FD, CONTROLLER)},
        {"id": "PNK", "name": "Patientnämndens kansli", "kind": "administration", "serves": "PN", "example": True, "roles": roles(FD, CONTROLLER)},
        {"id": "EKO", "name": "Ekonomistaben", "kind": "staff", "example": True, "roles": roles(("processagare", "Processägare (ekonomistaben)"), ("ekonomidirektor", "Ekonomidirektör"))},
        {"id": "CLG", "name": "Regionledningsgruppen", "kind": "managementGroup", "example": True, "roles": roles(("regiondirektor", "Regiondirektör"))},
        {"id": "REV", "name": "Revisionen", "kind": "audit", "source": "kommunallagen 12 kap.: fullmäktige väljer revisorer; seed 003 är tyst", "roles": roles(("revisorer", "De förtroendevalda revisorerna"))},
    ],
}
write("workflows/organisations/region-norrbotten.json", norrbotten,
      [("RF", TUE, RF_MONTHS), ("RS", WED, [(1, 4), (2, 4), (3, 4), (4, 4), (5, 4), (6, 2), (8, 4), (9, 4), (10, 4), (11, 4), (12, 2)])]
      + [(b, THU, NAMND_MONTHS) for b in ["HSN", "RUN", "PN"]], [])
