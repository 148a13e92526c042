"""The official annual report document generated from a report's data (DOCX, PDF)."""

from data.documents.docx import DocumentData, build_docx
from data.documents.pdf import ConversionError, docx_to_pdf, soffice_path
from data.documents.service import (
    CONTENT_TYPES,
    DocumentSource,
    document_cached,
    document_generate,
    document_get_or_generate,
    document_source,
    document_source_for_publication,
    document_source_for_report,
)

__all__ = [
    "CONTENT_TYPES",
    "ConversionError",
    "DocumentData",
    "DocumentSource",
    "build_docx",
    "document_cached",
    "document_generate",
    "document_get_or_generate",
    "document_source",
    "document_source_for_publication",
    "document_source_for_report",
    "docx_to_pdf",
    "soffice_path",
]
