"""E-mail each organisation whose figures of a quarter are still missing (for a scheduler).

Per region and organisation: a delivery that does not exist yet, or is still in concept or
returned, gets a reminder with the number of missing cells and a link to its own grid. It goes
to the organisation's address when it has one, otherwise to the region's project leaders."""

from collections import defaultdict

from django.conf import settings
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.http import urlencode

from regioaanpak.choices import RolSoort
from regioaanpak.herinneringen import HerinneringCommando
from regioaanpak.inzage import Inzage
from regioaanpak.models import Regio, Rol
from regioaanpak.overzicht import volledigheid


class Command(HerinneringCommando):
    help = (
        "Stuur elke organisatie (Veilig Thuis, de opvang ...) een herinnering als haar cijfers "
        "over een kwartaal nog niet zijn ingediend (standaard het laatst afgesloten kwartaal)."
    )

    def handle(self, *args, periode=None, regio=None, dry_run=False, **options):
        kwartaal = self.kwartaal(periode)
        regios = (
            Regio.objects.filter(rollen__rol=RolSoort.PROJECTLEIDER)
            .union(Regio.objects.filter(organisaties__isnull=False))
            .order_by("naam")
        )
        if regio:
            regios = Regio.objects.filter(code=regio)
            if not regios.exists():
                raise CommandError(f"Regio {regio[:20]} bestaat niet.")

        # recipient (e-mail address) -> (salutation, [(region, organisation, line, link)])
        per_adres: dict[str, tuple[str, list]] = {}
        zonder_adres: list[str] = []
        leiders_per_regio = defaultdict(list)
        for rol in Rol.objects.filter(rol=RolSoort.PROJECTLEIDER).select_related("gebruiker"):
            leiders_per_regio[rol.regio_id].append(rol.gebruiker)
        for gevonden in regios:
            stand = volledigheid(gevonden, kwartaal.code, inzage=Inzage.alles("herinneringen"))
            for org in stand.organisaties:
                if org.klaar or not org.verwacht:
                    continue
                toestand = (
                    org.levering.get_workflow_status_display()
                    if org.levering is not None
                    else "nog niet begonnen"
                )
                regel = (
                    f"{org.organisatie.naam}: {org.ingevuld} van {org.verwacht} cellen "
                    f"ingevuld, {toestand}"
                )
                link = settings.SITE_URL + reverse(
                    "monitoring:gegevensgrid", args=[gevonden.code, kwartaal.code]
                )
                if not org.organisatie.standaard:
                    link += "?" + urlencode({"organisatie": org.organisatie.code})
                item = (gevonden.naam, regel, link)
                if org.organisatie.contact_email:
                    adres = org.organisatie.contact_email
                    per_adres.setdefault(adres, (org.organisatie.naam, []))[1].append(item)
                    continue
                for leider in leiders_per_regio.get(gevonden.code, ()):
                    if not leider.email:
                        zonder_adres.append(leider.get_username())
                        continue
                    naam = leider.get_full_name() or leider.get_username()
                    per_adres.setdefault(leider.email, (naam, []))[1].append(item)

        berichten = []
        for adres, (aanhef, items) in sorted(per_adres.items()):
            tekst = [
                f"Beste {aanhef},",
                "",
                f"Voor {kwartaal.label} zijn deze cijfers nog niet ingediend:",
            ]
            for regio_naam, regel, link in items:
                tekst += ["", f"{regio_naam} — {regel}", f"  Invullen: {link}"]
            tekst += ["", "Met vriendelijke groet,", "Regioaanpak monitor"]
            onderwerp = f"Herinnering: cijfers {kwartaal.label}"
            berichten.append((onderwerp, "\n".join(tekst), settings.DEFAULT_FROM_EMAIL, [adres]))

        self.versturen(
            berichten, kwartaal=kwartaal, dry_run=dry_run, zonder_adres=sorted(set(zonder_adres))
        )
