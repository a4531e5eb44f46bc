"""Reviews: run the audit areas and the decision step over a configuration.

A review flows one way: the configuration, the areas (data, fairness, performance, explain),
then the decision step; the outputs (:func:`auditkit.report.write_review`) come after. This
package also owns what a written review is (its folder rules, its manifest and the exit gate).
"""

from auditkit._area import AreaResult, InputRecord, ReviewContext, ReviewOptions
from auditkit.review._gate import DECISION_ORDER, FAIL_ON_CHOICES, gate_failed
from auditkit.review._manifest import (
    LIBRARIES,
    MANIFEST_NAME,
    BundleCheck,
    build_manifest,
    library_versions,
    read_bundle_json,
    read_manifest,
    review_time,
    verify_bundle,
)
from auditkit.review._outdir import (
    OutputFolder,
    check_output_name,
    discard,
    prepare_output_folder,
    staging_folder,
    swap_in,
)
from auditkit.review._run import (
    AREAS,
    FINDINGS_SCHEMA,
    Area,
    Review,
    config_input_paths,
    review_input_paths,
    run_review,
)

__all__ = [
    "AREAS",
    "DECISION_ORDER",
    "FAIL_ON_CHOICES",
    "FINDINGS_SCHEMA",
    "LIBRARIES",
    "MANIFEST_NAME",
    "Area",
    "AreaResult",
    "BundleCheck",
    "InputRecord",
    "OutputFolder",
    "Review",
    "ReviewContext",
    "ReviewOptions",
    "build_manifest",
    "check_output_name",
    "config_input_paths",
    "discard",
    "gate_failed",
    "library_versions",
    "prepare_output_folder",
    "read_bundle_json",
    "read_manifest",
    "review_input_paths",
    "review_time",
    "run_review",
    "staging_folder",
    "swap_in",
    "verify_bundle",
]
