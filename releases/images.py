"""Photos as the press office publishes them (issue 5).

An upload is judged by its content, with Pillow, never by its name: JPEG,
PNG, WebP and GIF are accepted, anything else (SVG, HTML, a renamed text
file) is refused, and so are empty, damaged or truncated files, files over
the size limit and images of more pixels than the limit (decompression bombs:
the size in the header is checked before a single pixel is decoded).

The original is stored re-encoded, turned upright by its EXIF orientation and
stripped of EXIF, XMP and every other piece of metadata (GPS positions and
camera serial numbers of press photographers never reach the public); its
colour profile alone is kept. Renditions of fixed widths
(PRESSROOM_IMAGE_WIDTHS, never wider than the original) are made once, in
WebP and JPEG, and stored beside it: `images/2024/06/<name>.jpg`,
`images/2024/06/<name>-800.webp`, `images/2024/06/<name>-800.jpg`.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from releases.uploads import SHOWN_NAME_LENGTH, generated_name, read_upload, shown_name

FOLDER = "images"
# Pillow's name of each accepted format, and the extension it is stored with.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# Pillow reads the JPEGs of some cameras (which carry a second, preview
# picture) as MPO: a JPEG all the same, stored as one.
SAME_AS = {"MPO": "JPEG"}
# How each format is written as the stored original.
ORIGINAL_OPTIONS = {
    "JPEG": {"quality": 90, "progressive": True},
    "PNG": {},
    "WEBP": {"quality": 90},
    "GIF": {},
}
# Renditions: (extension, Pillow format, options), smallest files first.
RENDITION_FORMATS = [
    ("webp", "WEBP", {"quality": 80, "method": 4}),
    ("jpg", "JPEG", {"quality": 82, "progressive": True, "optimize": True}),
]
RENDITION_TYPES = {"webp": "image/webp", "jpg": "image/jpeg"}
# What Pillow raises for a damaged file: "image file is truncated", "broken
# PNG file", a bad palette...
UNREADABLE = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError)
# The most pixels a WebP image may have across or down: a photo whose
# renditions could not be made within it is refused (check_renditions_fit).
WEBP_MAX_SIDE = 16383
# Modes each format stores as they are; other modes are converted.
KEPT_MODES = {
    "JPEG": {"L", "RGB"},
    "PNG": {"1", "L", "LA", "P", "RGB", "RGBA"},
    "WEBP": {"RGB", "RGBA"},
    "GIF": {"L", "P"},
}


@dataclass(frozen=True)
class PreparedImage:
    """An accepted upload: the original re-encoded (upright, no metadata),
    ready to be stored when the row that holds it is saved."""

    content: bytes
    format: str
    width: int
    height: int
    original_filename: str

    @property
    def extension(self):
        return EXTENSIONS[self.format]

    def generated_name(self):
        return generated_name(FOLDER, self.extension)


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    name: str
    content_type: str


def prepare_image(file):
    """Check an uploaded image and re-encode it; raise ValidationError, with
    a code, for anything the rules refuse. `file` is an UploadedFile or any
    Django File."""
    name = shown_name(file)
    content = read_upload(file)
    image = open_image(content, name[:SHOWN_NAME_LENGTH])
    kind = SAME_AS.get(image.format, image.format)
    try:
        upright = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, TypeError, KeyError) as error:
        raise damaged(name[:SHOWN_NAME_LENGTH]) from error
    check_renditions_fit(upright.size, name[:SHOWN_NAME_LENGTH])
    clean = without_metadata(upright, kind)
    buffer = io.BytesIO()
    clean.save(buffer, format=kind, **ORIGINAL_OPTIONS[kind], **colour_profile(upright, clean.mode))
    return PreparedImage(
        content=buffer.getvalue(),
        format=kind,
        width=clean.width,
        height=clean.height,
        original_filename=name,
    )


def check_batch(files):
    """Refuse, before any of them is decoded, more new photos in one save
    than a request can check and render well within the app server's
    timeout: more than PRESSROOM_MAX_PHOTOS_PER_SAVE files, or more than
    PRESSROOM_MAX_PIXELS_PER_SAVE pixels between them, as their headers
    declare (the work on a photo grows with its pixels)."""
    count_limit, pixel_limit = settings.PRESSROOM_MAX_PHOTOS_PER_SAVE, settings.PRESSROOM_MAX_PIXELS_PER_SAVE
    if len(files) > count_limit:
        raise ValidationError(
            _("%(count)d photos were sent in one save; at most %(limit)d can go in one. Add them in several saves."),
            code="too_many_photos",
            params={"count": len(files), "limit": count_limit},
        )
    pixels = sum(declared_pixels(file) for file in files)
    if pixels > pixel_limit:
        raise ValidationError(
            _(
                "The %(count)d photos sent have %(megapixels)s megapixels between them; at most %(limit)s "
                "megapixels can go in one save. Add them in several saves."
            ),
            code="too_many_pixels_per_save",
            params={
                "count": len(files),
                "megapixels": f"{round(pixels / 1_000_000, 1):g}",
                "limit": f"{pixel_limit / 1_000_000:g}",
            },
        )


def declared_pixels(file):
    """The pixels the header of an uploaded image declares, read without
    decoding it; 0 for a file that is not an image Pillow reads (what is wrong
    with it is prepare_image's to say)."""
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file, formats=list(EXTENSIONS)) as image:
                width, height = image.size
    except (Image.DecompressionBombError, *UNREADABLE):
        return 0
    finally:
        file.seek(0)
    return width * height


def open_image(content, name):
    """The image in `content`, decoded (its first frame), after the checks
    that need no decoding: that it is an accepted format and that it has no
    more pixels than the limit. Pillow's own decompression bomb checks
    (a warning, then an error, at its MAX_IMAGE_PIXELS) count as the limit."""
    limit = settings.PRESSROOM_MAX_IMAGE_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(content), formats=list(EXTENSIONS))
            width, height = image.size
            if width * height > limit:
                raise too_many_pixels(name, width, height, limit)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise too_many_pixels(name, None, None, limit) from error
        except UnidentifiedImageError as error:
            raise ValidationError(
                _(
                    "The file “%(name)s” is not a JPEG, PNG, WebP or GIF image. Other files, SVG drawings "
                    "among them, are not accepted."
                ),
                code="not_an_image",
                params={"name": name},
            ) from error
        except UNREADABLE as error:
            raise damaged(name) from error
    if SAME_AS.get(image.format, image.format) not in EXTENSIONS:
        raise damaged(name)
    return image


def too_many_pixels(name, width, height, limit):
    megapixels = f"{limit / 1_000_000:g}"
    if width is None:
        return ValidationError(
            _("The image “%(name)s” has more pixels than the %(limit)s megapixels accepted."),
            code="too_many_pixels",
            params={"name": name, "limit": megapixels},
        )
    return ValidationError(
        _(
            "The image “%(name)s” is %(width)d × %(height)d pixels, more than the %(limit)s megapixels "
            "accepted: make it smaller and upload it again."
        ),
        code="too_many_pixels",
        params={"name": name, "width": width, "height": height, "limit": megapixels},
    )


def check_renditions_fit(size, name):
    """Refuse an image whose widest rendition would be taller (or wider) than
    WebP allows: a strip of 400 × 100,000 pixels is within the pixel limit,
    but its renditions could not be made once its row is saved. `size` is
    the upright one, as stored."""
    width, height = size
    widest = max(rendition_widths(width))
    tallest = rendition_height(width, height, widest)
    if max(widest, tallest) > WEBP_MAX_SIDE:
        raise ValidationError(
            _(
                "The image “%(name)s” is %(width)d × %(height)d pixels: too tall for its width. Its copy "
                "%(rendition_width)d pixels wide would be %(rendition_height)d pixels tall, more than the "
                "%(limit)d a web image may have: crop it, or split it into several photos."
            ),
            code="too_tall",
            params={
                "name": name,
                "width": width,
                "height": height,
                "rendition_width": widest,
                "rendition_height": tallest,
                "limit": WEBP_MAX_SIDE,
            },
        )


def damaged(name):
    return ValidationError(
        _(
            "The image “%(name)s” is damaged or incomplete (it may have been cut short while copying): "
            "save it again from the original and upload the new copy."
        ),
        code="damaged",
        params={"name": name},
    )


def without_metadata(image, kind):
    """`image` in a mode its format stores, with no metadata left for Pillow
    to write: EXIF, XMP, comments and text chunks all stay behind. Palette
    transparency, which is part of the picture, is kept."""
    if image.mode not in KEPT_MODES[kind]:
        has_alpha = "A" in image.getbands() or "transparency" in image.info
        if kind == "GIF":
            image = image.convert("P", palette=Image.Palette.ADAPTIVE)
        else:
            image = image.convert("RGBA" if has_alpha and kind in ("PNG", "WEBP") else "RGB")
    else:
        image = image.copy()
    transparency = image.info.get("transparency")
    image.info = {} if transparency is None else {"transparency": transparency}
    image.getexif().clear()
    return image


def colour_profile(image, mode):
    """The colour profile of `image`, to write with its pixels in `mode`: only
    where the colour space is the same (a CMYK or grey profile would garble
    RGB pixels)."""
    profile = image.info.get("icc_profile")
    if profile and colour_space(image.mode) == colour_space(mode):
        return {"icc_profile": profile}
    return {}


def colour_space(mode):
    return {"1": "grey", "L": "grey", "LA": "grey", "I": "grey", "I;16": "grey", "CMYK": "CMYK"}.get(mode, "RGB")


# Renditions


def rendition_widths(width):
    """The widths of the renditions of an image `width` pixels wide: those of
    PRESSROOM_IMAGE_WIDTHS, any wider than the image replaced by its own width."""
    return sorted({min(target, width) for target in settings.PRESSROOM_IMAGE_WIDTHS})


def rendition_height(width, height, target_width):
    return max(1, round(height * target_width / width))


def rendition_name(name, width, extension):
    stem = name.rsplit(".", 1)[0]
    return f"{stem}-{width}.{extension}"


def renditions(name, width, height):
    """Every rendition an image should have, as Rendition(width, height,
    name, content type), narrowest first, WebP before JPEG."""
    return [
        Rendition(target, rendition_height(width, height, target), rendition_name(name, target, extension), kind)
        for target in rendition_widths(width)
        for extension, kind in RENDITION_TYPES.items()
    ]


def stored_names(name, width, height):
    """The original and its renditions: every file an image keeps."""
    if not name:
        return []
    return [name, *(rendition.name for rendition in renditions(name, width, height))]


def store_image(storage, name, content, *, width, height):
    """Write the original under `name`, then make its renditions."""
    saved = storage.save(name, ContentFile(content))
    if saved != name:
        # Names are random; a clash would mean the renditions of one image
        # are named after another's.
        storage.delete(saved)
        raise FileExistsError(f"{name} is taken in {storage!r}")
    make_renditions(storage, name, content, width=width, height=height)


def make_renditions(storage, name, content, *, width, height, only_missing=False):
    """Make the renditions of the original `content` stored as `name`
    (`width` × `height`, upright), largest first, each from the one before;
    with only_missing, leave those that exist. Returns the names written."""
    wanted = [
        rendition
        for rendition in renditions(name, width, height)
        if not (only_missing and storage.exists(rendition.name))
    ]
    if not wanted:
        return []
    source = Image.open(io.BytesIO(content))
    widest = max(rendition.width for rendition in wanted)
    # JPEG decoding can scale by 1/2, 1/4 or 1/8 as it goes, several times
    # faster than decoding every pixel; it never goes below the size asked.
    source.draft("RGB", (widest, rendition_height(width, height, widest)))
    has_alpha = "A" in source.getbands() or "transparency" in source.info
    picture = source.convert("RGBA" if has_alpha else "RGB")
    profile = colour_profile(source, picture.mode)
    written = []
    for target in sorted({rendition.width for rendition in wanted}, reverse=True):
        size = (target, rendition_height(width, height, target))
        if picture.size != size:
            picture = picture.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        for rendition in (rendition for rendition in wanted if rendition.width == target):
            extension = rendition.name.rsplit(".", 1)[1]
            kind, options = next((kind, options) for ext, kind, options in RENDITION_FORMATS if ext == extension)
            out = flattened(picture) if kind == "JPEG" and has_alpha else picture
            buffer = io.BytesIO()
            out.save(buffer, format=kind, **options, **profile)
            written.append(storage.save(rendition.name, ContentFile(buffer.getvalue())))
    return written


def flattened(picture):
    """An RGBA picture on white, for JPEG, which has no transparency."""
    background = Image.new("RGB", picture.size, (255, 255, 255))
    background.paste(picture, mask=picture.getchannel("A"))
    return background
