"""Text typed in the pre-Unicode Vietnamese fonts, converted to Unicode (NFC).

Many member lists from before 2010 were typed in Excel with TCVN3 fonts (.VnTime, .VnArial…:
one byte per accented letter, the upper-case variant .VnTimeH draws capitals with the same
bytes) or VNI fonts (VNI-Times…: a base letter followed by one mark character). Opened today
they read "Lß ThÞ Hoa" or "Loø Thò Hoa". No maintained Python package converts them, so the two
tables are built here from their structure (docs/architecture.md) and tested on words typed in
each encoding.
"""

from __future__ import annotations

import re
import unicodedata

# TCVN3: for each vowel, the byte of the plain letter (or None: ASCII) and of its five tones in
# the order grave, hook, tilde, acute, dot below.
_TCVN3_VOWELS = {
    "a": (None, "µ¶·¸¹"), "ă": ("¨", "»¼½¾Æ"), "â": ("©", "ÇÈÉÊË"),
    "e": (None, "ÌÎÏÐÑ"), "ê": ("ª", "ÒÓÔÕÖ"), "i": (None, "×ØÜÝÞ"),
    "o": (None, "ßáâãä"), "ô": ("«", "åæçèé"), "ơ": ("¬", "êëìíî"),
    "u": (None, "ïñòóô"), "ư": ("\xad", "õö÷øù"), "y": (None, "úûüýþ"),
}
_TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # grave, hook, tilde, acute, dot
_TCVN3_OTHERS = {"®": "đ", "¡": "Ă", "¢": "Â", "§": "Đ", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư"}


def _tcvn3_table() -> dict[str, str]:
    table = dict(_TCVN3_OTHERS)
    for vowel, (plain, toned) in _TCVN3_VOWELS.items():
        if plain:
            table[plain] = vowel
        for byte, tone in zip(toned, _TONES):
            table[byte] = unicodedata.normalize("NFC", vowel + tone)
    return table


TCVN3 = _tcvn3_table()
_TCVN3_TRANSLATION = str.maketrans(TCVN3)


def tcvn3_to_unicode(text: str, capitals: bool = False) -> str:
    """`capitals`: the cell used an upper-case font (.VnTimeH), which draws every letter as a
    capital although the bytes are those of small letters."""
    converted = text.translate(_TCVN3_TRANSLATION)
    return unicodedata.normalize("NFC", converted.upper() if capitals else converted)


# VNI: a base letter then one mark character (upper-case marks after upper-case letters).
_VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_CIRCUMFLEX = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_SINGLE = {"ơ": "ô", "ư": "ö", "đ": "ñ", "ì": "ì", "í": "í", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î"}
_VIETNAMESE_VOWELS = "aăâeêioôơuưy"


def _vni_encode(char: str) -> str | None:
    """The VNI spelling of one Unicode letter (used to build the decoding table)."""
    lower = char.lower()
    if lower in _VNI_SINGLE:
        code = _VNI_SINGLE[lower]
    else:
        parts = unicodedata.normalize("NFD", lower)
        base, marks = parts[0], parts[1:]
        if base not in "aeiouy" or not marks:
            return None
        tone = next((m for m in marks if m in _VNI_TONE), "")
        if "\u031b" in marks:  # horn: ơ, ư are single characters, the tone follows
            code = _VNI_SINGLE["ơ" if base == "o" else "ư"] + (_VNI_TONE[tone] if tone else "")
        elif "\u0302" in marks:
            code = base + _VNI_CIRCUMFLEX[tone]
        elif "\u0306" in marks:
            code = base + _VNI_BREVE[tone]
        else:
            code = base + _VNI_TONE[tone]
    return code.upper() if char.isupper() else code


def _vni_table() -> dict[str, str]:
    letters = set("đĐ")
    for vowel in _VIETNAMESE_VOWELS:
        for tone in ("", *_TONES):
            letter = unicodedata.normalize("NFC", vowel + tone)
            letters.update({letter, letter.upper()})
    table = {}
    for letter in letters:
        code = _vni_encode(letter)
        if code and code != letter:
            table[code] = letter
    return table


VNI = _vni_table()
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(VNI, key=len, reverse=True)))


def vni_to_unicode(text: str) -> str:
    return unicodedata.normalize("NFC", _VNI_PATTERN.sub(lambda m: VNI[m.group(0)], text))


# -- recognising legacy text when the font does not say ---------------------------------------
# Characters no Unicode Vietnamese text uses, but TCVN3 does all the time.
_TCVN3_ONLY = set("µ¶·¸¹¨»¼½¾Æ©ÇËªÖ×ØÜÞß«¬®¡¢§£¤¥¦äåæçëîïñö÷øûüþÐÎÏÑ")
# A plain vowel followed by a VNI mark that Vietnamese Unicode never writes after a vowel.
# "ù" after a, e, o or y is VNI's acute ("Thaùi" is Thái): no Vietnamese syllable puts a
# grave-accented u after those vowels.
_VNI_SIGNS = re.compile(r"[aeouyAEOUY][øûïåäüëØÛÏÅÄÜË]|[aeoyAEOY][ùÙ]|[aeAE][âáàãÂÁÀÃ]|[ôöÔÖ][ùøûõïÙØÛÕÏ]"
                        r"|[ñÑ][aeiouAEIOU]")


def detect(text: str) -> str | None:
    """'TCVN3', 'VNI' or None. Only text of bytes below 256 can be legacy: any real Vietnamese
    Unicode letter (ạ, ư, ơ…) means Unicode."""
    if not text or any(ord(c) > 0xFF for c in text):
        return None
    if _VNI_SIGNS.search(text):
        return "VNI"
    if any(c in _TCVN3_ONLY for c in text):
        return "TCVN3"
    return None


def font_encoding(font_name: str | None) -> tuple[str | None, bool]:
    """('TCVN3' | 'VNI' | None, capitals) from a cell's font name."""
    name = (font_name or "").strip().lower()
    if name.startswith(".vn"):
        return "TCVN3", name.endswith("h")
    if name.startswith("vni-") or name.startswith("vni "):
        return "VNI", False
    return None, False


def to_unicode(text: str, encoding: str, capitals: bool = False) -> str:
    return tcvn3_to_unicode(text, capitals) if encoding == "TCVN3" else vni_to_unicode(text)
