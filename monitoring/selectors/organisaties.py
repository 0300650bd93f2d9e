"""Which organisation delivers which indicator in which region, and what its deliveries release.

Veilig Thuis (the standard organisation) delivers every measured indicator of a region that
no other organisation of the region delivers; a shelter such as Moviera delivers the indicators
assigned to it for the regions of its werkgebied. A figure is released by the delivery of the
organisation that delivers its indicator in the region (`Vrijgave`): Moviera's approval
releases the shelter figures of Gelderland-Zuid, Veilig Thuis's the rest, each on its own.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import transaction

from monitoring.ledensommen import ORGANISATIES
from monitoring.models import Gegevenslevering, Indicator
from monitoring.selectors.sommentabel import stand_kolom
from regioaanpak.models import Organisatie
from regioaanpak.models.organisaties import standaard_organisatie
from regioaanpak.paginacache import gegevens_gewijzigd
from regioaanpak.perioden import PeriodeCode

if TYPE_CHECKING:
    from monitoring.selectors.referentie import Referentie


@dataclass
class Aanleververdeling:
    """The organisations and their indicators per region, read once (two queries)."""

    standaard: str
    organisaties: dict[str, Organisatie]
    werkgebied: dict[str, set[str]]  # organisation -> its regions
    eigen: dict[str, set[str]]  # organisation -> its indicators (not the standard one)
    stand: str = ""  # the stored sums' log state for reference data when read (sommentabel)
    _per_regio: dict[str, dict[str, str]] = field(default_factory=dict)

    def _verdeling(self, regio: str) -> dict[str, str]:
        """indicator -> organisation, for the indicators another than the standard delivers."""
        if regio not in self._per_regio:
            verdeling: dict[str, str] = {}
            for code in sorted(self.eigen, key=lambda c: (self.organisaties[c].naam, c)):
                if regio in self.werkgebied.get(code, ()):
                    for indicator in sorted(self.eigen[code]):
                        verdeling.setdefault(indicator, code)
            self._per_regio[regio] = verdeling
        return self._per_regio[regio]

    def organisatie_van(self, regio: str, indicator: str) -> str:
        return self._verdeling(regio).get(indicator, self.standaard)

    def organisaties_in(self, regio: str) -> list[Organisatie]:
        """The organisations delivering for the region: the standard one first."""
        andere = sorted(
            {self.organisaties[c] for c in self._verdeling(regio).values()},
            key=lambda o: (o.naam, o.code),
        )
        return [self.organisaties[self.standaard], *andere]

    def levert(self, organisatie: str, regio: str, indicator: str) -> bool:
        return self.organisatie_van(regio, indicator) == organisatie

    def indicatoren_van(
        self, organisatie: str, regio: str, indicatoren: Iterable[Indicator]
    ) -> list[Indicator]:
        return [i for i in indicatoren if self.levert(organisatie, regio, i.code)]

    @property
    def bijzonder(self) -> frozenset[str]:
        """Indicators another organisation than the standard one delivers somewhere."""
        return frozenset(
            i for code, eigen in self.eigen.items() if self.werkgebied.get(code) for i in eigen
        )

    def afwijkend(self, indicator: str) -> dict[str, str]:
        """region -> organisation, for the regions where not the standard one delivers it."""
        uitkomst: dict[str, str] = {}
        for code in sorted(self.eigen, key=lambda c: (self.organisaties[c].naam, c)):
            if indicator in self.eigen[code]:
                for regio in sorted(self.werkgebied.get(code, ())):
                    uitkomst.setdefault(regio, code)
        return uitkomst

    def vrijgave(
        self, getoond: Iterable[tuple[str, str, str]], overal: Iterable[tuple[str, str]] = ()
    ) -> Vrijgave:
        """What the shown deliveries (region, period, organisation) release; `overal`: (region,
        period) pairs whose every stored figure is shown (the entry grid's)."""
        bijzonder = self.bijzonder
        paren: set[tuple[str, str]] = set()
        drietallen: set[tuple[str, str, str]] = set()
        for regio, periode, organisatie in getoond:
            if organisatie == self.standaard:
                paren.add((regio, periode))
            for indicator in bijzonder:
                if self.organisatie_van(regio, indicator) == organisatie:
                    drietallen.add((regio, periode, indicator))
        for regio, periode in overal:
            paren.add((regio, periode))
            drietallen.update((regio, periode, i) for i in bijzonder)
        return Vrijgave(frozenset(paren), frozenset(drietallen), bijzonder, self.stand)


@dataclass(frozen=True)
class Vrijgave:
    """The (area, period) pairs whose figures a viewer may see, per indicator's organisation.

    `paren`: released by the standard organisation's delivery, for every indicator outside
    `bijzonder`; `drietallen`: (area, period, indicator) for the indicators in `bijzonder`,
    released by the delivery of the organisation that delivers it in that region."""

    paren: frozenset[tuple[str, str]]
    drietallen: frozenset[tuple[str, str, str]]
    bijzonder: frozenset[str]
    stand: str = ""  # of the division it was made from (sommentabel)

    def toont(self, gebied: str, periode: str, indicator: str) -> bool:
        if indicator in self.bijzonder:
            return (gebied, periode, indicator) in self.drietallen
        return (gebied, periode) in self.paren

    def per_gebied(self, gemeente_codes: set[str], ref: Referentie, *, alle: bool) -> Vrijgave:
        """The release per area: a municipality's figure counts when a region it was a member
        of in that period released it; a region's own figure by the same rule for that region.
        `alle`: the codes are every municipality (no need to look them up)."""
        paren = set(self.paren)
        drietallen = set(self.drietallen)
        perioden_per_regio: dict[str, set[str]] = defaultdict(set)
        for regio_id, periode_id in self.paren:
            perioden_per_regio[regio_id].add(periode_id)
        indicatoren_per_regio: dict[tuple[str, str], list[str]] = defaultdict(list)
        for regio_id, periode_id, indicator in self.drietallen:
            perioden_per_regio[regio_id].add(periode_id)
            indicatoren_per_regio[(regio_id, periode_id)].append(indicator)
        if perioden_per_regio and gemeente_codes:
            leden = [
                lid
                for regio in perioden_per_regio
                for lid in ref.leden.get(regio, ())
                if alle or lid.gemeente_id in gemeente_codes
            ]
            geparsed = {c: PeriodeCode.parse(c) for cs in perioden_per_regio.values() for c in cs}
            for lid in leden:
                for code in perioden_per_regio[lid.regio_id]:
                    periode = geparsed[code]
                    if lid.geldig_in(periode.begindatum, periode.einddatum):
                        if (lid.regio_id, code) in self.paren:
                            paren.add((lid.gemeente_id, code))
                        for indicator in indicatoren_per_regio.get((lid.regio_id, code), ()):
                            drietallen.add((lid.gemeente_id, code, indicator))
        return Vrijgave(frozenset(paren), frozenset(drietallen), self.bijzonder, self.stand)


VERSIE_SLEUTEL = "aanleververdeling:versie"
BEWAAR_SECONDEN = 300  # a change elsewhere (another machine's admin) shows within this time


def aanleververdeling() -> Aanleververdeling:
    """The division, from the shared cache: a page asks for it several times and it changes
    only in the admin (every change gives a new version: `verdeling_gewijzigd`)."""
    versie = cache.get(VERSIE_SLEUTEL)
    if versie is None:
        versie = uuid.uuid4().hex
        cache.add(VERSIE_SLEUTEL, versie, None)
        versie = cache.get(VERSIE_SLEUTEL) or versie
    sleutel = f"aanleververdeling:{versie}"
    verdeling = cache.get(sleutel)
    if verdeling is None:
        verdeling = _lees_verdeling()
        cache.set(sleutel, verdeling, BEWAAR_SECONDEN)
    return verdeling


def _nieuwe_versie() -> None:
    cache.set(VERSIE_SLEUTEL, uuid.uuid4().hex, None)


def verdeling_gewijzigd(**kwargs) -> None:
    """Signal receiver: an organisation, its werkgebied or its indicators changed. A new
    version now, and again once the change is committed: a request that read the old state
    in between and cached it under the first new version is not believed afterwards."""
    _nieuwe_versie()
    verbinding = transaction.get_connection()
    if verbinding.in_atomic_block and not any(
        taak[1] is _nieuwe_versie for taak in verbinding.run_on_commit
    ):
        transaction.on_commit(_nieuwe_versie)
    # Pages built from the old division go too (an M2M change sends no post_save).
    gegevens_gewijzigd()


def _lees_verdeling() -> Aanleververdeling:
    # The stored sums' log state with the first query (sommentabel.stand_kolom).
    organisaties = {
        o.code: o for o in Organisatie.objects.annotate(_stand=stand_kolom(ORGANISATIES))
    }
    stand = next(iter(organisaties.values()))._stand if organisaties else ""
    standaard = next((c for c, o in organisaties.items() if o.standaard), None)
    if standaard is None:  # a flushed database: made again
        standaard = standaard_organisatie()
        organisaties = {o.code: o for o in Organisatie.objects.all()}
    werkgebied: dict[str, set[str]] = defaultdict(set)
    for code, regio in Organisatie.werkgebied.through.objects.values_list(
        "organisatie_id", "regio_id"
    ):
        werkgebied[code].add(regio)
    eigen: dict[str, set[str]] = defaultdict(set)
    for indicator, code in Indicator.organisaties.through.objects.filter(
        indicator__teller__isnull=True
    ).values_list("indicator_id", "organisatie_id"):
        if code != standaard:
            eigen[code].add(indicator)
    return Aanleververdeling(
        standaard=standaard,
        organisaties=organisaties,
        werkgebied=dict(werkgebied),
        eigen=dict(eigen),
        stand=stand,
    )


def leveringen_van(regio: str, periode: str) -> dict[str, Gegevenslevering]:
    """organisation -> its delivery of the region and period (those that exist)."""
    return {
        lv.organisatie_id: lv
        for lv in Gegevenslevering.objects.filter(regio_id=regio, periode_id=periode)
        .select_related("organisatie", "ingediend_door", "beoordeeld_door")
        .order_by("organisatie_id")
    }


def dubbel_geleverd(
    *,
    organisatie: str | None = None,
    werkgebied: Iterable[str] | None = None,
    indicator: str | None = None,
    organisaties: Iterable[str] | None = None,
) -> list[str]:
    """Why a change would let two organisations deliver one indicator in one region (Dutch
    messages, empty when it would not): for an organisation with a new werkgebied, or for an
    indicator with a new set of delivering organisations. The standard organisation delivers
    only what no other does, so it never clashes."""
    namen = dict(Organisatie.objects.values_list("code", "naam"))
    standaard = set(Organisatie.objects.filter(standaard=True).values_list("code", flat=True))
    gebied: dict[str, set[str]] = defaultdict(set)
    for code, regio in Organisatie.werkgebied.through.objects.values_list(
        "organisatie_id", "regio_id"
    ):
        gebied[code].add(regio)
    levert: dict[str, set[str]] = defaultdict(set)  # indicator -> organisations
    for code, org in Indicator.organisaties.through.objects.values_list(
        "indicator_id", "organisatie_id"
    ):
        levert[code].add(org)
    if organisatie is not None and werkgebied is not None:
        gebied[organisatie] = set(werkgebied)
    if indicator is not None and organisaties is not None:
        levert[indicator] = set(organisaties)
    fouten = []
    for code in sorted(levert if indicator is None else [indicator]):
        orgs = sorted(levert[code] - standaard)
        if organisatie is not None and organisatie not in orgs:
            continue
        for i, a in enumerate(orgs):
            for b in orgs[i + 1 :]:
                samen = sorted(gebied[a] & gebied[b])
                if samen:
                    fouten.append(
                        f"{namen.get(a, a)} en {namen.get(b, b)} zouden allebei '{code}' leveren "
                        f"voor {', '.join(samen)}; per regio levert één organisatie een indicator."
                    )
    return fouten
