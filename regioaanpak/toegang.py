"""Who may see and change what: roles per region, scoping, and 404 for everything else.

A user sees a region when they hold any role in it; a superuser counts as beheerder everywhere.
Objects of other regions are answered with 404 (not 403), so URL guessing reveals nothing.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from regioaanpak.choices import RolSoort
from regioaanpak.models import Regio, Rol


def _rollen(gebruiker) -> dict[str, set[str]]:
    """Roles per region code, cached on the user object for the request."""
    if not getattr(gebruiker, "is_authenticated", False):
        return {}
    cache = getattr(gebruiker, "_regioaanpak_rollen", None)
    if cache is None:
        cache = {}
        for regio_id, rol in Rol.objects.filter(gebruiker=gebruiker).values_list("regio_id", "rol"):
            cache.setdefault(regio_id, set()).add(rol)
        gebruiker._regioaanpak_rollen = cache
    return cache


def rollen_per_regio(gebruiker) -> dict[str, frozenset[str]]:
    """Every region the user holds a role in, with those roles (not for superusers)."""
    return {regio: frozenset(rollen) for regio, rollen in _rollen(gebruiker).items()}


def rollen_in(gebruiker, regio: Regio | str) -> set[str]:
    code = regio if isinstance(regio, str) else regio.code
    if getattr(gebruiker, "is_superuser", False):
        return {RolSoort.BEHEERDER}
    return set(_rollen(gebruiker).get(code, set()))


def heeft_rol(gebruiker, regio: Regio | str, *rollen: str) -> bool:
    """The user holds one of the roles in the region (any role when none are given)."""
    eigen = rollen_in(gebruiker, regio)
    return bool(eigen) if not rollen else bool(eigen & set(rollen))


def zichtbare_regios(gebruiker) -> QuerySet[Regio]:
    if not getattr(gebruiker, "is_authenticated", False):
        return Regio.objects.none()
    if gebruiker.is_superuser:
        return Regio.objects.all()
    return Regio.objects.filter(code__in=list(_rollen(gebruiker)))


def regio_of_404(gebruiker, code: str, *rollen: str) -> Regio:
    """The region if the user holds (one of) the roles there; otherwise 404."""
    regio = Regio.objects.select_related("centrumgemeente").filter(code=code).first()
    if regio is None or not heeft_rol(gebruiker, regio, *rollen):
        raise Http404("Regio niet gevonden.")
    return regio
