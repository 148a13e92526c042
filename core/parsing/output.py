"""The parse_report JSON: one object per file."""

from __future__ import annotations


def result_json(file: str, result, findings=()) -> dict:
    """The documented JSON shape; an unreadable file carries ``error`` instead of figures.

    Keys are only ever added (``cells``, ``ambiguous``), never changed or removed.
    """
    if result.error:
        return {
            "file": file,
            "error": result.error,
            "error_code": result.error_code,
            "organ": None,
            "year": None,
            "published": None,
            "edition": None,
            "section2": None,
            "section3": None,
            "section4": None,
            "prose_numbers": {},
            "findings": [],
            "warnings": result.warnings,
            "cells": [],
            "ambiguous": [],
        }
    figures = result.figures()
    return {
        "file": file,
        "kind": result.kind,
        "organ": result.organ,
        "year": result.year,
        "published": result.published,
        "edition": result.edition,
        "section2": figures["section2"],
        "section3": figures["section3"],
        "section4": figures["section4"],
        "prose_numbers": result.prose_numbers,
        "findings": [f.to_dict() for f in findings],
        "warnings": result.warnings,
        # Added keys: every cell's provenance (which rule read it, where, how sure), and
        # the cells left blank because several readings fit (with their candidates).
        "cells": [_provenance(v) for v in result.values],
        "ambiguous": result.ambiguous,
    }


def _provenance(value) -> dict:
    return {
        "table": value.table,
        "row": value.row,
        "column": value.column,
        "value": value.value,
        "raw": value.raw,
        "location": value.location,
        "confidence": value.confidence,
        "rule": getattr(value, "rule", "table"),
    }
