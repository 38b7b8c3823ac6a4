"""Keys at rest: wrapped by a secret in the OS keyring (Windows, macOS) or by a passphrase;
never readable from the data file alone."""

from __future__ import annotations

import json

import keyring
import pytest
from keyring.backend import KeyringBackend

from da8desktop.core.sync import keys


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


def test_keyring_wraps_without_a_passphrase(monkeypatch):
    ring = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(ring)
    try:
        monkeypatch.setenv("DA8_KEYRING", "on")
        monkeypatch.delenv(keys.PASSPHRASE_ENV)
        made = keys.generate()
        wrapped = keys.wrap(made)
        assert wrapped["method"] == "keyring" and str(made.box) not in json.dumps(wrapped)
        assert keys.unwrap(wrapped).sign_public == made.sign_public
        ring.store.clear()  # the data file copied to another Windows account
        with pytest.raises(keys.KeysLocked):
            keys.unwrap(wrapped)
    finally:
        keyring.set_keyring(previous)


def test_passphrase_wraps_and_a_wrong_one_is_refused(monkeypatch):
    monkeypatch.delenv("DA8_TEST_FAST_KDF")  # production's Argon2id, as an officer's computer
    made = keys.generate()
    wrapped = keys.wrap(made)  # DA8_KEY_PASSPHRASE from conftest
    assert wrapped["method"] == "argon2id" and str(made.box) not in json.dumps(wrapped)
    monkeypatch.setenv(keys.PASSPHRASE_ENV, "not the passphrase")
    with pytest.raises(keys.KeysLocked):
        keys.unwrap(wrapped)
    monkeypatch.delenv(keys.PASSPHRASE_ENV)
    with pytest.raises(keys.KeysLocked):
        keys.unwrap(wrapped, prompt=lambda new: None)  # the officer pressed Cancel
    asked = []
    assert keys.unwrap(wrapped, prompt=lambda new: asked.append(new) or "test passphrase"
                       ).sign_public == made.sign_public
    assert asked == [False]  # asked once, for an existing passphrase
    assert len(keys.fingerprint(made.sign_public, made.box_public).split()) == 6


def test_background_work_is_handed_the_keys_and_never_asks(world, monkeypatch, tmp_path):
    """Issue 22, item 5: the keys are unlocked where a prompt can be shown and passed to the
    export; without them, an export asks nobody (no prompt is installed anywhere) and stops."""
    from da8desktop.core.sync.enrol import unlock
    from da8desktop.core.sync.export import export_bundles

    commune = world.dbs["A1"]
    monkeypatch.delenv(keys.PASSPHRASE_ENV)
    with pytest.raises(keys.KeysLocked):
        export_bundles(commune, tmp_path / "locked")
    assert not (tmp_path / "locked").exists() or not any((tmp_path / "locked").iterdir())
    asked = []
    unlocked = unlock(commune, lambda new: asked.append(new) or "test passphrase")
    assert asked == [False]
    written = export_bundles(commune, tmp_path / "usb", keys=unlocked)
    assert written and all(b.path.is_file() for b in written)


def test_keys_are_asked_for_once_per_open_file_and_kept_nowhere_else(world, monkeypatch):
    """Issue 22, item 5: unlocked keys live in an `UnlockedKeys` made for one open file (the
    window makes one per file it opens); the module keeps nothing, so another file, or the
    same file opened again, asks again."""
    from da8desktop.core.sync.enrol import unlock

    commune = world.dbs["A1"]
    monkeypatch.delenv(keys.PASSPHRASE_ENV)
    asked = []

    def prompt(new):
        asked.append(new)
        return "test passphrase"

    opened = keys.UnlockedKeys()
    first = unlock(commune, prompt, opened)
    assert unlock(commune, prompt, opened) is first and asked == [False]  # asked once
    again = keys.UnlockedKeys()  # the file opened anew
    assert unlock(commune, prompt, again).sign_public == first.sign_public
    assert asked == [False, False]
    with pytest.raises(keys.KeysLocked):  # nothing kept at module level: asks, nobody answers
        unlock(commune)
    opened.forget()
    unlock(commune, prompt, opened)
    assert asked == [False, False, False]
    assert not [name for name, value in vars(keys).items()
                if isinstance(value, (dict, list, set)) and not name.startswith("__")]


def test_keys_made_at_set_up_are_kept_for_the_open_file(db, monkeypatch):
    """The passphrase just chosen at set-up is not asked for again by the same window."""
    from da8desktop.core.sync.enrol import province_init, unlock

    opened = keys.UnlockedKeys()
    _identity, fingerprint = province_init(db, "11", unlocked=opened)
    monkeypatch.delenv(keys.PASSPHRASE_ENV)

    def never(new):
        raise AssertionError("asked again")

    assert unlock(db, never, opened).fingerprint() == fingerprint
    with pytest.raises(keys.KeysLocked):
        unlock(db, lambda new: None)  # another opening of the file: asked (and cancelled)


@pytest.mark.parametrize("variables", [{}, {"DA8_TESTING": "1"}, {"DA8_TEST_FAST_KDF": "1"},
                                       {"DA8_TESTING": "0", "DA8_TEST_FAST_KDF": "1"},
                                       {"DA8_TESTING": "1", "DA8_TEST_FAST_KDF": "yes"}])
def test_production_derives_with_argon2id_interactive_limits(monkeypatch, variables):
    """Issue 22: the test suite's cheap key derivation needs both test variables; with either
    missing, wrapping and unwrapping use libsodium's interactive limits (what officers get)."""
    import nacl.pwhash

    monkeypatch.delenv("DA8_TESTING")
    monkeypatch.delenv("DA8_TEST_FAST_KDF")
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    real_kdf = nacl.pwhash.argon2id.kdf
    limits = []

    def spy(size, password, salt, opslimit, memlimit):
        limits.append((opslimit, memlimit))
        return real_kdf(size, password, salt, opslimit=opslimit, memlimit=memlimit)

    monkeypatch.setattr(nacl.pwhash.argon2id, "kdf", spy)
    made = keys.generate()
    wrapped = keys.wrap(made)
    assert wrapped["method"] == "argon2id"
    assert keys.unwrap(wrapped).sign_public == made.sign_public
    interactive = (nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE,
                   nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE)
    assert limits == [interactive, interactive]


def test_keys_wrapped_by_the_test_suite_are_refused_by_production(monkeypatch):
    """Keys wrapped with the cheap test derivation carry their own method name; a program
    without both test variables refuses them before asking for the passphrase, and the same
    sealed keys relabelled as production's method do not open (the strong limits derive
    another secret): a weak wrapping never passes for a strong one."""
    made = keys.generate()
    wrapped = keys.wrap(made)  # tests/conftest.py sets both test variables
    assert wrapped["method"] == "argon2id-fast-test"
    assert keys.unwrap(wrapped).sign_public == made.sign_public  # the test suite reads its own
    monkeypatch.delenv("DA8_TEST_FAST_KDF")
    asked = []
    with pytest.raises(keys.KeysLocked, match="not protected by this program"):
        keys.unwrap(wrapped, prompt=lambda new: asked.append(new) or "test passphrase")
    assert asked == []
    with pytest.raises(keys.KeysLocked, match="Wrong passphrase"):
        keys.unwrap({**wrapped, "method": "argon2id"})
