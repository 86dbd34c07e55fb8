"""The press office's own release, read from the seed files kept beside this
module: the English original (a copy: the project never reads ../shared at run
time) and its Azerbaijani and Russian translations, written for the demo.

Each file's layout: the site's slogan, the title, the title again as the page
heading, the body paragraphs, the signature line and the time of
publication ("20 June 2023 11:52", "20 iyun 2023 11:52", "20 июня 2023 11:52"),
each separated by blank lines.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

SEED_FILE = Path(__file__).with_name("2023-06-20-wco-policy-commission.txt")
SEED_FILES = {
    "en": SEED_FILE,
    "az": SEED_FILE.with_suffix(".az.txt"),
    "ru": SEED_FILE.with_suffix(".ru.txt"),
}
BAKU = ZoneInfo("Asia/Baku")

# Month names as the files write them, Russian in the genitive ("20 июня"),
# so that reading a date does not depend on the machine's locale.
MONTHS = {
    name: number
    for names in (
        "january february march april may june july august september october november december",
        "yanvar fevral mart aprel may iyun iyul avqust sentyabr oktyabr noyabr dekabr",
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    )
    for number, name in enumerate(names.split(), start=1)
}


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
    return SeedRelease(slogan, title, paragraphs, signature, parse_time(stamp, path))


def parse_time(stamp, path):
    """'20 June 2023 11:52', in any of the three languages, as Baku time."""
    try:
        day, month, year, clock = stamp.split()
        hour, minute = clock.split(":")
        return datetime(int(year), MONTHS[month.lower()], int(day), int(hour), int(minute), tzinfo=BAKU)
    except (KeyError, ValueError) as error:
        raise ValueError(f"{path.name}: expected a time like '20 June 2023 11:52', found {stamp!r}.") from error
