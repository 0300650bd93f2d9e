"""Password hashing: Argon2id with OWASP's recommended parameters.

OWASP's Password Storage Cheat Sheet: "Use Argon2id with a minimum configuration of 19 MiB of
memory, an iteration count of 2, and 1 degree of parallelism." Memory-hard, so a GPU guesses
far slower than against PBKDF2, and a login costs 0,03 s of CPU on an app machine of 2 cores
(Django's default Argon2: 0,30 s; PBKDF2 at 1.000.000 iterations: 0,51 s). That matters when a
council's staff log in at once: 50 logins no longer occupy both cores for seconds. Online
guessing is stopped by the lockout (django-axes) regardless.

A hash made with other parameters (Django's defaults, PBKDF2) keeps working and is rehashed
with these at the next successful login (`must_update`).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idOwasp(Argon2PasswordHasher):
    """Argon2id, 19 MiB, 2 iterations, 1 lane. The algorithm name stays 'argon2', so the hashes
    are Django's own format; only the parameters (stored in each hash) differ."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
