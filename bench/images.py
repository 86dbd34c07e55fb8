"""Time the checks and renditions of one 4000x3000 JPEG upload, and what a
save of PRESSROOM_MAX_PIXELS_PER_SAVE pixels costs at that rate:

DEBUG=1 .venv/bin/python manage.py shell < bench/images.py
"""

import io
import tempfile
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from PIL import Image, ImageDraw

from releases.images import make_renditions, prepare_image

image = Image.radial_gradient("L").resize((4000, 3000)).convert("RGB")
ImageDraw.Draw(image).rectangle((500, 500, 3500, 2500), outline=(200, 30, 30), width=40)
buffer = io.BytesIO()
image.save(buffer, "JPEG", quality=92)
best_prepare = best_renditions = float("inf")
for _ in range(3):
    start = time.perf_counter()
    prepared = prepare_image(ContentFile(buffer.getvalue(), name="photo.jpg"))
    best_prepare = min(best_prepare, time.perf_counter() - start)
    storage = FileSystemStorage(location=tempfile.mkdtemp())
    start = time.perf_counter()
    names = make_renditions(storage, "p.jpg", prepared.content, width=prepared.width, height=prepared.height)
    best_renditions = min(best_renditions, time.perf_counter() - start)
print(
    f"{len(buffer.getvalue()) / 1e6:.1f} MB 4000x3000 JPEG: check + re-encode {best_prepare:.2f} s, "
    f"{len(names)} renditions {best_renditions:.2f} s (best of 3)"
)
per_megapixel = (best_prepare + best_renditions) / 12
budget = settings.PRESSROOM_MAX_PIXELS_PER_SAVE / 1e6
print(f"{per_megapixel:.3f} s a megapixel: a save of {budget:g} megapixels (the limit) {per_megapixel * budget:.1f} s")
