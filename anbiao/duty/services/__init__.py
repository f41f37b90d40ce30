"""Writes for 全员责任制: each takes ``actor`` and ``scope``, checks the permission on the object, validates,
writes and records an audit event in one transaction."""

from anbiao.duty.services.assessment import (
    assessment_complete,
    assessment_start,
    score_record,
    score_set_outcome,
)
from anbiao.duty.services.base import ANONYMISE
from anbiao.duty.services.catalog import bands_replace, staffing_rule_create
from anbiao.duty.services.lists import (
    duty_list_adopt,
    duty_list_discard,
    duty_list_publish,
    duty_list_save,
    duty_list_sign,
    template_derive,
    template_save,
)
from anbiao.duty.services.people import (
    certificate_add,
    department_create,
    holding_add,
    holding_end,
    person_anonymise,
    person_create,
    person_update,
    post_abolish,
    post_create,
    post_update,
)
from anbiao.duty.services.safety import (
    body_create,
    body_end,
    member_add,
    member_end,
    officer_appoint,
    officer_end,
    team_create,
    team_disband,
    team_update,
)

__all__ = [
    "ANONYMISE",
    "assessment_complete",
    "assessment_start",
    "bands_replace",
    "body_create",
    "body_end",
    "certificate_add",
    "department_create",
    "duty_list_adopt",
    "duty_list_discard",
    "duty_list_publish",
    "duty_list_save",
    "duty_list_sign",
    "holding_add",
    "holding_end",
    "member_add",
    "member_end",
    "officer_appoint",
    "officer_end",
    "person_anonymise",
    "person_create",
    "person_update",
    "post_abolish",
    "post_create",
    "post_update",
    "score_record",
    "score_set_outcome",
    "staffing_rule_create",
    "team_create",
    "team_disband",
    "team_update",
    "template_derive",
    "template_save",
]
