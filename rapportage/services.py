"""Writes of the reports: publishing a version (an immutable snapshot with its PDF)."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from rapportage.choices import RapportStatus
from rapportage.models import Rapport
from rapportage.selectors import rapportgegevens, rapportperiode
from rapportage.weergave import publicatie_meta, rapport_pdf
from regioaanpak.choices import AuditActie, RolSoort
from regioaanpak.models import Periode, Regio
from regioaanpak.services import audit_schrijf
from regioaanpak.toegang import heeft_rol

PUBLICEERDERS = (RolSoort.BELEIDSMEDEWERKER, RolSoort.BEHEERDER)


def mag_publiceren(gebruiker, regio: Regio) -> bool:
    return heeft_rol(gebruiker, regio, *PUBLICEERDERS)


@transaction.atomic
def rapport_publiceren(
    *, regio: Regio, periode: str, soort: str, gebruiker, reden: str = ""
) -> Rapport:
    """Publish the next version of a report from approved data only.

    The data are frozen into `momentopname` and the PDF is rendered from that snapshot (never
    from live data) and stored with its SHA-256. A version after the first needs a reason.
    """
    if not mag_publiceren(gebruiker, regio):
        raise PermissionDenied(
            "Alleen een beleidsmedewerker of beheerder van de regio kan een rapportage publiceren."
        )
    code = rapportperiode(periode, soort)
    reden = (reden or "").strip()
    # Lock the region row so two people publishing at once get consecutive versions.
    Regio.objects.select_for_update().filter(pk=regio.pk).first()
    vorige = (
        Rapport.objects.filter(regio=regio, periode_id=code.code, soort=soort).aggregate(
            hoogste=Max("versie")
        )["hoogste"]
        or 0
    )
    if vorige and not reden:
        melding = f"Geef een reden voor versie {vorige + 1}: versie {vorige} is al gepubliceerd."
        raise ValidationError({"reden": melding})
    periode_rij = Periode.objects.get(code=code.code)
    momentopname = rapportgegevens(regio, code, soort, alleen_goedgekeurd=True)
    nu = timezone.now()
    rapport = Rapport(
        regio=regio,
        periode=periode_rij,
        soort=soort,
        versie=vorige + 1,
        status=RapportStatus.GEPUBLICEERD,
        reden=reden,
        gepubliceerd_door=gebruiker,
        gepubliceerd_op=nu,
        momentopname=momentopname,
    )
    rapport.full_clean(exclude=["pdf"])
    pdf = rapport_pdf(
        momentopname, publicatie_meta(versie=rapport.versie, gepubliceerd_op=nu, reden=reden)
    )
    rapport.sha256 = hashlib.sha256(pdf).hexdigest()
    naam = f"{regio.code}_{code.code}_{soort}_v{rapport.versie}.pdf"
    rapport.pdf.save(naam, ContentFile(pdf), save=False)
    # Without the commit the stored file would be an orphan: remove it on rollback.
    opgeslagen = rapport.pdf.name
    try:
        rapport.save()
        audit_schrijf(
            gebruiker=gebruiker,
            obj=rapport,
            regio=regio,
            actie=AuditActie.AANGEMAAKT,
            voor=None,
            na={"versie": rapport.versie, "sha256": rapport.sha256, "status": rapport.status},
            reden=reden,
            omschrijving=f"{rapport} gepubliceerd",
        )
    except Exception:
        rapport.pdf.storage.delete(opgeslagen)
        raise
    return rapport
