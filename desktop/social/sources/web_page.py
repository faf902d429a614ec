"""Any other web page: its OpenGraph / Twitter-card metadata (title, description,
image), read from the page's start."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

from desktop.social.fetch import Fetcher
from desktop.social.profiles import ProfileRef
from desktop.social.snapshot import Snapshot, plain, web_url

# For each field, the meta names that give it, the better ones first.
_WANTED = {
    "title": ("og:title", "twitter:title"),
    "description": ("og:description", "twitter:description", "description"),
    "image": ("og:image", "twitter:image"),
    "site": ("og:site_name",),
}
_NAMES = {name for names in _WANTED.values() for name in names}


class _MetaReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.metas: dict[str, str] = {}
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v or "" for k, v in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or "").lower()
            if key in _NAMES and values.get("content"):
                self.metas.setdefault(key, values["content"])
        elif tag == "title":
            self._in_title = True

    @property
    def found(self) -> dict[str, str]:
        """Each wanted field from its best meta tag."""
        fields = {}
        for field, names in _WANTED.items():
            value = next((self.metas[n] for n in names if n in self.metas), "")
            if value:
                fields[field] = value
        return fields

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title and len(self.title) < 500:
            self.title += data


def fetch(fetcher: Fetcher, ref: ProfileRef) -> Snapshot:
    page = fetcher.get_html(ref.url)
    reader = _MetaReader()
    reader.feed(page)
    reader.close()
    found = reader.found
    image = found.get("image", "")
    details = {"site": plain(found["site"], 200)} if found.get("site") else {}
    return Snapshot(
        display_name=plain(found.get("title") or reader.title, 200),
        headline=plain(found.get("description", "")),
        avatar_url=web_url(urljoin(ref.url, image)) if image else "",
        details=details,
    )
