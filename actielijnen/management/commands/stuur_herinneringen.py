"""E-mail project leaders about progress updates that are still missing (for a scheduler)."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from regioaanpak.choices import RolSoort
from regioaanpak.inzage import Inzage
from regioaanpak.models import Regio, Rol
from regioaanpak.overzicht import volledigheid
from regioaanpak.perioden import OngeldigePeriode, PeriodeCode, laatste_volledige_kwartaal


class Command(BaseCommand):
    help = (
        "Stuur projectleiders een herinnering voor projecten zonder ingediende "
        "voortgangsupdate over een kwartaal (standaard het laatst afgesloten kwartaal)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--periode", help="Kwartaal, bijvoorbeeld 2026KW03.")
        parser.add_argument("--regio", help="Alleen deze regio (code, bijvoorbeeld VT24).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Alleen tonen wat er verstuurd zou worden."
        )

    def handle(self, *args, periode=None, regio=None, dry_run=False, **options):
        try:
            kwartaal = (
                PeriodeCode.invoer(periode)
                if periode
                else laatste_volledige_kwartaal(dt.date.today())
            )
        except OngeldigePeriode as exc:
            raise CommandError(exc.messages[0]) from exc
        if kwartaal.soort != "KW":
            raise CommandError(
                f"{kwartaal.code} is geen kwartaal; herinneringen gaan per kwartaal."
            )
        regios = (
            Regio.objects.filter(rollen__rol=RolSoort.PROJECTLEIDER).distinct().order_by("naam")
        )
        if regio:
            regios = regios.filter(code=regio)
            if not regios.exists():
                raise CommandError(f"Regio {regio} bestaat niet of heeft geen projectleider.")

        # recipient -> list of (regio, project titles, link)
        per_ontvanger: dict[int, list[tuple[str, list[str], str]]] = defaultdict(list)
        for gevonden in regios:
            open_ = volledigheid(
                gevonden, kwartaal.code, inzage=Inzage.alles("herinneringen")
            ).projecten_zonder_ingediende_update
            if not open_:
                continue
            link = settings.SITE_URL + reverse(
                "actielijnen:voortgang_overzicht", args=[gevonden.code, kwartaal.code]
            )
            leiders = Rol.objects.filter(regio=gevonden, rol=RolSoort.PROJECTLEIDER).values_list(
                "gebruiker_id", flat=True
            )
            for project_gebruiker in set(leiders):
                titels = [
                    p.titel for p, _, _ in open_ if p.projectleider_id in (None, project_gebruiker)
                ]
                if titels:
                    per_ontvanger[project_gebruiker].append((gevonden.naam, titels, link))

        gebruikers = get_user_model().objects.in_bulk(list(per_ontvanger))
        berichten, zonder_adres = [], []
        for gebruiker_id, regels in per_ontvanger.items():
            gebruiker = gebruikers[gebruiker_id]
            if not gebruiker.email:
                zonder_adres.append(gebruiker.username)
                continue
            tekst = [
                f"Beste {gebruiker.get_full_name() or gebruiker.username},",
                "",
                f"Voor {kwartaal.label} ontbreekt nog een ingediende voortgangsupdate van:",
            ]
            for regio_naam, titels, link in regels:
                tekst.append("")
                tekst.append(f"{regio_naam}:")
                tekst.extend(f"  - {titel}" for titel in titels)
                tekst.append(f"  Invullen: {link}")
            tekst += ["", "Met vriendelijke groet,", "Regioaanpak monitor"]
            onderwerp = f"Herinnering: voortgangsupdates {kwartaal.label}"
            berichten.append(
                (onderwerp, "\n".join(tekst), settings.DEFAULT_FROM_EMAIL, [gebruiker.email])
            )

        if dry_run:
            for onderwerp, _, _, ontvangers in berichten:
                self.stdout.write(f"Zou sturen aan {', '.join(ontvangers)}: {onderwerp}")
        else:
            send_mass_mail(berichten, fail_silently=False)
        for naam in zonder_adres:
            self.stderr.write(f"Geen e-mailadres voor projectleider {naam}; geen herinnering.")
        aantal = f"{len(berichten)} herinnering{'' if len(berichten) == 1 else 'en'}"
        if dry_run:
            self.stdout.write(f"Proefdraai: {aantal} voor {kwartaal.code}, niets verstuurd.")
        else:
            self.stdout.write(f"{aantal} verstuurd voor {kwartaal.code}.")
