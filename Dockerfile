# Production image of the ESS portal (see README.md, « Déploiement »).
#
# It runs the same steps as the Makefile's `make setup`, so that what `make test` checks is what
# ships: `npm ci` + `npm run build` (make static), `pip install -r requirements.txt`, `pybabel
# compile` (make messages); then `collectstatic` with the production settings.
#
#   docker build -t ess-portal .
#   docker run --rm --env-file .env ess-portal python manage.py migrate --no-input
#   docker run -d --env-file .env -p 8000:8000 -v ess-media:/app/media -v ess-private:/app/private-media ess-portal
#   (compose.yaml runs the whole topology: proxy, two app servers, worker, scheduler, databases)

# --- Front-end files: Bootstrap copied from node_modules into site/static/vendor/ ------------
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund  # the checkers (axe-core, vnu-jar) are for tests
COPY site/build.mjs site/build.mjs
RUN npm run --silent build

# --- The application ---------------------------------------------------------------------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    WEB_CONCURRENCY=2

RUN useradd --create-home --uid 1000 --shell /usr/sbin/nologin app

# pg_dump and pg_restore for `manage.py backup` and `restore` (Debian 12's client, PostgreSQL 15:
# it must be at least the server's version).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
COPY --from=assets /app/site/static/vendor site/static/vendor

# Catalogues compiled as `make messages` does; static files hashed and compressed for WhiteNoise.
# Production settings refuse to load without SECRET_KEY and ALLOWED_HOSTS: throw-away values,
# for this step only (never an ENV of the image). The code stays owned by root, read-only for the
# app user; only media/ (uploads), private-media/ (receipts), backups/, errors/ (the proxy's 503
# page) and staticfiles/ (compose.yaml collects into a shared volume) are writable.
RUN pybabel compile --domain django --directory locale --statistics \
    && SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
       ALLOWED_HOSTS=build \
       python manage.py collectstatic --no-input \
    && mkdir -p media private-media backups errors \
    && chown app:app media private-media backups errors staticfiles

USER app

EXPOSE 8000

# /health/ answers 200 when the database answers, 503 otherwise.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

# RUN_MIGRATIONS=1 applies the migrations before the command starts.
ENTRYPOINT ["/bin/sh", "/app/docker/entrypoint.sh"]
# Workers: WEB_CONCURRENCY (read by gunicorn itself; 2 by default, see ENV above).
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
