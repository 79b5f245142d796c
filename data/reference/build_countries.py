"""Rebuild data/reference/countries.csv from maintained sources (run by hand, output committed).

Sources: ISO 3166-1 names from pycountry; UN M49 sub-regions from country_converter's
country_data.tsv (read directly: its converter class fails to build under pandas 3.1, see
shared PITFALLS); World Bank income groups from income_groups.csv beside this file.
The M49 region is derived from the sub-region, with the Americas split into
"Latin America and the Caribbean" and "Northern America" as M49's intermediate level does.
"""

import csv
import importlib.util
from pathlib import Path

import pycountry

HERE = Path(__file__).parent
REGION_OF_SUBREGION = {
    "Northern Africa": "Africa",
    "Eastern Africa": "Africa",
    "Middle Africa": "Africa",
    "Southern Africa": "Africa",
    "Western Africa": "Africa",
    "Caribbean": "Latin America and the Caribbean",
    "Central America": "Latin America and the Caribbean",
    "South America": "Latin America and the Caribbean",
    "Northern America": "Northern America",
    "Central Asia": "Asia",
    "Eastern Asia": "Asia",
    "South-eastern Asia": "Asia",
    "Southern Asia": "Asia",
    "Western Asia": "Asia",
    "Eastern Europe": "Europe",
    "Northern Europe": "Europe",
    "Southern Europe": "Europe",
    "Western Europe": "Europe",
    "Australia and New Zealand": "Oceania",
    "Melanesia": "Oceania",
    "Micronesia": "Oceania",
    "Polynesia": "Oceania",
}


def main() -> None:
    spec = importlib.util.find_spec("country_converter")
    assert spec and spec.origin, "pip install country_converter to rebuild"
    tsv = Path(spec.origin).parent / "country_data.tsv"
    subregions = {
        row["ISO3"]: row["UNregion"]  # ISO3, not ISO2: some ISO2 cells are regexes (^GB$|^UK$)
        for row in csv.DictReader(tsv.open(encoding="utf-8"), delimiter="\t")
        if row["ISO3"] and not row["obsolete"]
    }
    incomes = {}
    income_csv = HERE / "income_groups.csv"
    if income_csv.exists():
        incomes = {r["iso2"]: r["income_group"] for r in csv.DictReader(income_csv.open())}
    rows = []
    for c in pycountry.countries:
        sub = subregions.get(c.alpha_3, "")
        if sub not in REGION_OF_SUBREGION:
            continue  # Antarctica and a few uninhabited territories
        name = getattr(c, "common_name", None) or c.name
        rows.append((c.alpha_2, name, REGION_OF_SUBREGION[sub], sub, incomes.get(c.alpha_2, "")))
    if "XK" not in {r[0] for r in rows}:  # Kosovo: user-assigned code used by the World Bank
        rows.append(("XK", "Kosovo", "Europe", "Southern Europe", incomes.get("XK", "")))
    rows.sort()
    with (HERE / "countries.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["iso2", "name", "region", "sub_region", "income_group"])
        writer.writerows(rows)
    print(f"{len(rows)} countries written")


if __name__ == "__main__":
    main()
