"""Fixtures of other test folders that the security tests use."""

from tests.merchants.conftest import with_documents

__all__ = ["with_documents"]
