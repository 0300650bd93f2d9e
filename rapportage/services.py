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
from regioaanpak.inzage import Inzage
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
    """Publish the next version of a report from approved data only, in two editions.

    The data are frozen twice at the same moment: the internal edition (`momentopname`, raw
    figures, for the region's own roles) and the protected edition (`momentopname_afgeschermd`,
    every count disclosure-controlled, for partners and the public). Each PDF is rendered from
    its snapshot (never from live data) and stored with its SHA-256. A version after the first
    needs a reason.
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
    momentopname = rapportgegevens(regio, code, soort, inzage=Inzage.intern(regio.code))
    afgeschermd = rapportgegevens(regio, code, soort, inzage=Inzage.afgeschermd_voor(regio.code))
    afgeschermd["gemaakt_op"] = momentopname["gemaakt_op"]
    afgeschermd["gemaakt_op_tekst"] = momentopname["gemaakt_op_tekst"]
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
        momentopname_afgeschermd=afgeschermd,
    )
    rapport.full_clean(exclude=["pdf", "pdf_afgeschermd"])
    meta = publicatie_meta(versie=rapport.versie, gepubliceerd_op=nu, reden=reden)
    pdf = rapport_pdf(momentopname, meta)
    pdf_afgeschermd = rapport_pdf(afgeschermd, meta)
    rapport.sha256 = hashlib.sha256(pdf).hexdigest()
    rapport.sha256_afgeschermd = hashlib.sha256(pdf_afgeschermd).hexdigest()
    naam = f"{regio.code}_{code.code}_{soort}_v{rapport.versie}"
    opgeslagen = []
    # Without the commit the stored files would be orphans: remove them on rollback.
    try:
        rapport.pdf.save(f"{naam}.pdf", ContentFile(pdf), save=False)
        opgeslagen.append(rapport.pdf.name)
        rapport.pdf_afgeschermd.save(
            f"{naam}_afgeschermd.pdf", ContentFile(pdf_afgeschermd), save=False
        )
        opgeslagen.append(rapport.pdf_afgeschermd.name)
        rapport.save()
        audit_schrijf(
            gebruiker=gebruiker,
            obj=rapport,
            regio=regio,
            actie=AuditActie.AANGEMAAKT,
            voor=None,
            na={
                "versie": rapport.versie,
                "sha256": rapport.sha256,
                "sha256_afgeschermd": rapport.sha256_afgeschermd,
                "status": rapport.status,
            },
            reden=reden,
            omschrijving=f"{rapport} gepubliceerd",
        )
    except Exception:
        for pad in opgeslagen:
            rapport.pdf.storage.delete(pad)
        raise
    return rapport
