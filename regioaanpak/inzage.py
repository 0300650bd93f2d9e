"""The viewer policy: who sees which number. Built once per request (from the user's roles or
the API token) and passed to the one figure selector; no page, report, export or API view
decides this on its own.

A policy says, per region:

- whether the viewer reaches it at all (`lees`): the regions of their roles, narrowed to the
  token's regions for an API token; the country (a region of soort 'land') is a comparison
  every viewer may see, disclosure-controlled unless they hold a role there;
- what the person behind the request can obtain on any channel (`bekend`): all the regions of
  their roles, also those an API token leaves out, so that disclosure control decides what is
  hidden from the person, not from one token (two tokens must not add up to more);
- whether values are raw there (`ruw`): for the internal roles (beheerder, projectleider,
  beleidsmedewerker, bestuurder); a partner gets disclosure-controlled values;
- whether unapproved data may be shown there (`onvoltooid`): only to the roles that enter or
  review them (projectleider, beleidsmedewerker, beheerder), never to a wethouder or partner;
- which delivery states this read asks for (`staten`): approved only (the default), approved
  and submitted (a dashboard or report with "ingediend"), or every stored figure (the entry
  grid). A channel may ask for more, but a region outside `onvoltooid` always answers with
  approved figures only: the policy caps what the channel asks.

`None` for a set of regions means every region (a superuser without a token).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from regioaanpak.choices import RolSoort, WorkflowStatus

INTERNE_ROLLEN = frozenset(
    {RolSoort.BEHEERDER, RolSoort.PROJECTLEIDER, RolSoort.BELEIDSMEDEWERKER, RolSoort.BESTUURDER}
)
SCHRIJF_ROLLEN = frozenset({RolSoort.PROJECTLEIDER, RolSoort.BEHEERDER})
# Who enters or reviews figures and updates, and so may see them before approval.
ONVOLTOOID_ROLLEN = frozenset(
    {RolSoort.PROJECTLEIDER, RolSoort.BELEIDSMEDEWERKER, RolSoort.BEHEERDER}
)

GOEDGEKEURD = frozenset({WorkflowStatus.GOEDGEKEURD})
MET_INGEDIEND = frozenset({WorkflowStatus.GOEDGEKEURD, WorkflowStatus.INGEDIEND})
ALLES = None  # every stored figure, whatever its delivery (the entry grid)


def _bevat(verzameling: frozenset[str] | None, regio: str) -> bool:
    return verzameling is None or regio in verzameling


def _sleutel(verzameling: frozenset[str] | None) -> str:
    return "*" if verzameling is None else ",".join(sorted(verzameling))


@dataclass(frozen=True)
class Inzage:
    """What one viewer may see; see the module docstring."""

    lees: frozenset[str] | None
    ruw: frozenset[str] | None
    onvoltooid: frozenset[str] | None
    schrijf: frozenset[str] | None = frozenset()
    staten: frozenset[str] | None = GOEDGEKEURD
    # The person's whole reach (None: every region); "lees" (the default): the same as `lees`.
    bekend: frozenset[str] | str | None = "lees"
    gebruiker: object = None
    token: object = None
    omschrijving: str = ""

    # -- per region -----------------------------------------------------------------------
    def __post_init__(self) -> None:
        # The person reaches at least what this request reads.
        if self.bekend == "lees" or self.lees is None:
            object.__setattr__(self, "bekend", self.lees)
        elif self.bekend is not None and not self.lees <= self.bekend:
            object.__setattr__(self, "bekend", self.bekend | self.lees)

    def mag_lezen(self, regio: str) -> bool:
        return _bevat(self.lees, regio)

    def mag_schrijven(self, regio: str) -> bool:
        return _bevat(self.schrijf, regio)

    def is_ruw(self, regio: str) -> bool:
        return _bevat(self.ruw, regio)

    def mag_onvoltooid(self, regio: str) -> bool:
        """Unapproved figures and progress updates of the region may be shown."""
        return _bevat(self.onvoltooid, regio)

    def staten_voor(self, regio: str) -> frozenset[str] | None:
        """The delivery states whose figures this read shows for the region (None: all)."""
        if self.mag_onvoltooid(regio):
            return self.staten
        return GOEDGEKEURD

    def toont(self, regio: str, status: str) -> bool:
        """Whether a delivery of the region in this workflow state is shown."""
        staten = self.staten_voor(regio)
        return staten is None or status in staten

    # -- the whole policy -----------------------------------------------------------------
    @property
    def alles_ruw(self) -> bool:
        """No value this viewer can reach is disclosure-controlled (the country aside)."""
        return self.ruw is None or (self.lees is not None and self.lees <= self.ruw)

    @property
    def afgeschermd(self) -> bool:
        """Some values this viewer reaches are disclosure-controlled (a partner)."""
        return not self.alles_ruw

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

    def met_staten(self, staten: frozenset[str] | None) -> Inzage:
        return replace(self, staten=staten)

    def met_deelregios(
        self, *, lees: list[str], ruw: list[str] = (), onvoltooid: list[str] = ()
    ) -> Inzage:
        """Also these subregions (the centrumgemeenteregio's of Rotterdam-Rijnmond), each right
        only where the caller found that the viewer has that right for every member of the
        subregion (`regioaanpak.selectors.deelregios_binnen_bereik`): a subregion's figures are
        sums of its members. Nothing is added to what the viewer may write."""

        def met(verzameling: frozenset[str] | None, extra) -> frozenset[str] | None:
            return verzameling if verzameling is None else verzameling | frozenset(extra)

        return replace(
            self,
            lees=met(self.lees, lees),
            ruw=met(self.ruw, ruw),
            onvoltooid=met(self.onvoltooid, onvoltooid),
            bekend=met(self.bekend, lees) if isinstance(self.bekend, frozenset) else self.bekend,
        )

    def met_ingediend(self, ja: bool = True) -> Inzage:
        """Also submitted figures, where this viewer may see them (elsewhere approved only)."""
        return self.met_staten(MET_INGEDIEND if ja else GOEDGEKEURD)

    def met_alles(self) -> Inzage:
        """Every stored figure, where this viewer may see unapproved data (the entry grid)."""
        return self.met_staten(ALLES)

    def toont_ingediend(self, regio: str) -> bool:
        staten = self.staten_voor(regio)
        return staten is None or WorkflowStatus.INGEDIEND in staten

    @property
    def sleutel(self) -> str:
        """A stable text for this policy, for cache keys: equal policies, equal keys."""
        staten = _sleutel(self.staten)
        return "|".join(
            [
                _sleutel(self.lees),
                _sleutel(self.bekend),
                _sleutel(self.ruw),
                _sleutel(self.onvoltooid),
                staten,
            ]
        )

    # -- fixed policies -------------------------------------------------------------------
    @classmethod
    def niemand(cls) -> Inzage:
        return cls(lees=frozenset(), ruw=frozenset(), onvoltooid=frozenset())

    @classmethod
    def alles(cls, omschrijving: str = "alles") -> Inzage:
        """Every stored figure, raw, whatever its delivery: for computations that show no
        figure to anyone (checks of input, the roll-up's own tests)."""
        return cls(lees=None, ruw=None, onvoltooid=None, staten=ALLES, omschrijving=omschrijving)

    @classmethod
    def systeem(cls, omschrijving: str = "systeem") -> Inzage:
        """Everything raw and approved only: commands run by the system's administrators."""
        return cls(lees=None, ruw=None, onvoltooid=frozenset(), omschrijving=omschrijving)

    @classmethod
    def intern(cls, regio: str, *, met_ingediend: bool = False) -> Inzage:
        """The region's own staff: raw values of the region (the internal report edition and
        the concept PDFs of the batch)."""
        return cls(
            lees=frozenset({regio}),
            ruw=frozenset({regio}),
            onvoltooid=frozenset({regio}),
            staten=MET_INGEDIEND if met_ingediend else GOEDGEKEURD,
            omschrijving=f"intern {regio}",
        )

    @classmethod
    def afgeschermd_voor(cls, regio: str) -> Inzage:
        """A partner of the region, and anyone outside it: approved figures only, every count
        disclosure-controlled (the protected report edition)."""
        return cls(
            lees=frozenset({regio}),
            ruw=frozenset(),
            onvoltooid=frozenset(),
            omschrijving=f"afgeschermd {regio}",
        )


def _uit_rollen(rollen: dict[str, frozenset[str]], regios: frozenset[str], soort) -> frozenset:
    return frozenset(r for r in regios if rollen.get(r, frozenset()) & soort)


def inzage_van(gebruiker, token=None) -> Inzage:
    """The policy of a user, or of their API token (never beyond the owner's roles)."""
    from regioaanpak.toegang import rollen_per_regio

    if not getattr(gebruiker, "is_authenticated", False):
        return Inzage.niemand()
    if token is not None:
        eigen = frozenset(token.regios.values_list("code", flat=True))
        if gebruiker.is_superuser:
            lees = ruw = onvoltooid = eigen
        else:
            rollen = rollen_per_regio(gebruiker)
            lees = eigen & frozenset(rollen)
            ruw = _uit_rollen(rollen, lees, INTERNE_ROLLEN)
            onvoltooid = _uit_rollen(rollen, lees, ONVOLTOOID_ROLLEN)
            bekend = frozenset(rollen)
        schrijf = lees if token.mag_schrijven else frozenset()
        if not gebruiker.is_superuser:
            schrijf = _uit_rollen(rollen, schrijf, SCHRIJF_ROLLEN | {RolSoort.PARTNER})
        else:
            bekend = None
        return Inzage(
            lees, ruw, onvoltooid, schrijf, bekend=bekend, gebruiker=gebruiker, token=token
        )
    if gebruiker.is_superuser:
        return Inzage(None, None, None, None, gebruiker=gebruiker)
    rollen = rollen_per_regio(gebruiker)
    lees = frozenset(rollen)
    return Inzage(
        lees,
        _uit_rollen(rollen, lees, INTERNE_ROLLEN),
        _uit_rollen(rollen, lees, ONVOLTOOID_ROLLEN),
        _uit_rollen(rollen, lees, SCHRIJF_ROLLEN),
        gebruiker=gebruiker,
    )


def inzage(request) -> Inzage:
    """The request's policy, computed once per request (a Django or a DRF request)."""
    from regioaanpak.models import ApiToken

    onderliggend = getattr(request, "_request", request)
    bestaand = getattr(onderliggend, "_regioaanpak_inzage", None)
    if bestaand is not None:
        return bestaand
    auth = getattr(request, "auth", None)
    token = auth if isinstance(auth, ApiToken) else None
    resultaat = inzage_van(request.user, token)
    onderliggend._regioaanpak_inzage = resultaat
    return resultaat
