#!/usr/bin/env bash
# The monitor in production: one script for `make productie` on a machine and for a container.
#
#   deploy/entrypoint.sh voorbereiden   checks, migrations, collectstatic (once per release)
#   deploy/entrypoint.sh web            gunicorn (deploy/gunicorn.conf.py)
#   deploy/entrypoint.sh worker         a Celery worker (batch reports, scheduled jobs)
#   deploy/entrypoint.sh beat           Celery beat (the schedule; run exactly one)
#   deploy/entrypoint.sh alles          all of the above on this machine (make productie)
#
# Settings come from the environment (or productie.env): REGIOAANPAK_OMGEVING=productie, SECRET_KEY,
# ALLOWED_HOSTS, DATABASE_URL, REDIS_URL, CELERY_BROKER_URL; see the README, "Productie".
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -x .venv/bin/python ]; then BIN=.venv/bin/; else BIN=""; fi
PY="${BIN}python"
export REGIOAANPAK_OMGEVING="${REGIOAANPAK_OMGEVING:-productie}"
# Settings from productie.env (made by `make productie`) unless the environment names a file;
# .env stays the file of development (make run, make test). The file's variables are exported
# here, so gunicorn's and Celery's own settings (GUNICORN_BIND, CELERY_CONCURRENCY, ...) see
# them too; a variable already in the environment wins. Read line by line, never executed.
laad_omgevingsbestand() {
  local regel naam waarde
  while IFS= read -r regel || [ -n "$regel" ]; do
    regel="${regel%$'\r'}"
    regel="${regel#export }"
    case "$regel" in '' | '#'*) continue ;; esac
    naam="${regel%%=*}"
    waarde="${regel#*=}"
    [[ "$naam" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    if [[ "$waarde" =~ ^\"(.*)\"$ || "$waarde" =~ ^\'(.*)\'$ ]]; then waarde="${BASH_REMATCH[1]}"; fi
    if [ -z "${!naam+x}" ]; then export "$naam=$waarde"; fi
  done <"$1"
}
if [ -z "${OMGEVINGSBESTAND:-}" ] && [ -f productie.env ]; then
  export OMGEVINGSBESTAND="$PWD/productie.env"
fi
if [ -n "${OMGEVINGSBESTAND:-}" ]; then
  if [ ! -r "$OMGEVINGSBESTAND" ]; then
    echo "OMGEVINGSBESTAND=$OMGEVINGSBESTAND is niet te lezen." >&2
    exit 2
  fi
  laad_omgevingsbestand "$OMGEVINGSBESTAND"
fi

verplicht() {
  local ontbreekt=()
  for naam in SECRET_KEY ALLOWED_HOSTS DATABASE_URL REDIS_URL CELERY_BROKER_URL; do
    if [ -z "${!naam:-}" ]; then ontbreekt+=("$naam"); fi
  done
  if [ ${#ontbreekt[@]} -gt 0 ]; then
    echo "Niet ingesteld: ${ontbreekt[*]}." >&2
    echo "Zet ze in de omgeving of in productie.env (voorbeeld: deploy/productie.env.voorbeeld)." >&2
    exit 2
  fi
}

voorbereiden() {
  verplicht
  "$PY" manage.py wacht_op_diensten --seconden "${WACHT_SECONDEN:-60}"
  # Warnings are shown (for example no HTTPS when trying this on one machine), errors stop.
  "$PY" manage.py check --deploy --fail-level ERROR
  "$PY" manage.py migrate --noinput
  "$PY" manage.py laad_basisgegevens
  "$PY" manage.py collectstatic --noinput --verbosity 0
}

web() { exec "${BIN}gunicorn" -c deploy/gunicorn.conf.py regioaanpak.wsgi:application; }
worker() {
  exec "${BIN}celery" -A regioaanpak worker --loglevel INFO \
    --concurrency "${CELERY_CONCURRENCY:-2}" --hostname "werker@%h"
}
beat() {
  exec "${BIN}celery" -A regioaanpak beat --loglevel INFO \
    --schedule "${CELERY_BEAT_SCHEMA:-var/celerybeat-schedule}"
}

alles() {
  voorbereiden
  # The three processes side by side; when one stops, the others are stopped too (and the
  # supervisor, if any, restarts the whole). TERM or Ctrl-C stops all three gracefully.
  web & worker & beat &
  local pids
  pids="$(jobs -p)"
  trap 'trap - TERM INT; kill -TERM $pids 2>/dev/null; wait; exit 0' TERM INT
  wait -n || true
  echo "Een van de processen is gestopt; de andere worden ook gestopt." >&2
  trap - TERM INT
  kill -TERM $pids 2>/dev/null || true
  wait
  exit 1
}

case "${1:-alles}" in
  voorbereiden) voorbereiden ;;
  web) web ;;
  worker) worker ;;
  beat) beat ;;
  alles) alles ;;
  *) echo "Onbekende rol '${1}'; kies voorbereiden, web, worker, beat of alles." >&2; exit 2 ;;
esac
