"""E-mail project leaders about progress updates that are still missing (for a scheduler)."""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.urls import reverse

from regioaanpak.choices import RolSoort
from regioaanpak.herinneringen import HerinneringCommando
from regioaanpak.inzage import Inzage
from regioaanpak.models import Regio, Rol
from regioaanpak.overzicht import volledigheid


class Command(HerinneringCommando):
    help = (
        "Stuur projectleiders een herinnering voor projecten zonder ingediende "
        "voortgangsupdate over een kwartaal (standaard het laatst afgesloten kwartaal)."
    )

    def handle(self, *args, periode=None, regio=None, dry_run=False, **options):
        kwartaal = self.kwartaal(periode)
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

        self.versturen(berichten, kwartaal=kwartaal, dry_run=dry_run, zonder_adres=zonder_adres)
