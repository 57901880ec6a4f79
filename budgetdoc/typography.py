"""Chinese typesetting of running text: full-width punctuation.

Half-width , ; : ? ! ( ) next to Chinese characters become their full-width
forms (，；：？！（）).  Numbers keep their own punctuation: 1,000 and 10:30
and 7.50 are untouched, and so is text with no Chinese next to the mark.
"""

from __future__ import annotations

import re

_CJK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’]"
_PAIRS = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_MARK = re.compile(rf"(?<={_CJK})\s*([,;:?!])\s*|\s*([,;:?!])\s*(?={_CJK})")
_PAREN = re.compile(rf"\(([^()]*{_CJK}[^()]*)\)")


def full_width(text: str) -> str:
    def mark(m: re.Match) -> str:
        ch = m.group(1) or m.group(2)
        return _PAIRS[ch]

    text = _MARK.sub(mark, text)
    return _PAREN.sub(lambda m: f"（{m.group(1)}）", text)
