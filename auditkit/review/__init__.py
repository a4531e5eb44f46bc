"""Reviews: run the audit areas over a configuration and write the outputs."""

from auditkit.review._context import AreaResult, InputRecord, ReviewContext
from auditkit.review._run import (
    AREAS,
    FINDINGS_SCHEMA,
    Review,
    dumps_json,
    run_review,
    write_review,
)

__all__ = [
    "AREAS",
    "FINDINGS_SCHEMA",
    "AreaResult",
    "InputRecord",
    "Review",
    "ReviewContext",
    "dumps_json",
    "run_review",
    "write_review",
]
