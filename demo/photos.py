"""The demo's photos (issue 5), drawn with Pillow: nothing is downloaded and
no picture is kept in the repository. The seed release gets a lead photo and
a gallery in each of its language versions, with alt text, captions and
credits in that language; the Policy Commission session gets a cover photo.

Each drawing goes through the same checks and re-encoding as an upload
(releases.images.prepare_image), once per process.
"""

import io
import random
from functools import cache

from django.core.files.base import ContentFile
from django.db.models import Q
from PIL import Image, ImageDraw, ImageFont

from demo import content
from releases.images import prepare_image
from releases.models import Event, EventCover, Release, ReleaseImage

SIZE = (1600, 1067)
CREDIT = {"en": "SCC Press Service", "az": "DGK-nin Mətbuat xidməti", "ru": "Пресс-служба ГТК"}
WCO_BLUE = (0, 84, 150)
# Stripes of the flags before the headquarters, Azerbaijan's first.
FLAGS = [
    [(0, 181, 226), (239, 51, 64), (80, 158, 47)],
    [(0, 0, 0), (253, 218, 36), (239, 51, 64)],
    [(255, 255, 255), (0, 57, 166), (213, 43, 30)],
    [(0, 51, 153), (0, 51, 153), (255, 204, 0)],
    [(206, 17, 38), (255, 255, 255), (206, 17, 38)],
]

# The seed release's photos, in gallery order: the first leads.
SEED_PHOTOS = [
    {
        "drawing": "session",
        "alt_text": {
            "en": "The delegation of the State Customs Committee at the table of the 88th session of the WCO Policy "
            "Commission, a screen with the session's title behind it.",
            "az": "Dövlət Gömrük Komitəsinin nümayəndə heyəti ÜGT-nin Siyasət Komissiyasının 88-ci sessiyasında masa "
            "arxasında, arxada sessiyanın adı yazılmış ekran.",
            "ru": "Делегация Государственного таможенного комитета за столом 88-й сессии Комиссии по политике ВТамО, "
            "за ней экран с названием сессии.",
        },
        "caption": {
            "en": "The 88th session of the WCO Policy Commission at the WCO headquarters in Brussels.",
            "az": "ÜGT-nin Siyasət Komissiyasının 88-ci sessiyası Brüsseldə, ÜGT-nin mənzil-qərargahında.",
            "ru": "88-я сессия Комиссии по политике ВТамО в штаб-квартире ВТамО в Брюсселе.",
        },
    },
    {
        "drawing": "headquarters",
        "alt_text": {
            "en": "The glass front of the WCO headquarters in Brussels under a blue sky, a row of flags before it.",
            "az": "Mavi səma altında Brüsseldə ÜGT-nin mənzil-qərargahının şüşə fasadı, qarşısında bir sıra bayraq.",
            "ru": "Стеклянный фасад штаб-квартиры ВТамО в Брюсселе под синим небом, перед ним ряд флагов.",
        },
        "caption": {
            "en": "The headquarters of the World Customs Organization in Brussels.",
            "az": "Ümumdünya Gömrük Təşkilatının Brüsseldəki mənzil-qərargahı.",
            "ru": "Штаб-квартира Всемирной таможенной организации в Брюсселе.",
        },
    },
    {
        "drawing": "delegation",
        "alt_text": {
            "en": "Six members of the delegation stand in a row before a blue WCO backdrop.",
            "az": "Nümayəndə heyətinin altı üzvü mavi ÜGT fonunun qarşısında sıra ilə dayanıb.",
            "ru": "Шесть членов делегации стоят в ряд на фоне синего баннера ВТамО.",
        },
        "caption": {
            "en": "The delegation led by Chairman Shahin Baghirov.",
            "az": "Sədr Şahin Bağırovun rəhbərlik etdiyi nümayəndə heyəti.",
            "ru": "Делегация во главе с председателем Шахином Багировым.",
        },
    },
]

# The cover photo of each demo event that has one.
EVENT_COVERS = {content.POLICY_COMMISSION: SEED_PHOTOS[1]}


def add_demo_photos():
    """Give the seed release's language versions that have no photo their
    photos, and the demo events that have no cover photo theirs. What has
    photos is left as it is. Returns the number of photos added."""
    added = 0
    for release in seed_versions().filter(images=None):
        for order, photo in enumerate(SEED_PHOTOS, start=1):
            image = ReleaseImage(
                release=release,
                order=order,
                is_lead=order == 1,
                alt_text=photo["alt_text"][release.language],
                caption=photo["caption"][release.language],
                credit=CREDIT[release.language],
            )
            image.attach(prepared(photo["drawing"]))
            image.save()
            added += 1
    for event in Event.objects.filter(slug__in=EVENT_COVERS, cover=None):
        photo = EVENT_COVERS[event.slug]
        cover = EventCover(
            event=event,
            **{f"alt_text_{language}": text for language, text in photo["alt_text"].items()},
            **{f"credit_{language}": text for language, text in CREDIT.items()},
        )
        cover.attach(prepared(photo["drawing"]))
        cover.save()
        added += 1
    return added


def seed_versions():
    """The seed release's language versions, known by their slugs or by the
    translation key of the first found (as load_demo finds them)."""
    by_slug = Q()
    for language, version in content.SEED_RELEASE["versions"].items():
        by_slug |= Q(language=language, slug=version["slug"])
    first = Release.objects.filter(by_slug).order_by("created_at", "pk").first()
    return Release.objects.filter(translation_key=first.translation_key) if first else Release.objects.none()


@cache
def prepared(drawing):
    """A drawing, as prepare_image leaves an upload."""
    picture = DRAWINGS[drawing](random.Random(drawing))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=92)
    return prepare_image(ContentFile(buffer.getvalue(), name=f"{drawing}.jpg"))


# The drawings


def font(size):
    return ImageFont.load_default(size=size)


def vertical_gradient(top, bottom):
    """An RGB image of SIZE going from colour `top` to colour `bottom`."""
    ramp = Image.linear_gradient("L").resize(SIZE)
    return Image.composite(Image.new("RGB", SIZE, bottom), Image.new("RGB", SIZE, top), ramp)


def person(draw, x, floor, height, suit, rng, breadth=0.22):
    """A standing or seated figure: head, shoulders, a white collar and a tie."""
    head = height * 0.16
    skin = rng.choice([(224, 172, 105), (198, 134, 66), (241, 194, 125), (141, 85, 36)])
    hair = rng.choice([(40, 30, 25), (90, 60, 40), (160, 160, 160), (20, 20, 20)])
    top = floor - height
    draw.rounded_rectangle(
        (x - height * breadth, top + head * 1.15, x + height * breadth, floor), radius=int(head * 0.6), fill=suit
    )
    draw.polygon(
        [(x - head * 0.3, top + head * 1.15), (x + head * 0.3, top + head * 1.15), (x, top + head * 1.9)], fill="white"
    )
    draw.polygon(
        [(x - head * 0.08, top + head * 1.25), (x + head * 0.08, top + head * 1.25), (x, top + head * 2.4)],
        fill=rng.choice([(150, 20, 30), WCO_BLUE, (40, 40, 40)]),
    )
    draw.ellipse((x - head / 2, top, x + head / 2, top + head * 1.2), fill=skin)
    draw.chord((x - head / 2, top - head * 0.05, x + head / 2, top + head * 0.8), 180, 360, fill=hair)


def flag(draw, x, ground, colours, height=300):
    draw.rectangle((x - 3, ground - height, x + 3, ground), fill=(120, 120, 120))
    stripe = 30
    for number, colour in enumerate(colours):
        draw.rectangle(
            (x + 3, ground - height + number * stripe, x + 133, ground - height + (number + 1) * stripe), fill=colour
        )


def draw_session(rng):
    """A conference room: a screen with the session's title, the delegation at the table."""
    picture = vertical_gradient((112, 86, 62), (70, 52, 38))
    draw = ImageDraw.Draw(picture)
    for x in range(0, SIZE[0], 80):
        draw.line((x, 0, x, 560), fill=(96, 72, 52), width=3)
    draw.rectangle((420, 90, 1180, 500), fill=(235, 240, 245), outline=(30, 30, 30), width=8)
    draw.ellipse((470, 150, 630, 310), fill=WCO_BLUE)
    draw.text((550, 230), "WCO", font=font(56), fill="white", anchor="mm")
    draw.text((660, 170), "88th session", font=font(58), fill=WCO_BLUE)
    draw.text((660, 250), "Policy Commission", font=font(50), fill=(40, 40, 40))
    draw.text((660, 330), "Brussels, 19 June", font=font(40), fill=(90, 90, 90))
    suits = [(30, 35, 50), (45, 45, 45), (25, 40, 70), (60, 60, 70)]
    for number in range(7):
        person(draw, 170 + number * 210 + rng.randint(-15, 15), 820, rng.randint(300, 340), rng.choice(suits), rng)
    draw.polygon([(0, 760), (SIZE[0], 760), (SIZE[0], SIZE[1]), (0, SIZE[1])], fill=(92, 58, 34))
    draw.rectangle((0, 760, SIZE[0], 785), fill=(120, 80, 50))
    for number in range(7):
        x = 170 + number * 210
        draw.rectangle((x - 60, 800, x + 60, 830), fill="white", outline=(60, 60, 60))
        draw.line((x + 40, 790, x + 70, 700), fill=(30, 30, 30), width=6)
        draw.ellipse((x + 62, 690, x + 80, 708), fill=(30, 30, 30))
    return picture


def draw_headquarters(rng):
    """A glass building under a blue sky, flags before it."""
    picture = vertical_gradient((70, 130, 200), (190, 220, 245))
    draw = ImageDraw.Draw(picture)
    for _cloud in range(5):
        x, y = rng.randint(0, SIZE[0]), rng.randint(40, 260)
        for dx in range(0, 240, 60):
            draw.ellipse((x + dx, y - rng.randint(0, 30), x + dx + 140, y + 70), fill=(245, 248, 252))
    draw.rectangle((200, 230, 1380, 900), fill=(150, 175, 195))
    for row, y in enumerate(range(250, 880, 70)):
        for x in range(220, 1300, 96):
            shade = 120 + ((row * 7 + x // 96 * 13) % 60)
            draw.rectangle((x, y, x + 84, y + 60), fill=(shade - 60, shade - 20, shade + 40))
    draw.rectangle((680, 720, 920, 900), fill=(60, 70, 80))
    draw.rectangle((0, 900, SIZE[0], SIZE[1]), fill=(170, 170, 165))
    for number in range(10):
        flag(draw, 60 + number * 155, 1020, FLAGS[number % len(FLAGS)], height=rng.randint(330, 360))
    return picture


def draw_delegation(rng):
    """The delegation in a row before the organization's backdrop."""
    picture = vertical_gradient((0, 96, 170), (0, 60, 120))
    draw = ImageDraw.Draw(picture)
    for y in range(60, 700, 210):
        for x in range(80, SIZE[0], 360):
            draw.text((x, y), "WCO OMD", font=font(64), fill=(40, 130, 200))
    draw.rectangle((0, 960, SIZE[0], SIZE[1]), fill=(120, 30, 40))
    suits = [(20, 25, 40), (40, 40, 45), (25, 35, 60)]
    for number in range(6):
        person(
            draw, 230 + number * 228 + rng.randint(-10, 10), 1010, rng.randint(620, 700), rng.choice(suits), rng, 0.14
        )
    return picture


DRAWINGS = {"session": draw_session, "headquarters": draw_headquarters, "delegation": draw_delegation}
