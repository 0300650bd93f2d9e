"""Caches keyed on the data: a cached page part is valid only for the data and the viewer it
was made for.

A key holds three things, hashed:

- what was asked (the page, the region or municipality, the filters),
- the viewer policy's key (`Inzage.sleutel`: what the person may read, raw or protected,
  approved or submitted), so a partner never gets what was made for an internal user, and
- the data stamp (`gegevensstempel`): a generation counter in the shared cache that every
  commit writing data a dashboard or report reads raises (signals on the models, and the
  write services that bypass them with bulk updates), plus the count, latest change and summed
  versions of the deliveries (every import, grid save, approval and unlock changes one), read
  in one query. An approval, an import or an unlock therefore changes the key at once; an
  entry made before is never read again and expires.

Entries expire after `PAGINACACHE_SECONDEN` whatever happens, so a write outside the services
and signals (a raw SQL fix by a database administrator) shows within that time. With Redis
down the cache ignores errors: every request computes its page, nothing stale is served.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from regioaanpak.inzage import Inzage

T = TypeVar("T")
GENERATIE = "gegevens:generatie"
CLAIM_SECONDEN = 30  # a claim to make a page lives at most this long (its maker died)
WACHT_SECONDEN = 5  # a request waits at most this long for another to make the page
# Models whose rows no dashboard or report shows: writing them changes no cached page.
ZONDER_GEVOLG = {
    "regioaanpak.apitoken",  # its last use is stamped on every API request
    "regioaanpak.auditregel",
    "regioaanpak.rol",  # roles change the viewer policy, which is in the key itself
    "regioaanpak.bestand",
    "regioaanpak.vierogenuitzondering",
    "rapportage.rapporttaak",
}
APPS = {"monitoring", "actielijnen", "regioaanpak", "rapportage"}


def _verhoog_nu() -> None:
    try:
        cache.incr(GENERATIE)
    except ValueError:  # not there yet (or evicted): any new value differs from the old one
        cache.add(GENERATIE, 1, timeout=None)


def gegevens_gewijzigd() -> None:
    """Raise the generation now and again when the current transaction commits: a page made
    by another request in between (from the data before the commit) is not reused either. The
    write services call this once per bulk write; signals once per saved row."""
    _verhoog_nu()
    verbinding = transaction.get_connection()
    if verbinding.in_atomic_block and not any(
        taak[1] is _verhoog_nu for taak in verbinding.run_on_commit
    ):
        transaction.on_commit(_verhoog_nu)


def _bij_schrijven(sender, **kwargs) -> None:
    meta = sender._meta
    if meta.app_label in APPS and meta.label_lower not in ZONDER_GEVOLG:
        gegevens_gewijzigd()


def koppel_signalen() -> None:
    post_save.connect(_bij_schrijven, dispatch_uid="paginacache_opslaan")
    post_delete.connect(_bij_schrijven, dispatch_uid="paginacache_verwijderen")


def gegevensstempel() -> str:
    """The data's version now: the generation and the deliveries' aggregate (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), MAX(gewijzigd_op), SUM(versie) FROM monitoring_gegevenslevering"
        )
        aantal, laatst, versies = cursor.fetchone()
    return f"{cache.get(GENERATIE, 0)}:{aantal}:{laatst}:{versies}"


def sleutel(naam: str, inzage: Inzage, *vraag: object) -> str:
    tekst = "\x1f".join([naam, inzage.sleutel, gegevensstempel(), *map(repr, vraag)])
    return "pagina:" + hashlib.sha256(tekst.encode()).hexdigest()


def gecachet(sleutel_: str, maak: Callable[[], T]) -> T:
    """The cached value under the key, made (and kept) when it is not there.

    One request makes it, the others with the same key wait for it (at most
    `WACHT_SECONDEN`): after an approval every alderman's dashboard has a new key, and 25
    requests computing the same page at once kept both cores busy for seconds. The claim is
    a key in the shared cache (`cache.add`, atomic in Redis), so this holds across workers and
    machines; it expires by itself when its maker dies. With the cache down, each request
    makes its own page."""
    waarde = cache.get(sleutel_)
    if waarde is not None:
        return waarde
    if settings.PAGINACACHE_SECONDEN <= 0:
        return maak()
    claim = f"{sleutel_}:bezig"
    eigen = bool(cache.add(claim, 1, CLAIM_SECONDEN))
    if not eigen:
        einde = time.monotonic() + WACHT_SECONDEN
        while time.monotonic() < einde:
            time.sleep(0.02)
            waarde = cache.get(sleutel_)
            if waarde is not None:
                return waarde
            if cache.get(claim) is None:  # its maker failed: make it here
                break
    try:
        waarde = maak()
        cache.set(sleutel_, waarde, settings.PAGINACACHE_SECONDEN)
    finally:
        if eigen:
            cache.delete(claim)
    return waarde
