"""What every admin page shares: staff see and change only their own regions' objects, figures
and their workflow are read-only here, and the national reference data are for superusers.

- `RegioBeheer`: the admin's list, detail and choices are limited to the regions where the
  staff user is beheerder (a superuser: every region). `regio_pad` leads from the model to its
  region.
- `AlleenLezen`: figures, deliveries, progress updates, risk factors and published reports
  change only through their services (with the lock check, the four-eyes rule and the audit
  log); the admin shows them, never changes them.
- `Referentiegegevens`: municipalities, regions, memberships, populations, periods and the
  indicator catalogue (with its disclosure settings) are the same for every region: only a
  superuser changes them.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q

from regioaanpak.choices import RolSoort
from regioaanpak.models import Regio, Rol


def beheerde_regios(gebruiker) -> frozenset[str] | None:
    """The regions where the user is beheerder; None for a superuser (every region)."""
    if gebruiker.is_superuser:
        return None
    cache = getattr(gebruiker, "_regioaanpak_beheerd", None)
    if cache is None:
        cache = frozenset(
            Rol.objects.filter(gebruiker=gebruiker, rol=RolSoort.BEHEERDER).values_list(
                "regio_id", flat=True
            )
        )
        gebruiker._regioaanpak_beheerd = cache
    return cache


# Paths from a model to its region, for the choices of foreign keys in the forms.
_REGIO_PADEN = {
    "regioaanpak.regio": "code",
    "actielijnen.regioaanpak": "regio",
    "actielijnen.actielijn": "regioaanpak__regio",
    "actielijnen.project": "actielijn__regioaanpak__regio",
    "actielijnen.mijlpaal": "project__actielijn__regioaanpak__regio",
}


class RegioBeheer:
    """Mixin for a ModelAdmin whose objects belong to one region (see the module docstring)."""

    regio_pad: str = "regio"

    def regio_filter(self, regios: frozenset[str]) -> Q:
        return Q(**{f"{self.regio_pad}__in": sorted(regios)})

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        regios = beheerde_regios(request.user)
        if regios is None:
            return qs
        return qs.filter(self.regio_filter(regios)).distinct()

    def _eigen(self, request, obj) -> bool:
        if obj is None or beheerde_regios(request.user) is None:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._eigen(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._eigen(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._eigen(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        regios = beheerde_regios(request.user)
        pad = _REGIO_PADEN.get(db_field.related_model._meta.label_lower)
        if regios is not None and pad is not None:
            kwargs["queryset"] = db_field.related_model._default_manager.filter(
                **{f"{pad}__in": sorted(regios)}
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        regios = beheerde_regios(request.user)
        if regios is not None and db_field.related_model is Regio:
            kwargs["queryset"] = Regio.objects.filter(code__in=sorted(regios))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AlleenLezen:
    """Mixin: shown in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AlleenLezenInline(AlleenLezen, admin.TabularInline):
    extra = 0


class Referentiegegevens:
    """Mixin: every staff user may look, only a superuser changes."""

    def has_add_permission(self, request, *args) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser
