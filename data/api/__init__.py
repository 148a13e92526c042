"""The read-only JSON API: organs, current publications and their figures (DRF)."""
