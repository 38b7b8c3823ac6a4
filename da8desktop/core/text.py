"""Vietnamese text rules: NFC on the way in, diacritic-free search keys, collation keys.

Everything here is pure Python so the core, the CLI and SQL-backed lists all agree on one
order and one matching rule; the GUI's QCollator is only used to cross-check it in tests.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_SPACES = re.compile(r"\s+")

# Combining marks that change the *letter* (ă, â, ê, ô, ơ, ư) versus the *tone*.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
# Tone order used by Vietnamese dictionaries: none < huyền < hỏi < ngã < sắc < nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

# Alphabet order; ă â after a, đ after d, ê after e, ô ơ after o, ư after u.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]
_LETTER_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
# Weights are encoded as characters so the key can be stored in an indexed column and
# compared byte-wise by SQLite/PostgreSQL ("C" collation) with the same result as Python.
_WORD_SEP = "\u0021"  # sorts below every weight: "An" < "An Binh"
_LEVEL_SEP = "\u0020"


def nfc(value: str | None) -> str | None:
    """Normalise user input: NFC, trimmed, inner whitespace collapsed. None and '' stay None."""
    if value is None:
        return None
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()
    return text or None


def fold(value: str | None) -> str:
    """Diacritic-free, lower-case form used for search: 'Lò Văn Tiến' -> 'lo van tien'.

    Old and new tone placement ('hoà' / 'hòa', 'thuỷ' / 'thủy') fold to the same key.
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def fold_compact(value: str | None) -> str:
    """Fold and drop hyphens, apostrophes and spaces: 'H'Mông', 'Hmông', 'Mông' -> 'hmong'/'mong'."""
    return re.sub(r"[\s\-'’‘`]", "", fold(value))


def _letter_and_tone(cluster: str) -> tuple[str, int]:
    """A base character with its combining marks -> (Vietnamese letter, tone rank)."""
    base, marks = cluster[0].lower(), cluster[1:]
    tone = 0
    for mark in marks:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark == _BREVE and base == "a":
            base = "ă"
        elif mark == _CIRCUMFLEX and base in "aeo":
            base = {"a": "â", "e": "ê", "o": "ô"}[base]
        elif mark == _HORN and base in "ou":
            base = {"o": "ơ", "u": "ư"}[base]
    return base, tone


def _clusters(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFD", text)
    clusters: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch) and clusters:
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def _primary_weight(letter: str) -> str:
    rank = _LETTER_RANK.get(letter)
    if rank is not None:
        return chr(0x4000 + rank)
    if letter.isdigit():
        return chr(0x2100 + ord(letter) % 0x100)
    if letter.isalpha():  # letters outside the Vietnamese alphabet, after it
        return chr(0x5000 + min(ord(letter), 0x7000))
    return chr(0x2000)  # punctuation and symbols first


def collation_key(text: str | None) -> str:
    """A string whose plain code-point order is Vietnamese dictionary order.

    Three levels like ICU: letters first (tones ignored), then tones, then case. A syllable
    carries one tone, so the tone is weighed per word: 'Hoà' and 'Hòa' (old and new tone
    placement) sort as the same name.
    """
    if not text:
        return ""
    words = [_word_key(word) for word in (nfc(text) or "").split(" ")]
    return (_WORD_SEP.join(w[0] for w in words) + _LEVEL_SEP + _WORD_SEP.join(w[1] for w in words)
            + _LEVEL_SEP + _WORD_SEP.join(w[2] for w in words))


@lru_cache(maxsize=65536)
def _word_key(word: str) -> tuple[str, str, str]:
    """One word's three levels, cached: names are made of a few thousand syllables, and an
    import of 20,000 rows keys each name twice (issue 19)."""
    primary: list[str] = []
    tertiary: list[str] = []
    word_tone = 0
    for cluster in _clusters(word):
        if cluster[0] in "đĐ":
            letter, tone = "đ", 0
        else:
            letter, tone = _letter_and_tone(cluster)
        word_tone = max(word_tone, tone)
        primary.append(_primary_weight(letter))
        tertiary.append("1" if cluster[0].isupper() else "0")
    return "".join(primary), chr(0x30 + word_tone), "".join(tertiary)


@dataclass(frozen=True)
class NameParts:
    family: str
    middle: str | None
    given: str

    @property
    def full(self) -> str:
        return " ".join(part for part in (self.family, self.middle, self.given) if part)


def split_full_name(full_name: str) -> NameParts:
    """'Lò Văn Tiến' -> family 'Lò', middle 'Văn', given 'Tiến'. One word is a given name."""
    words = (nfc(full_name) or "").split(" ")
    words = [w for w in words if w]
    if not words:
        raise ValueError("empty name")
    if len(words) == 1:
        return NameParts(family="", middle=None, given=words[0])
    return NameParts(family=words[0], middle=" ".join(words[1:-1]) or None, given=words[-1])


def name_sort_key(family: str | None, middle: str | None, given: str | None,
                  given_first: bool = True) -> str:
    """Official lists sort by given name, then family name, then middle name."""
    parts = (given, family, middle) if given_first else (family, middle, given)
    # A separator below every weight keeps the name parts apart ("An" + "Bùi" vs "Anh").
    return "\u0001".join(collation_key(p or "") for p in parts)


def sentence_start(text: str) -> str:
    """A phrase put at the start of a sentence ("năm 2026: …") begins with a capital."""
    return text[:1].upper() + text[1:]
