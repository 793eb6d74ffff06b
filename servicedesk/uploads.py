"""Checks for uploaded files: allowed type (by extension and by the file's first bytes) and size.

A renamed executable or an oversized photo is refused with a message next to the field.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# extension -> the bytes such a file starts with
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
DOCUMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png")
PHOTO_TYPES = (".jpg", ".jpeg", ".png")


class UploadValidator:
    def __init__(self, allowed=DOCUMENT_TYPES, max_bytes=MAX_UPLOAD_BYTES):
        self.allowed = tuple(allowed)
        self.max_bytes = max_bytes

    def __call__(self, upload):
        extension = Path(upload.name).suffix.lower()
        names = "、".join(ext.lstrip(".").upper() for ext in self.allowed)
        if extension not in self.allowed:
            raise ValidationError(_("Only %(types)s files can be uploaded.") % {"types": names}, code="upload_type")
        if upload.size > self.max_bytes:
            raise ValidationError(
                _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(self.max_bytes)},
                code="upload_size",
            )
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(16)
        upload.seek(position)
        if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
            raise ValidationError(
                _("The file's content is not a real %(type)s file.") % {"type": extension.lstrip(".").upper()},
                code="upload_content",
            )

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and (self.allowed, self.max_bytes) == (other.allowed, other.max_bytes)

    def deconstruct(self):
        return ("servicedesk.uploads.UploadValidator", (), {"allowed": self.allowed, "max_bytes": self.max_bytes})


validate_document = UploadValidator(DOCUMENT_TYPES)
validate_photo = UploadValidator(PHOTO_TYPES)
