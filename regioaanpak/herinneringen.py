"""What the reminder commands share: the quarter they are about, and sending (or, with
--dry-run, listing) the mails with one summary line."""

from __future__ import annotations

import datetime as dt

from django.core.mail import send_mass_mail
from django.core.management.base import BaseCommand, CommandError

from regioaanpak.perioden import KWARTAAL, OngeldigePeriode, PeriodeCode, laatste_volledige_kwartaal


class HerinneringCommando(BaseCommand):
    """A reminder command (progress updates, figures per organisation) for a scheduler."""

    def add_arguments(self, parser):
        parser.add_argument("--periode", help="Kwartaal, bijvoorbeeld 2026KW03.")
        parser.add_argument("--regio", help="Alleen deze regio (code, bijvoorbeeld VT24).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Alleen tonen wat er verstuurd zou worden."
        )

    @staticmethod
    def kwartaal(periode: str | None) -> PeriodeCode:
        """The quarter asked for, or the last complete one; a Dutch error otherwise."""
        try:
            code = (
                PeriodeCode.invoer(periode)
                if periode
                else laatste_volledige_kwartaal(dt.date.today())
            )
        except OngeldigePeriode as exc:
            raise CommandError(exc.messages[0]) from exc
        if code.soort != KWARTAAL:
            raise CommandError(f"{code.code} is geen kwartaal; herinneringen gaan per kwartaal.")
        return code

    def versturen(
        self, berichten: list, *, kwartaal: PeriodeCode, dry_run: bool, zonder_adres=()
    ) -> None:
        """Send the mails (subject, text, sender, recipients), or list them with --dry-run,
        and say how many went out; name the project leaders who have no address."""
        if dry_run:
            for onderwerp, _tekst, _van, ontvangers in berichten:
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
