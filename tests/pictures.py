"""Real images and documents made with Pillow and by hand inside the tests
(issue 5): no binary fixtures."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from releases.images import prepare_image

ORIENTATION = 0x0112
MAKE = 0x010F
BODY_SERIAL_NUMBER = 0xA431
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
SERIAL = "CAMERA-SERIAL-4711"
# Where the photographer stood (Brussels), as EXIF writes it.
GPS = {1: "N", 2: (50.0, 50.0, 20.0), 3: "E", 4: (4.0, 21.0, 10.0)}


def image_bytes(kind="JPEG", size=(800, 600), *, colour=(200, 30, 40), mode="RGB", **options):
    """An image of `size` in Pillow format `kind`, drawn so that it can be told
    upright from turned: a blue block in its top left corner."""
    picture = Image.new(mode, size, colour)
    block = (0, 0, max(1, size[0] // 4), max(1, size[1] // 4))
    picture.paste((0, 0, 255) if mode in ("RGB", "RGBA") else 0, block)
    if kind == "GIF":
        picture = picture.convert("P")
    buffer = io.BytesIO()
    picture.save(buffer, kind, **options)
    return buffer.getvalue()


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def camera_exif(orientation=None):
    """EXIF as a camera writes it: maker, body serial number, GPS position,
    and an orientation when given."""
    exif = Image.Exif()
    exif[MAKE] = "PressCam"
    if orientation is not None:
        exif[ORIENTATION] = orientation
    exif.get_ifd(EXIF_IFD)[BODY_SERIAL_NUMBER] = SERIAL
    exif.get_ifd(GPS_IFD).update(GPS)
    return exif.tobytes()


def portrait_jpeg_taken_sideways():
    """A portrait photo as a camera held upright stores it: pixels 1200 wide
    and 900 high, and the EXIF orientation 6 ("turn 90° clockwise to view"),
    with GPS and the camera's serial number."""
    return image_bytes("JPEG", (1200, 900), exif=camera_exif(orientation=6))


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header(width, height):
    """The PNG signature and a header chunk declaring `width` × `height`."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header)


def huge_png(width=50_000, height=50_000):
    """A complete PNG declaring `width` × `height` pixels, a few hundred bytes
    on disk: one compressed row, as a decompression bomb is built."""
    pixels = zlib.compress(b"\x00" + b"\x00" * 3 * 16, 9)
    return png_header(width, height) + png_chunk(b"IDAT", pixels) + png_chunk(b"IEND", b"")


SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<script>alert(document.cookie)</script><rect width="100" height="100" fill="red"/></svg>'
)
HTML_PAGE = b"<html><body><script>alert(document.cookie)</script></body></html>"


def prepared_image(kind="JPEG", size=(800, 600), name="photo.jpg", **options):
    return prepare_image(upload(image_bytes(kind, size, **options), name))


def minimal_pdf(text="Agenda"):
    """A small, well-formed PDF: header, objects, cross-reference table,
    trailer, and `startxref` pointing at the table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
