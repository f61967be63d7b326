"""The checks behind `agentdesk doctor`: each looks at one thing and returns a `Check`.

Checks never change the machine: no database is created, migrated or seeded, no model is
assembled or loaded, nothing is downloaded. Whatever could block (a locked database, a
server that does not answer, an audio system that hangs) waits a few seconds at most.
"""

from __future__ import annotations

import importlib.metadata
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any, Literal, TypeVar

from agentdesk import __version__, locations

Status = Literal["ok", "warn", "fail"]
T = TypeVar("T")

LOCK_WAIT_MS = 1000
"""How long the database check waits for another program's lock before calling it locked."""
AUDIO_TIMEOUT_S = 5.0
"""How long PortAudio may take to list devices before the audio check gives up."""
SERVER_TIMEOUT_S = 3.0
"""How long the team server may take to answer."""
MIN_SIZE = (80, 24)
"""Below this the desk's panels are cramped."""

REINSTALL = "reinstall AgentDesk: `pip install -e .`"
UPGRADE = "upgrade AgentDesk, or point --db at another file"
FIRST_RUN = "`agentdesk` {} on first run (or run `agentdesk seed`)"
RESET = "move it aside, or start a fresh one with `agentdesk seed --reset`"
NEW_TOKEN = "a supervisor creates one with `agentdesk users add NAME --role agent`"
TRANSCRIBE = "recordings still transcribe offline: `agentdesk transcribe FILE`"
DESK_MIC = (
    "plug in a headset or microphone (`agentdesk listen --list-devices` lists it), or take "
    '`audio = "{}"` out of [ui] in the config: calls then show the lines the store gets'
)


@dataclass(frozen=True)
class Check:
    """The outcome of one check: one line of `agentdesk doctor`, one object of `--json`."""

    check: str
    """What was checked, e.g. `database`."""
    status: Status
    """`ok`, `warn` (works, with a limitation) or `fail` (something needed is broken)."""
    detail: str
    """What was found."""
    hint: str = ""
    """How to fix it (empty when there is nothing to fix)."""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


# -- Python, AgentDesk, config ----------------------------------------------------------
def check_python(version: tuple[int, ...] | None = None, executable: str | None = None) -> Check:
    """Python 3.11 or newer (defaults: the running interpreter)."""
    version = version or tuple(sys.version_info[:3])
    found = f"{'.'.join(map(str, version))} ({executable or sys.executable})"
    if version[:2] < (3, 11):
        return Check("python", "fail", found, "AgentDesk needs Python 3.11 or newer")
    return Check("python", "ok", found)


def check_agentdesk() -> Check:
    """The running AgentDesk, and whether the installed metadata agrees with it."""
    where = f"{__version__} ({locations.package_root()})"
    try:
        installed = importlib.metadata.version("agentdesk")
    except importlib.metadata.PackageNotFoundError:
        return Check("agentdesk", "warn", f"{where}, not installed", REINSTALL)
    if installed != __version__:
        return Check("agentdesk", "warn", f"{where}, but installed metadata says {installed}", REINSTALL)
    return Check("agentdesk", "ok", where)


def check_config(path: Path, error: str | None) -> Check:
    """The config file; `error` is the ConfigError message when it failed to load."""
    if error:
        return Check("config", "fail", error, "correct what it names, or move the file aside for defaults")
    if path.is_file():
        return Check("config", "ok", f"{path} (valid)")
    return Check("config", "ok", f"no file at {path}; defaults in use")


# -- embedded store ---------------------------------------------------------------------
def check_database(path: Path, *, lock_wait_ms: int = LOCK_WAIT_MS) -> Check:
    """The embedded SQLite file: present, a database, schema current, not locked, its contents.

    Nothing is created: the schema is read over a connection that cannot create the file,
    and the store is only opened (for counting) when it has nothing to migrate.
    """
    from agentdesk.commands.common import missing_folder
    from agentdesk.store.base import StoreCorrupt, StoreError, StoreLocked

    db = partial(Check, "database")
    if (problem := missing_folder(path)) is not None:  # what every other command refuses it with
        return db("fail", problem, "create the folder, or point --db or store.db at another file")
    if not path.exists():
        if (problem := _unusable_folder(path.parent)) is not None:
            return db(
                "fail",
                f"cannot create {path}: {problem}",
                "fix the folder, or point --db or store.db elsewhere",
            )
        return db("warn", f"no database yet at {path}", FIRST_RUN.format("creates and seeds it"))
    if path.is_dir():
        return db("fail", f"{path} is a directory", "point --db or store.db at a database file")
    try:
        applied, pending, latest = _schema(path, lock_wait_ms)
    except sqlite3.Error as exc:
        return _database_problem(path, str(exc), lock_wait_ms)
    if applied + pending > latest:  # migrations this build does not know
        return db("fail", f"{path} has schema {applied}, newer than this AgentDesk ({latest})", UPGRADE)
    if pending:
        what = "an empty file" if not applied else f"schema {applied} of {latest}"
        hint = "the next `agentdesk` run brings it up to date (copy the file first if it matters)"
        return db("warn", f"{path} is {what}; {pending} migration(s) pending", hint)
    try:
        counts = _counts(path, lock_wait_ms)
        # Reads work while another program writes (WAL); the desk's own writes would not.
        _check_writable(path, lock_wait_ms)
    except sqlite3.Error as exc:
        return _database_problem(path, str(exc), lock_wait_ms)
    except StoreLocked:
        return _database_problem(path, "database is locked", lock_wait_ms)
    except StoreCorrupt as exc:
        return db("fail", str(exc), RESET)
    except StoreError as exc:
        return db("fail", str(exc), "check the path and its permissions")
    found = f"{path}, schema {latest}/{latest}: " + ", ".join(f"{n} {name}" for name, n in counts.items())
    if not counts["agents"] and not counts["KB articles"]:
        return db("warn", f"{found} (no data)", FIRST_RUN.format("seeds demo data"))
    return db("ok", found)


def _unusable_folder(folder: Path) -> str | None:
    """Why a database could not be created in `folder` (made when missing), or None when it could.

    Nothing is created: the nearest existing folder above must be a writable folder.
    """
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is a file, not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable"
    return None


def _schema(path: Path, lock_wait_ms: int) -> tuple[int, int, int]:
    """(applied, pending, known) migration counts, read without writing or creating anything."""
    from sqlite_utils import Database

    from agentdesk.store import migrations

    # mode=rw opens an existing file only: a file that vanished meanwhile is not recreated.
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True, timeout=lock_wait_ms / 1000)
    try:
        conn.execute("PRAGMA schema_version").fetchone()  # reading the header reveals a non-database
        db = Database(conn)
        applied = len(migrations.migrations.applied(db))
        pending = len(migrations.migrations.pending(db))
    finally:
        conn.close()
    return applied, pending, migrations.latest_version()


def _check_writable(path: Path, lock_wait_ms: int) -> None:
    """Take the write lock for a moment and give it back, writing nothing.

    Raises:
        sqlite3.Error: "database is locked" when another program holds it past the wait.
    """
    conn = sqlite3.connect(
        path.resolve().as_uri() + "?mode=rw", uri=True, timeout=lock_wait_ms / 1000, isolation_level=None
    )
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    finally:
        conn.close()


def _counts(path: Path, lock_wait_ms: int) -> dict[str, int]:
    """Row counts through the Store API (the schema is current, so opening migrates nothing)."""
    from agentdesk.store.base import TransferQuery
    from agentdesk.store.sqlite import SqliteStore

    with SqliteStore(path, actor="doctor", busy_timeout_ms=lock_wait_ms) as store:
        customers, page = 0, 1000  # the contract has no customer count: page through
        while batch := len(store.list_customers(limit=page, offset=customers)):
            customers += batch
            if batch < page:
                break
        return {
            "agents": len(store.list_agents()),
            "customers": customers,
            "tickets": store.count_tickets(),
            "transfers": store.count_transfers(TransferQuery(statuses=frozenset())),
            "KB articles": len(store.list_articles()),
        }


def _database_problem(path: Path, text: str, lock_wait_ms: int) -> Check:
    """A failed database check, classified the way the store classifies sqlite errors."""
    if "locked" in text or "busy" in text:
        detail = f"{path} is locked by another program (waited {lock_wait_ms / 1000:g} s)"
        hint = f"close the other program (`lsof {path}` names it), or point --db at another file"
        return Check("database", "fail", detail, hint)
    if any(s in text for s in ("not a database", "malformed", "encrypted", "disk image")):
        return Check("database", "fail", f"{path} is not an AgentDesk database or is damaged ({text})", RESET)
    return Check("database", "fail", f"cannot open {path}: {text}", "check the path and its permissions")


# -- team server ------------------------------------------------------------------------
def check_server(url: str, token: str | None, *, timeout: float = SERVER_TIMEOUT_S) -> list[Check]:
    """The team server answers its health check, and accepts the token (and as whom)."""
    import httpx  # only team mode needs an HTTP client

    from agentdesk.store.remote_client import API

    server = partial(Check, "team server")
    if not url.startswith(("http://", "https://")):
        return [server("fail", f"{url!r} is not a URL", "use http://HOST:PORT")]
    try:
        response = httpx.get(url.rstrip("/") + API + "/health", timeout=timeout)
        version = response.json().get("version") if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as exc:
        hint = "check the address and port, that `agentdesk serve` runs there, and the firewall"
        return [server("fail", f"cannot reach {url} ({type(exc).__name__}: {exc})", hint)]
    if version is None:
        hint = "is this the address of an AgentDesk server (`agentdesk serve`)?"
        return [server("fail", f"{url} answered {response.status_code} to a health check", hint)]
    if version != __version__:
        found = f"{url} runs AgentDesk {version}, this desk {__version__}"
        return [
            server("warn", found, "run the same version on server and desks"),
            _token(url, token, timeout),
        ]
    return [server("ok", f"{url} is up (AgentDesk {version})"), _token(url, token, timeout)]


def _token(url: str, token: str | None, timeout: float) -> Check:
    """Who the token belongs to, asked of the server (`/me`)."""
    from agentdesk.store.base import StoreError
    from agentdesk.store.remote import NotAuthenticated, RemoteStore

    if not token:
        return Check(
            "token", "fail", "no token for the team server", f"--token or AGENTDESK_TOKEN; {NEW_TOKEN}"
        )
    try:
        store = RemoteStore(url, token, outbox=False, timeout=timeout, connect_timeout=timeout)
        try:
            me = store.whoami()
        finally:
            store.close()
    except NotAuthenticated:
        return Check("token", "fail", "the server refused the token (unknown or revoked)", NEW_TOKEN)
    except StoreError as exc:
        return Check("token", "fail", str(exc), "try again; if it persists, read the server's log")
    works_as = f", works as agent {me['agent_id']}" if me.get("agent_id") else ""
    return Check("token", "ok", f"valid: {me.get('name')}, role {me.get('role')}{works_as}")


# -- speech -----------------------------------------------------------------------------
def check_whisper() -> Check:
    """faster-whisper and CTranslate2 import (their native libraries load)."""
    try:
        import faster_whisper  # noqa: F401 - heavy (CTranslate2, tokenizers); only this check needs it
    except (ImportError, OSError) as exc:
        return Check("faster-whisper", "fail", f"cannot be imported: {exc}", REINSTALL)
    versions = ", ".join(f"{d} {importlib.metadata.version(d)}" for d in ("faster-whisper", "ctranslate2"))
    return Check("faster-whisper", "ok", versions)


def check_model(spec: str, cache: Path) -> Check:
    """A model that needs no assembling (`tiny.en`, or a model directory) is in place; nothing loads."""
    from agentdesk.speech.errors import ModelNotFoundError
    from agentdesk.speech.models import resolve_model

    try:
        info = resolve_model(spec, cache_dir=cache)
    except ModelNotFoundError as exc:
        return Check(f"model {spec}", "fail", str(exc), "install the model package named above")
    return Check(f"model {info.name}", "ok", f"ready: {info.source} ({info.path})")


def check_base_model(cache: Path) -> Check:
    """The multilingual `base` model: assembled in the cache, or both halves installed to assemble from.

    Reads `base_model_status`, never `resolve_model`, which would assemble ~150 MB.
    """
    from agentdesk.speech.models import BASE_INSTALL, base_model_status

    base = partial(Check, "model base")
    status = base_model_status(cache)
    target = status.target
    if status.sha256 is not None:
        return base("ok", f"ready: {target} (sha256 {status.sha256[:12]}…)")
    install = f"`{BASE_INSTALL}`"
    if status.missing_packages:
        return base("fail", f"not assembled, and {', '.join(status.missing_packages)} not installed", install)
    halves = status.halves
    if absent := [str(h) for h in halves if not h.is_file()]:
        return base("fail", f"package data missing: {', '.join(absent)}", f"reinstall: {install}")
    size = sum(h.stat().st_size for h in halves) / 1e6
    return base("ok", f"both halves installed; assembled into {target} ({size:.0f} MB) on first Mandarin use")


# -- audio ------------------------------------------------------------------------------
def check_audio(device: str | None, *, desk: str | None = None, timeout: float = AUDIO_TIMEOUT_S) -> Check:
    """PortAudio loads and lists an input device (and the configured one exists); never hangs.

    Args:
        device: the input device to look for; None for the system's default.
        desk: the `[ui] audio` setting when the desk transcribes every call from the
            microphone (`mic`, `mic:DEVICE`): then a missing microphone is said in those terms.
    """
    from agentdesk.speech import mic
    from agentdesk.speech.errors import AudioDeviceError

    def probe() -> tuple[int, dict[str, Any]]:
        devices = mic.list_input_devices()
        return len(devices), (mic.MicSource(device).check() if devices else {})

    hint = TRANSCRIBE if desk is None else DESK_MIC.format(desk)
    try:
        count, chosen = _bounded(probe, timeout)
    except TimeoutError:
        found = f"the audio system did not answer within {timeout:g} s"
    except AudioDeviceError as exc:
        found = str(exc)
    except Exception as exc:  # a broken audio stack must not end the other checks
        found = f"the audio system failed: {exc}"
    else:
        which = f"device {device!r}" if device else "default"
        if count:
            uses = "" if desk is None else "; the desk transcribes calls from it"
            return Check("microphone", "ok", f"{count} input device(s); {which}: {chosen.get('name')}{uses}")
        found = "no input device (no sound card)"
        if desk is None:
            found += "; live transcription (`agentdesk listen`) needs one"
    if desk is not None:
        found += f'; the desk is set to transcribe every call from the microphone ([ui] audio = "{desk}")'
    return Check("microphone", "warn", found, hint)


DESK_RECORDING = (
    '`[ui] audio` names a recording for the desk to transcribe: fix the path, or write "mic" '
    "for the microphone, or take `audio` out of [ui]: calls then show the lines the store gets"
)
RECORDING_PROBLEMS = {
    "missing": "not found",
    "not_file": "not a file",
    "unreadable": "not readable by this user",
    "empty": "empty",
}


def check_desk_recording(audio: str) -> Check:
    """The recording `[ui] audio` names (anything but `mic` or `mic:DEVICE`) can be read; a
    path that cannot even be worked out (`~nosuchuser/…`) is a warning too, never a crash."""
    from agentdesk.calls.live import recording_problem

    try:
        path = Path(audio).expanduser()
        problem = recording_problem(path)
    except Exception as exc:  # a path the system cannot resolve must not end the other checks
        return Check(
            "desk recording", "warn", f"[ui] audio = {audio!r}: cannot be used ({exc})", DESK_RECORDING
        )
    if problem is not None:
        detail = f"[ui] audio = {audio!r}: {path} is {RECORDING_PROBLEMS[problem]}"
        return Check("desk recording", "warn", detail, DESK_RECORDING)
    return Check("desk recording", "ok", f"{path}; the desk transcribes calls from it")


def _bounded(fn: Callable[[], T], timeout: float) -> T:
    """Run `fn` in a daemon thread and give up after `timeout` s (PortAudio can block on broken setups)."""
    outcome: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            outcome.append((True, fn()))
        except Exception as exc:
            outcome.append((False, exc))

    thread = threading.Thread(target=run, name="agentdesk-doctor-probe", daemon=True)
    thread.start()
    thread.join(timeout)
    if not outcome:
        raise TimeoutError
    done, value = outcome[0]
    if not done:
        raise value
    return value  # type: ignore[no-any-return]


# -- terminal ---------------------------------------------------------------------------
def terminal_size() -> tuple[int, int] | None:
    """Columns and lines of the terminal, or None when there is none."""
    for fd in (1, 0, 2):  # stdout, else stdin/stderr when the output is piped (`--json | jq`)
        try:
            size = os.get_terminal_size(fd)
        except OSError:
            continue
        return size.columns, size.lines
    return None


def check_terminal(env: Mapping[str, str], size: tuple[int, int] | None) -> Check:
    """TERM, colour support and size, as the desk will see them."""
    term = env.get("TERM", "")
    if not term or term == "dumb":
        found = f"TERM={term or '(unset)'}: no colours or cursor keys for the desk"
        return Check("terminal", "warn", found, "export TERM=xterm-256color (over SSH, the client sets it)")
    if env.get("NO_COLOR"):
        colours = "colour off (NO_COLOR)"
    elif env.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        colours = "truecolor"
    else:
        colours = "256 colours" if "256color" in term else "16 colours"
    if size is None:
        return Check("terminal", "ok", f"TERM={term}, {colours}; not attached to a terminal")
    found = f"TERM={term}, {colours}, {size[0]}×{size[1]}"
    if size[0] < MIN_SIZE[0] or size[1] < MIN_SIZE[1]:
        hint = "enlarge the window or use a smaller font; the desk's panels are cramped below that"
        return Check("terminal", "warn", f"{found}: smaller than {MIN_SIZE[0]}×{MIN_SIZE[1]}", hint)
    return Check("terminal", "ok", found)


def check_locale(env: Mapping[str, str]) -> Check:
    """A UTF-8 locale, without which Chinese text cannot be shown or typed."""
    name = next((v for v in ("LC_ALL", "LC_CTYPE", "LANG") if env.get(v)), "LANG")
    value = env.get(name, "")
    if "utf-8" in value.lower() or "utf8" in value.lower():
        return Check("locale", "ok", f"{name}={value}")
    found = f"{name}={value or '(unset)'} is not UTF-8: Chinese text will not show correctly"
    return Check(
        "locale", "warn", found, "export LANG=C.UTF-8 (or en_US.UTF-8, zh_CN.UTF-8) where the desk runs"
    )
