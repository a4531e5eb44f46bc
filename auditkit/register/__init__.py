"""Transparency: a public algorithm-register entry and a notice to residents, from a review.

Cities publish the algorithms they use: the UK's Algorithmic Transparency Recording Standard, the
Dutch national algorithm register, Amsterdam's and Helsinki's registers, Canada's published
Algorithmic Impact Assessments. Most of what such a record says is already in an audit bundle:
what the system is for, what data it learnt from, how it compares with a simple baseline, how
its errors differ between groups, its risk tier and the deployment decision with its conditions.

:func:`make_register` reads a bundle (``findings.json``, ``decision.json``, ``manifest.json``,
refused when ``auditkit verify`` fails), the pilot's model card and datasheet, and writes

``register.json``
    the entry, following ``auditkit/schemas/register.schema.json``; every field is a fact with
    its source in ``provenance``, or null and listed in ``missing`` with the playbook item that
    would supply it;
``notice.html`` / ``notice.md``
    the same facts in plain language for residents, self-contained and printable.

All three pass the publishing gate (:func:`auditkit.privacy.check_publishable`). Pointed at from
``risk.evidence`` in ``audit.yaml``, the entry and the notice are the evidence of playbook items
EXP-05 (public register), EXP-06 (plain-language explanation) and EXP-04 (notice).
"""

from auditkit.register._bundle import Bundle, read_bundle
from auditkit.register._crosswalk import CROSSWALK, STANDARDS, CrosswalkRow, export_view
from auditkit.register._entry import REGISTER_SCHEMA, RegisterEntry, build_entry
from auditkit.register._missing import SUPPLIED_BY, count_filled, missing_fields
from auditkit.register._notice import (
    Notice,
    build_notice,
    render_notice_html,
    render_notice_markdown,
)
from auditkit.register._pilot import PilotDocs, parse_card, read_pilot_docs
from auditkit.register._publish import REGISTER_FILES, publish, register_schema, validate_entry
from auditkit.register._run import RegisterResult, make_register

__all__ = [
    "CROSSWALK",
    "REGISTER_FILES",
    "REGISTER_SCHEMA",
    "STANDARDS",
    "SUPPLIED_BY",
    "Bundle",
    "CrosswalkRow",
    "Notice",
    "PilotDocs",
    "RegisterEntry",
    "RegisterResult",
    "build_entry",
    "build_notice",
    "count_filled",
    "export_view",
    "make_register",
    "missing_fields",
    "parse_card",
    "publish",
    "read_bundle",
    "read_pilot_docs",
    "register_schema",
    "render_notice_html",
    "render_notice_markdown",
    "validate_entry",
]
