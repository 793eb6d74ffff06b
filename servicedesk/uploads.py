"""Uploaded files: the checks on the way in and the one way they are served back.

In: allowed type (by extension and by the file's first bytes) and size. A renamed program or an
oversized photo is refused with a message that names the file, next to the field. The content
type to store is the one the server determined from the bytes, never the uploader's claim.

Out: `serve_upload()` answers every download of an uploaded file. The content type is
determined again from the file's first bytes (so a row stored before this rule, or a file
changed on disk, cannot be served as HTML), `X-Content-Type-Options: nosniff`, and
`Content-Disposition: attachment` for everything that is not a JPEG, PNG or PDF.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .texts import join_names

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
        names = join_names(ext.lstrip(".").upper() for ext in self.allowed)
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


# Types a browser may show in the page; everything else is only ever downloaded.
INLINE_TYPES = {"image/jpeg", "image/png", "application/pdf"}
UNKNOWN_TYPE = "application/octet-stream"


def sniff_content_type(fileobj):
    """The content type of a stored file, from its first bytes only (never from its name)."""
    position = fileobj.tell() if hasattr(fileobj, "tell") else 0
    fileobj.seek(0)
    head = fileobj.read(16)
    fileobj.seek(position)
    for content_type, magic in KINDS.values():
        if head.startswith(magic):
            return content_type
    return UNKNOWN_TYPE


def serve_upload(field_file, filename):
    """A response for one uploaded file, safe whatever the file contains.

    The caller has checked that the user may see the record the file belongs to.
    """
    handle = field_file.open("rb")
    content_type = sniff_content_type(handle)
    inline = content_type in INLINE_TYPES
    if not inline:
        filename = f"{Path(filename).stem or 'file'}.bin"
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, the file runs no script. (Chromium's PDF viewer refuses a sandboxed
    # document, so a PDF gets the policy without `sandbox`; its bytes start with %PDF- anyway.)
    policy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'"
    response["Content-Security-Policy"] = policy if content_type == "application/pdf" else f"{policy}; sandbox"
    return response


validate_document = UploadValidator(DOCUMENT_TYPES)
validate_photo = UploadValidator(PHOTO_TYPES)
