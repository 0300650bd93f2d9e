"""Read a CBS StatLine table (Veilig Thuis figures) into the monitor: all figures or none."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monitoring.services.cbs import CbsFout, cbs_importeer, lees_bestand, lees_online
from regioaanpak.tabellen import Grenzen, te_groot


class Command(BaseCommand):
    help = (
        "Lees een tabel van CBS StatLine in (bijvoorbeeld 84847NED, Kerncijfers Veilig Thuis): "
        "uit een opgeslagen OData-antwoord (v3 of v4, JSON), een CSV-download of de map die "
        "cbsodata.download_data schrijft (--bestand), of rechtstreeks van CBS (--online). Welk "
        "onderwerp welke indicator vult staat in het beheer (CBS-koppelingen). Alles of niets."
    )

    def add_arguments(self, parser):
        parser.add_argument("tabel", help="Het CBS-tabelnummer, zoals 84847NED.")
        bron = parser.add_mutually_exclusive_group(required=True)
        bron.add_argument("--bestand", type=Path, help="JSON- of CSV-bestand, of een map.")
        bron.add_argument("--online", action="store_true", help="Rechtstreeks van CBS halen.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Alleen controleren en tellen; niets opslaan."
        )

    def handle(self, *args, tabel: str, bestand: Path | None, online: bool, dry_run: bool, **o):
        tabel = tabel.strip().upper()
        try:
            if online:
                cbs = lees_online(tabel)
            else:
                self._controleer_grootte(bestand)
                cbs = lees_bestand(bestand)
            uitkomst = cbs_importeer(tabel, cbs, dry_run=dry_run)
        except CbsFout as fout:
            raise CommandError(str(fout)) from fout
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Kan {bestand} niet lezen: {exc}.") from exc

        resultaat = uitkomst.resultaat
        if resultaat.fouten:
            for fout in resultaat.fouten:
                self.stderr.write(str(fout))
            aantal = len(resultaat.fouten)
            raise CommandError(
                f"Er is niets opgeslagen: {aantal} {'fout' if aantal == 1 else 'fouten'} in "
                f"tabel {tabel}."
            )
        self.stdout.write(
            f"{tabel} ({uitkomst.vorm}): {len(resultaat.rijen)} cijfers gelezen: "
            f"{resultaat.samenvatting()}."
        )
        for reden, aantal in sorted(uitkomst.overgeslagen.items()):
            self.stdout.write(f"Overgeslagen: {aantal} {reden}.")
        if uitkomst.wijzigingen:
            self.stdout.write(
                f"Bijgewerkt door een nieuwere CBS-publicatie ({len(uitkomst.wijzigingen)}):"
            )
            for regel in uitkomst.wijzigingen:
                self.stdout.write(f"  {regel}")
        if dry_run:
            self.stdout.write("Proefdraai (--dry-run): er is niets opgeslagen.")
        else:
            self.stdout.write(self.style.SUCCESS("Opgeslagen."))

    @staticmethod
    def _controleer_grootte(pad: Path) -> None:
        """The import's size ceiling, before anything is read."""
        grenzen = Grenzen.import_()
        bestanden = list(pad.glob("*.json")) if pad.is_dir() else [pad]
        try:
            grootte = sum(b.stat().st_size for b in bestanden)
        except OSError as exc:
            raise CommandError(f"Kan {pad} niet lezen: {exc.strerror}.") from exc
        fout = te_groot(grootte, grenzen)
        if fout is not None:
            raise CommandError(f"{fout.reden} ({pad.name})")
