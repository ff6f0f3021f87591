"""Helpers shared by the report tests (a uniquely named module: every test folder has a conftest.py,
so ``from conftest import`` could pick another folder's)."""

from __future__ import annotations

import json
import re
import shutil


def claims_in(html: str) -> list[tuple[str, dict, str]]:
    """(claim key, data-ref payload, printed text) of every claim span; the payload also holds the
    span's ``value_class``."""
    import html as h

    out = []
    for m in re.finditer(r'<span class="num" data-claim="([^"]*)" data-ref="([^"]*)" data-value-class="([a-z]*)">'
                         r'([^<]*)</span>', html):
        payload = json.loads(h.unescape(m.group(2)))
        payload["value_class"] = m.group(3)
        out.append((h.unescape(m.group(1)), payload, h.unescape(m.group(4))))
    return out


def have(cmd: str) -> bool:
    return shutil.which(cmd) is not None
