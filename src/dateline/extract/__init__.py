"""Article extraction: RawDocument (HTML or plain text) -> Article.

trafilatura + htmldate do the heavy lifting; dateline then removes the chrome they leave,
turns time-stamp lines into dates and cleans author names. See ``core.extract``.
"""

from .core import DEFAULT_MAX_BYTES, ExtractOptions, extract
from .decode import decode_html

__all__ = ["DEFAULT_MAX_BYTES", "ExtractOptions", "decode_html", "extract"]
