"""Make (or revoke) a personal API token; the token is printed once and never stored."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from regioaanpak import opmaak
from regioaanpak.choices import TokenScope
from regioaanpak.models import ApiToken, Organisatie, Regio
from regioaanpak.services import TokenFout, api_token_aanmaken, api_token_intrekken


class Command(BaseCommand):
    help = (
        "Maak een persoonlijk API-token voor een gebruiker, voor een of meer regio's, om te lezen "
        "of te schrijven, met een vervaldatum. Het token wordt één keer getoond. Met --intrekken "
        "PREFIX trekt u een token in."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # An existing token may begin with '-' (made before tokens avoided it): argparse would
        # read "--intrekken -abc" as two options, so the prefix is joined to its option first,
        # on the command line and in call_command alike.
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        origineel = parser.parse_args

        def parse_args(args=None, namespace=None):
            args = list(sys.argv[1:] if args is None else args)
            for i, woord in enumerate(args[:-1]):
                if woord == "--intrekken" and str(args[i + 1]).startswith("-"):
                    args[i : i + 2] = [f"--intrekken={args[i + 1]}"]
                    break
            return origineel(args, namespace)

        parser.parse_args = parse_args
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--gebruiker", help="Gebruikersnaam van de eigenaar.")
        parser.add_argument(
            "--scope",
            choices=TokenScope.values,
            default=TokenScope.LEZEN,
            help="lezen of schrijven.",
        )
        parser.add_argument(
            "--regio",
            action="append",
            default=[],
            help="Regiocode, zoals VT24; herhaal voor meer regio's.",
        )
        parser.add_argument(
            "--organisatie",
            help="Code van de organisatie waarvoor een schrijftoken aanlevert, zoals moviera "
            "(standaard Veilig Thuis).",
        )
        parser.add_argument("--dagen", type=int, default=90, help="Geldigheid in dagen (90).")
        parser.add_argument("--naam", default="", help="Waarvoor het token is.")
        parser.add_argument(
            "--intrekken",
            metavar="PREFIX",
            help="Trek het token met dit begin in (ook als het met '-' begint).",
        )

    def handle(self, *args, **opties):
        if opties["intrekken"]:
            return self._intrekken(opties["intrekken"])
        if not opties["gebruiker"]:
            raise CommandError("Geef de eigenaar op met --gebruiker NAAM.")
        User = get_user_model()
        try:
            gebruiker = User.objects.get(username=opties["gebruiker"])
        except User.DoesNotExist as exc:
            raise CommandError(f"Gebruiker '{opties['gebruiker']}' bestaat niet.") from exc
        codes = [c.strip().upper() for c in opties["regio"] if c.strip()]
        regios = list(Regio.objects.filter(code__in=codes))
        onbekend = sorted(set(codes) - {r.code for r in regios})
        if onbekend:
            raise CommandError(f"Onbekende regio: {', '.join(onbekend)}.")
        organisatie = None
        if opties.get("organisatie"):
            organisatie = Organisatie.objects.filter(code=opties["organisatie"]).first()
            if organisatie is None:
                bekend = ", ".join(Organisatie.objects.values_list("code", flat=True))
                raise CommandError(
                    f"Onbekende organisatie '{opties['organisatie'][:40]}'; kies uit {bekend}."
                )
        try:
            token, tekst = api_token_aanmaken(
                gebruiker=gebruiker,
                scope=opties["scope"],
                regios=regios,
                organisatie=organisatie,
                dagen=opties["dagen"],
                naam=opties["naam"],
            )
        except TokenFout as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(tekst)
        self.stderr.write(
            f"API-token voor {gebruiker.get_username()} ({token.get_scope_display()}, "
            f"{', '.join(sorted(codes))}), geldig tot "
            f"{opmaak.datum(token.verloopt_op)}. Bewaar het nu: het wordt niet opnieuw getoond.\n"
            f"Gebruik: Authorization: Token {tekst}"
        )

    def _intrekken(self, prefix: str):
        tokens = list(ApiToken.objects.filter(prefix=prefix))
        if not tokens:
            raise CommandError(f"Geen token dat begint met '{prefix}'.")
        if len(tokens) > 1:
            raise CommandError(f"Meer tokens beginnen met '{prefix}'; trek ze in via het beheer.")
        api_token_intrekken(token=tokens[0])
        self.stdout.write(f"Token {prefix}… van {tokens[0].gebruiker} is ingetrokken.")
