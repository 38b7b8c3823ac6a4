"""Vietnamese text rules: NFC, accent-free search, dictionary order, name order."""

import unicodedata

import pytest

from da8desktop.core.text import (collation_key, fold, fold_compact,
                                  name_sort_key, nfc, split_full_name)


def test_nfc_normalises_decomposed_and_collapses_spaces():
    decomposed = unicodedata.normalize("NFD", "  Lò   Văn Tiến ")
    assert nfc(decomposed) == "Lò Văn Tiến"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))
    assert nfc("   ") is None and nfc(None) is None


@pytest.mark.parametrize("typed, stored", [
    ("lo van tien", "Lò Văn Tiến"),
    ("hoa", "Hoà"), ("hoa", "Hòa"),
    ("thuy", "Thuỷ"), ("thuy", "Thủy"),
    ("dang", "Đặng"),
])
def test_search_without_diacritics(typed, stored):
    assert all(word in fold(stored) for word in fold(typed).split())


def test_old_and_new_tone_placement_fold_and_sort_alike():
    assert fold("hoà") == fold("hòa") and fold("thuỷ") == fold("thủy")
    assert collation_key("Hoà") == collation_key("Hòa")


def test_ethnic_names_fold_compact():
    assert fold_compact("H'Mông") == fold_compact("Hmông") == "hmong"
    assert fold_compact("Bru-Vân Kiều") == "bruvankieu"


def test_dictionary_order_letters_then_tones():
    words = ["Ưng", "Uyên", "Ơn", "Ôn", "On", "Êm", "Em", "Đức", "Dũng", "Âu", "Ăn", "Ánh",
             "Anh", "An Bình", "Hỏa", "Hòa", "Hoa", "Họa", "Hóa", "Hõa", "Bình"]
    expected = ["An Bình", "Anh", "Ánh", "Ăn", "Âu", "Bình", "Dũng", "Đức", "Em", "Êm", "Hoa",
                "Hòa", "Hỏa", "Hõa", "Hóa", "Họa", "On", "Ôn", "Ơn", "Uyên", "Ưng"]
    assert sorted(words, key=collation_key) == expected


def test_python_sorted_is_wrong_which_is_why_we_have_a_key():
    assert sorted(["Đức", "Em"]) == ["Em", "Đức"]  # code points put Đ after E
    assert sorted(["Đức", "Em"], key=collation_key) == ["Đức", "Em"]


def test_split_full_name():
    parts = split_full_name("Lò Văn Tiến")
    assert (parts.family, parts.middle, parts.given) == ("Lò", "Văn", "Tiến")
    assert split_full_name("Giàng A Páo").given == "Páo"
    assert split_full_name("Nguyễn Thị Thu Hà").middle == "Thị Thu"
    assert split_full_name("Mỷ").family == "" and split_full_name("Mỷ").given == "Mỷ"
    with pytest.raises(ValueError):
        split_full_name("   ")


def test_official_order_given_then_family_then_middle():
    people = [("Nguyễn", "Thị", "Hà"), ("Lò", "Thị", "Hà"), ("Bùi", "Văn", "An"),
              ("Lò", "Văn", "Anh"), ("Đặng", "Thị", "Ánh")]
    ordered = sorted(people, key=lambda p: name_sort_key(p[0], p[1], p[2]))
    assert ordered == [("Bùi", "Văn", "An"), ("Lò", "Văn", "Anh"), ("Đặng", "Thị", "Ánh"),
                       ("Lò", "Thị", "Hà"), ("Nguyễn", "Thị", "Hà")]
    family_first = sorted(people, key=lambda p: name_sort_key(*p, given_first=False))
    assert [p[0] for p in family_first] == ["Bùi", "Đặng", "Lò", "Lò", "Nguyễn"]
