"""The press office's own release, read from the seed file kept beside this
module (a copy: the project never reads ../shared at run time).

The file's layout: the site's slogan, the title, the title again as the page
heading, the body paragraphs, the signature line and the time of
publication, each separated by blank lines.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

SEED_FILE = Path(__file__).with_name("2023-06-20-wco-policy-commission.txt")
BAKU = ZoneInfo("Asia/Baku")


@dataclass(frozen=True)
class SeedRelease:
    slogan: str
    title: str
    paragraphs: list
    signature: str
    published_at: datetime


def read_seed_release(path=SEED_FILE):
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    slogan, title, heading, *paragraphs, signature, stamp = [line for line in lines if line]
    if heading != title:
        raise ValueError(f"{path.name}: expected the title twice, found {title!r} and {heading!r}.")
    published_at = datetime.strptime(stamp, "%d %B %Y %H:%M").replace(tzinfo=BAKU)
    return SeedRelease(slogan, title, paragraphs, signature, published_at)
