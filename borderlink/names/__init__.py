"""Cross-script person-name matching for Lao, Khmer and Vietnamese names.

Pure Python; imports nothing from Django.

    >>> from borderlink.names import compare, MATCH_THRESHOLD
    >>> compare("ស ខេង", "Sar Kheng") >= MATCH_THRESHOLD
    True
"""

from .index import Hit, NameIndex
from .score import MATCH_THRESHOLD, Explanation, compare, explain
from .tokens import parse

__all__ = ["MATCH_THRESHOLD", "Explanation", "Hit", "NameIndex", "compare", "explain", "parse"]
