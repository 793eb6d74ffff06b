import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from servicedesk.uploads import UploadValidator, validate_document, validate_photo

PDF = b"%PDF-1.7\n..."
PNG = b"\x89PNG\r\n\x1a\n...."
JPG = b"\xff\xd8\xff\xe0...."


@pytest.mark.parametrize(("name", "content"), [("a.pdf", PDF), ("b.PNG", PNG), ("c.jpeg", JPG), ("d.jpg", JPG)])
def test_real_documents_pass(name, content):
    validate_document(SimpleUploadedFile(name, content))


def test_a_renamed_program_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile("licence.pdf", b"MZ\x90\x00 this is an exe"))
    assert error.value.code == "upload_content"


@pytest.mark.parametrize("name", ["a.exe", "b.docx", "c.html", "noextension"])
def test_other_types_are_refused_with_the_allowed_list(name):
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile(name, PDF))
    assert error.value.code == "upload_type"
    assert "PDF" in error.value.messages[0]


def test_photos_must_be_pictures():
    with pytest.raises(ValidationError):
        validate_photo(SimpleUploadedFile("scan.pdf", PDF))


def test_size_limit():
    small = UploadValidator(max_bytes=10)
    with pytest.raises(ValidationError) as error:
        small(SimpleUploadedFile("a.pdf", PDF + b"x" * 20))
    assert error.value.code == "upload_size"
