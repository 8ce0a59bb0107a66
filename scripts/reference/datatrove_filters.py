"""datatrove 0.10.1's filters, as GristFilter's kinds name them, and their decisions on documents."""

from __future__ import annotations

import hashlib
import time

from datatrove.data import Document
from datatrove.pipeline.filters import (C4QualityFilter, FineWebQualityFilter, GopherQualityFilter,
                                        GopherRepetitionFilter)

# GristFilter kind -> datatrove filter with its defaults, and how its reasons map to ours.
FILTERS = {
    "gopher_quality": GopherQualityFilter,
    "gopher_repetition": GopherRepetitionFilter,
    "c4": C4QualityFilter,
    "fineweb_quality": FineWebQualityFilter,
}


def reason_of(kind: str, reason: str | None) -> str:
    """datatrove's reason in GristFilter's words: Gopher quality reasons lose their `gopher_` prefix."""
    reason = reason or "dropped"
    if kind == "gopher_quality" and reason.startswith("gopher_"):
        return reason[len("gopher_"):]
    return reason


def decide(kind: str, docs: list[dict]) -> tuple[list[str], float]:
    """One decision per document ("keep", "keep:SHA256-of-new-text" when the filter rewrote it, or
    the reason), and the process CPU seconds the filter took."""
    f = FILTERS[kind]()
    out = []
    start = time.process_time()
    for d in docs:
        doc = Document(text=d["text"], id=d["id"])
        result = f.filter(doc)
        keep, reason = (result, None) if not isinstance(result, tuple) else result
        if keep:
            if doc.text != d["text"]:
                out.append("keep:" + hashlib.sha256(doc.text.encode("utf-8")).hexdigest()[:16])
            else:
                out.append("keep")
        else:
            out.append(reason_of(kind, reason))
    return out, time.process_time() - start
