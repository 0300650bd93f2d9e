"""Writes of the core domain (keyword-only, typed, in a transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction

from regioaanpak.choices import AuditActie, RolSoort
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


class AuditRij(NamedTuple):
    """The columns of one audit entry, for `audit_schrijf_veel` (a tuple: an import makes
    100.000 of them). `voor` and `na` are JSON values, or their text as `JsonTekst`."""

    gebruiker_id: int | None
    gebruikersnaam: str
    regio_id: str | None
    object_type: str
    object_id: str
    omschrijving: str
    actie: str
    voor: Any
    na: Any
    reden: str


def audit_waarden(*, gebruiker, obj, regio, actie, voor, na, reden="", omschrijving="") -> AuditRij:
    """The columns of one audit entry, for `audit_schrijf_veel`."""
    return AuditRij(
        gebruiker_id=gebruiker.pk if getattr(gebruiker, "pk", None) else None,
        gebruikersnaam=getattr(gebruiker, "username", "") or "",
        regio_id=getattr(regio, "pk", None),
        object_type=_object_type(obj),
        object_id=str(obj.pk),
        omschrijving=(omschrijving or str(obj))[:300],
        actie=actie,
        voor=voor,
        na=na,
        reden=reden or "",
    )


def _auditregel(**regel):
    from regioaanpak.models import AuditRegel

    return AuditRegel(**audit_waarden(**regel)._asdict())


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


def audit_schrijf_veel(regels: Sequence[AuditRij]) -> None:
    """Write many audit entries in one statement: a grid save, an import of 100.000 figures.
    The time of writing (`tijdstip`) is the same for all."""
    from regioaanpak.bulk import bulk_invoegen_rijen
    from regioaanpak.models import AuditRegel

    bulk_invoegen_rijen(AuditRegel, AuditRij._fields, regels)


MAX_TOKEN_DAGEN = 730


def nieuw_token() -> str:
    """32 random bytes, URL-safe, starting with a letter or digit: a token beginning with '-'
    would be read as an option on a command line (api_token --intrekken PREFIX)."""
    import secrets

    while True:
        tekst = secrets.token_urlsafe(32)
        if tekst[0].isalnum():
            return tekst


class TokenFout(Exception):
    """A token that cannot be made; the message is Dutch and names the value."""


def organisatie_buiten_werkgebied(organisatie, regios) -> str:
    """Why a token of this organisation cannot cover these regions (Dutch), or ''."""
    if organisatie is None or organisatie.standaard:
        return ""
    eigen = set(organisatie.werkgebied.values_list("code", flat=True))
    buiten = [r for r in regios if r.code not in eigen]
    if not buiten:
        return ""
    return (
        f"{organisatie.naam} levert geen cijfers aan voor "
        f"{', '.join(f'{r.naam} ({r.code})' for r in buiten)}; kies een regio uit haar "
        "werkgebied."
    )


@transaction.atomic
def api_token_aanmaken(
    *,
    gebruiker,
    scope: str,
    regios: list[Regio],
    dagen: int,
    naam: str = "",
    aangemaakt_door=None,
    sleutel: str | None = None,
    organisatie=None,
):
    """Make a personal API token; returns (token object, the token text, shown only now).

    A write token delivers the indicators of `organisatie` only (an Organisatie; None: the
    standard organisation, Veilig Thuis).

    Every region must be one where the owner holds a role (a superuser: any region), so a token
    never reaches further than its owner. `sleutel` fixes the token text, for the demo users of
    `make run` only (refused in production); otherwise it is 32 random bytes."""
    import datetime as dt

    from django.utils import timezone

    from regioaanpak.choices import TokenScope
    from regioaanpak.models import ApiToken, token_hash
    from regioaanpak.toegang import rollen_per_regio

    if scope not in TokenScope.values:
        raise TokenFout(f"Onbekende scope '{scope}'; kies lezen of schrijven.")
    if not regios:
        raise TokenFout("Kies ten minste één regio voor het token.")
    if not 1 <= dagen <= MAX_TOKEN_DAGEN:
        raise TokenFout(
            f"Een token is 1 tot {MAX_TOKEN_DAGEN} dagen geldig, niet {dagen}; maak daarna een "
            "nieuw token."
        )
    if not gebruiker.is_superuser:
        eigen = rollen_per_regio(gebruiker)
        zonder = [r for r in regios if r.code not in eigen]
        if zonder:
            raise TokenFout(
                f"{gebruiker.get_username()} heeft geen rol in "
                f"{', '.join(f'{r.naam} ({r.code})' for r in zonder)}; geef eerst een rol of "
                "kies een andere regio."
            )
    buiten = organisatie_buiten_werkgebied(organisatie, regios)
    if buiten:
        raise TokenFout(buiten)
    if sleutel is not None:
        from django.conf import settings

        if settings.PRODUCTIE or len(sleutel) < 20:
            raise TokenFout("Een zelfgekozen token kan alleen voor demo's (20 tekens of meer).")
        ApiToken.objects.filter(sleutel_hash=token_hash(sleutel)).delete()
    tekst = sleutel or nieuw_token()
    token = ApiToken.objects.create(
        gebruiker=gebruiker,
        naam=naam[:100],
        prefix=tekst[:8],
        sleutel_hash=token_hash(tekst),
        scope=scope,
        organisatie=organisatie,
        verloopt_op=timezone.now() + dt.timedelta(days=dagen),
        aangemaakt_door=aangemaakt_door,
    )
    token.regios.set(regios)
    audit_schrijf(
        gebruiker=aangemaakt_door,
        obj=token,
        regio=regios[0] if len(regios) == 1 else None,
        actie=AuditActie.AANGEMAAKT,
        voor=None,
        na={
            "gebruiker": gebruiker.get_username(),
            "scope": scope,
            "organisatie": organisatie.code if organisatie is not None else None,
            "regios": sorted(r.code for r in regios),
            "verloopt_op": token.verloopt_op.isoformat(),
        },
        omschrijving=f"API-token {token.prefix}… voor {gebruiker.get_username()}",
    )
    return token, tekst


@transaction.atomic
def api_token_intrekken(*, token, door=None):
    """Revoke a token at once; a revoked token is refused with the date it was revoked."""
    from django.utils import timezone

    if token.ingetrokken_op is not None:
        return token
    token.ingetrokken_op = timezone.now()
    token.ingetrokken_door = door
    token.save(update_fields=["ingetrokken_op", "ingetrokken_door"])
    audit_schrijf(
        gebruiker=door,
        obj=token,
        regio=None,
        actie=AuditActie.STATUS,
        voor={"status": "geldig"},
        na={"status": "ingetrokken"},
        omschrijving=f"API-token {token.prefix}… ingetrokken",
    )
    return token


class VierOgenFout(Exception):
    """The four-eyes exception cannot be changed; the message is Dutch and says why."""


@transaction.atomic
def vier_ogen_uitzondering_toestaan(*, regio: Regio, gebruiker, reden: str):
    """Let one person approve what they submitted themselves in this region (a beheerder of
    the region, with a reason; written to the audit log)."""
    from regioaanpak.models import VierOgenUitzondering
    from regioaanpak.toegang import heeft_rol

    reden = (reden or "").strip()
    if not heeft_rol(gebruiker, regio, RolSoort.BEHEERDER):
        raise VierOgenFout(
            f"Alleen een beheerder van {regio.naam} kan een uitzondering op het "
            "vier-ogenprincipe maken."
        )
    if not reden:
        raise VierOgenFout(
            "Geef een reden voor de uitzondering, bijvoorbeeld dat de regio maar één "
            "beleidsmedewerker heeft."
        )
    uitzondering, nieuw = VierOgenUitzondering.objects.select_for_update().get_or_create(
        regio=regio, defaults={"reden": reden[:2000], "toegestaan_door": gebruiker}
    )
    voor = None if nieuw else {"reden": uitzondering.reden}
    if not nieuw:
        uitzondering.reden = reden[:2000]
        uitzondering.toegestaan_door = gebruiker
        uitzondering.save(update_fields=["reden", "toegestaan_door"])
    audit_schrijf(
        gebruiker=gebruiker,
        obj=uitzondering,
        regio=regio,
        actie=AuditActie.AANGEMAAKT if nieuw else AuditActie.GEWIJZIGD,
        voor=voor,
        na={"reden": uitzondering.reden},
        reden=reden,
        omschrijving=f"Uitzondering op het vier-ogenprincipe voor {regio.naam}",
    )
    return uitzondering


@transaction.atomic
def vier_ogen_uitzondering_intrekken(*, regio: Regio, gebruiker, reden: str = "") -> None:
    """The four-eyes rule holds again for the region (audit log)."""
    from regioaanpak.models import VierOgenUitzondering
    from regioaanpak.toegang import heeft_rol

    if not heeft_rol(gebruiker, regio, RolSoort.BEHEERDER):
        raise VierOgenFout(
            f"Alleen een beheerder van {regio.naam} kan de uitzondering op het "
            "vier-ogenprincipe intrekken."
        )
    uitzondering = VierOgenUitzondering.objects.select_for_update().filter(regio=regio).first()
    if uitzondering is None:
        return
    audit_schrijf(
        gebruiker=gebruiker,
        obj=uitzondering,
        regio=regio,
        actie=AuditActie.VERWIJDERD,
        voor={"reden": uitzondering.reden},
        na=None,
        reden=(reden or "").strip(),
        omschrijving=f"Uitzondering op het vier-ogenprincipe voor {regio.naam} ingetrokken",
    )
    uitzondering.delete()
