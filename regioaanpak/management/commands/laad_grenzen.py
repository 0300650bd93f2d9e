"""Convert the committed TopoJSON boundaries to GeoJSON once and store them per municipality."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from regioaanpak.geo import topojson_naar_geojson
from regioaanpak.models import Gemeente, Gemeentegrens

BESTAND = re.compile(r"^gemeente_(\d{4})\.topojson$")
DECIMALEN = 5  # about one metre: plenty for a choropleth, and a third of the size


def _afronden(coordinaten):
    if isinstance(coordinaten[0], (int, float)):
        return [round(coordinaten[0], DECIMALEN), round(coordinaten[1], DECIMALEN)]
    return [_afronden(c) for c in coordinaten]


class Command(BaseCommand):
    help = (
        "Zet de gemeentegrenzen (TopoJSON, fixtures/geo/gemeente_JJJJ.topojson) eenmalig om "
        "naar GeoJSON en bewaar ze per gemeente en jaar, voor de kaarten op de dashboards."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--map",
            type=Path,
            default=settings.BASE_DIR / "fixtures" / "geo",
            help="Map met de bestanden.",
        )

    @transaction.atomic
    def handle(self, *args, map: Path, **options):
        bestanden = sorted(p for p in map.glob("gemeente_*.topojson") if BESTAND.match(p.name))
        if not bestanden:
            raise CommandError(f"Geen gemeente_JJJJ.topojson gevonden in {map}.")
        bekend = set(Gemeente.objects.values_list("cbs_code", flat=True))
        totaal = 0
        for pad in bestanden:
            jaar = int(BESTAND.match(pad.name).group(1))
            features = topojson_naar_geojson(pad)["features"]
            grenzen = [
                Gemeentegrens(
                    gemeente_id=f["id"],
                    jaar=jaar,
                    geometrie={
                        "type": f["geometry"]["type"],
                        "coordinates": _afronden(f["geometry"]["coordinates"]),
                    },
                )
                for f in features
                if f["id"] in bekend and f.get("geometry")
            ]
            Gemeentegrens.objects.filter(jaar=jaar).delete()
            Gemeentegrens.objects.bulk_create(grenzen, batch_size=200)
            totaal += len(grenzen)
            self.stdout.write(f"{pad.name}: {len(grenzen)} gemeentegrenzen ({jaar}).")
        self.stdout.write(f"{totaal} grenzen opgeslagen.")
