"""The reference data of the figure selector, kept per process: indicators, municipalities,
regions and their memberships over time, and the population per municipality and year.

Every call of `cijfers()` needs them and they change seldom (in the admin, by a merger, by a
CBS import of the population), while reading them took 5 queries and 1.500 model objects per
call, 20-30 ms of the national dashboard. They are read once per version: a version in the
shared cache that every save or delete of these models replaces (signals in
monitoring/apps.py; a write that bypasses them calls `referentie_gewijzigd`), and again when
the transaction commits, so a snapshot made in between is not believed afterwards. A snapshot
older than `BEWAAR_SECONDEN` is read again whatever happens (a change on the database by hand).

The snapshot is shared by the threads of a process and never changed after it is made (the
memo of members per period is only added to, with the same answer for the same key).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction

from monitoring.models import Indicator
from monitoring.selectors.sommentabel import stand_kolom
from regioaanpak.models import Gemeente, Inwonertal, Lidmaatschap, Regio
from regioaanpak.perioden import PeriodeCode

VERSIE_SLEUTEL = "referentie:versie"
BEWAAR_SECONDEN = 300
MAX_ONTBREKEND = 5


@dataclass
class Referentie:
    indicatoren: dict[str, Indicator]
    gemeenten: dict[str, Gemeente]
    voorgangers: dict[str, list[str]]
    regios: dict[str, Regio]
    leden: dict[str, list[Lidmaatschap]]  # per region, in municipality code order
    inwonertallen: dict[tuple[str, int], int]
    # The state of the stored sums' log for reference data when this was read (sommentabel).
    stand: str = ""
    _leden_in: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    _regios_van: dict[str, frozenset[str]] | None = None
    _inwoners: dict[tuple[str, str], tuple[int, int, tuple[str, ...]]] = field(default_factory=dict)

    def regios_van(self, gemeente: str) -> frozenset[str]:
        """Every region the municipality was ever a member of."""
        per_gemeente = self._regios_van
        if per_gemeente is None:
            verzameld: dict[str, set[str]] = defaultdict(set)
            for regio, leden in self.leden.items():
                for lid in leden:
                    verzameld[lid.gemeente_id].add(regio)
            per_gemeente = {g: frozenset(r) for g, r in verzameld.items()}
            self._regios_van = per_gemeente
        return per_gemeente.get(gemeente, frozenset())

    def leden_in(self, regio: str, periode: PeriodeCode) -> tuple[str, ...]:
        """The members of the region valid in the period that existed then, in code order."""
        sleutel = (regio, periode.code)
        leden = self._leden_in.get(sleutel)
        if leden is None:
            begin, eind = periode.begindatum, periode.einddatum
            leden = tuple(
                sorted(
                    {
                        lid.gemeente_id
                        for lid in self.leden.get(regio, ())
                        if _geldig(lid.geldig_van, lid.geldig_tot, begin, eind)
                        and self.gemeenten[lid.gemeente_id].bestaat_in(begin, eind)
                    }
                )
            )
            self._leden_in[sleutel] = leden
        return leden

    def inwoners_van(self, regio: str, periode: PeriodeCode) -> tuple[int, int, tuple[str, ...]]:
        """(members with a population, their total, the first members without one) on
        1 January of the period's year, over the members in the period."""
        sleutel = (regio, periode.code)
        uitkomst = self._inwoners.get(sleutel)
        if uitkomst is None:
            bekend = totaal = 0
            zonder = []
            for gemeente in self.leden_in(regio, periode):
                aantal = self.inwonertallen.get((gemeente, periode.jaar))
                if aantal is None:
                    zonder.append(gemeente)
                else:
                    bekend += 1
                    totaal += aantal
            uitkomst = (bekend, totaal, tuple(zonder[:MAX_ONTBREKEND]))
            self._inwoners[sleutel] = uitkomst
        return uitkomst


def _geldig(van: dt.date | None, tot: dt.date | None, begin: dt.date, eind: dt.date) -> bool:
    return (van is None or van <= eind) and (tot is None or tot >= begin)


_huidig: tuple[str, float, object, Referentie] | None = None
_slot = threading.Lock()


def _versie() -> str:
    versie = cache.get(VERSIE_SLEUTEL)
    if versie is None:
        cache.add(VERSIE_SLEUTEL, uuid.uuid4().hex, None)
        versie = cache.get(VERSIE_SLEUTEL) or "zonder-cache"
    return versie


def _wachtend():
    """The bump this thread's open transaction will make at its commit (it changed reference
    data), or None. A snapshot read after such a change holds uncommitted rows: it is valid
    only while that bump is still pending (a rollback, also of a savepoint, drops it)."""
    verbinding = transaction.get_connection()
    if not verbinding.in_atomic_block:
        return None
    return next((taak for taak in verbinding.run_on_commit if taak[1] is _nieuwe_versie), None)


def _geldig_nu(marker) -> bool:
    if marker is None:
        return True
    verbinding = transaction.get_connection()
    return verbinding.in_atomic_block and any(taak is marker for taak in verbinding.run_on_commit)


def referentie() -> Referentie:
    """The snapshot of the current version (read now when this process has none)."""
    global _huidig
    versie = _versie()
    huidig = _huidig
    if (
        huidig is not None
        and huidig[0] == versie
        and versie != "zonder-cache"
        and time.monotonic() - huidig[1] < BEWAAR_SECONDEN
        and _geldig_nu(huidig[2])
    ):
        return huidig[3]
    nieuw = _lees()
    with _slot:
        _huidig = (versie, time.monotonic(), _wachtend(), nieuw)
    return nieuw


def _lees() -> Referentie:
    # The stored sums' log state with the first query (sommentabel.stand_kolom).
    gemeenten = {g.cbs_code: g for g in Gemeente.objects.annotate(_stand=stand_kolom())}
    stand = next(iter(gemeenten.values()))._stand if gemeenten else ""
    voorgangers: dict[str, list[str]] = defaultdict(list)
    for gemeente in gemeenten.values():
        if gemeente.opgevolgd_door_id:
            voorgangers[gemeente.opgevolgd_door_id].append(gemeente.cbs_code)
    leden: dict[str, list[Lidmaatschap]] = defaultdict(list)
    for lid in Lidmaatschap.objects.order_by("gemeente_id", "pk"):
        leden[lid.regio_id].append(lid)
    return Referentie(
        indicatoren={i.code: i for i in Indicator.objects.select_related("teller", "noemer")},
        gemeenten=gemeenten,
        voorgangers=dict(voorgangers),
        regios={r.code: r for r in Regio.objects.all()},
        leden=dict(leden),
        inwonertallen={
            (gemeente, jaar): aantal
            for gemeente, jaar, aantal in Inwonertal.objects.values_list(
                "gemeente_id", "jaar", "aantal"
            )
        },
        stand=stand,
    )


def _nieuwe_versie() -> None:
    cache.set(VERSIE_SLEUTEL, uuid.uuid4().hex, None)


def referentie_gewijzigd(**kwargs) -> None:
    """Signal receiver (and for bulk writes): a new version now and again at the commit."""
    _nieuwe_versie()
    verbinding = transaction.get_connection()
    if verbinding.in_atomic_block and not any(
        taak[1] is _nieuwe_versie for taak in verbinding.run_on_commit
    ):
        transaction.on_commit(_nieuwe_versie)


MODELLEN = (Indicator, Gemeente, Regio, Lidmaatschap, Inwonertal)
