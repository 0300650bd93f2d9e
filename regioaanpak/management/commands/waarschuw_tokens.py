"""Warn the owners of API tokens that expire within two weeks, once per token (for celery beat
or cron): a partner's Power BI feed should not stop without notice."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import timezone

from regioaanpak import opmaak
from regioaanpak.models import ApiToken

VOORAF = dt.timedelta(days=14)


class Command(BaseCommand):
    help = "Mail de eigenaren van API-tokens die binnen twee weken verlopen (één keer per token)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Alleen tellen, niet mailen.")

    def handle(self, *args, dry_run: bool, **opties):
        nu = timezone.now()
        tokens = (
            ApiToken.objects.filter(
                ingetrokken_op__isnull=True,
                gewaarschuwd_op__isnull=True,
                verloopt_op__gt=nu,
                verloopt_op__lte=nu + VOORAF,
            )
            .select_related("gebruiker")
            .prefetch_related("regios")
        )
        verstuurd = 0
        for token in tokens:
            adres = token.gebruiker.email
            if not adres:
                continue
            if not dry_run:
                # Claim the token first: two schedulers running at once send one warning.
                geclaimd = ApiToken.objects.filter(
                    pk=token.pk, gewaarschuwd_op__isnull=True
                ).update(gewaarschuwd_op=nu)
                if not geclaimd:
                    continue
                regios = ", ".join(sorted(r.code for r in token.regios.all()))
                naam = f" ({token.naam})" if token.naam else ""
                eigenaar = token.gebruiker.get_full_name() or token.gebruiker.get_username()
                try:
                    send_mail(
                        f"Uw API-token {token.prefix}… verloopt op "
                        f"{opmaak.datum(token.verloopt_op)}",
                        f"Beste {eigenaar},\n\n"
                        f"Uw API-token {token.prefix}…{naam} voor {regios} verloopt op "
                        f"{opmaak.tijdstip(token.verloopt_op)}. Daarna geeft de API met dit "
                        "token niets meer. Vraag de beheerder van uw regio tijdig om een nieuw "
                        "token en zet het in uw koppeling (bijvoorbeeld Power BI of Excel).\n\n"
                        f"Met vriendelijke groet,\nRegioaanpak monitor ({settings.SITE_URL})",
                        None,
                        [adres],
                    )
                except Exception:
                    # Not sent: try again at the next run.
                    ApiToken.objects.filter(pk=token.pk).update(gewaarschuwd_op=None)
                    raise
            verstuurd += 1
        woord = "zou" if dry_run else "is"
        self.stdout.write(
            f"{verstuurd} waarschuwing{'en' if verstuurd != 1 else ''} {woord} verstuurd."
        )
