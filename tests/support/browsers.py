"""The session's Chromium and the site it reads, shared by every browser test of the site.

* ``site_dir`` — the ``site/`` folder of the session's release (``published_release``);
* ``base`` — that release's folder served on 127.0.0.1 by the standard library's HTTP
  server (so ``../pic.ttl`` resolves), the address of its ``site/``;
* ``browser`` — one headless Chromium (Debian's ``chromium``, or ``PICKG_CHROMIUM``) for
  the whole session: each test opens its own context and page (:class:`Visit`), so tests
  share the browser's start-up, never its state.

All three are session fixtures, registered in ``tests/conftest.py``: the site tests of
``tests/site/`` ran a browser and a server per module before (three of each).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.runs import REPO, PublishedRelease

CHROMIUM = os.environ.get("PICKG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(os.environ.get("PICKG_AXE") or REPO / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js")
#: What the machine's closed network and a test need of Chromium. The last two keep one
#: renderer for a site's pages: a test reads thousands of them one after the other, and
#: Chromium otherwise starts a new renderer process at each navigation (a fifth less wall
#: time and a tenth less CPU over 200 pages; the back-forward cache is never asked of it).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=BackForwardCache,ProactivelySwapBrowsingInstance,RenderDocument",
    "--process-per-site",
]


class QuietHandler(SimpleHTTPRequestHandler):
    """The standard library's file server, without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_dir(published_release: PublishedRelease) -> Path:
    """The ``site/`` folder of the session's release, published from the shipped data."""
    return published_release.path / "site"


@pytest.fixture(scope="session")
def base(site_dir: Path) -> Iterator[str]:
    """The site's address: its release's folder served on 127.0.0.1."""
    handler = functools.partial(QuietHandler, directory=str(site_dir.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/site/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """The session's one Chromium (Playwright), closed at the session's end."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).is_file(), f"Chromium is not installed at {CHROMIUM}: apt-get install chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Visit:
    """A browser page that records every console error, page error and failed request.

    Only requests under ``root`` (the release's folder: ``base`` less its ``site/``) are
    let through; any other is refused and recorded in :attr:`outside`.
    """

    def __init__(self, browser: object, base: str, root: str | None = None) -> None:
        self.base = base
        self.root = root or base.rsplit("/site/", 1)[0] + "/"
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        self.problems: list[str] = []
        self.outside: list[str] = []
        # Only the requests that leave ``root`` are routed through this process: Playwright
        # matches the pattern in the browser's driver, and the site's own requests, hundreds
        # per test, go straight to the server.
        self.context.route(re.compile(f"^(?!{re.escape(self.root)})"), self._only_here)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url} {r.failure}"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))

    def _only_here(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(self.root):
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    def close(self) -> None:
        self.context.close()
