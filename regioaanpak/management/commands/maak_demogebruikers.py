"""Create one demo user per role, for `make run`. Refused in production."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from actielijnen.models import Project
from regioaanpak.choices import RolSoort, TokenScope
from regioaanpak.models import Gemeente, Regio
from regioaanpak.services import (
    api_token_aanmaken,
    gebruiker_aanmaken_of_bijwerken,
    rol_toekennen,
)

DEMO_REGIO = "VT24"  # Zuid-Holland Zuid
DEMO_GEMEENTE = "GM0505"  # Dordrecht, for the wethouder
# The beleidsmedewerker also works for Rotterdam-Rijnmond, whose approach has a goal tree with
# effect indicators (doelbereik): so the demo shows it, and judgements can be written there.
TWEEDE_REGIO = ("beleidsmedewerker", "VT18")

# Fixed demo API tokens (only here, never in production): Veilig Thuis reads with disclosure
# control and delivers figures; the beleidsmedewerker reads raw figures.
DEMO_TOKENS = [
    ("partner", TokenScope.SCHRIJVEN, "partner-demo2026-api-token"),
    ("beleidsmedewerker", TokenScope.LEZEN, "beleidsmedewerker-demo2026-api-token"),
]

DEMO_GEBRUIKERS = [
    # username, role, first name, last name, staff
    ("beheerder", RolSoort.BEHEERDER, "Bea", "Beheer", True),
    ("projectleider", RolSoort.PROJECTLEIDER, "Petra", "Projectleider", False),
    ("beleidsmedewerker", RolSoort.BELEIDSMEDEWERKER, "Bart", "Beleid", False),
    ("wethouder", RolSoort.BESTUURDER, "Wim", "Wethouder", False),
    ("partner", RolSoort.PARTNER, "Vera", "Veilig Thuis", False),
]


class Command(BaseCommand):
    help = "Maak per rol één demogebruiker in de regio Zuid-Holland Zuid en toon de inloggegevens."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wachtwoord-achtervoegsel",
            default="demo2026",
            help="Wachtwoord = <gebruikersnaam>-<achtervoegsel> (standaard demo2026).",
        )

    def handle(self, *args, wachtwoord_achtervoegsel: str, **options):
        if settings.PRODUCTIE:
            raise CommandError("Demogebruikers worden in productie niet aangemaakt.")
        try:
            regio = Regio.objects.get(code=DEMO_REGIO)
            dordrecht = Gemeente.objects.get(cbs_code=DEMO_GEMEENTE)
        except (Regio.DoesNotExist, Gemeente.DoesNotExist) as exc:
            raise CommandError(
                "De regio Zuid-Holland Zuid (VT24) of Dordrecht ontbreekt; laad eerst de "
                "fixtures (make demodata)."
            ) from exc

        regels = []
        gebruikers = {}
        for gebruikersnaam, rol, voornaam, achternaam, staff in DEMO_GEBRUIKERS:
            wachtwoord = f"{gebruikersnaam}-{wachtwoord_achtervoegsel}"
            gebruiker = gebruiker_aanmaken_of_bijwerken(
                gebruikersnaam=gebruikersnaam,
                wachtwoord=wachtwoord,
                voornaam=voornaam,
                achternaam=achternaam,
                is_staff=staff,
                is_superuser=staff,
            )
            gemeente = dordrecht if rol == RolSoort.BESTUURDER else None
            rol_toekennen(gebruiker=gebruiker, regio=regio, rol=rol, gemeente=gemeente)
            if rol == RolSoort.PROJECTLEIDER:
                Project.objects.filter(
                    actielijn__regioaanpak__regio=regio, projectleider__isnull=True
                ).update(projectleider=gebruiker)
            waar = regio.naam + (f", gemeente {gemeente.naam}" if gemeente else "")
            tweede = Regio.objects.filter(code=TWEEDE_REGIO[1]).first()
            if gebruikersnaam == TWEEDE_REGIO[0] and tweede is not None:
                rol_toekennen(gebruiker=gebruiker, regio=tweede, rol=rol)
                waar += f"; {tweede.naam}"
            regels.append((rol.label, gebruikersnaam, wachtwoord, waar))
            gebruikers[gebruikersnaam] = gebruiker

        tokens = []
        for gebruikersnaam, scope, sleutel in DEMO_TOKENS:
            api_token_aanmaken(
                gebruiker=gebruikers[gebruikersnaam],
                scope=scope,
                regios=[regio],
                dagen=365,
                naam="demo",
                sleutel=sleutel,
            )
            tokens.append((gebruikersnaam, scope, sleutel))

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demogebruikers (alleen voor ontwikkeling en demo):"))
        breedte = max(len(r[0]) for r in regels)
        for label, naam, wachtwoord, waar in regels:
            self.stdout.write(
                f"  {label.ljust(breedte)}  gebruiker: {naam:<18} "
                f"wachtwoord: {wachtwoord:<28} ({waar})"
            )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("API-tokens (http://127.0.0.1:8000/api/v1/docs/):"))
        for gebruikersnaam, scope, sleutel in tokens:
            self.stdout.write(
                f"  {gebruikersnaam:<18} {scope.label:<19} Authorization: Token {sleutel}"
            )
        self.stdout.write("")
