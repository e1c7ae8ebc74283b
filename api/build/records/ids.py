"""Minting the short ids that name resources in URLs."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

_ID = re.compile(r"[A-Za-z0-9_-]+")
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]")


def mint_ids(iris: Iterable[str]) -> dict[str, str]:
    """Ids for resources of one kind: the IRI's last segment when it is ``[A-Za-z0-9_-]+``
    and unique, else that segment's allowed characters, ``-`` and 8 hex digits of SHA-256."""
    names = {iri: iri[max(iri.rfind("/"), iri.rfind("#")) + 1 :] for iri in iris}
    counts = Counter(names.values())
    return {
        iri: name if counts[name] == 1 and _ID.fullmatch(name) else _hashed(iri, name)
        for iri, name in names.items()
    }


def _hashed(iri: str, name: str) -> str:
    digest = hashlib.sha256(iri.encode()).hexdigest()[:8]
    clean = _NOT_ID.sub("", name)
    return f"{clean}-{digest}" if clean else digest
