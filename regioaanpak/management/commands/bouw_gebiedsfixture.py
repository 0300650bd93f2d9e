"""Build fixtures/gebieden.json: municipalities, regions and memberships.

Veilig Thuis memberships follow the CBS boundaries (the region polygon containing a
municipality's representative point), except where the policy documents say otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from regioaanpak.choices import RegioSoort
from regioaanpak.geo import (
    meerderheid_hoekpunten,
    punt_in_geometrie,
    representatief_punt,
    topojson_naar_geojson,
)

Datum = dt.date | None

# Current municipalities with a start date: code -> geldig_van.
NIEUWE_GEMEENTEN: dict[str, dt.date] = {
    "GM1992": dt.date(2023, 1, 1),  # Voorne aan Zee
    "GM1978": dt.date(2019, 1, 1),  # Molenlanden
    "GM1961": dt.date(2019, 1, 1),  # Vijfheerenlanden
}

# Merged municipalities: code -> (naam, geldig_tot, opgevolgd_door).
VOORGANGERS: dict[str, tuple[str, dt.date, str]] = {
    "GM0501": ("Brielle", dt.date(2022, 12, 31), "GM1992"),
    "GM0530": ("Hellevoetsluis", dt.date(2022, 12, 31), "GM1992"),
    "GM0614": ("Westvoorne", dt.date(2022, 12, 31), "GM1992"),
    "GM0457": ("Weesp", dt.date(2022, 3, 23), "GM0363"),
    "GM0689": ("Giessenlanden", dt.date(2018, 12, 31), "GM1978"),
    "GM1927": ("Molenwaard", dt.date(2018, 12, 31), "GM1978"),
    "GM0545": ("Leerdam", dt.date(2018, 12, 31), "GM1961"),
    "GM0707": ("Zederik", dt.date(2018, 12, 31), "GM1961"),
    "GM0620": ("Vianen", dt.date(2018, 12, 31), "GM1961"),
}

NAAMCORRECTIES = {
    "VT06": "Gelderland-Zuid",
    "VT18": "Rotterdam-Rijnmond",
    "VT21": "West-Brabant",
    "VT24": "Zuid-Holland Zuid",
}

CENTRUMGEMEENTEN = {"VT06": "GM0268", "VT08": "GM0014", "VT18": "GM0599", "VT24": "GM0505"}

# Veilig Thuis regions whose composition is fixed by the policy documents (not by geography).
VASTE_SAMENSTELLING: dict[str, list[str]] = {
    "VT24": [
        "Alblasserdam",
        "Dordrecht",
        "Gorinchem",
        "Hardinxveld-Giessendam",
        "Hendrik-Ido-Ambacht",
        "Hoeksche Waard",
        "Papendrecht",
        "Sliedrecht",
        "Zwijndrecht",
        "Giessenlanden",
        "Molenwaard",
        "Leerdam",
        "Zederik",
        "Molenlanden",
        "Vijfheerenlanden",
    ],
    "VT06": [
        "Berg en Dal",
        "Beuningen",
        "Buren",
        "Culemborg",
        "Druten",
        "Heumen",
        "Maasdriel",
        "Mook en Middelaar",  # by service agreement; not in VT13
        "Neder-Betuwe",
        "Nijmegen",
        "Tiel",
        "West Maas en Waal",
        "West Betuwe",
        "Wijchen",
        "Zaltbommel",
    ],
    "VT18": [
        "Albrandswaard",
        "Barendrecht",
        "Capelle aan den IJssel",
        "Goeree-Overflakkee",
        "Krimpen aan den IJssel",
        "Lansingerland",
        "Maassluis",
        "Nissewaard",
        "Ridderkerk",
        "Rotterdam",
        "Schiedam",
        "Vlaardingen",
        "Brielle",
        "Hellevoetsluis",
        "Westvoorne",
        "Voorne aan Zee",
    ],
}

# Single municipalities placed by policy in a region that is otherwise geographic.
# Weesp belonged to Veilig Thuis Gooi en Vechtstreek until its merger with Amsterdam (2022);
# the 2022 VT layer already shows the situation after the merger.
LOSSE_TOEWIJZINGEN = {"Vianen": "VT20", "Gennep": "VT13", "Weesp": "VT07"}

# Sub-regions and centrumgemeenteregio's: code -> (naam, soort, bovenliggende, centrum, leden).
DEELREGIO_S: dict[str, tuple[str, str, str, str | None, list[str]]] = {
    "GZ-RVN": (
        "Rijk van Nijmegen",
        RegioSoort.SUBREGIO,
        "VT06",
        None,
        [
            "Berg en Dal",
            "Beuningen",
            "Druten",
            "Heumen",
            "Mook en Middelaar",
            "Nijmegen",
            "Wijchen",
        ],
    ),
    "GZ-RIV": (
        "Rivierenland",
        RegioSoort.SUBREGIO,
        "VT06",
        None,
        [
            "Buren",
            "Culemborg",
            "Maasdriel",
            "Neder-Betuwe",
            "Tiel",
            "West Betuwe",
            "West Maas en Waal",
            "Zaltbommel",
        ],
    ),
    "CG-ROT": (
        "Centrumgemeenteregio Rotterdam",
        RegioSoort.CENTRUMGEMEENTEREGIO,
        "VT18",
        "GM0599",
        [
            "Rotterdam",
            "Albrandswaard",
            "Barendrecht",
            "Capelle aan den IJssel",
            "Lansingerland",
            "Krimpen aan den IJssel",
            "Ridderkerk",
        ],
    ),
    "CG-NIS": (
        "Centrumgemeenteregio Nissewaard",
        RegioSoort.CENTRUMGEMEENTEREGIO,
        "VT18",
        "GM1930",
        [
            "Nissewaard",
            "Goeree-Overflakkee",
            "Hoeksche Waard",
            "Brielle",
            "Hellevoetsluis",
            "Westvoorne",
            "Voorne aan Zee",
        ],
    ),
    "CG-VLA": (
        "Centrumgemeenteregio Vlaardingen",
        RegioSoort.CENTRUMGEMEENTEREGIO,
        "VT18",
        "GM0622",
        ["Vlaardingen", "Schiedam", "Maassluis"],
    ),
}


def _iso(datum: Datum) -> str | None:
    return datum.isoformat() if datum else None


class Command(BaseCommand):
    help = (
        "Schrijft een fixture met gemeenten, regio's en lidmaatschappen, afgeleid uit de "
        "CBS-grenzen (TopoJSON) en de afspraken uit de beleidsstukken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--geo-map",
            type=Path,
            default=settings.BASE_DIR / "fixtures" / "geo",
            help="Map met gemeente_2023, gemeente_2022 en veiligthuisregio_2022 (.topojson).",
        )
        parser.add_argument(
            "--uitvoer",
            type=Path,
            default=settings.BASE_DIR / "fixtures" / "gebieden.json",
            help="Pad van de fixture die wordt geschreven.",
        )

    def handle(self, *args: Any, geo_map: Path, uitvoer: Path, **opties: Any) -> None:
        def lees(naam: str) -> dict[str, dict[str, Any]]:
            pad = geo_map / f"{naam}.topojson"
            if not pad.exists():
                raise CommandError(f"Bestand {pad} bestaat niet.")
            return {f["id"]: f for f in topojson_naar_geojson(pad, naam)["features"]}

        gm2023, gm2022, vt = (
            lees(n) for n in ("gemeente_2023", "gemeente_2022", "veiligthuisregio_2022")
        )

        # --- municipalities: code -> (naam, geldig_van, geldig_tot, opgevolgd_door)
        gemeenten: dict[str, tuple[str, Datum, Datum, str | None]] = {
            code: (f["properties"]["statnaam"], NIEUWE_GEMEENTEN.get(code), None, None)
            for code, f in gm2023.items()
        }
        for code, (naam, tot, opvolger) in VOORGANGERS.items():
            if code in gm2022 and gm2022[code]["properties"]["statnaam"] != naam:
                raise CommandError(f"{code} heet in gemeente_2022 niet {naam}.")
            gemeenten[code] = (naam, None, tot, opvolger)
        codes_per_naam: dict[str, list[str]] = defaultdict(list)
        for code, (naam, *_) in gemeenten.items():
            codes_per_naam[naam].append(code)

        def code_van(naam: str) -> str:
            codes = codes_per_naam.get(naam, [])
            if len(codes) != 1:
                raise CommandError(f"Gemeente {naam!r} niet eenduidig gevonden ({codes}).")
            return codes[0]

        # --- Veilig Thuis membership: policy first, then geography
        vt_van: dict[str, str] = {}
        for regio, namen in VASTE_SAMENSTELLING.items():
            for naam in namen:
                vt_van[code_van(naam)] = regio
        for naam, regio in LOSSE_TOEWIJZINGEN.items():
            vt_van[code_van(naam)] = regio
        vrij = {c: f["geometry"] for c, f in vt.items() if c not in VASTE_SAMENSTELLING}
        for code in sorted(gemeenten):
            feature = gm2023.get(code) or gm2022.get(code)
            if feature is None:
                if code not in vt_van:
                    raise CommandError(f"Geen grens en geen afspraak voor {code}.")
                continue
            punt = representatief_punt(feature["geometry"])
            treffers = [c for c, f in vt.items() if punt_in_geometrie(punt, f["geometry"])]
            naam = gemeenten[code][0]
            if code in vt_van:
                if treffers != [vt_van[code]]:
                    self.stdout.write(
                        f"Beleid boven geografie: {naam} ({code}) ligt in "
                        f"{', '.join(treffers) or 'geen regio'}, hoort bij {vt_van[code]}."
                    )
                continue
            if len(treffers) == 1 and treffers[0] in vrij:
                vt_van[code] = treffers[0]
                continue
            winnaar, stemmen = meerderheid_hoekpunten(feature["geometry"], vrij)
            if winnaar is None:
                raise CommandError(f"{naam} ({code}) ligt in geen enkele Veilig Thuis-regio.")
            self.stderr.write(
                self.style.WARNING(
                    f"Let op: {naam} ({code}) valt in {', '.join(treffers) or 'geen regio'}; "
                    f"op meerderheid van hoekpunten ({dict(stemmen)}) ingedeeld bij {winnaar}."
                )
            )
            vt_van[code] = winnaar

        # --- regions: code -> fields
        regio_s: dict[str, dict[str, Any]] = {
            "NL01": {
                "naam": "Nederland",
                "soort": RegioSoort.LAND,
                "cbs_code": "NL01",
                "centrumgemeente": None,
                "bovenliggende": None,
            }
        }
        for code, f in sorted(vt.items()):
            regio_s[code] = {
                "naam": NAAMCORRECTIES.get(code, f["properties"]["statnaam"]),
                "soort": RegioSoort.VEILIG_THUIS_REGIO,
                "cbs_code": code,
                "centrumgemeente": CENTRUMGEMEENTEN.get(code),
                "bovenliggende": "NL01",
            }
        leden: list[tuple[str, str]] = [("NL01", code) for code in gemeenten]
        leden += [(regio, code) for code, regio in vt_van.items()]
        for code, (naam, soort, boven, centrum, namen) in DEELREGIO_S.items():
            regio_s[code] = {
                "naam": naam,
                "soort": soort,
                "cbs_code": "",
                "centrumgemeente": centrum,
                "bovenliggende": boven,
            }
            leden += [(code, code_van(n)) for n in namen]
        if len(set(leden)) != len(leden):
            raise CommandError("Dubbele lidmaatschappen.")

        # --- fixture: parents before children, memberships numbered in sorted order
        niveau = {code: 0 if code == "NL01" else 1 if code in vt else 2 for code in regio_s}
        objecten: list[dict[str, Any]] = []
        for code, (naam, van, tot, opvolger) in sorted(gemeenten.items()):
            velden = {"naam": naam, "geldig_van": _iso(van), "geldig_tot": _iso(tot)}
            objecten.append(
                {
                    "model": "regioaanpak.gemeente",
                    "pk": code,
                    "fields": {**velden, "opgevolgd_door": opvolger},
                }
            )
        for code in sorted(regio_s, key=lambda c: (niveau[c], c)):
            velden = {k: str(v) if v is not None else None for k, v in regio_s[code].items()}
            objecten.append({"model": "regioaanpak.regio", "pk": code, "fields": velden})
        for pk, (regio, gemeente) in enumerate(
            sorted(leden, key=lambda rg: (niveau[rg[0]], rg[0], rg[1])), start=1
        ):
            _, van, tot, _ = gemeenten[gemeente]
            velden = {
                "regio": regio,
                "gemeente": gemeente,
                "geldig_van": _iso(van),
                "geldig_tot": _iso(tot),
            }
            objecten.append({"model": "regioaanpak.lidmaatschap", "pk": pk, "fields": velden})

        uitvoer.parent.mkdir(parents=True, exist_ok=True)
        uitvoer.write_text(
            json.dumps(objecten, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )

        per_regio = Counter(regio for regio, _ in leden)
        self.stdout.write(
            f"{len(gemeenten)} gemeenten, {len(regio_s)} regio's en {len(leden)} "
            f"lidmaatschappen geschreven naar {uitvoer}."
        )
        for code in sorted(regio_s, key=lambda c: (niveau[c], c)):
            self.stdout.write(f"  {code} {regio_s[code]['naam']}: {per_regio[code]} gemeenten")
