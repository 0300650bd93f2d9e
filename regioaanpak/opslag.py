"""A Django storage that keeps files in the database (regioaanpak.models.Bestand).

Why the database and not S3-compatible object storage: the monitor's files are its PDFs (a few
hundred kB to a few MB each, some thousands over the years). In PostgreSQL they are shared by
every app machine without another service to run, secure and back up; one `pg_dump` holds the
figures and the PDFs of the same moment, so a restored backup can always check every published
report against its SHA-256; and a publication writes its snapshot, its PDFs and its audit row
in one transaction. A municipality's hosting party runs PostgreSQL anyway; object storage would
be a second system for a few GB.
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.deconstruct import deconstructible


@deconstructible
class DatabaseOpslag(Storage):
    def _bestanden(self):
        from regioaanpak.models import Bestand

        return Bestand.objects

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode:
            raise ValueError("Bestanden in de database worden geschreven met save(), niet open().")
        rij = self._bestanden().filter(naam=name).values_list("inhoud", flat=True).first()
        if rij is None:
            raise FileNotFoundError(name)
        return File(io.BytesIO(bytes(rij)), name=name)

    def _save(self, name, content):
        content.seek(0) if hasattr(content, "seek") else None
        data = content.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        for _poging in range(10):
            try:
                # A savepoint: a name taken meanwhile (two machines saving the same name) does
                # not break a surrounding transaction, such as a publication.
                with transaction.atomic():
                    self._bestanden().create(naam=name, inhoud=data, grootte=len(data))
                return name
            except IntegrityError:
                name = self.get_available_name(name)
        raise IntegrityError(f"Geen vrije naam gevonden voor {name}.")

    def delete(self, name):
        self._bestanden().filter(naam=name).delete()

    def exists(self, name):
        return self._bestanden().filter(naam=name).exists()

    def listdir(self, path):
        prefix = f"{path.rstrip('/')}/" if path else ""
        mappen, bestanden = set(), []
        for naam in (
            self._bestanden().filter(naam__startswith=prefix).values_list("naam", flat=True)
        ):
            rest = naam[len(prefix) :]
            if "/" in rest:
                mappen.add(rest.split("/", 1)[0])
            else:
                bestanden.append(rest)
        return sorted(mappen), sorted(bestanden)

    def size(self, name):
        grootte = self._bestanden().filter(naam=name).values_list("grootte", flat=True).first()
        if grootte is None:
            raise FileNotFoundError(name)
        return grootte

    def get_modified_time(self, name):
        moment = self._bestanden().filter(naam=name).values_list("gewijzigd_op", flat=True).first()
        if moment is None:
            raise FileNotFoundError(name)
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)

    def url(self, name):
        # Files are never served directly: reports go through their views (access, SHA-256).
        raise NotImplementedError("Opgeslagen bestanden hebben geen eigen adres.")

    def vervang(self, name: str, inhoud: bytes) -> None:
        """Write `inhoud` under exactly this name (a concept PDF that is rebuilt)."""
        self._bestanden().update_or_create(
            naam=name, defaults={"inhoud": inhoud, "grootte": len(inhoud)}
        )


def bewaar(naam: str, inhoud: bytes) -> None:
    """Write a file under exactly this name in the default storage, replacing an older one."""
    from django.core.files.storage import default_storage

    if hasattr(default_storage, "vervang"):
        default_storage.vervang(naam, inhoud)
        return
    if default_storage.exists(naam):
        default_storage.delete(naam)
    default_storage.save(naam, ContentFile(inhoud))
