"""Turning a report document into a PDF within a time limit, and concept PDFs kept per data
version.

- WeasyPrint runs in a child process (fork) that is stopped after PDF_MAX_SECONDEN: a report
  that still takes too long ends in a clear message (PdfTeLang), never in a worker that hangs,
  and the memory of a heavy render goes back with the child.
- A concept PDF is built once per version of its data: the key is the SHA-256 of the snapshot
  (without the moment it was collected) and of the edition's meta data, so asking for the same
  concept again, by anyone who may see it, serves the stored file; any change of a figure, an
  update or a status makes a new key.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import select
import signal
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"  # tagged PDF for screen readers
CONCEPT_CACHE = "concepten/versies"
CONCEPT_BEWAARDAGEN = 7
# Keys of a snapshot that say when it was collected, not what it holds.
_TIJDSTIPPEN = ("gemaakt_op", "gemaakt_op_tekst")


class PdfTeLang(Exception):
    """The PDF took longer than PDF_MAX_SECONDEN; the message is Dutch."""


def _render(document: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=document, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant=PDF_VARIANT)


def html_naar_pdf(document: str, *, limiet: float | None = None) -> bytes:
    """The document as PDF bytes, rendered in a child process that is stopped after `limiet`
    seconds (default PDF_MAX_SECONDEN)."""
    limiet = settings.PDF_MAX_SECONDEN if limiet is None else limiet
    if not hasattr(os, "fork"):  # pragma: no cover - every platform we run on forks
        return _render(document)
    lees, schrijf = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, send, and leave without running the parent's finalizers
        code = 0
        try:
            os.close(lees)
            try:
                uitkomst = b"P" + _render(document)
            except BaseException as fout:
                uitkomst = b"F" + f"{type(fout).__name__}: {fout}".encode("utf-8", "replace")
            with os.fdopen(schrijf, "wb") as uit:
                uit.write(uitkomst)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(schrijf)
    delen: list[bytes] = []
    einde = time.monotonic() + limiet
    try:
        while True:
            rest = einde - time.monotonic()
            if rest <= 0 or not select.select([lees], [], [], rest)[0]:
                os.kill(pid, signal.SIGKILL)
                logger.warning("PDF na %s s gestopt", limiet)
                seconden = f"{limiet:g}".replace(".", ",")
                raise PdfTeLang(
                    f"Het maken van de PDF duurde langer dan {seconden} seconden en is gestopt. "
                    "Maak de teksten van de updates korter, of vraag de beheerder om hulp."
                )
            stuk = os.read(lees, 1 << 20)
            if not stuk:
                break
            delen.append(stuk)
    finally:
        os.close(lees)
        os.waitpid(pid, 0)
    uitkomst = b"".join(delen)
    if uitkomst[:1] == b"P":
        return uitkomst[1:]
    reden = uitkomst[1:].decode("utf-8", "replace") or "het proces stopte onverwacht"
    raise RuntimeError(f"De PDF kon niet worden gemaakt ({reden}).")


@functools.cache
def _sjabloonversie() -> str:
    """The SHA-256 of the report's templates and print style: a new release that changes how
    a report looks makes new concept PDFs instead of serving the stored ones."""
    map_ = settings.BASE_DIR / "templates" / "rapportage"
    teken = hashlib.sha256()
    for pad in sorted(map_.glob("*")):
        if pad.is_file():
            teken.update(pad.name.encode() + b"\0" + pad.read_bytes())
    return teken.hexdigest()


def versiesleutel(gegevens: dict, meta: dict) -> str:
    """The SHA-256 of what a concept PDF shows: the snapshot without its collection moment,
    the edition's meta data and the templates it is rendered with."""
    inhoud = {k: v for k, v in gegevens.items() if k not in _TIJDSTIPPEN}
    tekst = json.dumps(
        {
            "gegevens": inhoud,
            "meta": {k: v for k, v in meta.items() if k != "datum"},
            "sjablonen": _sjabloonversie(),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(tekst.encode("utf-8")).hexdigest()


def concept_pdf(gegevens: dict, meta: dict, maak) -> bytes:
    """The concept PDF of this data version: the stored one, or `maak()` once and stored."""
    naam = f"{CONCEPT_CACHE}/{versiesleutel(gegevens, meta)}.pdf"
    if default_storage.exists(naam):
        with default_storage.open(naam, "rb") as bestand:
            return bestand.read()
    pdf = maak()
    try:
        if not default_storage.exists(naam):
            default_storage.save(naam, ContentFile(pdf))
        _opruimen()
    except OSError:
        logger.warning("Concept-PDF %s niet bewaard", naam, exc_info=True)
    return pdf


def _opruimen() -> None:
    """Remove concept PDFs of old data versions (older than CONCEPT_BEWAARDAGEN)."""
    try:
        _mappen, bestanden = default_storage.listdir(CONCEPT_CACHE)
    except (FileNotFoundError, NotImplementedError):
        return
    grens = time.time() - CONCEPT_BEWAARDAGEN * 86400
    for naam in bestanden:
        pad = f"{CONCEPT_CACHE}/{naam}"
        try:
            if default_storage.get_modified_time(pad).timestamp() < grens:
                default_storage.delete(pad)
        except (OSError, NotImplementedError):
            continue
