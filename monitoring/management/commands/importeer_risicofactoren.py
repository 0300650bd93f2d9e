"""Import a region's risk factors from a CSV file: all rows or none."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monitoring.services.risicofactoren import risicofactoren_importeer
from regioaanpak.models import Regio


class Command(BaseCommand):
    help = (
        "Importeer risicofactoren per gemeente voor een regio uit een CSV-bestand met de kolommen "
        "gemeente (CBS-code), factor, waarde (leeg: ontbreekt), richting (1 of -1) en optioneel "
        "bron en peiljaar. Alles of niets."
    )

    def add_arguments(self, parser):
        parser.add_argument("--regio", required=True, help="Regiocode, zoals VT18.")
        parser.add_argument("bestand", type=Path, help="Pad naar het CSV-bestand.")

    def handle(self, *args, regio: str, bestand: Path, **options):
        regio_obj = Regio.objects.filter(code=regio.upper()).first()
        if regio_obj is None:
            raise CommandError(f"Onbekende regio: {regio}.")
        try:
            inhoud = bestand.read_bytes()
        except OSError as exc:
            raise CommandError(f"Kan {bestand} niet lezen: {exc.strerror}.") from exc
        resultaat = risicofactoren_importeer(regio=regio_obj, inhoud=inhoud)
        if not resultaat.geldig:
            for fout in resultaat.fouten:
                self.stderr.write(str(fout))
            aantal = len(resultaat.fouten)
            raise CommandError(
                f"Er is niets opgeslagen: {aantal} {'fout' if aantal == 1 else 'fouten'} in "
                f"{bestand.name}."
            )
        self.stdout.write(
            f"{len(resultaat.regels)} regels voor {regio_obj.naam}: {resultaat.samenvatting()}."
        )
