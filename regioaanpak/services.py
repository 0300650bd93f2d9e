"""Writes of the core domain (keyword-only, typed, in a transaction)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from regioaanpak.choices import RolSoort
from regioaanpak.models import Gemeente, Regio, Rol


@transaction.atomic
def rol_toekennen(
    *, gebruiker, regio: Regio, rol: RolSoort | str, gemeente: Gemeente | None = None
) -> Rol:
    """Give a user a role in a region (optionally for one municipality); idempotent."""
    nieuw = Rol(gebruiker=gebruiker, regio=regio, rol=rol, gemeente=gemeente)
    nieuw.full_clean(validate_unique=False, validate_constraints=False)
    bestaand, _ = Rol.objects.get_or_create(
        gebruiker=gebruiker, regio=regio, rol=rol, gemeente=gemeente
    )
    return bestaand


@transaction.atomic
def gebruiker_aanmaken_of_bijwerken(
    *,
    gebruikersnaam: str,
    wachtwoord: str,
    voornaam: str = "",
    achternaam: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
):
    """Create the user or reset its password and flags (for demo and test set-ups)."""
    User = get_user_model()
    gebruiker, _ = User.objects.get_or_create(username=gebruikersnaam)
    gebruiker.first_name = voornaam
    gebruiker.last_name = achternaam
    gebruiker.is_staff = is_staff
    gebruiker.is_superuser = is_superuser
    gebruiker.is_active = True
    gebruiker.set_password(wachtwoord)
    gebruiker.save()
    return gebruiker


def _object_type(obj) -> str:
    return obj._meta.label_lower


def _auditregel(*, gebruiker, obj, regio, actie, voor, na, reden="", omschrijving=""):
    from regioaanpak.models import AuditRegel

    return AuditRegel(
        gebruiker=gebruiker if getattr(gebruiker, "pk", None) else None,
        gebruikersnaam=getattr(gebruiker, "username", "") or "",
        regio=regio,
        object_type=_object_type(obj),
        object_id=str(obj.pk),
        omschrijving=(omschrijving or str(obj))[:300],
        actie=actie,
        voor=voor,
        na=na,
        reden=reden or "",
    )


def audit_schrijf(*, gebruiker, obj, regio, actie, voor, na, reden="", omschrijving=""):
    """Write one audit entry (who, when, before, after)."""
    regel = _auditregel(
        gebruiker=gebruiker,
        obj=obj,
        regio=regio,
        actie=actie,
        voor=voor,
        na=na,
        reden=reden,
        omschrijving=omschrijving,
    )
    regel.save()
    return regel


def audit_schrijf_veel(regels: list[dict]) -> None:
    """Write many audit entries in one query (for saving a whole grid)."""
    from regioaanpak.models import AuditRegel

    AuditRegel.objects.bulk_create([_auditregel(**regel) for regel in regels], batch_size=1000)
