"""Build the concept reports (PDF) of all regions (Veilig Thuis regions and regions with a
regioaanpak) for one period.

    manage.py genereer_rapporten --periode 2021HJ01 [--regio VT06 VT24 ...]

A quarter (KW) gives quarterly reports, a half-year (HJ) half-year reports. The PDFs go to
rapporten/concept/<regio>_<periode>.pdf in the shared storage (the database). A region that
fails does not stop the others;
the failures are listed on stderr and the command then exits with code 1.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rapportage.batch import CONCEPTMAP, rapporten_genereren
from rapportage.selectors import OngeldigRapport

BALKBREEDTE = 30


def voortgangsbalk(klaar: int, totaal: int, regio_code: str, breedte: int = BALKBREEDTE) -> str:
    """'[#####-----] 5/10 VT24'."""
    gevuld = breedte * klaar // totaal if totaal else breedte
    return f"[{'#' * gevuld}{'-' * (breedte - gevuld)}] {klaar}/{totaal} {regio_code}"


class Command(BaseCommand):
    help = (
        "Maakt de conceptrapportage (PDF) van alle regio's (Veilig Thuis-regio's en regio's met "
        "een regioaanpak), of van de "
        "opgegeven regio's, voor één kwartaal of halfjaar. De bestanden komen in de gedeelde "
        f"opslag (de database) als {CONCEPTMAP}/<regio>_<periode>.pdf; u downloadt ze via de "
        "voortgangspagina van de taak."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--periode",
            required=True,
            help="Kwartaal (2021KW01: kwartaalrapportage) of halfjaar (2021HJ01: "
            "halfjaarrapportage).",
        )
        parser.add_argument(
            "--regio",
            dest="regios",
            nargs="+",
            action="extend",
            metavar="CODE",
            default=None,
            help="Alleen deze regio's (bijvoorbeeld VT06 VT24); standaard alle Veilig "
            "Thuis-regio's en alle regio's met een regioaanpak.",
        )

    def handle(self, *args: object, **opties: object) -> None:
        tty = self.stdout.isatty()

        def bij_voortgang(klaar: int, totaal: int, regio_code: str) -> None:
            balk = voortgangsbalk(klaar, totaal, regio_code)
            if tty:
                # Redraw one line; pad so a shorter region code leaves no leftovers.
                self.stdout.write(f"\r{balk:<{BALKBREEDTE + 20}}", ending="")
                self.stdout.flush()
            else:
                self.stdout.write(balk)

        try:
            resultaat = rapporten_genereren(
                periode=str(opties["periode"]),
                regio_codes=opties["regios"],  # type: ignore[arg-type]
                bij_voortgang=bij_voortgang,
            )
        except OngeldigRapport as fout:
            raise CommandError(str(fout)) from fout
        if tty and (resultaat.gelukt or resultaat.mislukt):
            self.stdout.write("")

        aantal = len(resultaat.gelukt)
        totaal = aantal + len(resultaat.mislukt)
        duur = f"{resultaat.duur:.1f}".replace(".", ",")
        if not totaal:
            self.stdout.write("Geen regio's gevonden; niets gemaakt.")
            return
        woord = "rapport" if aantal == 1 else "rapporten"
        self.stdout.write(
            self.style.SUCCESS(f"{aantal} van {totaal} {woord} gemaakt in {duur} s.")
            if not resultaat.mislukt
            else f"{aantal} van {totaal} {woord} gemaakt in {duur} s."
        )
        for regio_code, reden in resultaat.mislukt.items():
            self.stderr.write(f"{regio_code}: {reden}")
        if resultaat.mislukt:
            mislukt = len(resultaat.mislukt)
            raise CommandError(
                f"{mislukt} {'rapport is' if mislukt == 1 else 'rapporten zijn'} mislukt."
            )
