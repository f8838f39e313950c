#!/bin/sh
# Entry point of the production image: runs the container's command (gunicorn by default, or any
# other, e.g. `python manage.py db_worker`). With RUN_MIGRATIONS=1, applies the migrations first:
# set it on one container only, never on several replicas starting together.
set -e

if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
    python manage.py migrate --no-input
fi

exec "$@"
