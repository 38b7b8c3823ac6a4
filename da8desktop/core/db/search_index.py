"""The people search index on SQLite: an FTS5 trigram index over person.search_key.

`LIKE '%abc%'` cannot use a B-tree, so a search read all 300,000 people of a province on every
keystroke. FTS5's trigram tokenizer (SQLite >= 3.34) answers the same LIKE from an index for
words of three letters or more (one MATCH for all of them); shorter words, and words most
people contain, keep the plain LIKE over the list in its own order, which is fast exactly when
they match many people (the first page fills at once). The index stores no text of its own
(external content: the person table), so erasing a person's name erases it here too.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, literal_column, select, text
from sqlalchemy.orm import Session

TABLE = "person_search"
MIN_WORD = 3  # trigrams: shorter words cannot be looked up in the index
SPARSE = 50  # the index is used when its hits are at most 2 % of the people

_TRIGGERS = {
    "person_search_insert": f"""AFTER INSERT ON person BEGIN
        INSERT INTO {TABLE}(rowid, search_key) VALUES (new.rowid, new.search_key); END""",
    "person_search_delete": f"""AFTER DELETE ON person BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, search_key)
            VALUES ('delete', old.rowid, old.search_key); END""",
    "person_search_update": f"""AFTER UPDATE OF search_key ON person BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, search_key)
            VALUES ('delete', old.rowid, old.search_key);
        INSERT INTO {TABLE}(rowid, search_key) VALUES (new.rowid, new.search_key); END""",
}


def create_statements() -> list[str]:
    return [f"CREATE VIRTUAL TABLE {TABLE} USING fts5(search_key, content='person', "
            "content_rowid='rowid', tokenize='trigram')",
            *[f"CREATE TRIGGER {name} {body}" for name, body in _TRIGGERS.items()],
            f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')"]


def drop_statements() -> list[str]:
    return [*[f"DROP TRIGGER IF EXISTS {name}" for name in _TRIGGERS],
            f"DROP TABLE IF EXISTS {TABLE}"]


def _query(words: list[str]) -> str | None:
    """An FTS5 query for "contains every word of three letters or more" ('"luc" AND "thi"');
    None when no word is long enough for trigrams."""
    long_words = [w for w in words if len(w) >= MIN_WORD]
    if not long_words:
        return None
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in long_words)


def contains_words(words: list[str]) -> ColumnElement[bool] | None:
    """person rows containing every long word, from the index (None: the index cannot help).
    The caller still checks every word with LIKE, which also decides the short ones."""
    query = _query(words)
    if query is None:
        return None
    found = select(literal_column("rowid")).select_from(text(TABLE)).where(
        literal_column(TABLE).op("MATCH")(query))
    return literal_column("person.rowid").in_(found)


def worth_using(session: Session, words: list[str]) -> bool:
    """Whether to start from the index: when its words are rare. A word most people contain
    ("thi", the middle name of most women) is faster found by walking the list in its own order
    until a page is full than by sorting a hundred thousand index hits."""
    query = _query(words)
    if query is None:
        return False
    # Asked for the count and again for each page of the same search: decided once. A decision
    # that grows stale changes only the speed, never which people are found.
    key = (str(session.get_bind().url), query, SPARSE)
    if key not in _decided:
        hits = session.execute(text(f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH :q"),
                               {"q": query}).scalar() or 0
        people = session.execute(text("SELECT max(rowid) FROM person")).scalar() or 0
        if len(_decided) > 1000:
            _decided.clear()
        _decided[key] = hits * SPARSE <= people
    return _decided[key]


_decided: dict[tuple[str, str, int], bool] = {}


def repair_statements() -> list[str]:
    """Rebuild the index from the person table: after another tool ran VACUUM (rowids may
    change) or whenever the check below fails. Nothing is lost: the index holds no data."""
    return [f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')"]


def check_statement() -> str:
    """Raises (SQLITE_CORRUPT_VTAB) when the index and the person table disagree."""
    return f"INSERT INTO {TABLE}({TABLE}, rank) VALUES ('integrity-check', 1)"
