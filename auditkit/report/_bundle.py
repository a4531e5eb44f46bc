"""Write a review's bundle: findings, reports, figures, decision and manifest, all or nothing."""

from __future__ import annotations

from pathlib import Path

from auditkit._errors import InputDataError
from auditkit._json import dumps_json
from auditkit.privacy import check_publishable, declared_public
from auditkit.report._context import report_context, report_figures
from auditkit.report._decision import decision_document
from auditkit.report._html import render_html
from auditkit.report._markdown import render_markdown
from auditkit.review import (
    MANIFEST_NAME,
    Review,
    build_manifest,
    check_output_name,
    discard,
    prepare_output_folder,
    review_input_paths,
    review_time,
    staging_folder,
    swap_in,
)

__all__ = ["write_review"]


def write_review(review: Review, out_dir: Path, *, embed_figures: bool = True) -> list[Path]:
    """Write ``findings.json``, the reports, the areas' files and ``manifest.json``.

    ``out_dir`` is checked first (:func:`auditkit.review.prepare_output_folder`): it must
    be new, empty or hold exactly an earlier review's bundle, and none of the inputs. The bundle
    is rendered into a staging folder next to ``out_dir`` and swapped in as a whole, so a
    failure or a Ctrl-C leaves either the previous bundle or the new one, never a mix; files of
    the earlier bundle are removed only when their hash matches its manifest.

    With ``embed_figures=False`` report.html shows the charts from ``figures/`` (written beside
    it either way) instead of carrying them inline: a much lighter page.

    Raises
    ------
    InputDataError
        ``out_dir`` may not be written (the message says why) or writing failed.
    """
    folder = prepare_output_folder(out_dir, inputs=review_input_paths(review))
    created = review_time()
    # the reports' own charts, written beside them so that report.md links what report.html shows
    figures = report_figures(review)
    context = report_context(review, figures=figures)  # one view model for both reports
    outputs: dict[str, bytes] = {
        "findings.json": dumps_json(review.findings_document()).encode("utf-8"),
        "report.md": render_markdown(review, context=context).encode("utf-8"),
        "report.html": render_html(
            review, created=created, embed_figures=embed_figures, context=context
        ).encode("utf-8"),
    }
    outputs.update(figures)
    outputs.update(review.files)
    if review.decision is not None:
        document = decision_document(review.decision, review.lang, inputs=review.inputs)
        outputs["decision.json"] = dumps_json(document).encode("utf-8")
    for name in outputs:
        check_output_name(name)
    # No output leaves the review with personal data in it (raises before anything is written).
    check_publishable(
        outputs, country=review.config.pilot.country, public=declared_public(review.config)
    )
    manifest = build_manifest(outputs, review.inputs, created=created)
    outputs[MANIFEST_NAME] = dumps_json(manifest).encode("utf-8")
    staging: Path | None = None
    swapped = False
    try:
        staging = staging_folder(folder)
        for name, content in sorted(outputs.items()):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        swap_in(staging, folder)
        swapped = True
    except OSError as err:
        raise InputDataError(
            f"--out {out_dir}: the review could not be written ({err.strerror or err}); "
            "nothing was changed there.",
            hint="Check that the folder's parent exists and is writable.",
        ) from None
    finally:
        if staging is not None and not swapped and staging.exists():
            discard(staging)
    return [folder.path / name for name in sorted(outputs)]
