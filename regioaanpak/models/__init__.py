"""Core domain models: areas and periods, people (roles, audit log) and API tokens."""

from regioaanpak.models.bestanden import Bestand
from regioaanpak.models.gebieden import (
    Gemeente,
    Gemeentegrens,
    Inwonertal,
    Lidmaatschap,
    Periode,
    Regio,
)
from regioaanpak.models.organisaties import VEILIG_THUIS, LokaalVeld, Organisatie
from regioaanpak.models.rollen import AuditRegel, Rol, VierOgenUitzondering
from regioaanpak.models.tokens import ApiToken, token_hash

__all__ = [
    "VEILIG_THUIS",
    "ApiToken",
    "AuditRegel",
    "Bestand",
    "Gemeente",
    "Gemeentegrens",
    "Inwonertal",
    "Lidmaatschap",
    "LokaalVeld",
    "Organisatie",
    "Periode",
    "Regio",
    "Rol",
    "VierOgenUitzondering",
    "token_hash",
]
