"""The soak test of issue 7: `python -m bench.soak` (`make soak`).

Several hundred public readers for minutes against gunicorn and PostgreSQL
while an editor publishes, edits and withdraws releases through the admin;
it passes with no error anywhere and worker memory that stops growing.

1. Prepares a PostgreSQL database (DATABASE_URL, by default pressroom_soak;
   created when missing, migrated, seeded with seed_releases up to --size).
2. Writes the readers' paths, drawn from the database: home, list pages
   (deep ones too), tag, department, event and year filters, search,
   release pages, events, feeds and the sitemaps, in every language, each
   kind in a fixed share of the requests.
3. Starts gunicorn (sync workers, the production settings over plain HTTP, a
   listen backlog larger than the connections) and asks each kind of page
   once: all must answer.
4. For --minutes: wrk with --connections readers (bench/soak.lua); two
   editor processes that, pausing --editor-pause seconds between steps,
   create a release, publish it, edit another public release with a change
   note, withdraw and restore their own release: one signed in to the admin
   over HTTP (and reading each release it publishes), one calling the
   workflow code (Release.transition) directly, at a pace the first, queueing
   for a worker behind the readers, cannot keep; and every --sample seconds
   the resident size of each gunicorn worker.
5. Checks gunicorn's logs: no status of 400 or more, no traceback, no worker
   restarted. Prints the report and writes it to
   bench/results/<date>-soak.md; exits 1 unless every check passed.

With --redis-outage SECONDS, the page cache is on, in a Redis of the test's
own (--redis-port), stopped for SECONDS in the middle of the run and started
again from its dump (bench/redis_outage.py): the same checks, and no stale
page once it is back.
"""

import argparse
import atexit
import functools
import html.parser
import http.cookiejar
import multiprocessing
import os
import platform
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from statistics import quantiles

from bench import database, load, servers
from bench.redis_outage import RedisOutage, RedisServer
from bench.run import load_average, machine, site_environment, size, wait_until_idle

RESULTS = Path(__file__).resolve().parent / "results"
SOAK_SCRIPT = Path(__file__).resolve().parent / "soak.lua"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pressroom_soak"
SITE_PORT = 8320
EDITOR_NAME = "soak-editor"
# Lines in the paths file; each kind of page gets its share of them.
PATH_LINES = 20_000
# Share of the requests per kind of page, in percent. Release pages and the
# first pages of lists are what readers mostly open; the sitemaps of events
# and releases (tens of thousands of addresses, megabytes each) are fetched
# by crawlers, rarely, and cost a worker seconds.
SHARES = {
    "home": 9,
    "list, page 1": 8,
    "list, pages 2-10": 6,
    "list, deep pages": 6,
    "tag filter": 8,
    "two tags": 2,
    "department, event, year filters": 4,
    "department pages": 6,
    "events": 5,
    "tags page": 2,
    "search": 8,
    "release pages": 30,
    "feeds": 5,
    "sitemap index, small sections": 0.9,
    "sitemaps of events and releases": 0.1,
}
LANGUAGES = ("en", "az", "ru")
DETAIL_SAMPLE = 400
WORD = re.compile(r"\w{6,}")
EDIT_SUFFIX = re.compile(r" \[soak edit [\d-]+\]$")


def arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=size, default=20_000, help="releases at least (20000, 20k)")
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=300, help="wrk connections: the readers")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--timeout", type=int, default=120, help="seconds before wrk counts a request as timed out")
    parser.add_argument("--editor-pause", type=float, default=1.0, help="seconds between the editor's operations")
    parser.add_argument("--sample", type=float, default=5.0, help="seconds between memory samples")
    parser.add_argument("--growth-limit", type=float, default=5.0, help="MiB a worker may grow in the last third")
    parser.add_argument("--seed", type=int, default=1, help="seed_releases --seed")
    parser.add_argument("--port", type=int, default=SITE_PORT, help=f"gunicorn's port ({SITE_PORT})")
    parser.add_argument(
        "--redis-outage",
        type=float,
        metavar="SECONDS",
        help="with the page cache in a Redis of the test's own (--redis-port), stopped for SECONDS mid-run",
    )
    parser.add_argument("--redis-port", type=int, default=17008, help="that Redis's port (17008)")
    return parser.parse_args(argv)


# The readers' paths ------------------------------------------------------------------------------


def reader_paths(rng):
    """{kind: [path, ...]} in every language. Django must be set up."""
    import math

    from django.db.models import Count
    from django.urls import reverse
    from django.utils import translation

    from releases.models import Department, Event, Release, TaggedRelease
    from releases.views import RELEASES_PER_PAGE

    kinds = {kind: [] for kind in SHARES}
    for language in LANGUAGES:
        with translation.override(language):
            public = Release.objects.published().filter(language=language)
            last_page = max(1, math.ceil(public.count() / RELEASES_PER_PAGE))
            release_list = reverse("releases:release-list")
            tags = [
                slug
                for slug, _ in TaggedRelease.objects.filter(content_object__in=public.values("pk"))
                .values_list("tag__slug")
                .annotate(n=Count("pk"))
                .order_by("-n", "tag__slug")
            ]
            departments = list(Department.objects.filter(releases__in=public).distinct().order_by("pk"))
            events = list(Event.objects.filter(releases__in=public).distinct().order_by("?")[:30])
            years = sorted({moment.year for moment in public.dates("published_at", "year")})
            titles = list(public.order_by("?").values_list("title", flat=True)[:40])
            details = list(public.order_by("?")[:DETAIL_SAMPLE])
            withdrawn = list(Release.objects.readable().filter(language=language, status="withdrawn")[:20])

            listing = functools.partial(list_path, release_list)
            kinds["home"].append(reverse("releases:home"))
            kinds["list, page 1"].append(release_list)
            kinds["list, pages 2-10"] += [listing(page=page) for page in range(2, min(10, last_page) + 1)]
            deep = {last_page, last_page // 2, *(rng.randint(11, max(11, last_page)) for _ in range(20))}
            kinds["list, deep pages"] += [listing(page=page) for page in sorted(deep) if page <= last_page]
            kinds["tag filter"] += [listing(tag=slug) for slug in tags[:10] + tags[-10:]]
            kinds["tag filter"] += [listing(tag=tags[0], page=2)]
            kinds["two tags"] += [listing(tag=[tags[i], tags[i + 1]]) for i in range(0, min(10, len(tags) - 1), 2)]
            kinds["department, event, year filters"] += [listing(department=d.slug) for d in departments[:5]]
            kinds["department, event, year filters"] += [listing(event=e.slug) for e in events[:5]]
            kinds["department, event, year filters"] += [listing(year=year) for year in years[-5:]]
            kinds["department pages"] += [d.get_absolute_url() for d in departments]
            kinds["department pages"] += [f"{departments[0].get_absolute_url()}?page=2"]
            kinds["events"] += [reverse("releases:event-list"), f"{reverse('releases:event-list')}?page=2"]
            kinds["events"] += [e.get_absolute_url() for e in events]
            kinds["tags page"].append(reverse("releases:tag-list"))
            for title in titles[:20]:
                words = WORD.findall(title)
                if words:
                    kinds["search"].append(listing(q=" ".join(rng.sample(words, min(2, len(words))))))
            kinds["release pages"] += [release.get_absolute_url() for release in details + withdrawn]
            kinds["feeds"] += [reverse("feeds:releases-rss"), reverse("feeds:releases-atom")]
            kinds["feeds"] += [reverse("feeds:tag-rss", kwargs={"slug": slug}) for slug in tags[:3]]
            kinds["feeds"] += [reverse("feeds:department-atom", kwargs={"slug": d.slug}) for d in departments[:3]]
    kinds["sitemap index, small sections"] = [
        reverse("sitemap"),
        *(reverse("sitemap-section", kwargs={"section": s}) for s in ("pages", "departments")),
        reverse("robots-txt"),
    ]
    pages = math.ceil(Release.objects.published().count() / 50_000)
    releases_sitemap = reverse("sitemap-section", kwargs={"section": "releases"})
    kinds["sitemaps of events and releases"] = [
        reverse("sitemap-section", kwargs={"section": "events"}),
        *(f"{releases_sitemap}?p={page}" for page in range(1, pages + 1)),
    ]
    return {kind: paths for kind, paths in kinds.items() if paths}


def list_path(release_list, **params):
    return f"{release_list}?{urllib.parse.urlencode(params, doseq=True)}"


def write_paths(kinds, path):
    """One path a line, each kind on SHARES[kind] percent of the lines, its
    paths in turn."""
    lines = []
    for kind, paths in kinds.items():
        count = max(1, round(PATH_LINES * SHARES[kind] / 100))
        lines += [paths[i % len(paths)] for i in range(count)]
    path.write_text("\n".join(lines) + "\n")


# The editor --------------------------------------------------------------------------------------


class FormFields(html.parser.HTMLParser):
    """The fields a browser would post from the form with id `form_id`:
    [(name, value), ...], as the page left them."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.fields = []
        self.in_form = False
        self.textarea = None
        self.select = None
        self.errors = []
        self.in_error = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
        if "errorlist" in (attrs.get("class") or "") or "errornote" in (attrs.get("class") or ""):
            self.in_error = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ("on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "first": None, "chosen": []}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        if self.in_error and data.strip():
            self.errors.append(data.strip())

    def handle_endtag(self, tag):
        if tag in ("ul", "p", "div"):
            self.in_error = False
        if tag == "form":
            self.in_form = False
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"] and self.select["first"] is not None:
                chosen = [self.select["first"]]
            self.fields += [(self.select["name"], value) for value in chosen]
            self.select = None


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class EditorFailure(Exception):
    pass


class Editor:
    """A person of the Editors group in the admin, over HTTP, with a browser's
    cookies and forms."""

    def __init__(self, origin, username, password):
        self.origin = origin
        self.username = username
        self.password = password
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
        )

    def request(self, path, data=None):
        """(status, Location header, body text)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.origin + path, data=body, headers={"Referer": self.origin + path})
        try:
            with self.opener.open(request, timeout=300) as response:
                return response.status, response.headers.get("Location"), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location"), error.read().decode(errors="replace")

    def form(self, path, form_id):
        status, _, text = self.request(path)
        if status != 200:
            raise EditorFailure(f"GET {path} answered {status}")
        parser = FormFields(form_id)
        parser.feed(text)
        if not parser.fields:
            raise EditorFailure(f"GET {path}: no form {form_id}")
        return parser.fields

    def post(self, path, form_id, changes):
        """Post the form of `path` with `changes`; the redirect's Location."""
        fields = [(name, value) for name, value in self.form(path, form_id) if name not in changes]
        for name, value in changes.items():
            fields += [(name, item) for item in value] if isinstance(value, list) else [(name, value)]
        status, location, text = self.request(path, fields)
        if status != 302:
            parser = FormFields(form_id)
            parser.feed(text)
            raise EditorFailure(f"POST {path} answered {status}: {' '.join(parser.errors)[:300] or text[:300]}")
        return location

    def sign_in(self):
        location = self.post(
            "/admin/login/?next=/admin/",
            "login-form",
            {"username": self.username, "password": self.password, "next": "/admin/"},
        )
        if location != "/admin/":
            raise EditorFailure(f"signing in led to {location}")


@dataclass
class EditorTask:
    origin: str
    username: str
    password: str
    pause: float
    departments: dict  # language: department id
    tags: dict  # language: tag name
    public_ids: list  # releases to edit
    run: str


def change_path(release_id):
    return f"/admin/releases/release/{release_id}/change/"


def public_path(language, slug):
    return ("" if language == "en" else f"/{language}") + f"/releases/{slug}/"


class EditorRun:
    """An editor's operations, in turn, until told to stop; each counted,
    timed and, when it fails, recorded under "<label>: <operation>"."""

    label = None
    check_public = None  # a method, for editors that read what they publish

    def __init__(self, task, stop):
        import random

        self.task = task
        self.stop = stop
        self.rng = random.Random(f"{task.run}-{self.label}")
        self.done = Counter()
        self.seconds = Counter()
        self.failures = []

    def step(self, name, action, *args, **kwargs):
        name = f"{self.label}: {name}"
        started = time.monotonic()
        try:
            value = action(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - every failure is reported, none stops the editor
            self.failures.append(f"{name}: {type(error).__name__}: {error}")
            value = None
        else:
            self.done[name] += 1
        self.seconds[name] += time.monotonic() - started
        self.stop.wait(self.task.pause)
        return value

    def run(self):
        number = 0
        while not self.stop.is_set():
            number += 1
            language = LANGUAGES[number % len(LANGUAGES)]
            release_id = self.step("create a draft", self.create, language, number)
            if release_id and not self.stop.is_set():
                self.step("publish", self.set_status, release_id, "published")
                if self.check_public:
                    self.step("read the published release", self.check_public, release_id)
            if not self.stop.is_set():
                self.step("edit a public release", self.edit, self.rng.choice(self.task.public_ids), number)
            if release_id and not self.stop.is_set():
                reason = f"Soak test {self.task.run}: issued in error."
                self.step("withdraw", self.set_status, release_id, "withdrawn", withdrawal_reason=reason)
            if release_id and not self.stop.is_set():
                self.step("restore after withdrawal", self.set_status, release_id, "published")

    def title(self, number):
        return f"Soak test {self.task.run}-{self.label}-{number}: the delegation's visit"

    def edit_mark(self, number):
        return f" [soak edit {self.task.run}-{number}]"


class AdminEditorRun(EditorRun):
    """Through the admin over HTTP, as a person: forms fetched and posted,
    waiting for a worker like every reader."""

    label = "admin"

    def __init__(self, task, stop):
        super().__init__(task, stop)
        self.editor = Editor(task.origin, task.username, task.password)

    def run(self):
        self.step("sign in", self.editor.sign_in)
        super().run()

    def create(self, language, number):
        location = self.editor.post(
            "/admin/releases/release/add/",
            "release_form",
            {
                "language": language,
                "title": self.title(number),
                "slug": "",
                "lead": "A release written and published while readers load the site.",
                "body": f"<p>Written by the soak test, run {self.task.run}, release {number}.</p>",
                "department": str(self.task.departments[language]),
                "tags": self.task.tags[language],
                "status": "draft",
                "_continue": "1",
            },
        )
        match = re.search(r"/release/(\d+)/change/", location or "")
        if not match:
            raise EditorFailure(f"adding a release led to {location}")
        return int(match.group(1))

    def set_status(self, release_id, status, **changes):
        self.editor.post(change_path(release_id), "release_form", {"status": status, **changes})

    def check_public(self, release_id):
        fields = dict(self.editor.form(change_path(release_id), "release_form"))
        path = public_path(fields["language"], fields["slug"])
        status, _, _ = self.editor.request(path)
        if status != 200:
            raise EditorFailure(f"the published release {path} answered {status}")

    def edit(self, release_id, number):
        fields = dict(self.editor.form(change_path(release_id), "release_form"))
        changes = {
            "title": EDIT_SUFFIX.sub("", fields["title"])[:200] + self.edit_mark(number),
            "lead": EDIT_SUFFIX.sub("", fields["lead"]) + self.edit_mark(number),
            "change_note": f"Soak test edit {self.task.run}-{number}.",
        }
        self.editor.post(change_path(release_id), "release_form", changes)


class WorkflowEditorRun(EditorRun):
    """Through the workflow code (Release.transition and add_change_note)
    in its own process and database connection, as the admin calls it, each
    change in a revision: writes at the pace of --editor-pause, which the
    admin editor, queueing for a worker, cannot keep."""

    label = "workflow"

    def __init__(self, task, stop):
        from django.contrib.auth.models import User

        super().__init__(task, stop)
        self.user = User.objects.get(username=task.username)

    def create(self, language, number):
        import reversion

        from releases.models import Release

        with reversion.create_revision():
            reversion.set_user(self.user)
            release = Release(
                language=language,
                title=self.title(number),
                lead="A release written and published while readers load the site.",
                body=f"<p>Written by the soak test, run {self.task.run}, release {number}.</p>",
                department_id=self.task.departments[language],
                author=self.user,
            )
            release.full_clean()
            release.transition(Release.Status.DRAFT, user=self.user)
        return release.pk

    def set_status(self, release_id, status, withdrawal_reason=""):
        import reversion

        from releases.models import Release

        with reversion.create_revision():
            reversion.set_user(self.user)
            Release.objects.get(pk=release_id).transition(status, user=self.user, comment=withdrawal_reason)

    def edit(self, release_id, number):
        import reversion

        from releases.models import Release

        with reversion.create_revision():
            reversion.set_user(self.user)
            release = Release.objects.get(pk=release_id)
            release.title = EDIT_SUFFIX.sub("", release.title)[:200] + self.edit_mark(number)
            release.lead = EDIT_SUFFIX.sub("", release.lead) + self.edit_mark(number)
            release.transition(release.status, user=self.user)
            release.add_change_note(f"Soak test edit {self.task.run}-{number}.", user=self.user)


def editor_loop(kind, task, stop, results):
    """Run an editor until `stop` is set; put ({operation: count},
    {operation: seconds}, [failure, ...]) in `results`."""
    editor = None
    try:
        editor = kind(task, stop)
        editor.run()
    finally:
        if editor is None:
            results.put(({}, {}, [f"{kind.label}: could not start"]))
        else:
            results.put((dict(editor.done), dict(editor.seconds), editor.failures))


def prepare_editor(origin, run):
    """An editor with a new password, and what it needs to write releases."""
    import random

    from django.contrib.auth.models import Group, User

    from releases.models import Department, Release, Tag
    from releases.roles import EDITORS

    password = secrets.token_urlsafe(16)
    user, _ = User.objects.get_or_create(username=EDITOR_NAME, defaults={"email": "soak@example.org"})
    user.is_staff = True
    user.is_active = True
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=EDITORS)])
    rng = random.Random(run)
    public_ids = list(Release.objects.published().order_by("?").values_list("pk", flat=True)[:200])
    department = Department.objects.order_by("pk").first().pk
    tags = {}
    for language in LANGUAGES:
        tag = Tag.objects.filter(tagged_releases__content_object__language=language).order_by("pk").first()
        tags[language] = f'"{tag.name}"' if tag else ""
    return EditorTask(
        origin=origin,
        username=EDITOR_NAME,
        password=password,
        pause=0,
        departments=dict.fromkeys(LANGUAGES, department),
        tags=tags,
        public_ids=rng.sample(public_ids, len(public_ids)),
        run=run,
    )


# Memory -----------------------------------------------------------------------------------------


@dataclass
class MemorySamples:
    """{worker pid: [(seconds since the start, RSS in MiB), ...]}."""

    started: float = field(default_factory=time.monotonic)
    by_worker: dict = field(default_factory=dict)

    def take(self, server):
        now = time.monotonic() - self.started
        for pid in server.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except FileNotFoundError:
                continue
            kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            self.by_worker.setdefault(pid, []).append((now, kib / 1024))

    def every(self, server, seconds, stop):
        while not stop.wait(seconds):
            self.take(server)

    def rows(self, run_end):
        """(pid, start, min, max, end, growth of the floor, growth of the
        peak) of each worker. A worker's size swings by tens of MiB as large
        pages (the sitemaps) come and go and the allocator hands the memory
        back; what a leak raises is the floor, the size the worker keeps
        between them: the lowest sample of the last third of the run less
        the lowest before it. The peak's growth is shown, not judged: it
        depends on which worker drew a sitemap last."""
        mark = run_end * 2 / 3
        for pid, samples in self.by_worker.items():
            before = [rss for moment, rss in samples if moment < mark] or [samples[0][1]]
            last_third = [rss for moment, rss in samples if moment >= mark] or [samples[-1][1]]
            sizes = [rss for _, rss in samples]
            yield (
                pid,
                sizes[0],
                min(sizes),
                max(sizes),
                sizes[-1],
                min(last_third) - min(before),
                max(last_third) - max(before),
            )


# The run ---------------------------------------------------------------------------------------


def run_wrk(origin, paths_file, args):
    command = [
        "wrk",
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={round(args.minutes * 60)}s",
        f"--timeout={args.timeout}s",
        f"--script={SOAK_SCRIPT}",
        origin,
        "--",
        str(paths_file),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    figures = re.search(r"^SOAK (.*)$", output, re.MULTILINE)
    statuses = re.search(r"^SOAK_STATUSES ?(.*)$", output, re.MULTILINE)
    if not figures or not statuses:
        raise SystemExit(f"wrk gave no result:\n{output}")
    values = {name: int(value) for name, value in (pair.split("=") for pair in figures.group(1).split())}
    values["statuses"] = {int(s): int(n) for s, n in (pair.split("=") for pair in statuses.group(1).split())}
    return values


def server_log(access_log, kinds):
    """(Counter of statuses, Counter of (status, path) of 400 or more,
    {kind: [milliseconds in the worker, ...]}, Counter of the admin's
    statuses) from the access log."""
    kind_of = {path: kind for kind, paths in kinds.items() for path in paths}
    statuses, failed, admin, times = Counter(), Counter(), Counter(), {}
    with open(access_log) as log:
        for line in log:
            target, status, _size, micros = line.rsplit(" ", 3)
            path = target.removesuffix("?-").removesuffix("?")
            statuses[status] += 1
            if int(status) >= 400:
                failed[(status, path)] += 1
            if path.startswith("/admin/"):
                admin[status] += 1
            kind = "editor (admin)" if path.startswith("/admin/") else kind_of.get(path, "other")
            times.setdefault(kind, []).append(int(micros) / 1000)
    return statuses, failed, times, admin


def percentiles(values, *points):
    if len(values) < 2:
        return [values[0] if values else 0.0 for _ in points]
    cuts = quantiles(values, n=100, method="inclusive")
    return [cuts[point - 1] for point in points]


def warm_up(site, kinds, workers):
    """Ask each kind of page in each language once (all must answer), then
    the costliest pages, once per worker at once, so that every worker has
    reached the size these pages take it to before memory is first measured.
    {kind: seconds of its slowest request}."""
    slowest = {}
    for kind, paths in kinds.items():
        for path in paths[:: max(1, len(paths) // 3)][:3]:
            started = time.monotonic()
            status, _ = site.get(path)
            slowest[kind] = max(slowest.get(kind, 0), time.monotonic() - started)
            if status >= 400:
                raise SystemExit(f"{path} answered {status} before the load")
    costly = sorted(slowest, key=slowest.get, reverse=True)[:3]
    requests = [path for kind in costly for path in kinds[kind][:2] for _ in range(workers)]
    threads = [threading.Thread(target=site.get, args=(path,)) for path in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return slowest


def error_log_problems(error_log):
    """Lines of gunicorn's error log (with the workers' output) that tell of
    a failure: tracebacks, errors, worker timeouts and restarts."""
    problems, booted = [], 0
    text = Path(error_log).read_text(errors="replace")
    for line in text.splitlines():
        if "Booting worker" in line:
            booted += 1
        elif any(word in line for word in ("Traceback", "ERROR", "CRITICAL", "WORKER TIMEOUT")):
            problems.append(line.strip())
    return problems, booted, text


def postgresql_version():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def stop(signum, frame):
    raise SystemExit(f"Stopped by signal {signum}.")


def main(argv=None):
    signal.signal(signal.SIGTERM, stop)
    args = arguments(argv)
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    load.ensure_wrk()
    if database.ensure_database(url):
        print(f"Created the database of {url}.")
    print(f"Database: {url}", flush=True)
    redis_folder = tempfile.TemporaryDirectory(prefix="pressroom-soak-redis-")
    redis_server = RedisServer(args.redis_port, redis_folder.name) if args.redis_outage else None
    environment = site_environment(url, args.port) | {
        # Workflow notifications are sent, to nowhere: the console backend
        # would fill the error log, locmem would keep every message in memory.
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DATABASE_STATEMENT_TIMEOUT": os.environ.get("DATABASE_STATEMENT_TIMEOUT"),
        # The kernel queues at most this many connections not yet accepted
        # (also capped by net.core.somaxconn); the workers' output goes to the
        # error log, where tracebacks are looked for.
        "GUNICORN_CMD_ARGS": f"--backlog={max(2048, 4 * args.connections)} --capture-output",
    }
    if redis_server:
        redis_server.start()
        atexit.register(redis_server.kill)
        environment["REDIS_URL"] = redis_server.url
    os.environ.update(environment | {"DATABASE_STATEMENT_TIMEOUT": "0"})

    import random

    import django

    django.setup()
    from django.db import connections

    from releases.models import Release

    releases = database.prepare(args.size, seed=args.seed)
    run = time.strftime("%Y%m%d%H%M%S")
    kinds = reader_paths(random.Random(args.seed))
    task = prepare_editor(f"http://127.0.0.1:{args.port}", run)
    task.pause = args.editor_pause
    postgresql = postgresql_version()
    connections.close_all()

    load_before = load_average()
    seconds = round(args.minutes * 60)
    with tempfile.TemporaryDirectory(prefix="pressroom-soak-") as logs:
        paths_file = Path(logs) / "paths.txt"
        write_paths(kinds, paths_file)
        server = servers.Gunicorn(
            "pressroom.wsgi",
            port=args.port,
            workers=args.workers,
            environment=servers.environment(**environment),
            log_dir=logs,
            name="soak",
        )
        with server as site:
            print("Warming up: each kind of page in each language, then the costliest ones.", flush=True)
            slowest = warm_up(site, kinds, args.workers)
            memory = MemorySamples()
            memory.take(site)
            sampling = threading.Event()
            sampler = threading.Thread(target=memory.every, args=(site, args.sample, sampling), daemon=True)
            context = multiprocessing.get_context("fork")
            editor_stop, editor_results = context.Event(), context.Queue()
            editors = [
                context.Process(target=editor_loop, args=(kind, task, editor_stop, editor_results))
                for kind in (AdminEditorRun, WorkflowEditorRun)
            ]
            print(
                f"Soaking for {seconds} s: {args.connections} readers, two editors, {args.workers} workers.",
                flush=True,
            )
            outage = None
            if redis_server:
                canary = Release.objects.published().exclude(pk__in=task.public_ids).order_by("pk").first()
                outage = RedisOutage(redis_server, args.redis_outage, seconds, canary.pk, site.get)
                outage.prime()
                outage_thread = outage.thread(sampling)
                outage_thread.start()
            sampler.start()
            for editor in editors:
                editor.start()
            try:
                figures = run_wrk(site.origin, paths_file, args)
            finally:
                editor_stop.set()
                editor_done, editor_seconds, editor_failures = {}, {}, []
                for _ in editors:
                    done, spent, failures = editor_results.get(timeout=600)
                    editor_done |= done
                    editor_seconds |= spent
                    editor_failures += failures
                for editor in editors:
                    editor.join()
            run_end = time.monotonic() - memory.started
            memory.take(site)
            wait_until_idle(site)
            sampling.set()
            sampler.join()
            if outage:
                outage_thread.join()
            memory.take(site)
            final_pids = set(site.worker_pids())
        statuses, failed, times, admin_statuses = server_log(server.access_log, kinds)
        problems, booted, error_text = error_log_problems(server.error_log)
        if problems:
            saved_log = Path(tempfile.gettempdir()) / "pressroom-soak-error.log"
            saved_log.write_text(error_text)

    rows = list(memory.rows(run_end))
    replaced = sorted(set(memory.by_worker) - final_pids)
    socket_errors = figures["connect"] + figures["read"] + figures["write"] + figures["timeout"]
    client_failed = sum(count for status, count in figures["statuses"].items() if status >= 400)
    server_failed = sum(failed.values())
    editor_operations = sum(editor_done.values())
    growing = [row for row in rows if row[5] >= args.growth_limit]
    checks = {
        "no status of 400 or more (wrk)": client_failed == 0,
        "no status of 400 or more (gunicorn's access log)": server_failed == 0,
        "no socket error or timeout": socket_errors == 0,
        "no editor failure": not editor_failures and editor_operations > 0,
        "no traceback or error in gunicorn's log": not problems,
        "no worker restarted": not replaced and booted == args.workers,
        f"no worker's floor grew {args.growth_limit:g} MiB or more in the last third": not growing,
    }
    if outage:
        checks["Redis stopped and started again, no failure in doing so"] = (
            outage.started_at is not None and not outage.failures
        )
        checks["no stale page once Redis was back"] = bool(outage.reads_after) and outage.stale_reads == 0
    passed = all(checks.values())

    per_second = figures["requests"] / (figures["duration_us"] / 1e6)
    public_ms = [value for kind, values in times.items() if kind != "editor (admin)" for value in values]
    worker_p50, worker_p99 = percentiles(public_ms, 50, 99)
    kind_rows = []
    for kind in [*kinds, "other", "editor (admin)"]:
        if kind in times:
            p50, p99 = percentiles(times[kind], 50, 99)
            share = f"{SHARES[kind]:g} %" if kind in SHARES else ""
            alone = f"{slowest[kind] * 1000:,.0f}" if kind in slowest else ""
            kind_rows.append(f"| {kind} | {share} | {len(times[kind]):,} | {p50:,.0f} | {p99:,.0f} | {alone} |")
    queueing = args.connections / per_second if per_second else 0
    command = f"python -m bench.soak {' '.join(sys.argv[1:] if argv is None else argv)}".strip()
    status_text = ", ".join(f"{status}: {count:,}" for status, count in sorted(figures["statuses"].items()))
    failures_by_operation = Counter(failure.split(":", 1)[0] for failure in editor_failures)
    operation_rows = [
        f"| {name} | {editor_done.get(name, 0):,} | {failures_by_operation[name]} "
        f"| {spent / (editor_done.get(name, 0) + failures_by_operation[name]):.1f} |"
        for name, spent in editor_seconds.items()
    ]
    lines = [
        f"# Soak test, {date.today().isoformat()}: {'passed' if passed else 'FAILED'}",
        "",
        f"- command: `{command}`",
        f"- machine: {machine()}; load average before {load_before}, after {load_average()}",
        f"- PostgreSQL {postgresql}; Python {platform.python_version()}; database {url.rsplit('/', 1)[-1]} "
        f"with {releases:,} releases",
        f"- server: gunicorn, {args.workers} sync workers, backlog {max(2048, 4 * args.connections)}, "
        "production settings over plain HTTP on loopback",
        f"- readers: wrk, {args.threads} threads, {args.connections} connections, {seconds} s, timeout "
        f"{args.timeout} s; {sum(map(len, kinds.values())):,} paths in {len(kinds)} kinds and 3 languages "
        "(bench/soak.lua)",
        f"- editors: one through the admin over HTTP, one through the workflow code (Release.transition) in a "
        f"process of its own; each pausing {args.editor_pause:g} s between operations",
        "",
        "## Readers",
        "",
        "| requests | req/s | p50 | p90 | p99 | max | status ≥ 400 | connect | read | write | timeout |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {figures['requests']:,} | {per_second:,.1f} | {figures['p50_us'] / 1000:,.0f} ms "
        f"| {figures['p90_us'] / 1000:,.0f} ms | {figures['p99_us'] / 1000:,.0f} ms "
        f"| {figures['max_us'] / 1000:,.0f} ms | {client_failed} | {figures['connect']} | {figures['read']} "
        f"| {figures['write']} | {figures['timeout']} |",
        "",
        f"Statuses seen by wrk: {status_text}. Gunicorn logged {sum(statuses.values()):,} requests "
        f"({', '.join(f'{s}: {n:,}' for s, n in sorted(statuses.items()))}); the public ones spent "
        f"p50 {worker_p50:,.0f} ms, p99 {worker_p99:,.0f} ms in a worker: the rest of wrk's latency is "
        f"the wait for a free worker ({args.connections} connections ÷ {per_second:,.1f} req/s = "
        f"{queueing:,.1f} s on average).",
        "",
        "| kind of page | share | requests | worker p50, ms | worker p99, ms | slowest alone, ms |",
        "|---|---:|---:|---:|---:|---:|",
        *kind_rows,
        "",
        "## Editor",
        "",
        "| operation | done | failed | seconds each |",
        "|---|---:|---:|---:|",
        *operation_rows,
        "",
        f"{editor_operations:,} operations, {len(editor_failures)} failures" + (":" if editor_failures else "."),
        *(f"- {failure}" for failure in editor_failures[:20]),
        "",
        "## Worker memory (RSS, MiB)",
        "",
        f"Sampled every {args.sample:g} s from the end of the warm-up until the requests left behind by wrk "
        "were served. Floor growth (judged): the lowest sample of the last third of the run less the lowest "
        "before it; peak growth (shown only): the same for the highest.",
        "",
        "| worker | start | min | max | end | floor growth | peak growth |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {pid} | {start:.1f} | {low:.1f} | {top:.1f} | {end:.1f} | {floor:+.1f} | {peak:+.1f} |"
            for pid, start, low, top, end, floor, peak in rows
        ),
        "",
        *(outage.report() if outage else []),
        "## Checks",
        "",
        *(f"- [{'x' if ok else ' '}] {name}" for name, ok in checks.items()),
    ]
    if failed:
        lines += ["", "Statuses of 400 or more (gunicorn's access log):", ""]
        lines += [f"- {status} {path}: {count}" for (status, path), count in failed.most_common(20)]
    if problems:
        lines += ["", f"Gunicorn's error log ({len(problems)} lines; whole log in {saved_log}):", ""]
        lines += [f"    {line}" for line in problems[:20]]
    report = "\n".join(lines) + "\n"
    print()
    print(report)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{date.today().isoformat()}-soak.md"
    path.write_text(report)
    print(f"Written to {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
