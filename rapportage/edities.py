"""Which edition of a published report a viewer gets, and its PDF only when it is intact.

The region's own roles (values raw under the viewer policy) get the internal edition and may
look at the protected one; everyone else (a partner, any public download) gets the protected
edition, which older versions (published before there were two) do not have. A PDF is served
only when its bytes match the SHA-256 recorded at publication; a mismatch is logged and refused.
"""

from __future__ import annotations

import hashlib
import logging

from rapportage.choices import Editie
from rapportage.models import Rapport, RapportEditie
from regioaanpak.inzage import Inzage

logger = logging.getLogger(__name__)


class PdfGewijzigd(Exception):
    """The stored PDF no longer matches its SHA-256: it is not served."""


def toegestane_edities(inzage: Inzage, regio: str) -> list[str]:
    """The editions this viewer may get, the one they get by default first."""
    if inzage.is_ruw(regio):
        return [Editie.INTERN, Editie.AFGESCHERMD]
    return [Editie.AFGESCHERMD]


def editie_voor(inzage: Inzage, rapport: Rapport, gevraagd: str | None = None) -> RapportEditie:
    """The edition of the version for this viewer (or the asked one, if they may get it).

    Raises LookupError with a Dutch reason when the viewer may not get it or it does not exist."""
    toegestaan = toegestane_edities(inzage, rapport.regio_id)
    naam = gevraagd or toegestaan[0]
    if naam not in toegestaan:
        raise LookupError(
            "De interne editie is alleen voor de eigen rollen van de regio; u krijgt de "
            "afgeschermde editie."
        )
    editie = rapport.editie(naam)
    if editie is None:
        raise LookupError(
            "Van deze versie bestaat geen afgeschermde editie: zij is gepubliceerd voordat er "
            "twee edities waren. Vraag de regio om een nieuwe versie."
        )
    return editie


def pdf_inhoud(rapport: Rapport, editie: RapportEditie) -> bytes:
    """The edition's stored PDF, only when it matches its SHA-256 (else PdfGewijzigd)."""
    if not editie.pdf:
        raise FileNotFoundError("Geen PDF opgeslagen.")
    with editie.pdf.open("rb") as bestand:
        inhoud = bestand.read()
    werkelijk = hashlib.sha256(inhoud).hexdigest()
    if not editie.sha256 or werkelijk != editie.sha256:
        logger.error(
            "PDF van %s (%s editie, %s) wijkt af van zijn SHA-256: verwacht %s, gevonden %s; "
            "niet geleverd",
            rapport,
            editie.editie,
            editie.pdf.name,
            editie.sha256,
            werkelijk,
        )
        raise PdfGewijzigd(
            "De opgeslagen PDF komt niet overeen met de gepubliceerde versie (SHA-256) en wordt "
            "daarom niet geleverd. De beheerder is gewaarschuwd."
        )
    return inhoud


def bestandsnaam(editie: RapportEditie) -> str:
    return editie.pdf.name.rsplit("/", 1)[-1]
