"""Likely duplicates across transliterations."""

import pytest

from pont.people.duplicates import is_likely_duplicate, normalise


@pytest.mark.parametrize(("a", "b"), [
    ("Mohammed Al-Hamwi", "Muhammad Alhamwi"),
    ("Aleksandr Petrenko", "Oleksandr Petrenko"),
    ("Youssef Haddad", "Yusuf Hadad"),
    ("Yonas Tesfay", "Jonas Tesfaye"),
    ("Hélène Dubois", "Helene Dubois"),
    ("Al-Hamwi Mohammed", "Mohammed Al-Hamwi"),
])
def test_spellings_of_one_name_match(a, b):
    assert is_likely_duplicate(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("Ahmad Al-Hamwi", "Oksana Kovalenko"),
    ("Malik Diallo", "Mamadou Diallo"),
    ("Fatima Haddad", "Omar Khalil"),
])
def test_different_names_do_not(a, b):
    assert not is_likely_duplicate(a, b)


def test_normalise_strips_accents_and_punctuation():
    assert normalise("  Inès  Benali-Ouédraogo ") == "ines benali ouedraogo"
