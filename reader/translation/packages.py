"""Argos Translate package management for the French→English model: status, verified atomic install,
download with progress and cancellation, removal.

Built on ``argostranslate.package`` / ``argostranslate.settings`` (which load no torch, stanza or spaCy),
but with our own install and download:

- ``argostranslate.package.install_from_path`` extracts straight into the packages folder with no check
  (a truncated or hostile zip leaves a half-installed folder, and a member may escape the folder), and
  then imports ``argostranslate.translate`` (torch, ~5 s). :func:`install_from_file` verifies the archive
  first, extracts into a temporary folder *inside* the packages folder and renames it into place.
- ``argostranslate.package.update_package_index`` swallows every network error (and
  ``get_available_packages`` then recurses forever when there is no local index), has no timeout, and
  ``AvailablePackage.download`` reads the whole file into memory with no progress and no checksum.
  :func:`download_and_install` fetches the index and the package itself, with a timeout, progress,
  cancellation and sha256 verification, and lets ``argostranslate.package`` parse the index.

This module is the only code of the product that opens a network connection, and only from
:func:`download_and_install`, which the user starts explicitly.

``argostranslate.settings`` reads ``ARGOS_PACKAGES_DIR`` and ``ARGOS_PACKAGE_INDEX`` once, at import (and
creates its folders then). Every public function here re-reads them from the environment first
(:func:`_sync_settings`), so a changed environment (tests, a portable install) is honoured.

Installed-package discovery skips hidden folders (our temporary ones) and folders without
``metadata.json``, which ``argostranslate.package.get_installed_packages`` would choke on.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from argostranslate import package as argos_package
from argostranslate import settings as argos_settings

from reader.core.errors import ModelError
from reader.core.progress import Progress
from reader.translation import loaded

FROM_CODE = "fr"
TO_CODE = "en"

#: The real Argos fr→en package, version 1.9: what a download of that version must be.
KNOWN_PACKAGES: dict[str, tuple[int, str]] = {
    "1.9": (66_585_033, "3b3052fee6bb1e8e8e632a26a723eb2a2c7710dfe73ba61ffd9b83e85d4f14c1"),
}

#: Zip-bomb guards.
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
MAX_MEMBERS = 10_000
MAX_RATIO = 200  # uncompressed / compressed, per member larger than 1 MiB

DOWNLOAD_TIMEOUT_S = 30
CHUNK = 256 * 1024
_TMP_PREFIX = ".visavis-"

_lock = threading.RLock()


@dataclass(frozen=True)
class ModelStatus:
    """What is installed for French→English."""

    installed: bool
    version: str | None = None
    path: Path | None = None
    from_code: str = FROM_CODE
    to_code: str = TO_CODE
    size_bytes: int = 0  # on disk, of the installed package folder

    @property
    def model_id(self) -> str | None:
        return f"argos:{self.from_code}-{self.to_code}:{self.version}" if self.installed else None


# -- settings ---------------------------------------------------------------------------------------


def _sync_settings() -> None:
    """Make ``argostranslate.settings`` follow the current ARGOS_PACKAGES_DIR / ARGOS_PACKAGE_INDEX."""
    env_dir = os.environ.get("ARGOS_PACKAGES_DIR")
    if env_dir and Path(env_dir) != argos_settings.package_data_dir:
        new = Path(env_dir)
        old = argos_settings.package_data_dir
        argos_settings.package_data_dir = new
        argos_settings.package_dirs = [new] + [d for d in argos_settings.package_dirs if d != old]
    env_index = os.environ.get("ARGOS_PACKAGE_INDEX")
    if env_index and env_index != argos_settings.package_index:
        argos_settings.package_index = env_index
        argos_settings.remote_package_index = _index_url(env_index)


def _index_url(base: str) -> str:
    if base.endswith(".json"):
        return base
    return base.rstrip("/") + "/index.json"


def packages_dir() -> Path:
    """The folder Argos packages are installed into (created if missing)."""
    _sync_settings()
    path = Path(argos_settings.package_data_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


# -- status -----------------------------------------------------------------------------------------


def _installed_packages() -> list[argos_package.Package]:
    _sync_settings()
    found = []
    for directory in argos_settings.package_dirs:
        directory = Path(directory)
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            if path.name.startswith(".") or not path.is_dir() or not (path / "metadata.json").is_file():
                continue
            try:
                found.append(argos_package.Package(path))
            except (OSError, ValueError):  # unreadable or broken metadata.json: not a package
                continue
    return found


def _fr_en(pkgs: list[argos_package.Package]) -> list[argos_package.Package]:
    return [
        p for p in pkgs
        if p.from_code == FROM_CODE and p.to_code == TO_CODE and (p.type or "translate") == "translate"
    ]


def _version_key(version: str):
    try:
        import packaging.version

        return (1, packaging.version.parse(version))
    except Exception:
        return (0, version)


def _dir_size(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def find_installed_package() -> argos_package.Package | None:
    """The installed French→English package (the newest one if several), or None."""
    with _lock:
        pkgs = _fr_en(_installed_packages())
    if not pkgs:
        return None
    return max(pkgs, key=lambda p: _version_key(p.package_version or ""))


def model_status() -> ModelStatus:
    pkg = find_installed_package()
    if pkg is None:
        return ModelStatus(installed=False)
    return ModelStatus(
        installed=True,
        version=pkg.package_version or "0",
        path=Path(pkg.package_path),
        from_code=pkg.from_code,
        to_code=pkg.to_code,
        size_bytes=_dir_size(Path(pkg.package_path)),
    )


# -- verification -----------------------------------------------------------------------------------


def _bad(path: Path, why: str) -> ModelError:
    return ModelError(f"“{path.name}” is not a usable French→English Argos model: {why}.")


def _member_parts(name: str) -> tuple[str, ...] | None:
    """Path parts of a zip member, or None if the name could escape the extraction folder."""
    if not name or "\\" in name or "\x00" in name:
        return None
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = tuple(p for p in PurePosixPath(name).parts if p not in ("", "."))
    if not parts or any(p == ".." for p in parts):
        return None
    return parts


def verify_archive(path: str | os.PathLike) -> dict:
    """Check an ``.argosmodel`` file without extracting it; return its metadata.

    Raises ModelError (one sentence) when it is not a zip, is damaged, holds more than one top folder,
    lacks ``metadata.json`` / ``model/model.bin`` / ``sentencepiece.model``, is not French→English, holds
    a member that is absolute, climbs out with ``..`` or is a symlink, or is implausibly large.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"The model file “{path}” does not exist.")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _bad(path, "it is not a valid zip archive (damaged or incomplete download?)") from exc
    with zf:
        infos = zf.infolist()
        if not infos:
            raise _bad(path, "the archive is empty")
        if len(infos) > MAX_MEMBERS:
            raise _bad(path, f"the archive holds too many files ({len(infos)})")
        total = 0
        tops = set()
        files = set()
        for info in infos:
            parts = _member_parts(info.filename)
            if parts is None:
                raise _bad(path, f"the member “{info.filename}” would be written outside the package folder")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise _bad(path, f"the member “{info.filename}” is a symbolic link")
            if mode and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)) and stat.S_IFMT(mode):
                raise _bad(path, f"the member “{info.filename}” is not a regular file")
            total += info.file_size
            if info.file_size > 1024**2 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise _bad(path, f"the member “{info.filename}” has an implausible compression ratio")
            tops.add(parts[0])
            if len(parts) == 1 and not info.is_dir():
                raise _bad(path, f"the file “{info.filename}” lies outside the package folder")
            if not info.is_dir():
                files.add("/".join(parts))
        if total > MAX_UNCOMPRESSED_BYTES:
            raise _bad(path, f"it would unpack to {total / 1024**3:.1f} GB")
        if len(tops) != 1:
            raise _bad(path, "it must hold exactly one top folder")
        top = next(iter(tops))
        if top.startswith("."):
            raise _bad(path, "its top folder name is hidden")
        for required in ("metadata.json", "model/model.bin", "sentencepiece.model"):
            if f"{top}/{required}" not in files:
                raise _bad(path, f"it has no {required}")
        try:
            metadata = json.loads(zf.read(f"{top}/metadata.json").decode("utf-8"))
        except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, OSError) as exc:
            raise _bad(path, "its metadata.json cannot be read") from exc
        if not isinstance(metadata, dict):
            raise _bad(path, "its metadata.json is not an object")
        if metadata.get("from_code") != FROM_CODE or metadata.get("to_code") != TO_CODE:
            raise _bad(
                path,
                f"it translates {metadata.get('from_code')!r}→{metadata.get('to_code')!r}, not French→English",
            )
        if metadata.get("type", "translate") != "translate":
            raise _bad(path, f"its type is {metadata.get('type')!r}, not a translation model")
        try:
            broken = zf.testzip()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise _bad(path, "the archive is damaged (incomplete download?)") from exc
        if broken is not None:
            raise _bad(path, f"the member “{broken}” is damaged (CRC error)")
    metadata["_top"] = top
    metadata["_unpacked_bytes"] = total
    return metadata


# -- install / remove -------------------------------------------------------------------------------


def _clean_stale_tmp(root: Path, max_age_s: float = 3600) -> None:
    now = time.time()
    for p in root.glob(_TMP_PREFIX + "*"):
        try:
            if now - p.stat().st_mtime > max_age_s:
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink()
        except OSError:
            pass


def _extract(path: Path, top: str, dest: Path, progress: Progress | None) -> None:
    """Extract the members of ``top/`` into ``dest`` (already verified: no escaping names, no links)."""
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        if progress is not None:
            progress.start(len(infos), "Installing the model…")
        for info in infos:
            if progress is not None:
                progress.check()
            parts = _member_parts(info.filename)
            assert parts is not None and parts[0] == top
            target = dest.joinpath(*parts[1:]) if len(parts) > 1 else dest
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out, CHUNK)
            if progress is not None:
                progress.advance()


def install_from_file(path: str | os.PathLike, progress: Progress | None = None) -> ModelStatus:
    """Verify ``path`` (an ``.argosmodel``) and install it atomically, replacing any other fr→en package.

    On any failure (including cancellation through ``progress``) nothing is left behind and the
    previously installed model, if any, is untouched.
    """
    path = Path(path)
    metadata = verify_archive(path)
    top = metadata["_top"]
    with _lock:
        root = packages_dir()
        _clean_stale_tmp(root)
        free = shutil.disk_usage(root).free
        if metadata["_unpacked_bytes"] > free:
            raise ModelError(
                f"Not enough free disk space to install the model ({metadata['_unpacked_bytes'] // 2**20} MB needed)."
            )
        tmp = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX + "install-", dir=root))
        moved_aside: list[tuple[Path, Path]] = []
        placed = False
        try:
            staged = tmp / top
            staged.mkdir()
            try:
                _extract(path, top, staged, progress)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise _bad(path, f"it could not be unpacked ({exc})") from exc
            # Validate the staged package as Argos will read it.
            try:
                argos_package.Package(staged)
            except Exception as exc:
                raise _bad(path, "Argos Translate cannot read its metadata") from exc
            target = root / top
            previous = [Path(p.package_path) for p in _fr_en(_installed_packages())]
            if target.exists() and target not in previous:
                previous.append(target)
            # Move every older fr→en package aside (renames are atomic), then the new one into place.
            for i, old in enumerate(previous):
                aside = tmp / f"old-{i}"
                os.replace(old, aside)
                moved_aside.append((old, aside))
            os.replace(staged, target)
            placed = True
            loaded.clear()  # a model loaded from this folder (or the one replaced) is stale now
        except BaseException:
            if not placed:
                for old, aside in reversed(moved_aside):  # put the previous model back
                    try:
                        os.replace(aside, old)
                    except OSError:
                        pass
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        shutil.rmtree(tmp, ignore_errors=True)
    return model_status()


def remove() -> bool:
    """Uninstall every French→English package; return whether one was installed."""
    with _lock:
        pkgs = _fr_en(_installed_packages())
        root = packages_dir()
        for pkg in pkgs:
            pkg_path = Path(pkg.package_path)
            aside = root / f"{_TMP_PREFIX}remove-{os.getpid()}-{pkg_path.name}"
            os.replace(pkg_path, aside)  # disappears atomically, then is deleted
            shutil.rmtree(aside, ignore_errors=True)
        if pkgs:
            loaded.clear()  # release the removed model; a reinstall into the same folder loads afresh
    return bool(pkgs)


# -- download ---------------------------------------------------------------------------------------


def _update_index() -> None:
    """Fetch the package index into Argos's local index file (atomically)."""
    url = argos_settings.remote_package_index
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
            data = response.read()
        json.loads(data)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(exc, ValueError):
            raise ModelError("The Argos package index could not be read.", detail=f"{url}: {reason}") from exc
        raise ModelError("Could not reach the Argos package index: no network, or the server is down.",
                         detail=f"{url}: {reason}", offline=True) from exc
    local = Path(argos_settings.local_package_index)
    local.parent.mkdir(parents=True, exist_ok=True)
    tmp = local.with_name(local.name + f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, local)


def _find_available() -> argos_package.AvailablePackage:
    try:
        available = argos_package.get_available_packages()
    except (OSError, ValueError, RecursionError) as exc:
        raise ModelError("The Argos package index could not be read.") from exc
    candidates = [
        p for p in available
        if p.from_code == FROM_CODE and p.to_code == TO_CODE and (p.type or "translate") == "translate" and p.links
    ]
    if not candidates:
        raise ModelError("The Argos package index offers no French→English model.")
    return max(candidates, key=lambda p: _version_key(p.package_version or ""))


def _raw_index_entry(pkg: argos_package.AvailablePackage) -> dict:
    """The index entry of ``pkg`` as written (AvailablePackage drops keys it does not know, e.g. a sha256)."""
    try:
        entries = json.loads(Path(argos_settings.local_package_index).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    for entry in entries if isinstance(entries, list) else []:
        if (
            isinstance(entry, dict)
            and entry.get("from_code") == pkg.from_code
            and entry.get("to_code") == pkg.to_code
            and entry.get("package_version", "") == pkg.package_version
        ):
            return entry
    return {}


def _expected(pkg: argos_package.AvailablePackage, expected_sha256: str | None) -> tuple[int | None, str | None]:
    size, digest = None, None
    known = KNOWN_PACKAGES.get(pkg.package_version or "")
    if known is not None:
        size, digest = known
    raw = _raw_index_entry(pkg)
    for key in ("sha256", "checksum"):
        value = raw.get(key)
        if isinstance(value, str) and len(value.removeprefix("sha256:")) == 64:
            digest = value.removeprefix("sha256:").lower()
    if expected_sha256:
        digest = expected_sha256.lower()
    return size, digest


def _download(url: str, dest: Path, progress: Progress | None, expected_size: int | None) -> str:
    """Stream ``url`` into ``dest``; return its sha256."""
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response, open(dest, "wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else (expected_size or 0)
            if progress is not None:
                progress.start(total, "Downloading the French→English model…")
            done = 0
            while True:
                if progress is not None:
                    progress.check()
                chunk = response.read(CHUNK)
                if not chunk:
                    break
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress is not None:
                    progress.advance(len(chunk))
            if total and done != total:
                raise ModelError(f"The model download was cut short ({done} of {total} bytes).")
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ModelError("Could not download the French→English model (the network or the server failed).",
                         detail=f"{url}: {reason}", offline=True) from exc
    return digest.hexdigest()


def download_and_install(progress: Progress | None = None, expected_sha256: str | None = None) -> ModelStatus:
    """Fetch the Argos index, download the newest French→English package and install it.

    The only network path of the product. Progress is reported in bytes (``total`` from Content-Length);
    ``progress.cancel()`` stops the download (``Cancelled`` is raised) and leaves no file behind. The file is checked against
    ``expected_sha256``, else the index's checksum if it gives one, else the known size and sha256 of
    the real version 1.9 package.
    """
    _sync_settings()
    _update_index()
    pkg = _find_available()
    expected_size, expected_digest = _expected(pkg, expected_sha256)
    root = packages_dir()
    fd, name = tempfile.mkstemp(prefix=_TMP_PREFIX + "download-", suffix=".argosmodel", dir=root)
    os.close(fd)
    tmp = Path(name)
    try:
        last_error: ModelError | None = None
        for url in pkg.links:
            try:
                actual = _download(url, tmp, progress, expected_size)
                break
            except ModelError as exc:
                last_error = exc
        else:
            raise last_error or ModelError("The index gives no download link for the French→English model.")
        size = tmp.stat().st_size
        if expected_size is not None and size != expected_size:
            raise ModelError(
                f"The downloaded model has the wrong size ({size} bytes, expected {expected_size}); it was not installed."
            )
        if expected_digest is not None and actual != expected_digest:
            raise ModelError("The downloaded model failed its checksum (sha256) check; it was not installed.")
        if progress is not None:
            progress.check()
        # The install step (well under a second) reports nothing: the caller's progress counts bytes.
        return install_from_file(tmp)
    finally:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass

