"""PLOVER 2.0 event coding with provenance (see coder.py)."""

from .coder import code_events

__all__ = ["code_events"]
