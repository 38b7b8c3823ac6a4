"""This site's keys: Ed25519 to sign what it sends, age X25519 to receive what is sent to it.

Private keys never leave the computer and never travel in a bundle. At rest they are wrapped
(libsodium SecretBox) with a key that is either a random secret kept in the OS keyring (Windows
Credential Manager, macOS Keychain: the officer never types anything) or derived with Argon2id
from a passphrase (Linux, or when no keyring works). The passphrase comes from
`DA8_KEY_PASSPHRASE` (scripts) or from the `prompt` the caller passes: the GUI asks on its own
thread and hands the unlocked `SiteKeys` to background work, so no worker ever calls a prompt.

Keys once unwrapped are kept by an `UnlockedKeys`, one per open data file, made by whoever
opened it (the window for each file it opens; the demo province for each laptop it makes) and
handed to what sets up or unlocks keys: the module itself keeps nothing.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    import nacl.signing
    from pyrage import x25519

# nacl and pyrage are imported where keys are made, checked or unwrapped, not with this module:
# the window on a set-up file (UnlockedKeys) never loads them (issue 23 item 6).

KEYRING_SERVICE = "da8desktop"
PASSPHRASE_ENV = "DA8_KEY_PASSPHRASE"
MIN_PASSPHRASE = 8


class KeysLocked(UserFacingError):
    """The passphrase is missing or wrong: nothing was done."""


@dataclass(frozen=True)
class SiteKeys:
    signing: nacl.signing.SigningKey
    box: x25519.Identity

    @property
    def sign_public(self) -> str:
        return self.signing.verify_key.encode().hex()

    @property
    def box_public(self) -> str:
        return str(self.box.to_public())

    def sign(self, data: bytes) -> bytes:
        return self.signing.sign(data).signature

    def fingerprint(self) -> str:
        return fingerprint(self.sign_public, self.box_public)


def generate() -> SiteKeys:
    import nacl.signing
    from pyrage import x25519

    return SiteKeys(nacl.signing.SigningKey.generate(), x25519.Identity.generate())


def verify(sign_public_hex: str, data: bytes, signature: bytes) -> bool:
    import nacl.exceptions
    import nacl.signing

    try:
        nacl.signing.VerifyKey(bytes.fromhex(sign_public_hex)).verify(data, signature)
        return True
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        return False


def fingerprint(sign_public_hex: str, box_public: str) -> str:
    """Six groups of five digits (about 100 bits), read aloud over the phone to compare, as in
    Signal's safety numbers: iterated SHA-512, each 5-byte chunk taken modulo 100000."""
    digest = bytes.fromhex(sign_public_hex) + box_public.encode("ascii")
    for _ in range(1024):
        digest = hashlib.sha512(digest + bytes.fromhex(sign_public_hex)).digest()
    groups = [int.from_bytes(digest[i:i + 5], "big") % 100000 for i in range(0, 30, 5)]
    return " ".join(f"{g:05d}" for g in groups)


# -- the wrapping secret ------------------------------------------------------------------------
# prompt(new) returns the passphrase, or None when the officer cancels.
Prompt = Callable[[bool], "str | None"]

def _keyring():  # noqa: ANN202 - the keyring module or None
    """The OS keyring where it protects something (Windows, macOS), or None."""
    if os.environ.get("DA8_KEYRING", "auto") == "off":
        return None
    if sys.platform not in ("win32", "darwin") and os.environ.get("DA8_KEYRING") != "on":
        return None
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
            return None
        return keyring
    except Exception:  # noqa: BLE001 - a broken keyring means: use the passphrase
        return None


def _passphrase(new: bool, prompt: Prompt | None) -> str:
    value = os.environ.get(PASSPHRASE_ENV)
    if not value and prompt is not None:
        value = prompt(new)
    if not value:
        raise KeysLocked(QT_TRANSLATE_NOOP(
            "Keys", "The sync keys of this computer are protected by a passphrase. Enter it "
            "(or set DA8_KEY_PASSPHRASE for scripts)."))
    if new and len(value) < MIN_PASSPHRASE:
        raise KeysLocked(QT_TRANSLATE_NOOP(
            "Keys", "Choose a passphrase of at least {n} characters."), n=MIN_PASSPHRASE)
    return value


# How a passphrase becomes the wrapping secret, named in the wrapped keys ("method"). Argon2id
# with libsodium's interactive limits, always. The test suite alone (DA8_TESTING=1 and
# DA8_TEST_FAST_KDF=1, both set by tests/conftest.py) wraps with libsodium's minimum limits
# under a method name of its own, which an installation without both variables refuses:
# production never derives a secret with the weak limits, and never wraps with them.
ARGON2ID = "argon2id"
ARGON2ID_FAST_TEST = "argon2id-fast-test"


def _fast_test_kdf() -> bool:
    return os.environ.get("DA8_TESTING") == "1" and os.environ.get("DA8_TEST_FAST_KDF") == "1"


def _kdf_method() -> str:
    """The method new wrappings use."""
    return ARGON2ID_FAST_TEST if _fast_test_kdf() else ARGON2ID


def _kdf_limits(method: str) -> tuple[int, int]:
    """(opslimit, memlimit) of a wrapping method; KeysLocked for one this process must not use."""
    import nacl.pwhash

    if method == ARGON2ID:
        return nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE, nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE
    if method == ARGON2ID_FAST_TEST and _fast_test_kdf():
        return nacl.pwhash.argon2id.OPSLIMIT_MIN, nacl.pwhash.argon2id.MEMLIMIT_MIN
    raise KeysLocked(QT_TRANSLATE_NOOP(
        "Keys", "The sync keys of this data file were not protected by this program's method "
                "(a test file?). Set this computer up again from a new setup file of the province."))


def _kdf(passphrase: str, salt: bytes, method: str = ARGON2ID) -> bytes:
    import nacl.pwhash
    import nacl.secret

    opslimit, memlimit = _kdf_limits(method)
    return nacl.pwhash.argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE, passphrase.encode("utf-8"), salt,
        opslimit=opslimit, memlimit=memlimit)


def wrap(keys: SiteKeys, prompt: Prompt | None = None) -> dict[str, Any]:
    """The private keys, encrypted for storage in the installation row."""
    import nacl.pwhash
    import nacl.secret

    plain = keys.signing.encode() + str(keys.box).encode("ascii")
    ring = _keyring()
    if ring is not None:
        secret = secrets.token_bytes(nacl.secret.SecretBox.KEY_SIZE)
        ring.set_password(KEYRING_SERVICE, "keys:" + keys.sign_public[:16],
                          base64.b64encode(secret).decode())
        method: dict[str, Any] = {"method": "keyring"}
    else:
        salt = secrets.token_bytes(nacl.pwhash.argon2id.SALTBYTES)
        kdf_method = _kdf_method()
        secret = _kdf(_passphrase(True, prompt), salt, kdf_method)
        method = {"method": kdf_method, "salt": base64.b64encode(salt).decode()}
    boxed = nacl.secret.SecretBox(secret).encrypt(plain)
    return {**method, "sign_public": keys.sign_public,
            "sealed": base64.b64encode(bytes(boxed)).decode()}


def unwrap(wrapped: dict[str, Any], prompt: Prompt | None = None) -> SiteKeys:
    """The keys in the clear; `prompt` is asked for the passphrase if one is needed (without
    it, only `DA8_KEY_PASSPHRASE` or the OS keyring can unlock them). Each call derives the
    wrapping key again (Argon2id): keep what it returns, or use `UnlockedKeys`."""
    import nacl.exceptions
    import nacl.secret
    import nacl.signing
    from pyrage import x25519

    if wrapped["method"] == "keyring":
        ring = _keyring()
        stored = ring.get_password(KEYRING_SERVICE, "keys:" + wrapped["sign_public"][:16]) if ring else None
        if stored is None:
            raise KeysLocked(QT_TRANSLATE_NOOP(
                "Keys", "The sync keys of this data file are locked to another Windows account or "
                "computer. Set this computer up again from a new setup file of the province."))
        secret = base64.b64decode(stored)
    else:
        _kdf_limits(wrapped["method"])  # refused before the officer is asked for anything
        secret = _kdf(_passphrase(False, prompt), base64.b64decode(wrapped["salt"]),
                      wrapped["method"])
    try:
        plain = nacl.secret.SecretBox(secret).decrypt(base64.b64decode(wrapped["sealed"]))
    except nacl.exceptions.CryptoError:
        raise KeysLocked(QT_TRANSLATE_NOOP("Keys", "Wrong passphrase for the sync keys.")) from None
    return SiteKeys(nacl.signing.SigningKey(plain[:32]), x25519.Identity.from_str(plain[32:].decode()))


class UnlockedKeys:
    """The keys of one open data file once unwrapped: the passphrase is asked (and Argon2id
    run) once per file, not once per export. Made by whoever opens the database and dropped
    with it; it never asks anybody by itself: `unlock` is called with a prompt on the thread
    where asking is possible (the GUI's), and background work is handed the `SiteKeys`."""

    def __init__(self) -> None:
        self._keys: dict[str, SiteKeys] = {}
        self._lock = threading.Lock()

    def keep(self, keys: SiteKeys) -> SiteKeys:
        """Keys just made here (set-up): known without asking for the passphrase again."""
        with self._lock:
            self._keys[keys.sign_public] = keys
        return keys

    def unlock(self, wrapped: dict[str, Any], prompt: Prompt | None = None) -> SiteKeys:
        """The keys in the clear, unwrapped the first time only (`prompt` asked then, if a
        passphrase is needed)."""
        with self._lock:
            known = self._keys.get(wrapped["sign_public"])
        return known if known is not None else self.keep(unwrap(wrapped, prompt))

    def forget(self) -> None:
        with self._lock:
            self._keys.clear()
