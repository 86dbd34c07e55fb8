"""The archive import's benchmark (issue 19; README, "Moving a site"): a
generated WordPress export and a generated folder of saved pages, with a few
per cent of broken items (no date) and broken photos, imported into a
PostgreSQL database of their own, twice. Prints items per second, the
import's peak memory (its process's maximum resident set) and the second
run's time.

    .venv/bin/python -m bench.imports --items 100000 --pages 20000

The database (pr_imports_bench by default) is dropped and made again at
each run; the files go to a temporary folder, removed at the end."""

import argparse
import io
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

import dj_database_url
import psycopg2
from PIL import Image
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pr_imports_bench"
BROKEN_ITEMS = 0.03  # published, with no date: refused
WITH_PHOTO = 0.02  # items with a photo...
BROKEN_PHOTO = 0.25  # ...of which this share is damaged: refused
WORDS = [
    "customs",
    "session",
    "delegation",
    "commission",
    "border",
    "post",
    "declaration",
    "seminar",
    "cooperation",
    "agreement",
    "trade",
    "transit",
    "electronic",
    "risk",
    "control",
    "cargo",
    "smuggling",
    "green",
    "chairman",
    "visit",
    "meeting",
]


def fresh_database(url):
    config = dj_database_url.parse(url)
    connection = psycopg2.connect(
        dbname="postgres", user=config["USER"] or None, host=config["HOST"] or None, port=config["PORT"] or None
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(config["NAME"])))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    connection.close()


def sentence(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def write_photos(folder):
    """Two good photos and a damaged one."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, colour in (("good-1.jpg", (200, 30, 40)), ("good-2.jpg", (30, 120, 200))):
        buffer = io.BytesIO()
        Image.new("RGB", (1200, 800), colour).save(buffer, "JPEG", quality=85)
        (folder / name).write_bytes(buffer.getvalue())
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 cut short")


def photo_for(rng):
    if rng.random() >= WITH_PHOTO:
        return None
    return "broken.jpg" if rng.random() < BROKEN_PHOTO else rng.choice(["good-1.jpg", "good-2.jpg"])


def write_wxr(path, count, seed=1):
    rng = random.Random(seed)
    tags = [f"{rng.choice(WORDS)} {number}" for number in range(500)]
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
            "<channel><title>Bench</title><wp:base_site_url>https://old.bench.example</wp:base_site_url>\n"
        )
        attachment = count + 1
        for number in range(1, count + 1):
            # Pairs of items are translations of each other (Polylang).
            language, group = ("en", number) if number % 2 else ("az", number - 1)
            day = f"{rng.randint(2010, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            date = "0000-00-00 00:00:00" if rng.random() < BROKEN_ITEMS else f"{day} 08:{rng.randint(0, 59):02d}:00"
            photo = photo_for(rng)
            categories = "".join(
                f'<category domain="post_tag" nicename="t"><![CDATA[{tag}]]></category>' for tag in rng.sample(tags, 4)
            )
            out.write(
                f"<item><title>{escape(sentence(rng, 9))} {number}</title>"
                f"<link>https://old.bench.example/{language}/news/{number}/</link>"
                f"<content:encoded><![CDATA[<p>{sentence(rng, 60)}.</p><p>{sentence(rng, 40)}.</p>]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[{sentence(rng, 20)}.]]></excerpt:encoded>"
                f"<wp:post_id>{number}</wp:post_id><wp:post_date_gmt>{date}</wp:post_date_gmt>"
                f"<wp:post_name>news-{number}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="d"><![CDATA[Department {rng.randint(1, 10)}]]></category>'
                f'{categories}<category domain="language" nicename="{language}">{language}</category>'
                f'<category domain="post_translations" nicename="pll_{group}">pll_{group}</category>'
                "</item>\n"
            )
            if photo:
                out.write(
                    f"<item><title>Photo {number}</title><wp:post_id>{attachment}</wp:post_id>"
                    f"<wp:post_parent>{number}</wp:post_parent><wp:post_type>attachment</wp:post_type>"
                    f"<wp:attachment_url>https://old.bench.example/wp-content/uploads/{photo}</wp:attachment_url></item>\n"
                )
                attachment += 1
        out.write("</channel></rss>\n")


def write_pages(folder, count, seed=2):
    rng = random.Random(seed)
    for number in range(1, count + 1):
        language = "en" if number % 2 else "az"
        page = folder / language / "news" / f"{number // 2}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        date = (
            "someday"
            if rng.random() < BROKEN_ITEMS
            else f"{rng.randint(1, 28)}.{rng.randint(1, 12):02d}.{rng.randint(2010, 2023)}"
        )
        photo = photo_for(rng)
        gallery = f'<div class="gallery"><img src="/uploads/{photo}" alt="A photo"></div>' if photo else ""
        page.write_text(
            f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8"><title>News</title></head><body>'
            f'<nav><a href="/">Home</a></nav><article class="news"><h1>{sentence(rng, 9)} {number}</h1>'
            f'<p class="date">{date}</p><div class="text"><p>{sentence(rng, 60)}.</p><p>{sentence(rng, 40)}.</p></div>'
            f'{gallery}<p class="tags"><a href="#">{rng.choice(WORDS)}</a> <a href="#">{rng.choice(WORDS)}</a></p>'
            "</article></body></html>",
            encoding="utf-8",
        )
    (folder / "mapping.toml").write_text(
        'source = "pages.bench.example"\ndefault_department = "Press service"\n'
        '[html]\nfiles = ["az/**/*.html", "en/**/*.html"]\n'
        'article = "article.news"\ntitle = "article.news h1"\ndate = ".date"\ndate_format = "%d.%m.%Y"\n'
        'body = ".text"\ntags = ".tags a"\nphotos = ".gallery img"\nlanguage = "html@lang"\n'
        'translation_key_pattern = "/news/(\\\\d+)"\n'
    )


def run_import(environment, *args):
    """(seconds, peak resident memory in MB, its summary line) of one import."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "import_archive", *args],
        env=environment, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if status != 0:
        raise SystemExit(f"import_archive {' '.join(args)} failed:\n{output}")
    return seconds, usage.ru_maxrss / 1024, output.strip().splitlines()[-1]


def just_read(path):
    """Read the export at `path` as the import does, writing nothing: the
    reader's own pace and memory, whatever the file's size."""
    import django

    django.setup()
    from imports.mapping import Mapping
    from imports.sources import wxr

    started = time.monotonic()
    count = sum(1 for _item in wxr.read(path, mapping=Mapping()))
    print(f"{count} {time.monotonic() - started:.1f}")


def measure_reading(environment, folder, counts):
    """The reader alone on exports of each size in `counts`."""
    for count in counts:
        export = folder / f"read-{count}.xml"
        write_wxr(export, count)
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.imports", "--just-read", str(export)],
            env=environment, cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        output = process.stdout.read().split()
        _pid, _status, usage = os.wait4(process.pid, 0)
        items, seconds = int(output[0]), float(output[1])
        print(
            f"Reading the export alone: {items:,} items ({export.stat().st_size / 1e6:.0f} MB) in {seconds:.1f} s, "
            f"{items / seconds:,.0f} items/s, peak memory {usage.ru_maxrss / 1024:.0f} MB"
        )
        export.unlink()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000, help="items of the WordPress export")
    parser.add_argument("--pages", type=int, default=20_000, help="saved pages (0: none)")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument(
        "--read-sizes", default="", help="also time the reader alone on exports of these sizes: 10000,100000"
    )
    parser.add_argument("--just-read", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.just_read:
        return just_read(options.just_read)
    if options.read_sizes:
        with tempfile.TemporaryDirectory(prefix="pressroom-import-bench-") as folder:
            environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "pressroom.settings.test"}
            measure_reading(environment, Path(folder), [int(size) for size in options.read_sizes.split(",")])
    if not (options.items or options.pages):
        return None
    fresh_database(options.database_url)
    with tempfile.TemporaryDirectory(prefix="pressroom-import-bench-") as folder:
        folder = Path(folder)
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pressroom.settings.main",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": options.database_url,
            "MEDIA_ROOT": str(folder / "media"),
            "PRESSROOM_DOCUMENTS_ROOT": str(folder / "documents"),
            "SECURE_SSL_REDIRECT": "0",
        }
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=environment, check=True)
        write_photos(folder / "uploads")
        runs = []
        if options.items:
            export = folder / "export.xml"
            write_wxr(export, options.items)
            args = [
                str(export),
                "--map",
                str(ROOT / "bench" / "imports_mapping.toml"),
                "--files",
                str(folder / "uploads"),
            ]
            runs.append(("WXR", options.items, args, export.stat().st_size))
        if options.pages:
            site = folder / "site"
            write_pages(site, options.pages)
            (site / "uploads").mkdir(parents=True, exist_ok=True)
            for photo in (folder / "uploads").iterdir():
                (site / "uploads" / photo.name).write_bytes(photo.read_bytes())
            runs.append(("HTML", options.pages, [str(site), "--map", str(site / "mapping.toml")], None))
        for label, count, args, size in runs:
            args += ["--report", str(folder / f"report-{label}.csv")]
            first = run_import(environment, *args)
            second = run_import(environment, *args)
            described = f" ({size / 1e6:.0f} MB)" if size else ""
            print(f"{label}: {count:,} items{described}")
            print(f"  first run:  {first[0]:8.1f} s, {count / first[0]:7.1f} items/s, peak memory {first[1]:.0f} MB")
            print(f"              {first[2]}")
            print(f"  second run: {second[0]:8.1f} s, {count / second[0]:7.1f} items/s, peak memory {second[1]:.0f} MB")
            print(f"              {second[2]}")


if __name__ == "__main__":
    main()
