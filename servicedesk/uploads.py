"""Checks for uploaded files: allowed type (by extension and by the file's first bytes) and size.

A renamed program or an oversized photo is refused with a message that names the file, next to
the field. One implementation for every upload of the desk (documents, photos, attachments).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# extension -> (content type to store, the bytes such a file starts with)
KINDS = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
}
DOCUMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png")
PHOTO_TYPES = (".jpg", ".jpeg", ".png")


class UploadValidator:
    def __init__(self, allowed=DOCUMENT_TYPES, max_bytes=MAX_UPLOAD_BYTES):
        self.allowed = tuple(allowed)
        self.max_bytes = max_bytes

    def __call__(self, upload):
        self.content_type(upload)

    def content_type(self, upload):
        """The checked file's content type, or a ValidationError naming the file."""
        name = Path(upload.name or "").name
        extension = Path(name).suffix.lower()
        names = "、".join(ext.lstrip(".").upper() for ext in self.allowed)
        if extension not in self.allowed:
            raise ValidationError(
                _("“%(name)s”: only %(types)s files can be uploaded.") % {"name": name, "types": names},
                code="upload_type",
            )
        if upload.size > self.max_bytes:
            raise ValidationError(
                _("“%(name)s” is %(size)s; the limit is %(limit)s.")
                % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(self.max_bytes)},
                code="upload_size",
            )
        content_type, magic = KINDS[extension]
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(len(magic))
        upload.seek(position)
        if head != magic:
            raise ValidationError(
                _("“%(name)s” is not a real %(type)s file.") % {"name": name, "type": extension.lstrip(".").upper()},
                code="upload_content",
            )
        return content_type

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and (self.allowed, self.max_bytes) == (other.allowed, other.max_bytes)

    def deconstruct(self):
        return ("servicedesk.uploads.UploadValidator", (), {"allowed": self.allowed, "max_bytes": self.max_bytes})


validate_document = UploadValidator(DOCUMENT_TYPES)
validate_photo = UploadValidator(PHOTO_TYPES)
