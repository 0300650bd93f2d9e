"""What one API request may read and write, from its token or the logged-in user's roles.

- A token reaches its own regions, and only those where its owner (still) holds a role; a
  read token never writes. A logged-in user (browsable API) reaches the regions of their roles
  and writes where they are projectleider or beheerder, as in the web forms.
- Values are raw in regions where the user holds an internal role (beheerder, projectleider,
  beleidsmedewerker, bestuurder); elsewhere, for a partner, disclosure control applies.
- Submitted (not yet approved) figures may be included where the user is projectleider,
  beleidsmedewerker or beheerder, as on the dashboards.

`None` for a set means every region (a superuser without a token).
"""

from __future__ import annotations

from dataclasses import dataclass

from regioaanpak.choices import RolSoort
from regioaanpak.models import ApiToken
from regioaanpak.toegang import rollen_per_regio

INTERNE_ROLLEN = frozenset(
    {RolSoort.BEHEERDER, RolSoort.PROJECTLEIDER, RolSoort.BELEIDSMEDEWERKER, RolSoort.BESTUURDER}
)
SCHRIJF_ROLLEN = frozenset({RolSoort.PROJECTLEIDER, RolSoort.BEHEERDER})
INGEDIEND_ROLLEN = frozenset(
    {RolSoort.PROJECTLEIDER, RolSoort.BELEIDSMEDEWERKER, RolSoort.BEHEERDER}
)


def _bevat(verzameling: frozenset[str] | None, regio: str) -> bool:
    return verzameling is None or regio in verzameling


@dataclass(frozen=True)
class Inzage:
    gebruiker: object
    token: ApiToken | None
    lees: frozenset[str] | None
    schrijf: frozenset[str] | None
    ruw: frozenset[str] | None
    ingediend: frozenset[str] | None

    def mag_lezen(self, regio: str) -> bool:
        return _bevat(self.lees, regio)

    def mag_schrijven(self, regio: str) -> bool:
        return _bevat(self.schrijf, regio)

    def is_ruw(self, regio: str) -> bool:
        return _bevat(self.ruw, regio)

    def mag_ingediend(self, regio: str) -> bool:
        return _bevat(self.ingediend, regio)

    @property
    def schrijft_ergens(self) -> bool:
        return self.schrijf is None or bool(self.schrijf)

    @property
    def herkomst(self) -> str:
        """How the request identified itself, for the audit log."""
        if self.token is None:
            return "de API (ingelogd)"
        naam = f", '{self.token.naam}'" if self.token.naam else ""
        return f"de API (token {self.token.prefix}…{naam})"


def _uit_rollen(rollen: dict[str, frozenset[str]], regios: frozenset[str], soort) -> frozenset:
    return frozenset(r for r in regios if rollen.get(r, frozenset()) & soort)


def inzage(request) -> Inzage:
    """The request's reach, computed once per request."""
    bestaand = getattr(request, "_regioaanpak_inzage", None)
    if bestaand is not None:
        return bestaand
    gebruiker = request.user
    token = request.auth if isinstance(request.auth, ApiToken) else None
    if token is not None:
        eigen = frozenset(token.regios.values_list("code", flat=True))
        if gebruiker.is_superuser:
            lees = ruw = ingediend = eigen
        else:
            rollen = rollen_per_regio(gebruiker)
            lees = eigen & frozenset(rollen)
            ruw = _uit_rollen(rollen, lees, INTERNE_ROLLEN)
            ingediend = _uit_rollen(rollen, lees, INGEDIEND_ROLLEN)
        schrijf = lees if token.mag_schrijven else frozenset()
        resultaat = Inzage(gebruiker, token, lees, schrijf, ruw, ingediend)
    elif gebruiker.is_superuser:
        resultaat = Inzage(gebruiker, None, None, None, None, None)
    else:
        rollen = rollen_per_regio(gebruiker)
        lees = frozenset(rollen)
        resultaat = Inzage(
            gebruiker,
            None,
            lees,
            _uit_rollen(rollen, lees, SCHRIJF_ROLLEN),
            _uit_rollen(rollen, lees, INTERNE_ROLLEN),
            _uit_rollen(rollen, lees, INGEDIEND_ROLLEN),
        )
    request._regioaanpak_inzage = resultaat
    return resultaat
