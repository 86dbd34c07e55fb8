import time

from django.core.management.base import BaseCommand, CommandError

from demo.seeding.archive import CHUNK_SIZE, seed_archive

BAR_WIDTH = 30


class ProgressBar:
    """A one-line progress bar on a terminal's stream, redrawn in place."""

    def __init__(self, stream, label):
        self.stream = stream
        self.label = label
        self.started = time.monotonic()

    def update(self, done, total):
        if done == 0:
            self.started = time.monotonic()
        elapsed = time.monotonic() - self.started
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        left = f", {elapsed * (total - done) / done:.0f} s left" if 0 < done < total else ""
        self.stream.write(
            f"\r{self.label} {done:>11,} / {total:,} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
            f"{done * 100 // max(total, 1):3d}%  {elapsed:.0f} s{left}   ",
            style_func=str,
            ending="\n" if done == total else "",
        )
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Add N synthetic releases, for benchmarks: the three languages (some releases in two or three), "
        "a spread of statuses and publication times over 15 years, about four tags each from some 2,000 with "
        "Zipf-like popularity, and the 50 departments, 5,000 events and 10,000 delegations they refer to "
        "(created on the first run, reused after). Bulk inserts in chunks; the same --seed gives the same "
        "releases; a second run adds to the first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="Releases to add (each language version counts).")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random draws (default: 1).")
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=CHUNK_SIZE,
            help=f"Releases generated and inserted per transaction (default: {CHUNK_SIZE:,}).",
        )

    def handle(self, *args, count, seed, chunk_size, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        bar = ProgressBar(self.stderr, "Releases")
        report = seed_archive(count=count, seed=seed, progress=bar.update, chunk_size=chunk_size)
        self.stdout.write(self.summary(report))

    def summary(self, report):
        seconds = report.seconds
        phases = ", ".join(f"{name} {value:.1f} s" for name, value in seconds.items() if name != "total")
        languages = ", ".join(f"{code} {number:,}" for code, number in sorted(report.by_language.items()))
        statuses = ", ".join(
            f"{status.replace('_', ' ')} {report.by_status[status]:,}"
            for status in ("published", "scheduled", "draft", "in_review", "withdrawn")
        )

        def records(name):
            return f"{report.created[name]:,} new, {report.reused[name]:,} reused"

        return "\n".join(
            [
                f"Added {report.releases:,} releases in {seconds['total']:.1f} s ({phases}), "
                f"{report.releases / max(seconds['releases'], 1e-9):,.0f} releases/s.",
                f"  languages: {languages}",
                f"  statuses: {statuses}",
                f"  tags: {report.tag_links:,} links, {report.tag_links / report.releases:.2f} a release; "
                f"tags {records('tags')}",
                f"  departments {records('departments')}; events {records('events')}",
                f"  delegations {report.created['delegations']:,} new, with "
                f"{report.created['delegation members']:,} members; "
                f"{report.delegation_links:,} links from releases to delegations",
            ]
        )
