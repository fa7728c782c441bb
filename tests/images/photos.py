"""Real photo files for the upload tests, written with Pillow (and pillow_heif for HEIC), the
way phones and cameras write them: EXIF with a GPS position, the camera's serial number, its
owner and artist, maker notes, an orientation; XMP, IPTC and comments where the format has them.
"""

import io
import struct

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms
from pillow_heif import register_heif_opener

register_heif_opener()

# Every identifying value written below; none may be found in a stored file.
SECRETS = (
    b"Jean Dupont",  # Artist 0x013B
    b"Camille Martin",  # CameraOwnerName 0xA430
    b"SN-0042-7",  # BodySerialNumber 0xA431
    b"maker-notes-secret",  # MakerNote 0x927C
    b"xmp-secret",
    b"iptc-secret",
    b"comment-secret",
)
GPS_IFD = 0x8825
EXIF_IFD = 0x8769
ORIENTATION = 0x0112
RED, BLUE = (230, 20, 20), (20, 20, 230)
# The photo as taken: red on the left, blue on the right. Orientation says how to turn it.
SIZE = (60, 30)

ICC_PROFILE = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def camera_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x013B] = "Jean Dupont"
    exif[0x010F] = "Carnet Camera"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (49.0, 53.0, 40.0)
    gps[3] = "E"
    gps[4] = (2.0, 17.0, 44.0)
    details = exif.get_ifd(EXIF_IFD)
    details[0xA430] = "Camille Martin"
    details[0xA431] = "SN-0042-7"
    details[0x927C] = b"maker-notes-secret"
    return exif


def _xmp() -> bytes:
    return (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="49,53.6N" '
        b'exif:Owner="xmp-secret"/></rdf:RDF></x:xmpmeta>'
    )


def _iptc_segment() -> bytes:
    """An APP13 Photoshop segment holding an IPTC by-line, as photo tools write it."""
    iptc = b"\x1c\x02\x50" + struct.pack(">H", len(b"iptc-secret")) + b"iptc-secret"
    resource = b"8BIM" + b"\x04\x04" + b"\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def picture(mode: str = "RGB") -> Image.Image:
    image = Image.new("RGB", SIZE, BLUE)
    image.paste(RED, (0, 0, SIZE[0] // 2, SIZE[1]))
    return image.convert(mode)


def photo_bytes(image_format: str = "JPEG", *, orientation: int = 1, mode: str = "RGB") -> bytes:
    """A photo in `image_format` carrying every kind of metadata that format can hold."""
    options = {"exif": camera_exif(orientation).tobytes(), "icc_profile": ICC_PROFILE}
    if image_format == "JPEG":
        options.update(comment=b"comment-secret", xmp=_xmp(), extra=_iptc_segment())
    elif image_format == "WEBP":
        options.update(xmp=_xmp())
    elif image_format == "PNG":
        from PIL import PngImagePlugin

        text = PngImagePlugin.PngInfo()
        text.add_text("Author", "Jean Dupont")
        text.add_text("Comment", "comment-secret")
        text.add_itxt("XML:com.adobe.xmp", _xmp().decode())
        options["pnginfo"] = text
    buffer = io.BytesIO()
    picture(mode).save(buffer, format=image_format, **options)
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def photo_upload(name: str = "IMG_0001.jpg", image_format: str = "JPEG", **kwargs):
    return upload(name, photo_bytes(image_format, **kwargs))


def plain_bytes(image_format: str, size=(24, 16), **options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format=image_format, **options)
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    """A JPEG cut short while sending: its header is whole, so Pillow's verify() accepts it."""
    buffer = io.BytesIO()
    Image.effect_noise((256, 256), 60).convert("RGB").save(buffer, format="JPEG", quality=95)
    data = buffer.getvalue()
    return data[: len(data) * 2 // 3]


def animated_gif(comment: bytes = b"comment-secret") -> bytes:
    frames = [Image.new("RGB", (12, 12), colour) for colour in (RED, BLUE, (20, 200, 20))]
    buffer = io.BytesIO()
    frames[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=[100, 200, 300],
        loop=0,
        comment=comment,
    )
    return buffer.getvalue()


def assert_no_metadata(data: bytes) -> None:
    """No identifying metadata in a stored file, read both by Pillow and as raw bytes."""
    for secret in SECRETS:
        assert secret not in data, secret
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD), "GPS position kept"
        assert ORIENTATION not in exif or exif[ORIENTATION] == 1
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop"} & set(image.info)


def is_red(pixel) -> bool:
    return pixel[0] > 150 and pixel[2] < 100


def is_blue(pixel) -> bool:
    return pixel[2] > 150 and pixel[0] < 100
