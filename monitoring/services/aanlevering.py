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
from monitoring.services.bestanden import ImportFout, ImportRij
from regioaanpak.bulk import bulk_bijwerken
from regioaanpak.choices import AuditActie, WorkflowStatus
from regioaanpak.models import Periode, Regio
from regioaanpak.selectors import Ledenregister
from regioaanpak.services import audit_waarden


@dataclass(frozen=True)
class Aanlevering:
    """Who delivers: the regions they may write (None: every region) and a description of the
    channel for the audit log, e.g. "de API (token abcd1234…)"."""

    regios: frozenset[str] | None
    herkomst: str

    @property
    def reden(self) -> str:
        """What the audit log says of every change of this delivery."""
        return _("Aangeleverd via %(herkomst)s") % {"herkomst": self.herkomst}


class AanleverControle:
    """The reach checks of one delivery; reads its memberships and deliveries once."""

    def __init__(self, aanlevering: Aanlevering, namen: dict[str, str]) -> None:
        self.aanlevering = aanlevering
        self.register = Ledenregister(aanlevering.regios)
        self.namen = namen
        self.paren: dict[int, tuple[tuple[str, str], ...]] = {}
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
        # Deliveries are kept for the sender's own regions only; a superuser without a token
        # writes like the import command, without deliveries.
        if regios is not None:
            self.paren[rij.regel] = tuple((regio, rij.periode) for regio in eigen)
        return None

    def ingediend(self, rijen: list[ImportRij], *, voor_update: bool) -> list[ImportFout]:
        """Rows of a submitted delivery wait for its review and are refused (with the reason)."""
        paren = {p for regel_paren in self.paren.values() for p in regel_paren}
        if not paren:
            return []
        leveringen = Gegevenslevering.objects.filter(
            regio_id__in={r for r, _p in paren}, periode_id__in={p for _r, p in paren}
        ).select_related("regio")
        if voor_update:
            leveringen = leveringen.select_for_update(of=("self",))
        self.leveringen = {(lv.regio_id, lv.periode_id): lv for lv in leveringen}
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
                                "de cijfers van %(regio)s over %(periode)s zijn ingediend en "
                                "wachten op beoordeling; ze kunnen nu niet worden gewijzigd."
                            )
                            % {"regio": levering.regio.naam, "periode": paar[1]},
                        )
                    )
                    break
        return fouten

    def leveringen_bijwerken(
        self, rijen: list[ImportRij], *, gebruiker, samenvatting: str
    ) -> list[dict]:
        """Create the missing deliveries (concept) and raise the version of every delivery that
        got new or changed figures; returns their audit entries."""
        veranderd: dict[tuple[str, str], int] = defaultdict(int)
        for rij in rijen:
            if rij.actie in ("nieuw", "gewijzigd"):
                for paar in self.paren.get(rij.regel, ()):
                    veranderd[paar] += 1
        if not veranderd:
            return []
        Periode.objects.bulk_create(
            [Periode.uit_code(p) for p in sorted({p for _r, p in veranderd})],
            ignore_conflicts=True,
        )
        bestaand = getattr(self, "leveringen", {})
        nieuw = [
            Gegevenslevering(regio_id=r, periode_id=p, versie=0)
            for (r, p) in sorted(veranderd)
            if (r, p) not in bestaand
        ]
        Gegevenslevering.objects.bulk_create(nieuw, ignore_conflicts=True)
        leveringen = {
            (lv.regio_id, lv.periode_id): lv
            for lv in Gegevenslevering.objects.filter(
                regio_id__in={r for r, _p in veranderd}, periode_id__in={p for _r, p in veranderd}
            ).select_related("regio")
            if (lv.regio_id, lv.periode_id) in veranderd
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
