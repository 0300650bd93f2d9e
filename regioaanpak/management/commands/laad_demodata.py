"""Load the real seed data and (once) the synthetic demo figures, and create the demo users."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from monitoring.choices import Frequentie
from monitoring.models import Gegevenslevering, Indicator, Waarneming
from monitoring.selectors.organisaties import aanleververdeling
from regioaanpak.choices import WorkflowStatus
from regioaanpak.models import Lidmaatschap, LokaalVeld, Regio
from regioaanpak.models.organisaties import LokaalVeldVorm
from regioaanpak.overzicht import standaard_kwartaal

FIXTURES = [
    "gebieden.json",
    "indicatoren.yaml",
    "organisaties.yaml",
    "cbs_koppelingen.yaml",
    "inwonertallen.yaml",
    "regioaanpak_zhz.yaml",
    "regioaanpak_gz.yaml",
    "regioaanpak_rr.yaml",
    "regioaanpak_groningen.yaml",
]
DEMO_BRON = "Synthetische demodata"
DEMO_CBS = "cbs/84847NED_demo.json"
DEMO_REGIOS = ("VT24", "VT06", "VT18", "VT08")


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
            self._demo_leveringen()
        else:
            self.stdout.write("Democijfers zijn er al (gebruik --opnieuw om ze te vervangen).")
        # A small sample in the shape of CBS StatLine 84847NED (synthetic, made from the demo
        # figures), so the country appears on the dashboards; a second run changes nothing.
        call_command(
            "importeer_cbs", "84847NED", "--bestand", str(map_ / DEMO_CBS), stdout=self.stdout
        )
        self._demo_lokaal_veld()
        call_command("maak_demogebruikers")

    def _demo_lokaal_veld(self) -> None:
        """A recorded local field for the municipalities of Rotterdam-Rijnmond's
        centrumgemeenteregio's, so the comparison chapter of its yearly report has context.
        Synthetic (the seed says only that it differs per municipality) and labelled so;
        existing records are never touched."""
        vormen = [
            (LokaalVeldVorm.INTEGRAAL_GEBIEDSTEAM, "het gebiedsteam, met aandachtsfunctionaris"),
            (LokaalVeldVorm.WIJKTEAMS, "het wijkteam, met het Veiligheidshuis bij complexe zaken"),
            (LokaalVeldVorm.JEUGD_EN_WMO_APART, "het jeugdteam (jeugd) en het Wmo-loket (18+)"),
        ]
        gemeenten = sorted(
            set(
                Lidmaatschap.objects.filter(regio__bovenliggende_id="VT18").values_list(
                    "gemeente_id", flat=True
                )
            )
        )
        nieuw = [
            LokaalVeld(
                gemeente_id=code,
                jaar=2018,
                vorm=vormen[n % len(vormen)][0],
                coordinatie=vormen[n % len(vormen)][1],
                bron=DEMO_BRON,
            )
            for n, code in enumerate(gemeenten)
        ]
        LokaalVeld.objects.bulk_create(nieuw, ignore_conflicts=True)

    def _demo_leveringen(self) -> None:
        """Mark the demo quarters (and the years of the yearly survey) as approved, so
        aldermen's dashboards have figures.

        The last two quarters stay 'ingediend' (submitted), and the quarter a region's pages
        open on stays open, so entering and approving figures can be tried; a year follows its
        quarters. Existing deliveries are never touched."""
        perioden = set(
            Waarneming.objects.ongefilterd("demoleveringen: perioden met democijfers")
            .filter(bron__startswith=DEMO_BRON, periode__soort__in=["KW", "JJ"])
            .values_list("periode_id", flat=True)
            .distinct()
        )
        kwartalen = sorted(p for p in perioden if "KW" in p)
        # The yearly survey's years: delivered once every quarter of the year was delivered.
        jaren = sorted(p for p in perioden if "JJ" in p)
        nu = timezone.now()
        nieuw = []
        verdeling = aanleververdeling()
        per_jaar = list(
            Indicator.objects.gemeten()
            .filter(frequentie=Frequentie.JAAR)
            .values_list("code", flat=True)
        )
        for regio in Regio.objects.filter(code__in=DEMO_REGIOS):
            open_kwartaal = standaard_kwartaal(regio, timezone.localdate()).code
            organisaties = verdeling.organisaties_in(regio.code)
            # Of a year, the organisations delivering a yearly indicator here (the survey).
            jaarlijks = {verdeling.organisatie_van(regio.code, code) for code in per_jaar}
            staat = {code: code in kwartalen[-2:] for code in kwartalen if code != open_kwartaal}
            for jaar in jaren:
                van = [staat.get(f"{jaar[:4]}KW0{n}") for n in range(1, 5)]
                if None not in van:
                    staat[jaar] = any(van)
            for code, ingediend in staat.items():
                # Each organisation's delivery (Veilig Thuis, and Moviera or Blijf and DOK).
                nieuw.extend(
                    Gegevenslevering(
                        regio=regio,
                        periode_id=code,
                        organisatie=organisatie,
                        workflow_status=(
                            WorkflowStatus.INGEDIEND if ingediend else WorkflowStatus.GOEDGEKEURD
                        ),
                        ingediend_op=nu,
                        beoordeeld_op=None if ingediend else nu,
                        reden="Demodata",
                    )
                    for organisatie in organisaties
                    if "KW" in code or organisatie.code in jaarlijks
                )
        Gegevenslevering.objects.bulk_create(nieuw, ignore_conflicts=True, batch_size=500)
        self.stdout.write(f"{len(nieuw)} demoleveringen klaargezet (goedgekeurd of ingediend).")
