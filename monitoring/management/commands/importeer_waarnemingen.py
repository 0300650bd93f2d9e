"""Import figures from a CSV or Excel file: all rows or none, within the import's ceilings."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monitoring.services import waarnemingen_importeer, waarnemingen_lees_bestand
from regioaanpak.tabellen import Grenzen, te_groot


class Command(BaseCommand):
    help = (
        "Importeer waarnemingen uit een CSV- of Excelbestand (.xlsx) met de kolommen indicator, "
        "gebied "
        "(CBS-gemeentecode of regiocode), periode (CBS-periodecode), waarde en status. "
        "Alles of niets: bij één foute regel wordt niets opgeslagen."
    )

    def add_arguments(self, parser):
        parser.add_argument("bestand", type=Path, help="Pad naar het CSV- of Excelbestand.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Alleen controleren en tellen; niets opslaan.",
        )

    def handle(self, *args, bestand: Path, dry_run: bool, **options):
        grenzen = Grenzen.import_()
        try:
            fout = te_groot(bestand.stat().st_size, grenzen)  # before reading it
            if fout is not None:
                raise CommandError(f"{fout.reden} ({bestand.name})")
            inhoud = bestand.read_bytes()
        except OSError as exc:
            raise CommandError(f"Kan {bestand} niet lezen: {exc.strerror}.") from exc

        rijen, fouten = waarnemingen_lees_bestand(inhoud, bestand.name, grenzen)
        if not fouten:
            resultaat = waarnemingen_importeer(rijen=rijen, dry_run=dry_run)
            fouten = resultaat.fouten
        if fouten:
            for fout in fouten:
                self.stderr.write(str(fout))
            raise CommandError(
                f"Er is niets opgeslagen: {len(fouten)} "
                f"{'fout' if len(fouten) == 1 else 'fouten'} in {bestand.name}."
            )

        self.stdout.write(f"{len(resultaat.rijen)} regels gelezen: {resultaat.samenvatting()}.")
        if dry_run:
            self.stdout.write("Proefdraai (--dry-run): er is niets opgeslagen.")
        else:
            self.stdout.write(self.style.SUCCESS("Opgeslagen."))
