from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q


def _geldig_in(begin: dt.date, eind: dt.date, prefix: str = "") -> Q:
    """Rows whose validity (geldig_van/geldig_tot, open ends allowed) meets [begin, eind]."""
    van, tot = f"{prefix}geldig_van", f"{prefix}geldig_tot"
    return (Q(**{f"{van}__isnull": True}) | Q(**{f"{van}__lte": eind})) & (
        Q(**{f"{tot}__isnull": True}) | Q(**{f"{tot}__gte": begin})
    )


class GemeenteQuerySet(models.QuerySet):
    def bestaand_in(self, begin: dt.date, eind: dt.date) -> GemeenteQuerySet:
        return self.filter(_geldig_in(begin, eind))

    def huidig(self, peildatum: dt.date | None = None) -> GemeenteQuerySet:
        peildatum = peildatum or dt.date.today()
        return self.bestaand_in(peildatum, peildatum)


class LidmaatschapQuerySet(models.QuerySet):
    def geldig_in(self, begin: dt.date, eind: dt.date) -> LidmaatschapQuerySet:
        """Memberships valid during the interval, of municipalities that existed then."""
        return self.filter(_geldig_in(begin, eind), _geldig_in(begin, eind, "gemeente__"))


class RolQuerySet(models.QuerySet):
    def van_gebruiker(self, gebruiker) -> RolQuerySet:
        if not gebruiker.is_authenticated:
            return self.none()
        return self.filter(gebruiker=gebruiker)
