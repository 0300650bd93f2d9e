"""Forms of the figures pages: the entry grid, the file upload and the workflow buttons.

The grid is not a Django form with a field per cell: a region of 15 municipalities and 30
indicators would send well over Django's limit of 1,000 fields (DATA_UPLOAD_MAX_NUMBER_FIELDS).
So a cell is one text field that carries the status the CBS way (`412*` is provisional, `.` is
secret), and a comment field is only rendered where one is needed or asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.http import QueryDict

from monitoring.choices import WaarnemingStatus
from monitoring.models import Waarneming
from monitoring.selectors import Cijfer, Gegevensgrid
from monitoring.services import GridCel, GridResultaat
from regioaanpak import opmaak
from regioaanpak.choices import AuditActie, WorkflowStatus
from regioaanpak.models import AuditRegel
from regioaanpak.tabellen import Grenzen, getal, mb, te_groot

WAARDE, TOELICHTING = "w", "t"
VOORLOPIG_TEKEN, GEHEIM_TEKEN = opmaak.VOORLOPIG, opmaak.GEHEIM


def veldnaam(soort: str, gebied: str, indicator: str) -> str:
    return f"{soort}:{gebied}:{indicator}"


def invoer_tekst(waarneming: Waarneming | None) -> str:
    """A stored figure as it stands in its input: 412, 62,5, 412* (voorlopig) or . (geheim)."""
    if waarneming is None:
        return ""
    if waarneming.status == WaarnemingStatus.GEHEIM:
        return GEHEIM_TEKEN
    if waarneming.waarde is None:
        return ""
    tekst = f"{waarneming.waarde.normalize():f}".replace(".", ",")
    if waarneming.status == WaarnemingStatus.VOORLOPIG:
        tekst += VOORLOPIG_TEKEN
    return tekst


def lees_invoer(tekst: str) -> tuple[str, str]:
    """Split what was typed into the value and its status: '412*' -> ('412', voorlopig)."""
    tekst = (tekst or "").strip()
    if tekst == GEHEIM_TEKEN:
        return "", WaarnemingStatus.GEHEIM
    if tekst.endswith(VOORLOPIG_TEKEN):
        return tekst[: -len(VOORLOPIG_TEKEN)].strip(), WaarnemingStatus.VOORLOPIG
    return tekst, WaarnemingStatus.DEFINITIEF


def cijfer_tekst(waarde: Decimal | None, status: str | None) -> str:
    """A stored figure for reading, exactly as stored, in CBS notation (regioaanpak.opmaak)."""
    return opmaak.cijfer(
        waarde,
        geheim=status == WaarnemingStatus.GEHEIM,
        voorlopig=status == WaarnemingStatus.VOORLOPIG,
        decimalen=None if waarde is None else max(0, -waarde.normalize().as_tuple().exponent),
        kort=True,
    )


def grid_cellen(data: QueryDict) -> list[GridCel]:
    """The cells of a posted grid; the service checks that each belongs to the grid."""
    cellen = []
    for naam in data:
        soort, _, rest = naam.partition(":")
        gebied, _, indicator = rest.partition(":")
        if soort != WAARDE or not (gebied and indicator):
            continue
        waarde, status = lees_invoer(data.get(naam, ""))
        toelichting_veld = veldnaam(TOELICHTING, gebied, indicator)
        cellen.append(
            GridCel(
                gebied=gebied,
                indicator=indicator,
                waarde=waarde,
                status=status,
                toelichting=data.get(toelichting_veld) if toelichting_veld in data else None,
            )
        )
    return cellen


def grid_versie(data: QueryDict) -> int:
    """The delivery version the form was based on; -1 (always a conflict) when unreadable."""
    try:
        return int(data.get("versie", ""))
    except ValueError:
        return -1


@dataclass
class CelWeergave:
    naam: str
    toelichting_naam: str
    sleutel: str  # gebied:indicator, to ask for a comment field
    anker: str
    label: str
    waarde: str
    lezen: str
    vorige: str
    berekend: str
    fout: str
    waarschuwing: str
    toelichting: str
    toon_toelichting: bool
    nu_opgeslagen: str
    vast: str = ""  # why this cell is locked (approved by another region the member is in)


@dataclass
class RijWeergave:
    gebied: str
    naam: str
    is_regio: bool
    cellen: list[CelWeergave]


def _vorige_tekst(cijfer: Cijfer | None) -> str:
    if cijfer is None:
        return "–"
    return cijfer_tekst(cijfer.waarde, cijfer.status)


def grid_rijen(
    grid: Gegevensgrid,
    *,
    data: QueryDict | None = None,
    resultaat: GridResultaat | None = None,
    toelichting_voor: str = "",
) -> list[RijWeergave]:
    """The rows of the grid as the template shows them, with the user's input kept."""
    context = grid.context
    celfouten = resultaat.celfouten if resultaat else {}
    waarschuwingen = dict(grid.afwijkingen)
    if resultaat:
        waarschuwingen.update(resultaat.waarschuwingen)
    conflict = bool(resultaat and resultaat.conflict)
    gebieden = [(g.cbs_code, g.naam, False) for g in context.leden]
    gebieden.append((context.regio.code, context.regio.naam, True))
    rijen = []
    for gebied, naam, is_regio in gebieden:
        cellen = []
        for indicator in context.indicatoren:
            sleutel = (gebied, indicator.code)
            opgeslagen = context.bestaand.get(sleutel)
            veld = veldnaam(WAARDE, gebied, indicator.code)
            toelichting_veld = veldnaam(TOELICHTING, gebied, indicator.code)
            bewaard = invoer_tekst(opgeslagen)
            waarde = data.get(veld, bewaard) if data is not None else bewaard
            toelichting = opgeslagen.toelichting if opgeslagen is not None else ""
            if data is not None and toelichting_veld in data:
                toelichting = data.get(toelichting_veld, "")
            huidig = context.huidig(gebied, indicator.code)
            berekend = ""
            if (
                opgeslagen is None
                and huidig is not None
                and huidig.samengesteld
                and (huidig.waarde is not None or huidig.is_geheim)
            ):
                berekend = cijfer_tekst(huidig.waarde, huidig.status)
            fout = celfouten.get(sleutel, "")
            waarschuwing = waarschuwingen.get(sleutel, "")
            cellen.append(
                CelWeergave(
                    naam=veld,
                    toelichting_naam=toelichting_veld,
                    sleutel=f"{gebied}:{indicator.code}",
                    anker=f"{gebied}-{indicator.code}",
                    label=f"{naam}: {indicator.naam}",
                    waarde=waarde,
                    lezen=cijfer_tekst(opgeslagen.waarde, opgeslagen.status) if opgeslagen else "",
                    vorige=_vorige_tekst(context.vorige(gebied, indicator.code)),
                    berekend=berekend,
                    fout=fout,
                    waarschuwing=waarschuwing,
                    toelichting=toelichting,
                    toon_toelichting=bool(
                        toelichting
                        or fout
                        or waarschuwing
                        or (data is not None and toelichting_veld in data)
                        or toelichting_voor == f"{gebied}:{indicator.code}"
                    ),
                    nu_opgeslagen=(bewaard or "leeg")
                    if conflict and data is not None and waarde.strip() != bewaard
                    else "",
                    vast=f"goedgekeurd in {context.vergrendeld[(gebied, indicator.code)]}"
                    if (gebied, indicator.code) in context.vergrendeld
                    else "",
                )
            )
        rijen.append(RijWeergave(gebied=gebied, naam=naam, is_regio=is_regio, cellen=cellen))
    return rijen


# -- history ------------------------------------------------------------------------------------
def _audit_cijfer(gegevens: dict | None) -> str:
    if not gegevens:
        return "–"
    try:
        waarde = None if gegevens.get("waarde") is None else Decimal(gegevens["waarde"])
    except (InvalidOperation, TypeError):
        return str(gegevens.get("waarde"))
    return cijfer_tekst(waarde, gegevens.get("status"))


@dataclass
class GeschiedenisRegel:
    tijdstip: str
    wie: str
    wat: str
    details: str
    reden: str


def geschiedenis_regels(regels: list[AuditRegel]) -> list[GeschiedenisRegel]:
    """Audit entries of the delivery and its figures, worded for people."""
    uit = []
    for regel in regels:
        wie = regel.gebruikersnaam or "het systeem (import)"
        if regel.gebruiker is not None:
            wie = regel.gebruiker.get_full_name() or regel.gebruiker.get_username()
        details = ""
        if regel.object_type == "monitoring.waarneming":
            details = f"{_audit_cijfer(regel.voor)} → {_audit_cijfer(regel.na)}"
            if regel.actie == AuditActie.AANGEMAAKT:
                details = f"nieuw: {_audit_cijfer(regel.na)}"
            oud = (regel.voor or {}).get("toelichting") or ""
            nieuw = (regel.na or {}).get("toelichting") or ""
            if nieuw != oud:
                details += f"; toelichting: “{nieuw}”" if nieuw else "; toelichting verwijderd"
        elif regel.actie in (AuditActie.STATUS, AuditActie.VERGRENDELD, AuditActie.ONTGRENDELD):
            van = (regel.voor or {}).get("status", "")
            naar = (regel.na or {}).get("status", "")
            labels = dict(WorkflowStatus.choices)
            details = f"{labels.get(van, van)} → {labels.get(naar, naar)}"
        uit.append(
            GeschiedenisRegel(
                tijdstip=opmaak.tijdstip(regel.tijdstip),
                wie=wie,
                wat=regel.omschrijving or regel.get_actie_display(),
                details=details,
                reden=regel.reden,
            )
        )
    return uit


# -- upload and workflow ------------------------------------------------------------------------
class UploadFormulier(forms.Form):
    bestand = forms.FileField(
        label="Bestand (CSV of Excel .xlsx)",
        help_text=(
            "Kolommen: indicator, gebied, periode, waarde en eventueel status, bron en toelichting."
        ),
        error_messages={
            "required": "Kies een bestand om te uploaden.",
            "empty": "Het bestand is leeg.",
            "invalid": "Er is geen bestand ontvangen; kies het bestand opnieuw.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grenzen = Grenzen.upload()
        self.fields[
            "bestand"
        ].help_text += f" Ten hoogste {mb(grenzen.bytes)} en {getal(grenzen.regels)} regels."

    def clean_bestand(self):
        bestand = self.cleaned_data["bestand"]
        fout = te_groot(bestand.size, Grenzen.upload())
        if fout is not None:
            raise forms.ValidationError(
                "%(reden)s Laat regels weg die niet bij deze regio en periode horen.",
                params={"reden": fout.reden},
            )
        return bestand


class OvergangFormulier(forms.Form):
    naar = forms.ChoiceField(choices=WorkflowStatus.choices)
    reden = forms.CharField(required=False, max_length=2000)
