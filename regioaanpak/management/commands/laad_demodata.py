"""Load the real seed data and (once) the synthetic demo figures, and create the demo users."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from monitoring.models import Waarneming

FIXTURES = [
    "gebieden.json",
    "indicatoren.yaml",
    "inwonertallen.yaml",
    "regioaanpak_zhz.yaml",
    "regioaanpak_gz.yaml",
    "regioaanpak_rr.yaml",
    "regioaanpak_groningen.yaml",
]
DEMO_BRON = "Synthetische demodata"


class Command(BaseCommand):
    help = (
        "Laad de echte gegevens uit de beleidsdocumenten (fixtures), eenmalig synthetische "
        "democijfers voor de vier regio's, en maak per rol een demogebruiker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--opnieuw",
            action="store_true",
            help="Maak de synthetische democijfers opnieuw, ook als ze er al zijn.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Seed van de democijfers.")

    def handle(self, *args, opnieuw: bool, seed: int, **options):
        if settings.PRODUCTIE:
            raise CommandError("Demodata worden in productie niet geladen.")
        map_ = settings.BASE_DIR / "fixtures"
        for naam in FIXTURES:
            call_command("loaddata", str(map_ / naam), verbosity=0)
        self.stdout.write(f"Vaste gegevens geladen uit {len(FIXTURES)} bestanden in fixtures/.")
        call_command("laad_grenzen", verbosity=0, stdout=self.stdout)

        if opnieuw or not Waarneming.objects.filter(bron__startswith=DEMO_BRON).exists():
            call_command("genereer_demodata", "--schaal", "regio", "--seed", str(seed))
        else:
            self.stdout.write("Democijfers zijn er al (gebruik --opnieuw om ze te vervangen).")
        call_command("maak_demogebruikers")
