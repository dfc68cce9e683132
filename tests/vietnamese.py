"""Find English words in text meant to be Vietnamese.

A word is taken as Vietnamese if it carries Vietnamese letters or diacritics, or if, written
without them, it still has the shape of a Vietnamese syllable (an initial consonant, one to
three vowels, one of the finals c, ch, m, n, ng, nh, p, t).  English words mostly do not
("threshold", "yes", "count", "wrote", "everywhere"); the few common ones that do ("the",
"met", "set", "not", …) are listed.  Codes are left alone: set keys and paths
(``commune/ntm@2024-03-01``), indicator and criterion codes (``1.general_plan``,
``culture_facilities``), Python calls, quoted
commands and names (``'ntmkit criteria --help'``, ``'tier'``), options (``--lang``), URLs,
words with a digit or an upper-case letter after the first (``TTg``, ``NTM``, ``QĐ``) and a
short allow-list (file formats, units, table marks, loanwords such as *internet*).
"""

from __future__ import annotations

import re

_SYLLABLE = re.compile(r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
                       r"[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?$")
_ENGLISH_SHAPED_LIKE_VIETNAMESE = frozenset({
    "the", "to", "on", "at", "met", "not", "set", "per", "than", "then", "can", "man", "ten",
    "sum", "top", "pin", "mean", "main", "gap", "map", "cap", "tip", "tap", "bit", "hit", "sit",
    "pass", "run", "but", "cut", "put", "get", "let", "net", "mat", "pat", "hat", "cat", "bat",
    "new", "see", "tee", "too", "two", "goo", "moon", "noon", "soon", "team", "each", "teach",
})
_CODES = re.compile(
    r"https?://\S+"                      # URLs
    r"|--?[a-z][\w-]*"                   # options
    r"|[\w.+-]*[/@\\][\w./@\\+-]*"       # set keys, paths, units such as m2/person
    r"|\S+\.(?:csv|json|jsonl|xlsx|html|toml|txt|md)\b"  # file names
    r"|sha256:[0-9a-f…]+"
    r"|\b\w*\d\w*(?:[._]\w+)+"        # indicator codes: 4.household_supply, 1.other
    r"|\b[A-Z0-9][\w-]*(?:\.[\w-]+)+"     # indicator codes: 1.general_plan, H.4.communes
    r"|\b[a-z_]\w*(?:\.[a-z_]\w*)+\([^)]*\)"  # Python calls: ntmkit.registry.load('x.toml')
    r"|\b[a-z]\w*_\w+"                   # criterion codes: culture_facilities
    r"|'ntmkit[^'\n]*'"                   # a quoted command: 'ntmkit criteria --help'
    r"|'[a-z0-9][\w./@:-]*'"               # a quoted name: 'tier', 'assess'
)
ALLOWED = frozenset({
    "ntmkit", "csv", "json", "jsonl", "xlsx", "html", "toml", "utf", "bom", "km", "ha", "m",
    "kg", "ocop", "dti", "ntm", "id", "ok", "vs", "e", "i", "ii", "iii", "iv", "v", "x",
    "internet", "mini",                  # loanwords of the criteria's own Vietnamese text
    "wifi", "python",                    # a loanword; a name
    "d",                                 # the mark of a declared verdict in tables
})
_WORD = re.compile(r"[^\W\d_]+(?:['’][a-z]+)?")


def english_words(text: str) -> list[str]:
    """The words of *text* that read as English, in order of appearance."""
    found = []
    for word in _WORD.findall(_CODES.sub(" ", text)):
        if not word.isascii():
            continue                       # has Vietnamese letters or diacritics
        if any(c.isupper() for c in word[1:]) or (len(word) == 1 and word.isupper()):
            continue                       # an acronym or a code: NTM, TTg, component B
        lower = word.lower()
        if lower in ALLOWED:
            continue
        if lower in _ENGLISH_SHAPED_LIKE_VIETNAMESE or not _SYLLABLE.match(lower):
            found.append(word)
    return found


def assert_vietnamese(text: str, *, where: str = "") -> None:
    """Fail, listing the words, if *text* holds English words."""
    words = english_words(text)
    assert not words, f"English in Vietnamese output{f' of {where}' if where else ''}: {words}"
