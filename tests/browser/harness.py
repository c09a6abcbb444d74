"""The pieces of the browser journeys: the served site, and a journey made of checked steps."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email import message_from_bytes
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
COURSE = "first-line-awareness"
PASSWORD = "Harbour lantern 2931 quietly"
MODERATOR = "moderator@example.org"
DESKTOP = {"width": 1280, "height": 900}
PHONE_WIDTH = 360
TIMEOUT_MS = 15_000
# axe-core over the page: its serious and critical violations, each with up to three places.
AXE_RUN = """async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations
        .filter(v => v.impact === "serious" || v.impact === "critical")
        .map(v => `${v.impact} ${v.id}: ${v.help} at `
                  + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""


@dataclass
class Site:
    """The running application: its URL, its Flask object (for the database) and its outbox."""

    url: str
    app: Flask
    outbox: Path

    def mails_to(self, address: str) -> list[Any]:
        messages = [message_from_bytes(p.read_bytes()) for p in sorted(self.outbox.glob("*.eml"))]
        # A long address is folded onto a line of its own: compare the address, not the header.
        return [m for m in messages if parseaddr(" ".join(str(m["To"]).split()))[1] == address]

    def link_in_last_mail(self, address: str, contains: str) -> str:
        for message in reversed(self.mails_to(address)):
            body = message.get_payload(decode=True).decode()
            for link in re.findall(r"https?://\S+", body):
                if contains in link:
                    return str(link)
        raise AssertionError(f"no mail to {address} with a link containing {contains!r}")


@dataclass
class Journey:
    """One journey in one browser context; `step()` checks and records each page it reaches."""

    name: str
    page: Any
    javascript: bool
    folder: Path
    steps: list[str] = field(default_factory=list)
    pages: list[tuple[str, str]] = field(default_factory=list)
    document: Any = None

    def on_response(self, response: Any) -> None:
        if response.request.resource_type == "document" and response.frame == self.page.main_frame:
            self.document = response

    @contextmanager
    def step(self, title: str, status: int = 200) -> Iterator[Any]:
        """Run the block as a named step, then screenshot and check the page it leaves."""
        number = len(self.steps) + 1
        self.steps.append(title)
        label = f"journey {self.name!r}, step {number} {title!r}"
        stem = f"{number:02d}-{re.sub(r'[^a-z0-9]+', '-', title.lower()).strip('-')}"
        try:
            yield self.page
            self.page.wait_for_load_state("load")
            assert self.document is not None, "no page was loaded"
            got = self.document.status
            assert got == status, f"HTTP {got} at {self.page.url} (expected {status})"
            self.page.screenshot(path=str(self.folder / f"{stem}.png"), full_page=True)
            self.pages.append((stem, self.document.text()))
            self._check_narrow_screen()
            if self.javascript:
                self._check_accessibility()
        except Exception as error:
            self._screenshot(f"{stem}-FAILED.png")
            raise AssertionError(f"{label} failed at {self.page.url}: {error}") from error

    def _screenshot(self, name: str) -> None:
        with suppress(Exception):  # the page may be gone; the assertion says why
            self.page.screenshot(path=str(self.folder / name), full_page=True)

    def _check_narrow_screen(self) -> None:
        self.page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
        try:
            width = self.page.evaluate("document.scrollingElement.scrollWidth")
            if width > PHONE_WIDTH:
                self._screenshot(f"{len(self.steps):02d}-at-{PHONE_WIDTH}px.png")
            assert width <= PHONE_WIDTH, f"{width} px wide at a {PHONE_WIDTH} px screen"
        finally:
            self.page.set_viewport_size(DESKTOP)

    def _check_accessibility(self) -> None:
        self.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        violations = self.page.evaluate(AXE_RUN)
        assert violations == [], "axe-core: " + "; ".join(violations)

    def check_markup(self) -> None:
        """Run the Nu HTML Checker over the HTML of every page of this journey (once, with JS)."""
        if not self.javascript or not self.pages:
            return
        html = self.folder / "html"
        html.mkdir(exist_ok=True)
        files = []
        for stem, text in self.pages:
            path = html / f"{stem}.html"
            path.write_text(text, encoding="utf-8")
            files.append(str(path))
        result = subprocess.run(
            ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        report = json.loads(result.stderr or result.stdout or '{"messages": []}')
        errors = [
            f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m.get('message')}"
            for m in report.get("messages", [])
            if m.get("type") in ("error", "non-document-error")
        ]
        assert errors == [], f"journey {self.name!r}: Nu HTML Checker errors: " + "; ".join(errors)
