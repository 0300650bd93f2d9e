"""Writing the yearly judgement of a goal's qualitative effect: the service behind the form on
the doelbereik page. Transitions (indienen, goedkeuren, terugsturen) go through the one workflow
(`regioaanpak.workflow.workflow_overgang`, table OVERGANGEN_OORDEEL)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actielijnen.choices import Oordeel
from actielijnen.models import Effectoordeel, StrategischDoel
from regioaanpak.choices import AuditActie, RolSoort
from regioaanpak.services import audit_schrijf
from regioaanpak.toegang import heeft_rol
from regioaanpak.workflow import WorkflowFout


def oordeel_jaren(doel: StrategischDoel, vandaag: dt.date | None = None) -> list[int]:
    """The years a judgement can be about: from the start of the approach up to this year."""
    vandaag = vandaag or timezone.localdate()
    aanpak = doel.regioaanpak
    return list(range(aanpak.looptijd_van.year, max(aanpak.looptijd_van.year, vandaag.year) + 1))


def effectoordeel_opslaan(
    *, gebruiker, doel: StrategischDoel, jaar: int, oordeel: str, motivering: str
) -> Effectoordeel:
    """Create or change the (concept) judgement of a goal for a year. Only a beleidsmedewerker
    of the region writes one; a submitted or approved judgement is not changed here."""
    regio = doel.regioaanpak.regio
    if not heeft_rol(gebruiker, regio.code, RolSoort.BELEIDSMEDEWERKER):
        raise WorkflowFout(
            _("Alleen een beleidsmedewerker van %(regio)s schrijft een oordeel over een doel.")
            % {"regio": regio.naam}
        )
    fouten: dict[str, list[str]] = {}
    if jaar not in oordeel_jaren(doel):
        fouten["jaar"] = [
            _("Kies een jaar van %(van)s tot en met %(tot)s.")
            % {"van": oordeel_jaren(doel)[0], "tot": oordeel_jaren(doel)[-1]}
        ]
    if oordeel not in Oordeel.values:
        fouten["oordeel"] = [_("Kies een oordeel: bereikt, deels, niet of nog niet te beoordelen.")]
    motivering = (motivering or "").replace("\x00", "").strip()
    if not motivering:
        fouten["motivering"] = [_("Motiveer het oordeel: waarop is het gebaseerd?")]
    if fouten:
        raise ValidationError(fouten)
    with transaction.atomic():
        bestaand = Effectoordeel.objects.select_for_update().filter(doel=doel, jaar=jaar).first()
        if bestaand is not None and not bestaand.is_bewerkbaar:
            raise WorkflowFout(
                _("Het oordeel over %(jaar)s is %(status)s en kan niet meer worden gewijzigd.")
                % {"jaar": jaar, "status": bestaand.get_workflow_status_display()}
            )
        voor = {} if bestaand is None else _gegevens(bestaand)
        obj = bestaand or Effectoordeel(doel=doel, jaar=jaar)
        obj.oordeel, obj.motivering = oordeel, motivering
        if bestaand is not None:
            obj.versie += 1
        obj.full_clean()
        obj.save()
        audit_schrijf(
            gebruiker=gebruiker,
            obj=obj,
            regio=regio,
            actie=AuditActie.GEWIJZIGD if bestaand else AuditActie.AANGEMAAKT,
            voor=voor,
            na=_gegevens(obj),
            omschrijving=_("oordeel over doel %(nummer)s, %(jaar)s")
            % {"nummer": doel.nummer, "jaar": jaar},
        )
    return obj


def _gegevens(oordeel: Effectoordeel) -> dict:
    return {"jaar": oordeel.jaar, "oordeel": oordeel.oordeel, "motivering": oordeel.motivering}
