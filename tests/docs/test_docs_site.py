"""The dbt docs site as a reader sees it: generated from a built project, served over HTTP and
driven in headless Chromium (tests/docs/chromium_cdp.py).

One tour of the site (the overview, then every model page) records what each page shows; the
tests below read that record. The tour leaves full-page screenshots of the overview and the
orders page (and of the orders page with its key columns opened) in the checkout's
target/docs-screenshots/ for a reviewer.

No Chromium on the machine: the browser tests skip, unless ECOM_SYNTH_REQUIRE_BROWSER is set
(CI sets it; `.ci/run` installs Debian's `chromium`), where they fail instead.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from chromium_cdp import Browser, find_browser
from dbt_harness import REPO_ROOT, Project, Target, generate_dataset

from seeds_gen.schema import TABLE_NAMES

REQUIRE_BROWSER_ENV = "ECOM_SYNTH_REQUIRE_BROWSER"
SCREENSHOTS = REPO_ROOT / "target" / "docs-screenshots"
PROJECT = "ecom_synth"

# Keys the model pages must show as badges, each with its constraint's name (the manifest's
# other column-level constraints are checked too, but these must exist: they are the keys a
# reader of the orders and order_item pages looks for).
REQUIRED_KEYS: dict[str, dict[str, tuple[str, str]]] = {
    "orders": {
        "order_id": ("PK", "orders_pkey"),
        "customer_id": ("FK", "orders_customer_id_fkey"),
    },
    "order_item": {
        "order_item_id": ("PK", "order_item_pkey"),
        "order_id": ("FK", "order_item_order_id_fkey"),
        "product_id": ("FK", "order_item_product_id_fkey"),
    },
}

# The badge dbt docs draws in a column's Constraints cell, per constraint type (`unique` has
# none: its name shows only in the column's details).
BADGES = {
    "not_null": "N",
    "primary_key": "PK",
    "foreign_key": "FK",
    "check": "C",
    "custom": "+",
}

# Requests the dbt docs app itself gets wrong on every site, whatever the project holds:
# a fragment of the failing URL -> why it is not the project's fault.
DBT_DOCS_NOISE = {
    "{{ getIcon(": "dbt-docs' sidebar writes its icons' <img src> as an Angular expression "
    "without ng-src, so the browser requests the raw template once before Angular fills it in",
    "${require('./assets/favicons/favicon.ico')}": "dbt-docs' index.html ships an unreplaced "
    "webpack placeholder as its favicon link",
}

# Route kinds of the docs app (`#!/<kind>/<unique_id>`) and the manifest collection of each.
ROUTE_COLLECTIONS = {
    "model": "nodes",
    "seed": "nodes",
    "test": "nodes",
    "snapshot": "nodes",
    "analysis": "nodes",
    "operation": "nodes",
    "source": "sources",
    "macro": "macros",
    "exposure": "exposures",
    "metric": "metrics",
    "semantic_model": "semantic_models",
    "saved_query": "saved_queries",
    "unit_test": "unit_tests",
    "function": "functions",
}


# --------------------------------------------------------------------------------------------
# The site: a built copy of the project and its generated docs, served over HTTP
# --------------------------------------------------------------------------------------------


@dataclass
class DocsSite:
    target_path: Path
    manifest: dict[str, Any]


@pytest.fixture(scope="module")
def docs_site(tmp_path_factory: pytest.TempPathFactory) -> DocsSite:
    """`dbt build` of the seeds and models on a small dataset in a throw-away DuckDB file (so
    the catalog has every column's type), then `dbt docs generate`."""
    workdir = tmp_path_factory.mktemp("docs")
    dataset = generate_dataset(workdir / "dataset", scale=0.01, seed=42)
    target = Target("duckdb", "docs", workdir / "docs.duckdb")
    project = Project.create(workdir / "project", dataset, target)
    _copy_asset_paths(project.path)
    built = project.dbt("build", "--resource-type", "seed", "--resource-type", "model")
    assert built.success, built.summary()
    # no usage tracking: the site would fetch a tracker from the internet
    docs = project.dbt("docs", "generate", "--no-send-anonymous-usage-stats")
    assert docs.success, docs.summary()
    manifest = json.loads((project.target_path / "manifest.json").read_text(encoding="utf-8"))
    return DocsSite(project.target_path, manifest)


def _copy_asset_paths(project: Path) -> None:
    """The project's `asset-paths` (images the docs show), which the harness's copy leaves out."""
    config = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    for entry in config.get("asset-paths", []):
        source = REPO_ROOT / entry
        if source.is_dir() and not (project / entry).exists():
            shutil.copytree(source, project / entry)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(docs_site: DocsSite) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(docs_site.target_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/index.html"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------------------------
# The tour: every page once, recording what it shows
# --------------------------------------------------------------------------------------------


@dataclass
class Column:
    name: str
    badges: list[str]  # the Constraints cell, e.g. ["N", "PK"]
    constraints: list[dict[str, str]]  # the column's details: {"Name": ..., "Type": ...}


@dataclass
class Page:
    route: str
    url: str
    links: list[str]  # every <a href> and <img src> on the page, as written
    images: list[dict[str, Any]] = field(default_factory=list)  # content images: src, width
    columns: dict[str, Column] = field(default_factory=dict)


@dataclass
class Tour:
    pages: dict[str, Page]
    console: list[dict[str, Any]]  # CDP events: console messages, exceptions, log entries


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = find_browser()
    if executable is None:
        reason = "no Chromium on PATH (Debian: apt-get install chromium; or set CHROMIUM_PATH)"
        if os.environ.get(REQUIRE_BROWSER_ENV) not in (None, "", "0"):
            pytest.fail(f"{reason} ({REQUIRE_BROWSER_ENV} is set: CI must not skip)")
        pytest.skip(reason)
    chromium = Browser(executable)
    try:
        yield chromium
    finally:
        chromium.close()


# The page's own scroll area (the app's header and sidebar stay put around it).
_MAIN = "document.querySelector('.app-content > .app-body:not(.ng-hide) > .app-scroll')"

_LINKS_JS = """JSON.stringify([
    ...[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
    ...[...document.querySelectorAll('img[src]')].map(i => i.getAttribute('src')),
])"""

# Images of the page's content (markdown), once each has loaded or failed.
_IMAGES_JS = f"""(async () => {{
    const images = [...{_MAIN}.querySelectorAll('img')];
    await Promise.all(images.map(i => i.complete ? null
        : new Promise(done => {{ i.onload = i.onerror = done; }})));
    return JSON.stringify(images.map(i => ({{src: i.getAttribute('src'), url: i.src,
        width: i.naturalWidth, height: i.naturalHeight}})));
}})()"""

# Each row of the Columns table: its badges, then (opened with a click, as a reader does) the
# names and types listed under its Constraints heading.
_COLUMNS_JS = f"""JSON.stringify([...{_MAIN}.querySelectorAll('tr.column-row')].map(row => {{
    const cells = row.querySelectorAll('td');
    const column = {{
        name: cells[0].innerText.trim(),
        badges: [...cells[3].querySelectorAll('span[title]')].map(s => s.innerText.trim())
            .filter(text => text),
        constraints: [],
    }};
    row.click();
    const details = row.nextElementSibling;
    const heading = [...details.querySelectorAll('h5')]
        .find(h => h.innerText.trim() === 'Constraints');
    if (heading) {{
        for (const list of heading.parentElement.querySelectorAll('dl')) {{
            const terms = [...list.querySelectorAll('dt')].map(t => t.textContent.trim());
            const values = [...list.querySelectorAll('dd')].map(d => d.innerText.trim());
            column.constraints.push(Object.fromEntries(terms.map((t, i) => [t, values[i]])));
        }}
    }}
    row.click();
    return column;
}}))"""


# A click on each column row that has a PK or FK badge (open, or close again).
_TOGGLE_KEY_COLUMNS_JS = f"""[...{_MAIN}.querySelectorAll('tr.column-row')]
    .filter(row => [...row.querySelectorAll('span[title]')]
        .some(s => ['Primary Key', 'Foreign Key'].includes(s.title)))
    .forEach(row => row.click())"""


def _open(browser: Browser, site_url: str, route: str, ready: str, what: str) -> Page:
    url = f"{site_url}#!/{route}"
    browser.navigate(url)
    browser.wait_until(ready, what)
    return Page(route, url, json.loads(browser.evaluate(_LINKS_JS)))


def _full_page_screenshot(browser: Browser, path: Path) -> None:
    """The whole of the page's scroll area: the window made as tall as its content first."""
    width, height = browser.window
    content = int(browser.evaluate(f"{_MAIN}.scrollHeight - {_MAIN}.clientHeight"))
    browser.resize(width, height + max(content, 0))
    try:
        browser.screenshot(path)
    finally:
        browser.resize(width, height)


@pytest.fixture(scope="module")
def tour(browser: Browser, site_url: str) -> Tour:
    pages: dict[str, Page] = {}
    overview = _open(
        browser,
        site_url,
        "overview",
        f"{_MAIN} && {_MAIN}.querySelector('[marked] h1')",
        "the overview's text",
    )
    overview.images = json.loads(browser.evaluate(_IMAGES_JS))
    _full_page_screenshot(browser, SCREENSHOTS / "overview.png")
    pages["overview"] = overview
    for model in TABLE_NAMES:
        unique_id = f"model.{PROJECT}.{model}"
        page = _open(
            browser,
            site_url,
            f"model/{unique_id}",
            f"{_MAIN} && {_MAIN}.querySelector('.app-title h1') && "
            f"{_MAIN}.querySelector('.app-title h1').innerText.trim().split(/\\s+/)[0] === "
            f"{json.dumps(model)} && {_MAIN}.querySelectorAll('tr.column-row').length > 0",
            f"the {model} page and its columns",
        )
        if model == "orders":
            _full_page_screenshot(browser, SCREENSHOTS / "orders.png")
        page.columns = {
            c["name"]: Column(c["name"], c["badges"], c["constraints"])
            for c in json.loads(browser.evaluate(_COLUMNS_JS))
        }
        if model == "orders":
            # the key columns opened, as a reader opens them: the constraint names show there
            browser.evaluate(_TOGGLE_KEY_COLUMNS_JS)
            _full_page_screenshot(browser, SCREENSHOTS / "orders-keys.png")
            browser.evaluate(_TOGGLE_KEY_COLUMNS_JS)
        pages[model] = page
    console = browser.events_where(
        lambda e: (
            e["method"] in ("Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded")
        )
    )
    return Tour(pages, console)


# --------------------------------------------------------------------------------------------
# What the pages must show
# --------------------------------------------------------------------------------------------


def test_overview_shows_the_erd_image(tour: Tour) -> None:
    images = tour.pages["overview"].images
    erd = [image for image in images if urlsplit(image["url"]).path.endswith("/erd.svg")]
    assert erd, f"no ERD (an <img> of erd.svg) in the overview's text; its images: {images}"
    broken = [image for image in images if not image["width"]]
    assert not broken, f"overview images that did not load (natural width 0): {broken}"


@pytest.mark.parametrize("model", sorted(REQUIRED_KEYS))
def test_model_page_shows_key_badges_with_constraint_names(tour: Tour, model: str) -> None:
    columns = tour.pages[model].columns
    for column_name, (badge, constraint_name) in REQUIRED_KEYS[model].items():
        column = columns.get(column_name)
        assert column is not None, f"{model} page: no column {column_name} in {sorted(columns)}"
        assert badge in column.badges, (
            f"{model}.{column_name}: no {badge} badge in its Constraints cell (shows "
            f"{column.badges}); dbt docs draws one only for a column-level constraint"
        )
        names = [c.get("Name") for c in column.constraints]
        assert constraint_name in names, (
            f"{model}.{column_name}: constraint {constraint_name} not listed in the column's "
            f"details (lists {column.constraints})"
        )


def test_every_column_constraint_shows_on_its_model_page(tour: Tour, docs_site: DocsSite) -> None:
    """What the manifest holds per column, the page shows: a badge per constraint type that
    has one, and every named constraint's name in the column's details."""
    missing = []
    for model in TABLE_NAMES:
        node = docs_site.manifest["nodes"][f"model.{PROJECT}.{model}"]
        columns = tour.pages[model].columns
        for column_name, column in node["columns"].items():
            shown = columns.get(column_name)
            for constraint in column.get("constraints", []):
                where = f"{model}.{column_name} {constraint['type']} {constraint.get('name')}"
                if shown is None:
                    missing.append(f"{where}: column not on the page")
                    continue
                badge = BADGES.get(constraint["type"])
                if badge and badge not in shown.badges:
                    missing.append(f"{where}: no {badge} badge (shows {shown.badges})")
                names = [c.get("Name") for c in shown.constraints]
                if constraint.get("name") and constraint["name"] not in names:
                    missing.append(f"{where}: name not in the column's details ({names})")
    assert not missing, "\n".join(missing)


def _route_problem(route: str, manifest: dict[str, Any]) -> str | None:
    """Why a `#!/...` route of the docs app shows nothing, or None when it shows a page."""
    path = unquote(route.removeprefix("#!/").split("#")[0].split("?")[0])
    kind, _, rest = path.partition("/")
    if kind in ("overview", "graph") and not rest:
        return None
    if kind == "overview":
        packages = {m["package_name"] for m in manifest["macros"].values()}
        packages |= {n["package_name"] for n in manifest["nodes"].values()}
        return None if rest in packages else f"no project {rest!r}"
    if kind == "source_list":
        names = {s["source_name"] for s in manifest["sources"].values()}
        return None if rest in names else f"no source {rest!r}"
    collection = ROUTE_COLLECTIONS.get(kind)
    if collection is None:
        return f"the docs app has no route {kind!r}"
    if rest not in manifest.get(collection, {}):
        return f"no {kind} {rest!r} in the manifest"
    if rest.split(".")[0] != kind:
        return f"{rest!r} is not a {kind}"
    return None


def _http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_every_internal_link_resolves(tour: Tour, docs_site: DocsSite, site_url: str) -> None:
    """Links of the overview and every model page: routes name something the manifest holds,
    relative files exist on the site. Links to other sites are not followed."""
    site = urlsplit(site_url)
    broken: dict[str, set[str]] = {}
    checked = 0
    statuses: dict[str, int] = {}
    for page in tour.pages.values():
        for link in page.links:
            if link.startswith("data:"):
                continue
            if link.startswith("#"):
                problem = (
                    _route_problem(link, docs_site.manifest)
                    if link.startswith("#!/")
                    else "a fragment that is not a route of the docs app"
                )
            else:
                url = urljoin(page.url, link).split("#")[0]
                parts = urlsplit(url)
                if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
                    continue  # another site, or mailto:
                if url not in statuses:
                    statuses[url] = _http_status(url)
                problem = None if statuses[url] == 200 else f"HTTP {statuses[url]}"
            checked += 1
            if problem:
                broken.setdefault(f"{link} ({problem})", set()).add(page.route)
    assert checked > len(tour.pages), "the tour found (almost) no links: nothing was checked"
    assert not broken, "\n".join(f"{link} on {sorted(pages)}" for link, pages in broken.items())


def _noise_reason(event: dict[str, Any]) -> str | None:
    entry = event["params"].get("entry", {})
    url = unquote(entry.get("url", ""))
    for fragment, reason in DBT_DOCS_NOISE.items():
        if fragment in url:
            return reason
    return None


def _describe(event: dict[str, Any]) -> str:
    params = event["params"]
    if event["method"] == "Log.entryAdded":
        entry = params["entry"]
        return f"{entry['source']}: {entry['text']} {unquote(entry.get('url', ''))}".strip()
    if event["method"] == "Runtime.exceptionThrown":
        details = params["exceptionDetails"]
        text = details.get("exception", {}).get("description") or details.get("text", "")
        return f"exception: {text}"
    values = [str(a.get("value", a.get("description", ""))) for a in params.get("args", [])]
    return f"console.{params['type']}: {' '.join(values)}"


def test_no_console_errors_from_the_project(tour: Tour) -> None:
    errors = []
    for event in tour.console:
        params = event["params"]
        if event["method"] == "Runtime.consoleAPICalled" and params["type"] not in (
            "error",
            "assert",
        ):
            continue
        if event["method"] == "Log.entryAdded" and params["entry"]["level"] != "error":
            continue
        if _noise_reason(event) is None:
            errors.append(_describe(event))
    assert not errors, "\n".join(errors)


def test_every_project_macro_has_a_description(docs_site: DocsSite) -> None:
    undocumented = sorted(
        f"{macro['name']} ({macro['original_file_path']})"
        for macro in docs_site.manifest["macros"].values()
        if macro["package_name"] == PROJECT and not macro["description"].strip()
    )
    assert not undocumented, (
        f"{len(undocumented)} macros without a description (add them to macros/_macros.yml):\n"
        + "\n".join(undocumented)
    )
