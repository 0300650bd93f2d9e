"""gunicorn, the WSGI server of the monitor in production (deploy/entrypoint.sh web).

Settings from the environment, with defaults for an app machine of 2 cores:
GUNICORN_BIND (0.0.0.0:8000), GUNICORN_WORKERS (2 per core), GUNICORN_THREADS (4),
GUNICORN_TIMEOUT (120 s: a PDF may take PDF_MAX_SECONDEN = 60 s, plus margin),
GUNICORN_MAX_REQUESTS (10000, with jitter: workers are renewed, memory stays flat; at 1000 a
worker was renewed every 40 s under the load benchmark, each time draining for 3-4 s),
GUNICORN_ACCESSLOG (off: the app itself logs one JSON line per request with its request id;
"-" writes gunicorn's own access log in JSON to stdout as well).
"""

import multiprocessing
import os
import re
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10000))
max_requests_jitter = max_requests // 10
# Bodies over the ceilings are refused by the app on their Content-Length; these limits keep a
# malformed request line or header from tying up a worker.
limit_request_line = 8190
limit_request_fields = 100
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
# Without the path: the app's own log line has it, with secrets (a password-reset link) masked.
access_log_format = (
    '{"tijd": "%(t)s", "verzoek_id": "%({x-request-id}o)s", "methode": "%(m)s", '
    '"status": %(s)s, "bytes": %(B)s, "duur_ms": %(M)s}'
)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Load the app before forking: workers share its memory and a broken deploy fails at once.
preload_app = True
# gunicorn's control socket (gunicornc) is one path per machine user: two instances on one
# machine would share it. The process manager (systemd, compose) controls gunicorn instead.
control_socket_disable = True

# Prometheus metrics (METRIEK_TOKEN, /metriek/) over all workers: prometheus_client's
# multiprocess mode, one directory per gunicorn instance, emptied at start. Set before the app
# is loaded, so every worker writes its counters there.
os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR",
    str(
        Path(__file__).resolve().parent.parent
        / "var"
        / f"prometheus-{re.sub(r'[^0-9A-Za-z]', '-', bind)}"
    ),
)


def on_starting(server):
    # Only the metric files of an earlier run: the directory may be one the operator chose.
    map_ = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    map_.mkdir(parents=True, exist_ok=True)
    for bestand in map_.glob("*.db"):
        bestand.unlink(missing_ok=True)


def when_ready(server):
    # In the master, after the app is loaded (preload_app) and before the workers fork: every
    # worker starts with the views imported and the templates compiled (regioaanpak/opwarmen.py).
    from regioaanpak.opwarmen import opwarmen

    uitkomst = opwarmen()
    server.log.info("opgewarmd: %s sjablonen in %s s", uitkomst["sjablonen"], uitkomst["seconden"])


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
