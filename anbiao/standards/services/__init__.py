"""Writes of the standards app. Every service checks the permission on the object, validates, writes and
records an audit event in one transaction."""

from anbiao.standards.services.assessment import (
    assessment_announce,
    assessment_create,
    assessment_reopen,
    assessment_submit,
    assessment_update,
    entries_save,
    entry_save,
    perform,
    recompute,
)
from anbiao.standards.services.config import (
    catalogue_import,
    checklist_save,
    ruleset_activate,
    ruleset_in_use,
    ruleset_save,
    standard_update,
)
from anbiao.standards.services.improvement import (
    improvement_accept,
    improvement_cancel,
    improvement_complete,
    improvement_create,
    improvement_perform,
    improvement_reject,
    improvements_from_assessment,
    lookback_create,
)
from anbiao.standards.services.records import (
    add_years,
    grade_create,
    grade_revoke,
    site_assessment_create,
    star_rate,
    star_suggestion,
)

__all__ = [
    "add_years",
    "assessment_announce",
    "assessment_create",
    "assessment_reopen",
    "assessment_submit",
    "assessment_update",
    "catalogue_import",
    "checklist_save",
    "entries_save",
    "entry_save",
    "grade_create",
    "grade_revoke",
    "improvement_accept",
    "improvement_cancel",
    "improvement_complete",
    "improvement_create",
    "improvement_perform",
    "improvement_reject",
    "improvements_from_assessment",
    "lookback_create",
    "perform",
    "recompute",
    "ruleset_activate",
    "ruleset_in_use",
    "ruleset_save",
    "site_assessment_create",
    "standard_update",
    "star_rate",
    "star_suggestion",
]
