"""Print a region's risk profile, and with --signalering its signalling analysis."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monitoring.selectors.risicoprofiel import (
    meldingen_uit_cijfers,
    risicoprofiel,
    signalering,
)
from monitoring.services.risicofactoren import meldingen_lezen
from regioaanpak.api.renderers import csv_veilig
from regioaanpak.inzage import Inzage
from regioaanpak.models import Regio
from regioaanpak.perioden import OngeldigePeriode, PeriodeCode

KOLOMMEN = ["gemeente", "naam", "score", "aantal_factoren", "rang", "klasse"]
SIGNAAL = ["meldingen_per_1000", "verwacht", "residu", "oordeel"]


def _getal(waarde, decimalen: int = 2) -> str:
    return "" if waarde is None else f"{float(waarde):.{decimalen}f}"


class Command(BaseCommand):
    help = (
        "Toon het risicoprofiel van een regio: per gemeente de risicoscore (som van z-scores), "
        "het aantal factoren, de rang en de klasse. Met --signalering ook de verhouding tot de "
        "meldingen per 1.000 inwoners (uit de cijfers van een periode of uit een bestand)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--regio", required=True, help="Regiocode, zoals VT18.")
        parser.add_argument("--format", choices=["tekst", "csv"], default="tekst")
        parser.add_argument("--signalering", action="store_true")
        bron = parser.add_mutually_exclusive_group()
        bron.add_argument("--periode", help="Meldingen uit de cijfers van deze periode (2022JJ00).")
        bron.add_argument(
            "--meldingen", type=Path, help="CSV met de kolommen gemeente en meldingen_per_1000."
        )

    def handle(self, *args, regio, format, signalering: bool, periode, meldingen, **options):
        regio_obj = Regio.objects.filter(code=regio.upper()).first()
        if regio_obj is None:
            raise CommandError(f"Onbekende regio: {regio}.")
        profiel = risicoprofiel(regio_obj)
        if not profiel.factoren:
            raise CommandError(
                f"{regio_obj.naam} heeft nog geen risicofactoren; importeer ze met "
                "importeer_risicofactoren."
            )
        kolommen = list(KOLOMMEN)
        signalen = None
        if signalering:
            if not (periode or meldingen):
                raise CommandError("Geef bij --signalering --periode CODE of --meldingen BESTAND.")
            signalen = signalering_van(self, profiel, periode, meldingen)
            kolommen += SIGNAAL
        elif periode or meldingen:
            raise CommandError("--periode en --meldingen horen bij --signalering.")

        rijen = []
        for score in profiel.scores:
            rij = [
                score.gemeente,
                score.naam,
                _getal(score.score),
                str(score.aantal_factoren),
                "" if score.rang is None else str(score.rang),
                score.klasse,
            ]
            if signalen is not None:
                s = signalen.signaal(score.gemeente)
                rij += (
                    [_getal(s.meldingen_per_1000), _getal(s.verwacht), _getal(s.residu), s.oordeel]
                    if s
                    else ["", "", "", ""]
                )
            rijen.append(rij)
        if format == "csv":
            schrijver = csv.writer(self.stdout, lineterminator="\n")
            schrijver.writerow(kolommen)
            schrijver.writerows([csv_veilig(cel) for cel in rij] for rij in rijen)
        else:
            breedtes = [max(len(k), *(len(r[i]) for r in rijen)) for i, k in enumerate(kolommen)]
            self.stdout.write(
                "  ".join(k.ljust(b) for k, b in zip(kolommen, breedtes, strict=True))
            )
            for rij in rijen:
                self.stdout.write("  ".join(v.ljust(b) for v, b in zip(rij, breedtes, strict=True)))
        if signalen is not None and signalen.melding:
            self.stderr.write(signalen.melding)


def signalering_van(command, profiel, periode, bestand):
    if periode:
        try:
            code = PeriodeCode.invoer(periode).code
        except OngeldigePeriode as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        # Run by the system's administrators on the server: raw, approved figures only.
        waarden = meldingen_uit_cijfers(profiel, code, Inzage.systeem("risicoprofiel"))
    else:
        try:
            inhoud = bestand.read_bytes()
        except OSError as exc:
            raise CommandError(f"Kan {bestand} niet lezen: {exc.strerror}.") from exc
        waarden, fouten = meldingen_lezen(inhoud, profiel)
        if fouten:
            for fout in fouten:
                command.stderr.write(str(fout))
            raise CommandError(f"{len(fouten)} fout(en) in {bestand.name}; niets berekend.")
    return signalering(profiel, waarden)
