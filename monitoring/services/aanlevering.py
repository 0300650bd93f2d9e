"""A delivery of figures from outside a grid page (the API push): which regions it may write,
which deliveries it touches, and how those are kept.

The rows go through the same checks and the same save as the web upload
(`waarnemingen_importeer`); this module adds the reach of the sender, refuses rows of a
submitted delivery (it waits for review) and records every save on the deliveries of the regions
concerned, so the region's officials review and approve API figures like any other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from monitoring.models import Gegevenslevering
from monitoring.selectors.organisaties import Aanleververdeling
from monitoring.services.bestanden import ImportFout, ImportRij
from regioaanpak.bulk import bulk_bijwerken
from regioaanpak.choices import AuditActie, WorkflowStatus
from regioaanpak.models import Periode, Regio
from regioaanpak.selectors import Ledenregister
from regioaanpak.services import AuditRij, audit_waarden


@dataclass(frozen=True)
class Aanlevering:
    """Who delivers: the regions they may write (None: every region), a description of the
    channel for the audit log, e.g. "de API (token abcd1234…)", and the organisation a token
    delivers for (None without a token: each row counts for the organisation that delivers
    its indicator in the region)."""

    regios: frozenset[str] | None
    herkomst: str
    organisatie: str | None = None

    @property
    def reden(self) -> str:
        """What the audit log says of every change of this delivery."""
        return _("Aangeleverd via %(herkomst)s") % {"herkomst": self.herkomst}


class AanleverControle:
    """The reach checks of one delivery; reads its memberships and deliveries once."""

    def __init__(
        self, aanlevering: Aanlevering, namen: dict[str, str], verdeling: Aanleververdeling
    ) -> None:
        self.aanlevering = aanlevering
        self.register = Ledenregister(aanlevering.regios)
        self.namen = namen
        self.verdeling = verdeling
        # row -> the deliveries (region, period, organisation) it belongs to
        self.paren: dict[int, tuple[tuple[str, str, str], ...]] = {}
        self._regionamen: dict[str, str] | None = None

    def _regio_namen(self) -> str:
        if self._regionamen is None:
            codes = sorted(self.aanlevering.regios or ())
            self._regionamen = dict(
                Regio.objects.filter(code__in=codes).values_list("code", "naam")
            )
        return ", ".join(self._regionamen.get(c, c) for c in sorted(self._regionamen))

    def controleer(self, rij: ImportRij, is_gemeente: bool) -> ImportFout | None:
        """Whether the row lies within the sender's regions; remembers its deliveries."""
        regios = self.aanlevering.regios
        if is_gemeente:
            eigen = self.register.regios_van(rij.gebied, rij.periode)
            if regios is not None and not eigen:
                return ImportFout(
                    rij.regel,
                    "gebied",
                    _(
                        "%(gemeente)s (%(code)s) hoort in %(periode)s niet bij de regio's "
                        "waarvoor u cijfers mag aanleveren (%(regios)s)."
                    )
                    % {
                        "gemeente": self.namen.get(rij.gebied, rij.gebied),
                        "code": rij.gebied,
                        "periode": rij.periode,
                        "regios": self._regio_namen(),
                    },
                )
        else:
            if regios is not None and rij.gebied not in regios:
                return ImportFout(
                    rij.regel,
                    "gebied",
                    _("U mag geen cijfers van de regio %(code)s aanleveren (wel van %(regios)s).")
                    % {"code": rij.gebied, "regios": self._regio_namen()},
                )
            eigen = (rij.gebied,)
        verdeling, organisatie = self.verdeling, self.aanlevering.organisatie
        if organisatie is not None:
            for regio in sorted(eigen):
                eigenaar = verdeling.organisatie_van(regio, rij.indicator)
                if eigenaar != organisatie:
                    return ImportFout(
                        rij.regel,
                        "indicator",
                        _(
                            "'%(indicator)s' levert %(eigenaar)s aan voor %(regio)s; dit token "
                            "levert alleen de indicatoren van %(organisatie)s."
                        )
                        % {
                            "indicator": rij.indicator,
                            "eigenaar": verdeling.organisaties[eigenaar].naam,
                            "regio": self._naam_van_regio(regio),
                            "organisatie": verdeling.organisaties[organisatie].naam,
                        },
                    )
        # Deliveries are kept for the sender's own regions only; a superuser without a token
        # writes like the import command, without deliveries.
        if regios is not None:
            self.paren[rij.regel] = tuple(
                (regio, rij.periode, verdeling.organisatie_van(regio, rij.indicator))
                for regio in eigen
            )
        return None

    def _naam_van_regio(self, code: str) -> str:
        self._regio_namen()
        if code not in self._regionamen:
            naam = Regio.objects.filter(code=code).values_list("naam", flat=True).first()
            self._regionamen[code] = naam or code
        return self._regionamen[code]

    def ingediend(self, rijen: list[ImportRij], *, voor_update: bool) -> list[ImportFout]:
        """Rows of a submitted delivery wait for its review and are refused (with the reason)."""
        paren = {p for regel_paren in self.paren.values() for p in regel_paren}
        if not paren:
            return []
        leveringen = Gegevenslevering.objects.filter(
            regio_id__in={r for r, _p, _o in paren}, periode_id__in={p for _r, p, _o in paren}
        ).select_related("regio", "organisatie")
        if voor_update:
            leveringen = leveringen.select_for_update(of=("self",))
        self.leveringen = {(lv.regio_id, lv.periode_id, lv.organisatie_id): lv for lv in leveringen}
        fouten = []
        for rij in rijen:
            for paar in self.paren.get(rij.regel, ()):
                levering = self.leveringen.get(paar)
                if levering is not None and levering.workflow_status == WorkflowStatus.INGEDIEND:
                    fouten.append(
                        ImportFout(
                            rij.regel,
                            None,
                            _(
                                "de cijfers van %(organisatie)s voor %(regio)s over %(periode)s "
                                "zijn ingediend en wachten op beoordeling; ze kunnen nu niet "
                                "worden gewijzigd."
                            )
                            % {
                                "organisatie": levering.organisatie.naam,
                                "regio": levering.regio.naam,
                                "periode": paar[1],
                            },
                        )
                    )
                    break
        return fouten

    def leveringen_bijwerken(
        self, rijen: list[ImportRij], *, gebruiker, samenvatting: str
    ) -> list[AuditRij]:
        """Create the missing deliveries (concept) and raise the version of every delivery that
        got new or changed figures; returns their audit entries."""
        veranderd: dict[tuple[str, str, str], int] = defaultdict(int)
        for rij in rijen:
            if rij.actie in ("nieuw", "gewijzigd"):
                for paar in self.paren.get(rij.regel, ()):
                    veranderd[paar] += 1
        if not veranderd:
            return []
        Periode.objects.bulk_create(
            [Periode.uit_code(p) for p in sorted({p for _r, p, _o in veranderd})],
            ignore_conflicts=True,
        )
        bestaand = getattr(self, "leveringen", {})
        nieuw = [
            Gegevenslevering(regio_id=r, periode_id=p, organisatie_id=o, versie=0)
            for (r, p, o) in sorted(veranderd)
            if (r, p, o) not in bestaand
        ]
        Gegevenslevering.objects.bulk_create(nieuw, ignore_conflicts=True)
        leveringen = {
            (lv.regio_id, lv.periode_id, lv.organisatie_id): lv
            for lv in Gegevenslevering.objects.filter(
                regio_id__in={r for r, _p, _o in veranderd},
                periode_id__in={p for _r, p, _o in veranderd},
            ).select_related("regio")
            if (lv.regio_id, lv.periode_id, lv.organisatie_id) in veranderd
        }
        regels = []
        reden = self.aanlevering.reden
        for paar in sorted(leveringen):
            levering = leveringen[paar]
            voor = levering.versie
            levering.versie = voor + 1
            regels.append(
                audit_waarden(
                    gebruiker=gebruiker,
                    obj=levering,
                    regio=levering.regio,
                    actie=AuditActie.AANGEMAAKT if voor == 0 else AuditActie.GEWIJZIGD,
                    voor=None if voor == 0 else {"versie": voor},
                    na={"versie": levering.versie},
                    omschrijving=_("Cijfers via %(herkomst)s: %(aantal)s in deze levering (%(s)s)")
                    % {
                        "herkomst": self.aanlevering.herkomst,
                        "aantal": veranderd[paar],
                        "s": samenvatting,
                    },
                    reden=reden,
                )
            )
        # One statement for all deliveries (a national push touches hundreds of them).
        bulk_bijwerken(Gegevenslevering, list(leveringen.values()), ["versie"])
        return regels
