from __future__ import annotations

from django.db import models


class IndicatorQuerySet(models.QuerySet):
    def gemeten(self) -> IndicatorQuerySet:
        """Indicators whose values are entered or imported (not derived)."""
        return self.filter(teller__isnull=True)

    def afgeleid(self) -> IndicatorQuerySet:
        return self.filter(teller__isnull=False)


class OnbeschermdeLezing(RuntimeError):
    """Figures were read past the viewer policy (see monitoring/selectors/opslag.py)."""


class WaarnemingQuerySet(models.QuerySet):
    """Stored figures refuse to hand out values unless the read says why.

    Who may see which number is decided by the viewer policy in the figure selector; a page,
    report or export that reads `Waarneming.objects` itself would bypass it. So fetching rows,
    iterating and aggregating raise `OnbeschermdeLezing`, until `.ongefilterd(reden)` marks the
    read as one of the few that apply the policy themselves or serve a write (Sentry's
    tenant-bound querysets). Counting and existence checks, creating, updating and deleting work
    as usual (model validation and write services need them and they hand out no values).
    """

    _ongefilterd: str = ""

    def ongefilterd(self, reden: str) -> WaarnemingQuerySet:
        if not reden.strip():
            raise ValueError("Zeg waarom cijfers buiten het inzagebeleid om worden gelezen.")
        kloon = self._chain()
        kloon._ongefilterd = reden
        return kloon

    def _clone(self):
        kloon = super()._clone()
        kloon._ongefilterd = self._ongefilterd
        return kloon

    def _bewaak(self) -> None:
        if not self._ongefilterd:
            raise OnbeschermdeLezing(
                "Cijfers worden gelezen via de cijferselector (monitoring.selectors.cijfers) met "
                "het inzagebeleid van de gebruiker; lees Waarneming niet zelf. Een schrijvende "
                "service of de selectorlaag zelf gebruikt Waarneming.objects.ongefilterd(reden)."
            )

    def _fetch_all(self):
        if self._result_cache is None:
            self._bewaak()
        super()._fetch_all()

    def iterator(self, chunk_size=None):
        self._bewaak()
        return super().iterator(chunk_size=chunk_size)

    def aggregate(self, *args, **kwargs):
        self._bewaak()
        return super().aggregate(*args, **kwargs)

    def delete(self):
        # Deleting collects the rows first; that read serves the write, not a viewer.
        return models.QuerySet.delete(self.ongefilterd("verwijderen"))

    def voor_gemeenten(self) -> WaarnemingQuerySet:
        return self.filter(gemeente__isnull=False)

    def voor_regios(self) -> WaarnemingQuerySet:
        return self.filter(regio__isnull=False)
