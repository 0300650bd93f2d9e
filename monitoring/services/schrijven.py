"""Writing figures with their audit entries, and the delivery (version, lock) they belong to."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.models import Gegevenslevering, Indicator, Waarneming
from monitoring.selectors import (
    gegevenslevering_laatste_opslag,
)
from monitoring.selectors.organisaties import aanleververdeling
from monitoring.services.bestanden import zelfde_waarde
from regioaanpak import opmaak
from regioaanpak.bulk import JsonTekst, bulk_bijwerken, bulk_invoegen_rijen
from regioaanpak.choices import AuditActie, RolSoort, WorkflowStatus
from regioaanpak.models import Periode, Regio
from regioaanpak.paginacache import gegevens_gewijzigd
from regioaanpak.perioden import PeriodeCode
from regioaanpak.services import AuditRij, audit_schrijf_veel, audit_waarden
from regioaanpak.toegang import heeft_rol
from regioaanpak.workflow import workflow_overgang


# -- writing figures with their audit entries ---------------------------------------------------
def _decimaal_tekst(waarde: Decimal | None) -> str | None:
    """Exact text of a value for the audit log (JSON has no decimals): '412', '62.5'."""
    if waarde is None:
        return None
    return f"{waarde.normalize():f}"


BIJWERKBAAR = ("waarde", "status", "bron", "toelichting")
# SQLite before 3.32 takes at most 999 parameters per statement; a full grid has fewer ids.
MAX_IDS_PER_QUERY = 900


def vooraf(waarneming: Waarneming) -> dict:
    """The changeable fields of a figure before it is changed."""
    return {veld: getattr(waarneming, veld) for veld in BIJWERKBAAR}


class NieuwCijfer(NamedTuple):
    """A figure to be inserted: the columns, without a model instance (an import makes
    100.000 of them)."""

    indicator_id: str
    gemeente_id: str | None
    regio_id: str | None
    periode_id: str
    waarde: Decimal | None
    status: str
    bron: str = ""
    toelichting: str = ""


def schrijf_waarnemingen(
    *,
    nieuw: Sequence[NieuwCijfer],
    gewijzigd: list[tuple[Waarneming, dict]],
    gebruiker,
    regio: Regio | None,
    indicatoren: Mapping[str, Indicator],
    namen,
    reden: str = "",
) -> list[AuditRij]:
    """Insert and update figures in bulk; returns one audit entry per figure (for
    `audit_schrijf_veel`; not written yet).

    `gewijzigd` holds the changed figures with their fields from before the change (`vooraf`).
    """
    nu = timezone.now()
    gegevens_gewijzigd()
    # Only the columns that changed somewhere: Django builds a CASE per column and row.
    velden = [
        veld
        for veld in BIJWERKBAAR
        if any(
            not zelfde_waarde(getattr(w, veld), voor[veld])
            if veld == "waarde"
            else getattr(w, veld) != voor[veld]
            for w, voor in gewijzigd
        )
    ]
    # The tuples go to COPY as they are; both timestamps are now (auto_now).
    sleutels = bulk_invoegen_rijen(Waarneming, NieuwCijfer._fields, nieuw, met_sleutels=True, nu=nu)
    if connection.vendor == "postgresql":
        bulk_bijwerken(Waarneming, [w for w, _voor in gewijzigd], velden)
    else:
        if velden:
            Waarneming.objects.bulk_update([w for w, _voor in gewijzigd], velden, batch_size=2000)
        # One timestamp for all: a plain UPDATE instead of another CASE over every row.
        ids = [w.pk for w, _voor in gewijzigd]
        for begin in range(0, len(ids), MAX_IDS_PER_QUERY):
            Waarneming.objects.filter(pk__in=ids[begin : begin + MAX_IDS_PER_QUERY]).update(
                gewijzigd_op=nu
            )
    for waarneming, _voor in gewijzigd:
        waarneming.gewijzigd_op = nu

    # Texts computed once per name and value, not once per figure.
    indicatornamen = {code: i.naam for code, i in indicatoren.items()}
    gebiedsnamen: dict[str, str] = {}
    teksten: dict[Decimal, str | None] = {}

    def omschrijving(w) -> str:
        gebied = w.gemeente_id or w.regio_id
        naam = gebiedsnamen.get(gebied)
        if naam is None:
            naam = gebiedsnamen[gebied] = namen(gebied)
        indicator = indicatornamen.get(w.indicator_id, w.indicator_id)
        return f"{indicator} — {naam} — {w.periode_id}"[:300]

    def gegevens(waarde, status, toelichting) -> dict:
        tekst = teksten.get(waarde) if waarde is not None else None
        if tekst is None and waarde is not None:
            tekst = teksten[waarde] = _decimaal_tekst(waarde)
        return {"waarde": tekst, "status": status, "toelichting": toelichting}

    # The JSON of a new figure's entry, once per value, status and explanation.
    json_na: dict[tuple, JsonTekst] = {}

    def na_nieuw(w) -> JsonTekst:
        sleutel = (w.waarde, w.status, w.toelichting)
        tekst = json_na.get(sleutel)
        if tekst is None:
            tekst = json_na[sleutel] = JsonTekst(
                json.dumps(gegevens(w.waarde, w.status, w.toelichting))
            )
        return tekst

    gebruiker_id = gebruiker.pk if getattr(gebruiker, "pk", None) else None
    gebruikersnaam = getattr(gebruiker, "username", "") or ""
    regio_id = regio.pk if regio is not None else None
    object_type = Waarneming._meta.label_lower
    aangemaakt, bijgewerkt = str(AuditActie.AANGEMAAKT), str(AuditActie.GEWIJZIGD)

    def audit(w, object_id, actie: str, voor, na) -> AuditRij:
        return AuditRij(
            gebruiker_id,
            gebruikersnaam,
            regio_id if regio_id is not None else w.regio_id,
            object_type,
            str(object_id),
            omschrijving(w),
            actie,
            voor,
            na,
            reden,
        )

    regels = [
        audit(w, sleutel, aangemaakt, None, na_nieuw(w))
        for w, sleutel in zip(nieuw, sleutels, strict=True)
    ]
    regels += [
        audit(
            w,
            w.pk,
            bijgewerkt,
            gegevens(voor["waarde"], voor["status"], voor["toelichting"]),
            gegevens(w.waarde, w.status, w.toelichting),
        )
        for w, voor in gewijzigd
    ]
    return regels


# -- the delivery of one region and period ------------------------------------------------------
class LeveringBestaatAl(Exception):
    """Someone else created the delivery between reading and saving."""


def levering_ophalen(
    regio: Regio, periode: PeriodeCode, organisatie: str | None = None, *, voor_update: bool
) -> Gegevenslevering | None:
    """The delivery of the organisation (the standard one when not named) for the region and
    period, if it exists."""
    leveringen = Gegevenslevering.objects.select_related(
        "regio", "organisatie", "beoordeeld_door", "ingediend_door"
    )
    if voor_update:
        leveringen = leveringen.select_for_update(of=("self",))
    return leveringen.filter(
        regio=regio,
        periode_id=periode.code,
        organisatie_id=organisatie or aanleververdeling().standaard,
    ).first()


def _persoon(gebruiker, gebruikersnaam: str = "") -> str:
    """A person's name for messages; an entry without a user came from the import command."""
    if gebruiker is not None:
        return gebruiker.get_full_name() or gebruiker.get_username()
    return gebruikersnaam or _("het systeem (import)")


def mag_cijfers_bewerken(gebruiker, regio: Regio) -> bool:
    """Only the region's projectleider or a beheerder enters figures."""
    return heeft_rol(gebruiker, regio, RolSoort.PROJECTLEIDER, RolSoort.BEHEERDER)


def bewerk_fouten(
    *,
    regio: Regio,
    periode: PeriodeCode,
    levering: Gegevenslevering | None,
    gebruiker,
) -> list[str]:
    """Why the figures of this region and period cannot be changed now (Dutch), if at all.

    The term of a regioaanpak binds its progress updates, not the figures: Veilig Thuis figures
    are monitored continuously, before, during and after an approach."""
    fouten = []
    if not mag_cijfers_bewerken(gebruiker, regio):
        fouten.append(
            _("Alleen de projectleider of een beheerder van %(regio)s kan deze cijfers wijzigen.")
            % {"regio": regio.naam}
        )
    if levering is not None and levering.workflow_status == WorkflowStatus.GOEDGEKEURD:
        wanneer = ""
        if levering.beoordeeld_op is not None:
            wanneer = _(" (%(wanneer)s door %(wie)s)") % {
                "wanneer": opmaak.tijdstip(levering.beoordeeld_op),
                "wie": _persoon(levering.beoordeeld_door, _("onbekend")),
            }
        fouten.append(
            _(
                "De cijfers van %(regio)s over %(periode)s zijn goedgekeurd en "
                "vergrendeld%(wanneer)s; vraag een beheerder de vergrendeling op te heffen."
            )
            % {"regio": regio.naam, "periode": periode.code, "wanneer": wanneer}
        )
    elif levering is not None and levering.workflow_status == WorkflowStatus.INGEDIEND:
        fouten.append(
            _(
                "De cijfers van %(regio)s over %(periode)s zijn ingediend en wachten op "
                "beoordeling; ze kunnen nu niet worden gewijzigd."
            )
            % {"regio": regio.naam, "periode": periode.code}
        )
    return fouten


def conflict_bericht(levering: Gegevenslevering | None) -> str:
    laatste = gegevenslevering_laatste_opslag(levering)
    if laatste is None:
        return _(
            "Uw wijzigingen zijn niet opgeslagen: iemand anders heeft deze cijfers intussen "
            "opgeslagen. Uw invoer staat hieronder nog; controleer de cijfers en sla opnieuw op."
        )
    return _(
        "Uw wijzigingen zijn niet opgeslagen: %(wie)s heeft deze cijfers op %(wanneer)s "
        "opgeslagen, nadat u dit scherm opende. Uw invoer staat hieronder nog; controleer de "
        "cijfers en sla opnieuw op."
    ) % {
        "wie": _persoon(laatste.gebruiker, laatste.gebruikersnaam),
        "wanneer": opmaak.tijdstip(laatste.tijdstip),
    }


def levering_klaarzetten(
    *,
    regio: Regio,
    periode: PeriodeCode,
    levering: Gegevenslevering | None,
    gebruiker,
    organisatie: str | None = None,
) -> Gegevenslevering:
    """The delivery to record a save on: created in concept on first save; a returned one is
    reopened (teruggestuurd -> concept) through the workflow when the user may do that."""
    Periode.objects.bulk_create([Periode.uit_code(periode)], ignore_conflicts=True)
    if levering is None:
        try:
            with transaction.atomic():
                levering = Gegevenslevering.objects.create(
                    regio=regio,
                    periode_id=periode.code,
                    organisatie_id=organisatie or aanleververdeling().standaard,
                )
        except IntegrityError as exc:
            raise LeveringBestaatAl from exc
        levering.versie = 0  # the first save below makes it version 1
        return levering
    if levering.workflow_status == WorkflowStatus.TERUGGESTUURD and any(
        naar == WorkflowStatus.CONCEPT for naar, _o in levering.toegestane_overgangen(gebruiker)
    ):
        levering = workflow_overgang(obj=levering, naar=WorkflowStatus.CONCEPT, gebruiker=gebruiker)
    return levering


def levering_ophogen(
    *, levering: Gegevenslevering, gebruiker, omschrijving: str, regels: list[AuditRij]
) -> None:
    """Bump the delivery's version and write all audit entries of the save in one go."""
    voor = levering.versie
    levering.versie = voor + 1
    levering.save(update_fields=["versie", "gewijzigd_op"])
    regels.append(
        audit_waarden(
            gebruiker=gebruiker,
            obj=levering,
            regio=levering.regio,
            actie=AuditActie.AANGEMAAKT if voor == 0 else AuditActie.GEWIJZIGD,
            voor=None if voor == 0 else {"versie": voor},
            na={"versie": levering.versie},
            omschrijving=omschrijving,
        )
    )
    audit_schrijf_veel(regels)
