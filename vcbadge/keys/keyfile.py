"""Key files: a signing key as a small JSON document readable only by its owner.

The format (``type`` is ``Ed25519``, ``P-256`` or ``P-384``)::

    {"type": "Ed25519", "controller": "did:key:z6Mk…", "verificationMethod": "did:key:z6Mk…#z6Mk…",
     "publicKeyMultibase": "z6Mk…", "secretKeyMultibase": "z3u2…"}

RSA keys (VC-JWT RS256 only) have no multikey form, so they keep the private JWK::

    {"type": "RSA", "controller": "did:jwk:…", "verificationMethod": "did:jwk:…#0",
     "privateKeyJwk": {"kty": "RSA", "n": "…", "e": "AQAB", "d": "…", …}}
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
import threading
from pathlib import Path
from typing import Any

from vcbadge._json import loads_strict
from vcbadge.errors import InputError, KeyFormatError, UnsupportedError
from vcbadge.keys.ec import EcKey
from vcbadge.keys.ed25519 import Ed25519Key
from vcbadge.keys.multikey import decode_multikey
from vcbadge.keys.rsa import RsaKey

__all__ = ["KeyFileSigner", "SigningKey", "is_key_file", "load_key", "save_key"]

SigningKey = Ed25519Key | EcKey | RsaKey

_MAX_KEY_FILE_BYTES = 64 * 1024
# Key file type -> (public multicodec, secret multicodec).
_CODECS = {
    "Ed25519": ("ed25519-pub", "ed25519-priv"),
    "P-256": ("p256-pub", "p256-priv"),
    "P-384": ("p384-pub", "p384-priv"),
}
_CHECK_PERMISSIONS = os.name == "posix"
# The members only a key file (a private key) has: whichever key type it holds, it has one.
_SECRET_MEMBERS = ("secretKeyMultibase", "privateKeyJwk")


def save_key(key: SigningKey, path: str | os.PathLike[str], *, overwrite: bool = False) -> None:
    """Write ``key`` (with its private key) to ``path``, readable by its owner only (0600).

    The file is created with mode 0600 from the start, never widened afterwards, so the secret
    is never readable by others, not even for a moment. An existing file is replaced only with
    ``overwrite=True``, atomically (a 0600 temporary file in the same directory, then
    ``os.replace``), so a crash leaves the old key or the new one, never half a key.

    Raises:
        FileExistsError: ``path`` exists and ``overwrite`` is false.
        KeyFormatError: ``private_key_missing`` for a verify-only key.
    """
    content = (json.dumps(_key_document(key), indent=2) + "\n").encode("utf-8")
    target = Path(path)
    if overwrite:
        _replace_atomically(target, content)
        return
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    try:
        # O_EXCL also refuses a symlink planted at the path, dangling or not.
        fd = os.open(target, flags, 0o600)
    except FileExistsError:
        raise FileExistsError(
            f"{target} already exists; pass overwrite=True to replace the key in it"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise


def _key_document(key: SigningKey) -> dict[str, Any]:
    if isinstance(key, RsaKey):
        return {
            "type": "RSA",
            "controller": key.controller,
            "verificationMethod": key.verification_method,
            "privateKeyJwk": key.to_jwk(include_private=True),
        }
    return {
        "type": key.algorithm,
        "controller": key.controller,
        "verificationMethod": key.verification_method,
        "publicKeyMultibase": key.public_key_multibase,
        "secretKeyMultibase": key.secret_key_multibase,
    }


def _replace_atomically(target: Path, content: bytes) -> None:
    # mkstemp creates the file with mode 0600 (O_EXCL) in the target's own directory, so
    # os.replace is a rename within one file system.
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def load_key(path: str | os.PathLike[str]) -> SigningKey:
    """Read a key file written by :func:`save_key`.

    Raises:
        KeyFormatError: ``key_file_permissions`` when the file is readable or writable by
            group or others (POSIX); ``key_format`` / ``key_mismatch`` for a malformed file
            (``path`` is the JSON pointer of the bad member; the message names the file);
            ``invalid_json`` / ``duplicate_key`` when it is not strict JSON;
            ``not_a_key_file`` for JSON that holds no private key at all (a credential, a DID
            document, a JWK), said before the permission check.
        UnsupportedError: ``unsupported_key_type`` for a key type other than Ed25519, P-256,
            P-384 and RSA.
        OSError: the file cannot be opened (for example ``FileNotFoundError``).
    """
    target = Path(path)
    # Check the permissions of the file actually opened (fstat), not of whatever the path
    # names a moment earlier; but first whether it is a key file at all, so that a credential
    # or a DID document given by mistake is called what it is, not "chmod 600 it".
    with open(target, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        data = handle.read(_MAX_KEY_FILE_BYTES + 1)
    try:
        # Parsed at the usual depth so that any JSON document (a credential given by mistake)
        # can be told apart from a key file; the size cap is the key file's own.
        doc = loads_strict(data, max_bytes=_MAX_KEY_FILE_BYTES)
    except InputError as exc:
        raise KeyFormatError(
            f"key file {target}: {exc.message}", code=exc.code, path=exc.path
        ) from None
    if not _looks_like_key_file(doc):
        raise _not_a_key_file(target, doc)
    if _CHECK_PERMISSIONS and mode & 0o077:
        raise KeyFormatError(
            f"key file {target} is accessible by group or others "
            f"(mode {stat.S_IMODE(mode):04o}); run: chmod 600 {target}",
            code="key_file_permissions",
        )
    key_type = doc.get("type")
    if key_type == "RSA":
        return _load_rsa(doc, target)
    if not isinstance(key_type, str) or key_type not in _CODECS:
        if isinstance(key_type, str):
            raise UnsupportedError(
                f"key file {target}: unsupported key type {key_type!r}",
                code="unsupported_key_type",
                path="/type",
            )
        raise KeyFormatError(f"key file {target}: 'type' must be a string", path="/type")
    for member in ("publicKeyMultibase", "secretKeyMultibase"):
        if not isinstance(doc.get(member), str):
            raise KeyFormatError(
                f"key file {target}: {member!r} must be a string", path=f"/{member}"
            )
    for member in ("controller", "verificationMethod"):
        if member in doc and not isinstance(doc[member], str):
            raise KeyFormatError(
                f"key file {target}: {member!r} must be a string", path=f"/{member}"
            )
    public_codec, secret_codec = _CODECS[key_type]
    for member, codec in (
        ("publicKeyMultibase", public_codec),
        ("secretKeyMultibase", secret_codec),
    ):
        try:
            decode_multikey(doc[member], codec=codec)
        except KeyFormatError as exc:
            raise KeyFormatError(
                f"key file {target}: {member}: {exc.message}", code=exc.code, path=f"/{member}"
            ) from None
    key_class = Ed25519Key if key_type == "Ed25519" else EcKey
    try:
        return key_class.from_multikey(
            doc["publicKeyMultibase"],
            doc["secretKeyMultibase"],
            controller=doc.get("controller"),
            key_id=doc.get("verificationMethod"),
        )
    except KeyFormatError as exc:
        where = "/secretKeyMultibase" if exc.code == "key_mismatch" else exc.path
        raise KeyFormatError(
            f"key file {target}: {exc.message}", code=exc.code, path=where
        ) from None


def is_key_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a regular file that holds a key file (JSON with a private key
    member): what a command must not overwrite with its output unless told to. A file that
    cannot be read, or is not such JSON, is not one."""
    try:
        with open(path, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return False
            data = handle.read(_MAX_KEY_FILE_BYTES + 1)
        doc = loads_strict(data, max_bytes=_MAX_KEY_FILE_BYTES)
    except (OSError, InputError):
        return False
    return isinstance(doc, dict) and any(member in doc for member in _SECRET_MEMBERS)


def _looks_like_key_file(doc: Any) -> bool:
    """Whether ``doc`` is meant as a key file: an object that carries a secret member, or
    names a key type (a key file missing its secret is then reported member by member)."""
    if not isinstance(doc, dict):
        return False
    return isinstance(doc.get("type"), str) or any(member in doc for member in _SECRET_MEMBERS)


def _not_a_key_file(target: Path, doc: Any) -> KeyFormatError:
    """The refusal of a file that holds no private key, naming what it seems to be instead."""
    if isinstance(doc, dict) and ("credentialSubject" in doc or "verifiableCredential" in doc):
        seems = "it looks like a credential or presentation"
    elif isinstance(doc, dict) and ("verificationMethod" in doc or "assertionMethod" in doc):
        seems = "it looks like a DID or controller document, which holds public keys only"
    elif isinstance(doc, dict) and ("kty" in doc or "keys" in doc):
        seems = "it looks like a JWK or JWK set; vcbadge reads keys from its own key files"
    else:
        seems = "it has neither secretKeyMultibase nor privateKeyJwk"
    return KeyFormatError(
        f"{target} is not a vcbadge key file ({seems}); give the file written by "
        "vcbadge keygen -o KEY.json",
        code="not_a_key_file",
    )


def _load_rsa(doc: dict[str, Any], target: Path) -> RsaKey:
    jwk = doc.get("privateKeyJwk")
    if not isinstance(jwk, dict) or "d" not in jwk:
        raise KeyFormatError(
            f"key file {target}: an RSA key file needs 'privateKeyJwk' with the private member 'd'",
            path="/privateKeyJwk",
        )
    for member in ("controller", "verificationMethod"):
        if member in doc and not isinstance(doc[member], str):
            raise KeyFormatError(
                f"key file {target}: {member!r} must be a string", path=f"/{member}"
            )
    try:
        return RsaKey.from_jwk(
            jwk, controller=doc.get("controller"), key_id=doc.get("verificationMethod")
        )
    except KeyFormatError as exc:
        raise KeyFormatError(
            f"key file {target}: {exc.message}", code=exc.code, path=f"/privateKeyJwk{exc.path}"
        ) from None


# Keys loaded by KeyFileSigner in this process, by absolute path: each worker process reads a
# key file once, however many credentials it signs.
_LOADED: dict[str, SigningKey] = {}
_LOADING = threading.Lock()


class KeyFileSigner:
    """A :class:`vcbadge.protocols.Signer` that signs with the key in a key file, and that can
    be sent to worker processes: it pickles as the file's path and the key's public names,
    never the key. Each process loads the file (:func:`load_key`, with its permission check)
    the first time it signs, and keeps the key for the life of the process.

    This is how ``Issuer.issue_many`` runs over a process pool or a Dask cluster: every worker
    must be able to read the same path (on a cluster, a file the workers' hosts share or
    provision, readable only by the account that runs them). The file is loaded here too, so
    a wrong path or a bad file is refused at once, not by every worker. A worker that finds
    another key at the path than the one loaded here refuses to sign (``key_file_changed``):
    half a batch signed with one key and half with another would fail verification for half
    of the recipients.

    Raises what :func:`load_key` raises.
    """

    __slots__ = ("_algorithm", "_controller", "_path", "_verification_method")

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._path = str(Path(path).resolve())
        key = _load_cached(self._path)
        self._algorithm: str = key.algorithm
        self._verification_method: str = key.verification_method
        self._controller: str = key.controller

    @property
    def path(self) -> str:
        """The key file's absolute path."""
        return self._path

    @property
    def algorithm(self) -> str:
        return self._algorithm

    @property
    def verification_method(self) -> str:
        return self._verification_method

    @property
    def controller(self) -> str:
        return self._controller

    def sign(self, data: bytes) -> bytes:
        """Sign ``data`` with the key file's key (loaded once per process). Raises
        ``KeyFormatError`` (``key_file_changed``) when the file now holds another key."""
        key = _LOADED.get(self._path) or _load_cached(self._path)
        if (key.algorithm, key.verification_method) != (
            self._algorithm,
            self._verification_method,
        ):
            raise KeyFormatError(
                f"key file {self._path} now holds {key.verification_method}, not "
                f"{self._verification_method} it held when the batch started; refusing to sign "
                "a batch with two keys",
                code="key_file_changed",
            )
        return key.sign(data)

    def __getstate__(self) -> dict[str, str]:
        return {
            "path": self._path,
            "algorithm": self._algorithm,
            "verification_method": self._verification_method,
            "controller": self._controller,
        }

    def __setstate__(self, state: dict[str, str]) -> None:
        # Not loaded here: unpickling happens wherever the signer travels (a scheduler, a
        # result store); only a process that signs needs to read the file.
        self._path = state["path"]
        self._algorithm = state["algorithm"]
        self._verification_method = state["verification_method"]
        self._controller = state["controller"]

    def __repr__(self) -> str:
        return f"KeyFileSigner({self._path!r}, {self._verification_method!r})"


def _load_cached(path: str) -> SigningKey:
    with _LOADING:
        key = _LOADED.get(path)
        if key is None:
            key = _LOADED[path] = load_key(path)
        return key
