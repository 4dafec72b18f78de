"""Likely duplicates: same date of birth and a name that sounds alike across transliterations.

Pure: no Django. "Mohammed" and "Muhammad", "Aleksandr" and "Oleksandr", "Youssef" and "Yusuf"
reduce to the same consonant skeleton; rapidfuzz then compares skeletons and plain forms.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz
from unidecode import unidecode

# Spelling variants that transliterations of Arabic, Cyrillic, Tigrinya, Dari… produce for one sound.
_REWRITES = [
    (r"ph", "f"), (r"ck", "k"), (r"q", "k"), (r"c", "k"), (r"x", "ks"), (r"w", "v"),
    (r"dj", "j"), (r"dzh", "j"), (r"zh", "j"), (r"kh", "h"), (r"gh", "g"), (r"th", "t"),
    (r"dh", "d"), (r"sch", "s"), (r"sh", "s"), (r"ch", "s"), (r"tch", "s"), (r"z", "s"),
    (r"y", "i"), (r"j", "i"), (r"ee", "i"), (r"oo", "u"), (r"ou", "u"),
]
_VOWELS = re.compile(r"[aeiouh]")
_NON_LETTERS = re.compile(r"[^a-z ]+")
_PARTICLES = {"al", "el", "ul", "bin", "ben", "ibn", "abu", "van", "de", "der", "den", "la", "le"}

SIMILARITY_THRESHOLD = 85


def normalise(name: str) -> str:
    """Return the name in lower-case ASCII, punctuation as spaces, single-spaced."""
    ascii_name = unidecode(name or "").lower().replace("-", " ").replace("'", " ")
    return " ".join(_NON_LETTERS.sub(" ", ascii_name).split())


def skeleton(name: str) -> str:
    """Return a transliteration-tolerant key: rewritten spellings, no vowels, no doubled letters."""
    words = [w for w in normalise(name).split() if w not in _PARTICLES] or normalise(name).split()
    keys = []
    for word in words:
        word = re.sub(r"^(al|el|ul)(?=[^aeiou]\w{3,})", "", word)  # "Alhamwi" is "Al-Hamwi"
        for pattern, repl in _REWRITES:
            word = re.sub(pattern, repl, word)
        word = _VOWELS.sub("", word)
        word = re.sub(r"(.)\1+", r"\1", word)
        if word:
            keys.append(word)
    return " ".join(keys)


def name_similarity(a: str, b: str) -> float:
    """Return 0–100: how likely two full names are spellings of the same name (order-insensitive)."""
    plain = fuzz.token_sort_ratio(normalise(a), normalise(b))
    sa, sb = skeleton(a), skeleton(b)
    skel = fuzz.token_sort_ratio(sa, sb) if sa and sb else 0.0
    return max(plain, skel)


def is_likely_duplicate(a: str, b: str, threshold: float = SIMILARITY_THRESHOLD) -> bool:
    return name_similarity(a, b) >= threshold
