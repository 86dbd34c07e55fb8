"""The benchmark's table, as text for the terminal and as Markdown for
bench/results/."""

from dataclasses import dataclass, field
from statistics import median

COLUMNS = [
    "page",
    "req/s",
    "CPU ms",
    "p50 ms",
    "p99 ms",
    "server p50 ms",
    "queries",
    "SQL ms",
    "KiB",
    "worker RSS MiB",
    "vs floor",
]


@dataclass
class Result:
    name: str
    path: str
    bytes: int = 0
    queries: int | None = None
    sql_ms: float | None = None
    slowest_query: tuple = ()  # (milliseconds, SQL)
    explain: str = ""
    runs: list = field(default_factory=list)
    server_ms: list = field(default_factory=list)
    # CPU time of each request in the worker (bench/cpu_log.py).
    cpu_ms: list = field(default_factory=list)
    rss_mib: float = 0.0
    # One request's time with the server otherwise idle (the quickest warm-up).
    unloaded_seconds: float = 0.0
    # Set when the page was loaded with fewer connections than the others.
    connections: int | None = None
    # The way the page is served (bench.pages.Mode), and the server doing so.
    mode: object = None
    server: object = None

    @property
    def per_second(self):
        seconds = sum(run.seconds for run in self.runs)
        return sum(run.requests for run in self.runs) / seconds if seconds else 0.0

    @property
    def p50_ms(self):
        # The median of the rounds' medians: one noisy round does not move it.
        return median(run.p50_ms for run in self.runs)

    @property
    def p99_ms(self):
        return median(run.p99_ms for run in self.runs)

    @property
    def errors(self):
        return sum(run.errors for run in self.runs)

    def error_summary(self):
        kinds = {
            "non-2xx": sum(run.non_2xx for run in self.runs),
            "socket errors": sum(run.socket_errors for run in self.runs),
            "timeouts": sum(run.timeouts for run in self.runs),
        }
        return ", ".join(f"{number} {kind}" for kind, number in kinds.items() if number)

    def cells(self, floor):
        ratio = floor.per_second / self.per_second if self.per_second else float("inf")
        return [
            self.name + (" *" if self.connections else ""),
            f"{self.per_second:,.1f}",
            f"{median(self.cpu_ms):,.2f}" if self.cpu_ms else "–",
            f"{self.p50_ms:,.1f}",
            f"{self.p99_ms:,.1f}",
            f"{median(self.server_ms):,.1f}" if self.server_ms else "–",
            "–" if self.queries is None else str(self.queries),
            "–" if self.sql_ms is None else f"{self.sql_ms:,.1f}",
            f"{self.bytes / 1024:,.1f}",
            f"{self.rss_mib:,.1f}",
            "1" if self is floor else f"1/{ratio:,.1f}",
        ]


def text_table(results, floor):
    rows = [COLUMNS] + [result.cells(floor) for result in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for number, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells))
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def markdown_table(results, floor):
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(COLUMNS) - 1)) + "|",
    ]
    lines += ["| " + " | ".join(result.cells(floor)) + " |" for result in results]
    return "\n".join(lines)


def markdown(*, title, facts, results, floor, notes, with_queries):
    parts = [f"# {title}", "", *(f"- {fact}" for fact in facts), "", markdown_table(results, floor), ""]
    parts += notes
    parts += ["", "## Pages", ""]
    parts += [f"- {result.name}: `{result.path}`" for result in results if result is not floor]
    if with_queries:
        parts += ["", "## The slowest query of each page", ""]
        for result in results:
            if not result.slowest_query:
                continue
            milliseconds, sql = result.slowest_query
            parts += [f"### {result.name}: {milliseconds:,.1f} ms", "", "```sql", sql, "```", ""]
            if result.explain:
                parts += ["```", result.explain, "```", ""]
    return "\n".join(parts).rstrip() + "\n"
