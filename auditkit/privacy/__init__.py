"""Privacy: personal data never leaves a review.

Two tools. The **personal-data scan** finds columns that hold personal data — e-mail addresses,
phone numbers, national identifiers proven by their check digits, person names, street addresses,
dates of birth and coordinates precise enough to locate a home — in tables and in every artefact a
review writes, and reports the column, the kind and the number of rows, never a value.
**Redaction** replaces the same kinds of values, found by the same detectors, in free text
by typed placeholders (``[phone]``), before a pilot learns anything from the text.
**Small-cell suppression** shows any count, or any rate over fewer than ``k`` people or requests,
as ``"< k"`` in public outputs.
"""

from auditkit.privacy._files import (
    SCANNABLE_SUFFIXES,
    SKIPPED_SUFFIXES,
    FileScan,
    scan_bytes,
    scan_path,
)
from auditkit.privacy._publish import PersonalDataError, check_publishable, declared_public
from auditkit.privacy._redact import PLACEHOLDERS, Span, find_spans, redact_text, redact_texts
from auditkit.privacy._scan import (
    KINDS,
    MAX_ROWS,
    DistinctValues,
    PersonalDataHit,
    scan_columns,
    scan_distinct,
    scan_frame,
)
from auditkit.privacy._suppress import (
    is_small,
    is_suppressed,
    suppress_count,
    suppress_rate,
    suppress_table,
    suppressed,
)
from auditkit.privacy._text import redact

__all__ = [
    "KINDS",
    "MAX_ROWS",
    "PLACEHOLDERS",
    "SCANNABLE_SUFFIXES",
    "SKIPPED_SUFFIXES",
    "DistinctValues",
    "FileScan",
    "PersonalDataError",
    "PersonalDataHit",
    "Span",
    "check_publishable",
    "declared_public",
    "find_spans",
    "is_small",
    "is_suppressed",
    "redact",
    "redact_text",
    "redact_texts",
    "scan_bytes",
    "scan_columns",
    "scan_distinct",
    "scan_frame",
    "scan_path",
    "suppress_count",
    "suppress_rate",
    "suppress_table",
    "suppressed",
]
