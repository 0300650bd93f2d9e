"""The reference data every installation needs, loaded once into an empty database: regions and
municipalities (CBS), the indicator catalogue, population figures and the municipal boundaries.

For the first start of production (deploy/entrypoint.sh voorbereiden runs it); with regions
already present it does nothing, so a beheerder's changes are never overwritten by a deploy.
No demo figures and no users: `manage.py createsuperuser` makes the first beheerder.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from regioaanpak.models import Regio

BASISBESTANDEN = ["gebieden.json", "indicatoren.yaml", "inwonertallen.yaml"]


class Command(BaseCommand):
    help = (
        "Laad eenmalig de basisgegevens (regio's en gemeenten, indicatoren, inwonertallen, "
        "gemeentegrenzen) in een lege database; doet niets als er al regio's zijn."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--met-regioaanpakken",
            action="store_true",
            help="Ook de regioaanpakken van de vier regio's uit de beleidsdocumenten.",
        )

    def handle(self, *args, met_regioaanpakken: bool, **opties):
        if Regio.objects.exists():
            self.stdout.write("Basisgegevens zijn er al; niets geladen.")
            return
        map_ = settings.BASE_DIR / "fixtures"
        bestanden = list(BASISBESTANDEN)
        if met_regioaanpakken:
            bestanden += sorted(p.name for p in map_.glob("regioaanpak_*.yaml"))
        with transaction.atomic():
            for naam in bestanden:
                call_command("loaddata", str(map_ / naam), verbosity=0)
            call_command("laad_grenzen", verbosity=0)
        self.stdout.write(
            f"Basisgegevens geladen: {Regio.objects.count()} regio's, uit {len(bestanden)} "
            "bestanden en de gemeentegrenzen."
        )
