#!/usr/bin/env bash
# Serve wagtail/bakerydemo the way bench/http_pages.py serves Carnet, to compare with it: its
# own production settings (DEBUG off, local-memory cache), SQLite, gunicorn with 2 sync workers.
#
#   bench/peer_bakerydemo.sh CHECKOUT [PORT]
#
# CHECKOUT is a checkout of https://github.com/wagtail/bakerydemo (nothing of it is kept in this
# repository). Everything the peer writes (virtualenv from PyPI, database, media, static files)
# goes under $PEER_WORK_DIR (default /tmp/carnet-peer-bakerydemo), never into the checkout; a
# second run reuses them. bakerydemo needs the Python its requirements ask for (3.12+ for
# Django 6): PYTHON=/path/to/python3.12. Serves on 127.0.0.1:PORT (8200) until stopped.
set -euo pipefail

if [[ $# -lt 1 || ! -f $1/bakerydemo/settings/production.py ]]; then
    echo "usage: $0 BAKERYDEMO_CHECKOUT [PORT]" >&2
    exit 2
fi
checkout=$(realpath "$1")
port=${2:-8200}
work=${PEER_WORK_DIR:-/tmp/carnet-peer-bakerydemo}
python=${PYTHON:-python3}
mkdir -p "$work"

if [[ ! -x $work/venv/bin/python ]]; then
    "$python" -m venv "$work/venv"
fi
# Its base requirements, plus what its production settings load (whitenoise) and the server.
stamp=$work/venv/.installed-$(sha256sum "$checkout/requirements/base.txt" | cut -c1-12)
if [[ ! -f $stamp ]]; then
    echo "Installing bakerydemo's requirements into $work/venv…"
    "$work/venv/bin/pip" install --quiet -r "$checkout/requirements/base.txt" whitenoise gunicorn
    touch "$stamp"
fi

# Its production settings, with the files it writes moved out of the checkout.
cat >"$work/peer_settings.py" <<EOF
from bakerydemo.settings.production import *  # noqa: F403

MEDIA_ROOT = "$work/media"
STATIC_ROOT = "$work/static"
EOF
export PYTHONPATH=$work DJANGO_SETTINGS_MODULE=peer_settings
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-$("$python" -c 'import secrets; print(secrets.token_urlsafe(50))')}
export DATABASE_URL=sqlite:///$work/bakerydemo.sqlite3
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=false
cd "$checkout"  # its templates are found relative to the checkout

manage() { "$work/venv/bin/python" manage.py "$@"; }
if [[ ! -f $work/bakerydemo.sqlite3 ]]; then
    manage migrate --noinput --verbosity 0
    manage load_initial_data
fi
manage collectstatic --noinput --verbosity 0

echo "bakerydemo on http://127.0.0.1:$port/ (blog post: /blog/wild-yeast/, Ctrl-C to stop)"
exec "$work/venv/bin/gunicorn" bakerydemo.wsgi:application --bind "127.0.0.1:$port" \
    --workers 2 --worker-class sync --log-level warning
