"""Reference quality: every reference can be dated, and none points at a disallowed host
(document-sharing and content-farm sites that copy sources without permission or checking).

The hosts come from programme.yml's `reference_hosts_disallowed`; a listed domain also covers its
subdomains (scribd.com covers www.scribd.com).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .diagnostics import Report
from .model import Curriculum

_URL = re.compile(r"https?://[^\s<>\"'\])]+", re.I)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def disallowed_hosts(curriculum: Curriculum) -> list[str]:
    hosts = curriculum.programme.raw.get("reference_hosts_disallowed") or []
    return [h.lower().strip(".") for h in hosts if isinstance(h, str)]


def host_is_listed(host: str, listed: list[str]) -> str | None:
    """The listed domain that `host` is, or is a subdomain of."""
    host = host.lower().rstrip(".")
    return next((d for d in listed if host == d or host.endswith("." + d)), None)


def run(curriculum: Curriculum, report: Report) -> None:
    listed = disallowed_hosts(curriculum)
    for lecture in curriculum.lectures.values():
        sources = [(lecture.source, lecture.references)]
        sources += [(t.source, t.references) for t in lecture.translations.values() if t.references]
        for source, references in sources:
            if not references:
                continue
            positions = source.front["references"].item_pos
            for n, entry in enumerate(references):
                _entry(source.rel, positions[n], n + 1, entry, listed, report)


def _entry(path: str, pos, n: int, entry: str, listed: list[str], report: Report) -> None:
    if not _YEAR.search(entry):
        report.error(path, pos, "reference-year",
                     f"reference {n} has no year (1900–2099): add the year of publication, or of access for a web page")
    for match in _URL.finditer(entry):
        try:
            host = urlsplit(match.group(0)).hostname or ""
        except ValueError:
            continue  # not a URL a reader could follow; other rules judge links
        domain = host_is_listed(host, listed)
        if domain:
            report.error(path, pos, "reference-host",
                         f"reference {n} cites {host}, a host programme.yml lists in reference_hosts_disallowed "
                         f"({domain}): cite the publisher's or the issuing body's own copy")
