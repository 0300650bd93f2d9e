from __future__ import annotations

from django.db import models


class IndicatorQuerySet(models.QuerySet):
    def gemeten(self) -> IndicatorQuerySet:
        """Indicators whose values are entered or imported (not derived)."""
        return self.filter(teller__isnull=True)

    def afgeleid(self) -> IndicatorQuerySet:
        return self.filter(teller__isnull=False)


class WaarnemingQuerySet(models.QuerySet):
    def voor_gemeenten(self) -> WaarnemingQuerySet:
        return self.filter(gemeente__isnull=False)

    def voor_regios(self) -> WaarnemingQuerySet:
        return self.filter(regio__isnull=False)
