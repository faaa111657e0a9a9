"""French sentence segmentation with exact character offsets. (placeholder: being written)"""

from __future__ import annotations

import re

from reader.core.model import Sentence

_PLACEHOLDER = re.compile(r"[^.!?]+(?:[.!?]+|$)")


def segment(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; ``text[s.start:s.end]`` is each sentence, stripped of spaces."""
    out = []
    for m in _PLACEHOLDER.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Sentence(start, end))
    return out
