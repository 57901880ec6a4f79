"""The normalised text the audit's patterns read, and the way back to the original.

Reports are typed by hand, pasted from spreadsheets or extracted from PDF, so
the same figure arrives as ``176.65万元``、``１７６．６５万元``、``176.65 万元``
or ``176.65\\n万元``.  :func:`normalise` makes one form of all of them:

* every character goes through Unicode NFKC, so full-width digits, letters and
  punctuation become their ASCII forms (``，`` → ``,``、``：`` → ``:``、
  ``（）`` → ``()``、``％`` → ``%``、``．`` → ``.``); ``。``、``、`` and the
  Chinese quotation marks are not changed by NFKC and stay as they are;
* white space (spaces, the ideographic space, tabs, line breaks) is dropped,
  except one space between two ASCII letters or digits (``2 176.65`` must not
  become one number).

Every character of the normalised text remembers the index of the character
it came from, so a finding can quote the report exactly as written
(:meth:`Normal.quote`), full-width punctuation and all.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


def _is_space(char: str) -> bool:
    return char.isspace() or char in "\u200b\ufeff"


def _ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


@dataclass(frozen=True)
class Normal:
    """A normalised text: ``text[i]`` came from ``source[origin[i]]``."""

    text: str
    origin: tuple[int, ...]
    source: str

    def quote(self, start: int, end: int) -> str:
        """The source as written for ``text[start:end]``, without the white space the normaliser dropped."""
        if start >= end:
            return ""
        first, last = self.origin[start], self.origin[end - 1]
        kept = set(self.origin[start:end])
        return "".join(c for i, c in enumerate(self.source[first:last + 1], first)
                       if i in kept or not _is_space(c))

    def source_offset(self, index: int) -> int:
        """Where ``text[index]`` stands in the source (the end of the source past the last character)."""
        if index < len(self.origin):
            return self.origin[index]
        return len(self.source)


def normalise(source: str) -> Normal:
    """NFKC character by character, white space folded as described above."""
    chars: list[str] = []
    origin: list[int] = []
    pending_space = False
    for index, char in enumerate(source):
        if _is_space(char):
            pending_space = True
            continue
        folded = unicodedata.normalize("NFKC", char)
        if not folded or folded.isspace():
            pending_space = True
            continue
        if pending_space and chars and _ascii_alnum(chars[-1]) and _ascii_alnum(folded[0]):
            chars.append(" ")
            origin.append(index - 1)
        pending_space = False
        for piece in folded:
            chars.append(piece)
            origin.append(index)
    return Normal("".join(chars), tuple(origin), source)
