"""The only way rendering reads a resource: `data:` URLs and files inside allowed folders.

WeasyPrint's own fetcher reads any local file and goes to the network for images,
stylesheets and fonts. This one never opens a socket and reads only files under the packaged
templates, the font, the exercise library folders, the clinic's template folder and logo;
anything else (file:///etc/passwd, http://...) is refused with a message naming it.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from backplan.errors import BackplanError


class RefusedURL(ValueError):
    """A URL the handout is not allowed to read."""


@dataclass
class FetchPolicy:
    """Where rendering may read from: whole folders and single files."""

    folders: tuple[Path, ...] = ()
    files: tuple[Path, ...] = ()
    refused: list[str] = field(default_factory=list)  # every URL turned away, in order
    fetched: list[str] = field(default_factory=list)  # every URL actually read

    @classmethod
    def of(cls, folders: Iterable[Path | None], files: Iterable[Path | None] = ()) -> FetchPolicy:
        return cls(
            tuple(p.resolve() for p in folders if p is not None),
            tuple(p.resolve() for p in files if p is not None),
        )

    def check(self, url: str) -> Path | None:
        """The local file `url` names if it is allowed, None for a data: URL; else RefusedURL."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return None
        if scheme != "file":
            self.refused.append(url)
            raise RefusedURL(
                f"refused to fetch {_short(url)}: the handout never uses the network; "
                "put the file in the clinic's templates folder"
            )
        if parts.netloc not in ("", "localhost"):
            self.refused.append(url)
            raise RefusedURL(f"refused to read {_short(url)}: not a local file")
        name = unquote(parts.path)
        try:
            if "\x00" in name:
                raise ValueError("a NUL byte")
            path = Path(name).resolve()  # resolve: no escaping through .. or links
        except (OSError, ValueError, RuntimeError):  # NUL, a name too long, a link loop
            self.refused.append(url)
            raise RefusedURL(f"refused to read {_short(url)}: not a usable file name") from None
        if path in self.files or any(path.is_relative_to(f) for f in self.folders):
            return path
        self.refused.append(url)
        raise RefusedURL(
            f"refused to read {_short(url)}: the handout only reads files in its template, "
            "font and exercise folders and the clinic's logo"
        )


def _short(url: str) -> str:
    return url if len(url) <= 120 else url[:117] + "..."


def make_fetcher(policy: FetchPolicy) -> Any:
    """A WeasyPrint URL fetcher that applies `policy` (imports WeasyPrint: PDF path only)."""
    return _fetcher_class()(policy)


_CLASS: list[type] = []


def _fetcher_class() -> type:
    if _CLASS:
        return _CLASS[0]
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class RestrictedFetcher(URLFetcher):
        """Reads only what the policy allows; any failure stops the render (fail_on_errors)."""

        def __init__(self, policy: FetchPolicy) -> None:
            super().__init__(allowed_protocols={"data", "file"}, fail_on_errors=True)
            self.policy = policy

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = self.policy.check(url)
            if path is None:
                return super().fetch(url, headers)  # data: URLs, decoded by urllib, no I/O
            try:
                body = path.read_bytes()
            except OSError as exc:
                raise RefusedURL(f"cannot read {path}: {exc.strerror or exc}") from None
            self.policy.fetched.append(url)
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), body, headers={"Content-Type": kind})

    _CLASS.append(RestrictedFetcher)
    return RestrictedFetcher


def refusal(exc: BaseException) -> BackplanError | None:
    """The BackplanError for a render stopped by a refused or unreadable URL, if it was one."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, RefusedURL):
            return BackplanError(str(cause), title="The handout tried to read something it may not")
        cause = cause.__cause__ or cause.__context__
    return None
