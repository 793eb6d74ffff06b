"""What the desk accepts as an attachment: photos and scans (jpg, png, pdf), at most 5 MB.

The extension, the declared type and the file's first bytes must all agree, so a renamed
program is refused even if its name ends in .jpg.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
KINDS = {
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "pdf": ("application/pdf", b"%PDF-"),
}


def check_upload(upload):
    """Return the content type to store, or raise ValidationError with a message for the desk."""
    name = upload.name or ""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in KINDS:
        raise ValidationError(
            _("“%(name)s”: only photos and scans in JPG, PNG or PDF can be attached.") % {"name": name},
            code="file_type",
        )
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; a file may be at most 5 MB.") % {"name": name, "size": upload.size / 2**20},
            code="file_size",
        )
    content_type, magic = KINDS[suffix]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationError(
            _("“%(name)s” is not really a %(kind)s file.") % {"name": name, "kind": suffix.upper()},
            code="file_content",
        )
    return content_type
