"""The import checks a record's values with one function per table (codec._compiled) and
falls back to the columns' own decoders, in the record's order, for the refusal's words: the
compiled check must never pass a value the decoders refuse, nor convert one differently.
Hostile values of every kind are tried on every column of every synced table. A record's
version vector is checked once per bundle (codec.decode_row's memo): one written with true
or 1.0 where an earlier record had 1 is still refused."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from da8desktop.core.db.models import SYNCED_MODELS
from da8desktop.core.sync import codec

SITE = "0192f2a0-0000-7000-8000-000000000001"

# Values some column of each kind accepts (the first its decoder passes is the baseline).
CANDIDATES: list[Any] = [
    "0192f2a0-0000-7000-8000-0000000000aa", "2024-01-02", "2024-01-02T03:04:05", "0912345678",
    "123456789012", "x", "", 2000, 1, 0, True, False, 1.5, [], {}, None,
]
HOSTILE: list[Any] = [
    None, True, False, 0, 1, -1, 1.0, 0.5, 2000, 1899, 2**15, 2**31, -(2**31) - 1, 2**63,
    10**19, 10**400, float("inf"), float("nan"), "", "x", "x" * 301, "x" * 5000, "2024-13-01",
    "2024-1-1", "2024-01-02", "2024-01-02T03:04:05", "2024-01-02T25:00:00", "not a uuid",
    "0192F2A0-0000-7000-8000-0000000000AA", "{0192f2a0-0000-7000-8000-0000000000aa}",
    "0192f2a0-0000-7000-8000-0000000000aa", "0912345678", "123", "123456789012", [], {},
    [1], {"a": 1}, "pre2025:commune:12345",
]


def _decoded(decoders: dict[str, Any], given: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "ok", {name: decoders[name](value) for name, value in given.items()}
    except Exception as exc:  # noqa: BLE001 - what the decoders do is what is compared
        return type(exc).__name__, str(exc)


def _baseline(decoders: dict[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    given = {}
    for name in sorted(fields):
        for value in CANDIDATES:
            if _decoded({name: decoders[name]}, {name: value})[0] == "ok":
                given[name] = value
                break
        else:
            pytest.fail(f"no candidate value passes {name}")
    return given


@pytest.mark.parametrize("model", SYNCED_MODELS, ids=lambda m: m.__tablename__)
def test_the_compiled_check_passes_only_what_the_decoders_pass(model):
    decoders, fields, compiled = codec._shape(model)
    base = _baseline(decoders, fields)
    values = dict(base)
    compiled(base, values)  # the fast path is taken for an honest row
    assert _decoded(decoders, base) == ("ok", values)
    passed = refused = 0
    for name in sorted(fields):
        for hostile in HOSTILE:
            given = {**base, name: hostile}
            expected = _decoded(decoders, given)
            values = dict(given)
            try:
                compiled(given, values)
            except Exception:  # noqa: BLE001 - decode_row then asks the decoders
                refused += 1
                continue
            passed += 1
            assert expected[0] == "ok", (name, hostile, expected)
            assert values == expected[1], (name, hostile)
            assert [type(v) for v in values.values()] == [type(v) for v in expected[1].values()]
    assert passed and refused


@pytest.mark.parametrize("model", SYNCED_MODELS, ids=lambda m: m.__tablename__)
def test_a_refused_value_gives_the_decoders_words(model):
    decoders, fields, _compiled = codec._shape(model)
    base = _baseline(decoders, fields)
    stamps = {name: [SITE, 1, 5] for name in base}
    for name in sorted(fields):
        for hostile in HOSTILE:
            # The hostile field first, as a bundle may order its keys.
            given = {name: hostile, **{k: v for k, v in base.items() if k != name}}
            expected = _decoded(decoders, given)
            check = codec.ROW_CHECKS.get(model)
            if expected[0] == "ok" and check is not None and check(expected[1]):
                expected = ("BadRecord", check(expected[1]))
            record = {"id": str(uuid.uuid4()), "v": given, "s": stamps, "c": {SITE: 1}}
            try:
                _row_id, values, _s, _c = codec.decode_row(model, record, {})
            except codec.BadRecord as exc:
                assert expected[0] == "BadRecord" and str(exc) == expected[1], (name, hostile)
                continue
            except Exception as exc:  # noqa: BLE001 - the same as the decoders, if anything
                assert (type(exc).__name__, str(exc)) == expected, (name, hostile)
                continue
            assert expected == ("ok", values), (name, hostile)


def test_a_version_vector_written_with_true_or_a_fraction_is_refused_after_an_honest_one():
    model = next(m for m in SYNCED_MODELS if m.__tablename__ == "village")
    decoders, fields, _compiled = codec._shape(model)
    base = _baseline(decoders, fields)
    memo: dict[Any, Any] = {}

    def record(context: dict[str, Any]) -> dict[str, Any]:
        return {"id": str(uuid.uuid4()), "v": base, "s": {n: [SITE, 1, 5] for n in base},
                "c": context}

    first = codec.decode_row(model, record({SITE: 1}), memo)
    assert codec.decode_row(model, record({SITE: 1}), memo)[3] is first[3]  # shared
    for strange in (True, 1.0, -1, 2**53, "1"):
        with pytest.raises(codec.BadRecord, match="malformed stamp"):
            codec.decode_row(model, record({SITE: strange}), memo)
    with pytest.raises(codec.BadRecord, match="outside the row's version vector"):
        codec.decode_row(model, record({}), memo)
    with pytest.raises(codec.BadRecord, match="malformed stamp"):
        codec.decode_row(model, record({"not a site": 1}), memo)


@pytest.mark.parametrize("model", [m for m in SYNCED_MODELS if any(
    isinstance(c.type, sa.Numeric) for c in m.__table__.columns)], ids=lambda m: m.__tablename__)
def test_a_whole_number_of_hundreds_of_digits_refuses_the_record_not_the_import(model):
    """math.isfinite() of a 400-digit int raises OverflowError: that stopped the import with a
    crash instead of refusing the record. An int of any size is now refused by its bound."""
    decoders, fields, _compiled = codec._shape(model)
    base = _baseline(decoders, fields)
    stamps = {name: [SITE, 1, 5] for name in base}
    numeric = [c.key for c in model.__table__.columns
               if isinstance(c.type, sa.Numeric) and c.key in fields]
    assert numeric
    for name in numeric:
        for huge in (10**400, -(10**400), 10**19):
            record = {"id": str(uuid.uuid4()), "v": {**base, name: huge}, "s": stamps,
                      "c": {SITE: 1}}
            with pytest.raises(codec.BadRecord, match="out of range"):
                codec.decode_row(model, record, {})
