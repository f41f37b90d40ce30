"""Row builders: one record → ``{field key: value}`` in the catalogue's terms. Pure: no queries, no I/O.

Each builder reads only the row, its ``select_related`` parents, its annotations and its prefetched lists
(``selectors.SOURCES``), so building rows costs nothing once the selector has run. Values stay Python values
(``str``, ``int``, ``Decimal``, ``bool``, ``date``, ``datetime``, ``list[str]`` or ``None``);
``export.py`` turns them into JSON and xlsx cells. Choice fields give their Chinese label; blank text
is ``""``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone

from anbiao.risks.choices import COLOUR_NAME

Row = dict[str, object]
Builder = Callable[[object, datetime.date], Row]


def label(obj, name: str) -> str:
    """The Chinese label of a choice field ('' when blank)."""
    value = getattr(obj, name)
    if value is None or value == "":
        return ""
    return str(getattr(obj, f"get_{name}_display")())


def name_of(obj, attr: str = "name") -> str:
    return getattr(obj, attr) if obj is not None else ""


def local_date(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(value) if value else None


def common(enterprise) -> Row:
    return {"enterprise_name": enterprise.name, "enterprise_uscc": enterprise.uscc}


# --- 基本信息 -----------------------------------------------------------------------------------------------
def enterprise(e, as_of) -> Row:
    state = e.states_on[0] if e.states_on else None
    facts = state or e  # the state on the day; the registry's current values if none (e.g. registered later)
    return {
        "unit": (state.unit if state else e.unit).name,
        "legal_representative": e.legal_representative,
        "principal_name": e.principal_name,
        "principal_phone": e.principal_phone,
        "safety_officer_name": e.safety_officer_name,
        "safety_officer_phone": e.safety_officer_phone,
        "address": e.address,
        "township": name_of(e.township),
        "longitude": e.longitude,
        "latitude": e.latitude,
        "industry": e.industry.name,
        "size_class": label(facts, "size_class"),
        "employee_count": facts.employee_count,
        "handles_dangerous_goods": facts.handles_dangerous_goods,
        "status": label(facts, "status"),
        "state_since": state.valid_from if state else e.status_since,
        "tag_new": e.tag_new,
        "tag_trade": e.tag_trade,
        "tag_micro": e.tag_micro,
        "nine_small_kind": label(e, "nine_small_kind"),
        "is_rental_outlet": e.is_rental_outlet,
        "landlord_unit": name_of(e.landlord_unit),
        "registered_on": e.registered_on,
    }


# --- 全员责任制 ---------------------------------------------------------------------------------------------
def post(p, as_of) -> Row:
    current = p.lists_on[0] if p.lists_on else None
    return {
        "department": name_of(p.department),
        "post_name": p.name,
        "level": label(p, "level"),
        "established_on": p.established_on,
        "holders": [h.person.name for h in p.holdings_on],
        "list_version": current.version if current else None,
        "list_effective_from": current.effective_from if current else None,
        "duty_item_count": current.n_duty if current else 0,
        "assess_item_count": current.n_assess if current else 0,
        "published_on": current.published_on if current else None,
        "published_place": current.published_place if current else "",
        "signature_count": current.n_signatures if current else 0,
    }


def safety_body(b, as_of) -> Row:
    return {"name": b.name, "document": b.document, "established_on": b.valid_from}


def safety_officer(o, as_of) -> Row:
    return {
        "person_name": o.person.name,
        "phone": o.person.phone,
        "employment": label(o, "employment"),
        "appointment_document": o.appointment_document,
        "appointed_on": o.valid_from,
    }


def annual_assessment(a, as_of) -> Row:
    return {
        "year": a.year,
        "started_on": a.started_on,
        "completed_on": a.completed_on,
        "scored_count": a.n_scored,
        "passed_count": a.n_passed,
        "reward_count": a.n_rewards,
        "penalty_count": a.n_penalties,
        "reward_amount": a.reward_total or 0,
    }


# --- 制度化管理 ---------------------------------------------------------------------------------------------
def regulation(r, as_of) -> Row:
    return {
        "category": label(r, "category"),
        "title": r.title,
        "number": r.number,
        "issued_by": r.issued_by,
        "effective_on": r.effective_on,
        "clauses": r.clauses,
        "reviewed_on": r.reviewed_on,
        "next_review_on": r.next_review_on,
        "is_current": r.is_current,
    }


def document(d, as_of) -> Row:
    return {
        "kind": label(d, "kind"),
        "title": d.title,
        "code": d.code,
        "version": d.version,
        "applies_to": d.applies_to,
        "approved_by": d.approved_by,
        "approved_on": d.approved_on,
        "next_review_on": d.next_review_on,
        "status": label(d, "status"),
    }


def norm_document(n, as_of) -> Row:
    return {
        "kind": label(n, "kind"),
        "title": n.title,
        "version": n.version,
        "issued_on": n.issued_on,
        "is_revision": n.is_revision,
    }


# --- 教育培训 -----------------------------------------------------------------------------------------------
def training_session(s, as_of) -> Row:
    return {
        "kind": label(s, "kind"),
        "title": s.title,
        "planned_on": s.planned_on,
        "held_on": s.held_on,
        "hours": s.hours,
        "trainer": s.trainer,
        "location": s.location,
        "attendee_count": s.n_attendees,
        "passed_count": s.n_passed,
    }


def training_attendance(a, as_of) -> Row:
    return {
        "training_title": a.session.title,
        "held_on": a.session.held_on,
        "person_name": a.person.name,
        "hours": a.hours,
        "exam_score": a.exam_score,
        "passed": a.passed,
    }


def certificate(c, as_of) -> Row:
    return {
        "person_name": c.person.name,
        "kind": label(c, "kind"),
        "operation_type": c.operation_type,
        "number": c.number,
        "issuer": c.issuer,
        "issued_on": c.issued_on,
        "expires_on": c.expires_on,
        "valid": c.is_valid_on(as_of),
    }


def campaign_attendance(a, as_of) -> Row:
    return {
        "topic": a.session.topic,
        "session_kind": label(a.session, "kind"),
        "level": label(a.session, "level"),
        "organizer": a.session.organizer,
        "held_on": a.session.held_on,
        "person_name": a.person_name,
        "category": label(a, "category"),
        "position": a.position,
    }


# --- 设备设施 -----------------------------------------------------------------------------------------------
def equipment(e, as_of) -> Row:
    return {
        "category": label(e, "category"),
        "special_kind": label(e, "special_kind"),
        "name": e.name,
        "code": e.code,
        "model_spec": e.model_spec,
        "location": e.location,
        "responsible": e.responsible,
        "registration_number": e.registration_number,
        "commissioned_on": e.commissioned_on,
        "inspection_interval_months": e.inspection_interval_months,
        "next_inspection_due": e.next_inspection_due,
        "status": label(e, "status"),
        "retired_on": e.retired_on,
    }


def equipment_inspection(i, as_of) -> Row:
    return {
        "equipment_name": i.equipment.name,
        "equipment_code": i.equipment.code,
        "kind": label(i, "kind"),
        "inspected_on": i.inspected_on,
        "agency": i.agency,
        "report_number": i.report_number,
        "result": label(i, "result"),
        "next_due": i.next_due,
    }


# --- 现场管理 -----------------------------------------------------------------------------------------------
def site_assessment(s, as_of) -> Row:
    return {
        "kind": label(s, "kind"),
        "checklist": s.checklist.title,
        "checklist_version": s.checklist.version,
        "assessed_on": s.assessed_on,
        "assessor_name": s.assessor_name,
        "passed": s.passed,
        "average": s.average,
        "item_count": len(s.results_list),
        "failed_items": [r.item.label for r in s.results_list if not r.passed],
    }


# --- 安全风险管控 -------------------------------------------------------------------------------------------
def risk_point(p, as_of) -> Row:
    return {
        "name": p.name,
        "kind": label(p, "kind"),
        "location": p.location,
        "hazard_factors": p.hazard_factor_labels(),
        "hazard_description": p.hazard_description,
        "accident_types": p.accident_type_labels(),
        "level": label(p, "level"),
        "colour": COLOUR_NAME.get(p.level, ""),
        "score": p.score,
        "assessed_on": p.assessed_on,
        "next_review_on": p.next_review_on,
        "control_level": label(p, "control_level"),
        "responsible_department": p.responsible_department,
        "responsible_person": p.responsible_person,
        "responsible_phone": p.responsible_phone,
        "measures_engineering": p.measures_engineering,
        "measures_management": p.measures_management,
        "measures_training": p.measures_training,
        "measures_ppe": p.measures_ppe,
        "measures_emergency": p.measures_emergency,
        "check_content": p.check_content,
        "check_cycle": label(p, "check_cycle"),
    }


def enterprise_grade(g, as_of) -> Row:
    return {
        "level": label(g, "level"),
        "colour": COLOUR_NAME.get(g.level, ""),
        "source": label(g, "source"),
        "computed_level": label(g, "computed_level"),
        "reasons": [str(r) for r in g.reasons],
        "valid_from": g.valid_from,
        "override_reason": g.override_reason,
        "override_until": g.override_until,
    }


def site_map(m, as_of) -> Row:
    return {"title": m.title, "marked_point_count": m.n_marked, "updated_on": local_date(m.updated_at)}


# --- 隐患排查治理 -------------------------------------------------------------------------------------------
def inspection(i, as_of) -> Row:
    return {
        "kind": label(i, "kind"),
        "organization": name_of(i.organization),
        "inspected_on": i.inspected_on,
        "inspectors": i.inspectors,
        "checklist": str(i.version) if i.version_id else "",
        "status": label(i, "status"),
        "result_count": i.n_results,
        "failed_count": i.n_failed,
        "hazard_count": i.n_hazards,
        "notice_no": i.notice_no,
    }


def hazard(h, as_of) -> Row:
    return {
        "code": h.code,
        "source": label(h, "source"),
        "kind": label(h, "kind"),
        "level": label(h, "level"),
        "location": h.location,
        "description": h.description,
        "found_on": h.found_on,
        "found_by_name": h.found_by_name,
        "risk_point": name_of(h.risk_point),
        "state": label(h, "state"),
        "responsible_person": h.responsible_person,
        "measures": h.measures,
        "deadline": h.deadline,
        "funds": h.funds,
        "rectified_on": h.rectified_on,
        "accepted_on": h.accepted_on,
        "acceptor_name": h.acceptor_name,
        "overdue": h.is_overdue(as_of),
    }


def listing(item, as_of) -> Row:
    return {
        "hazard_code": item.hazard.code,
        "organization": item.organization.name,
        "document_no": item.document_no,
        "listed_on": item.listed_on,
        "deadline": item.deadline,
        "requirements": item.requirements,
        "delisted_on": item.delisted_on,
    }


def reporting_channel(c, as_of) -> Row:
    return {
        "established_on": c.established_on,
        "has_document": c.document_id is not None,
        "is_open": c.is_open,
        "rule": c.rule,
    }


def internal_report(r, as_of) -> Row:
    return {
        "received_on": local_date(r.received_at),
        "location": r.location,
        "description": r.description,
        "status": label(r, "status"),
        "hazard_code": r.hazard.code if r.hazard_id else "",
        "handled_on": r.handled_on,
        "reward_amount": r.reward_amount,
        "reward_paid_on": r.reward_paid_on,
    }


# --- 应急管理 -----------------------------------------------------------------------------------------------
def emergency_plan(p, as_of) -> Row:
    return {
        "kind": label(p, "kind"),
        "title": p.title,
        "version": p.version,
        "issued_on": p.issued_on,
        "filed_on": p.filed_on,
        "filed_with": p.filed_with,
        "filing_number": p.filing_number,
        "review_due": p.review_due,
        "drill_interval_months": p.drill_interval_months,
        "status": label(p, "status"),
    }


def drill(d, as_of) -> Row:
    return {
        "held_on": d.held_on,
        "form": label(d, "form"),
        "scenario": d.scenario,
        "plan": name_of(d.plan, "title"),
        "team": name_of(d.team),
        "participants": d.participants,
        "effect": label(d, "effect"),
        "evaluation": d.evaluation,
        "improvements": d.improvements,
    }


def supply(s, as_of) -> Row:
    return {
        "name": s.name,
        "spec": s.spec,
        "quantity": s.quantity,
        "unit_label": s.unit_label,
        "location": s.location,
        "keeper": s.keeper,
        "checked_on": s.checked_on,
        "expires_on": s.expires_on,
    }


def rescue_team(t, as_of) -> Row:
    return {
        "name": t.name,
        "employment": label(t, "employment"),
        "contact_name": t.contact_name,
        "contact_phone": t.contact_phone,
        "member_count": t.n_members,
        "equipment": t.equipment,
        "established_on": t.valid_from,
    }


# --- 事故管理 -----------------------------------------------------------------------------------------------
def accident(a, as_of) -> Row:
    return {
        "occurred_at": a.occurred_at,
        "place": a.place,
        "kind": label(a, "kind"),
        "is_near_miss": a.is_near_miss,
        "summary": a.summary,
        "deaths": a.deaths,
        "serious_injuries": a.serious_injuries,
        "minor_injuries": a.minor_injuries,
        "direct_loss": a.direct_loss,
        "grade": label(a, "grade"),
        "reported_at": a.reported_at,
        "reported_to": a.reported_to,
        "status": label(a, "status"),
        "causes": a.causes,
        "responsibility": a.responsibility,
        "measures": a.measures,
        "causes_found": a.causes_found,
        "responsible_handled": a.responsible_handled,
        "measures_done": a.measures_done,
        "people_educated": a.people_educated,
        "closed_on": a.closed_on,
    }


# --- 持续改进 -----------------------------------------------------------------------------------------------
def self_assessment(a, as_of) -> Row:
    return {
        "year": a.year,
        "standard": a.standard.title,
        "status": label(a, "status"),
        "leader_name": a.leader_name,
        "started_on": a.started_on,
        "assessed_on": a.assessed_on,
        "percent": a.percent,
        "level_supported": a.level_supported,
        "veto_failed": a.veto_failed,
        "announced_on": a.announced_on,
    }


def improvement_item(i, as_of) -> Row:
    return {
        "source": label(i, "source"),
        "problem": i.problem,
        "measure": i.measure,
        "responsible_name": i.responsible_name,
        "found_on": i.found_on,
        "deadline": i.deadline,
        "status": label(i, "status"),
        "completed_on": i.completed_on,
        "acceptor_name": i.acceptor_name,
        "accepted_on": i.accepted_on,
    }


def lookback_report(r, as_of) -> Row:
    return {
        "title": r.title,
        "period_start": r.period_start,
        "reported_on": r.reported_on,
        "signed_by": r.signed_by,
        "summary": r.summary,
    }


GRADE_STATES = {"valid": "有效", "expired": "已过期", "revoked": "已撤销", "future": "未生效"}


def grade_record(g, as_of) -> Row:
    return {
        "grade_type": label(g, "grade_type"),
        "level": label(g, "level"),
        "reviewing_body": g.reviewing_body,
        "certificate_no": g.certificate_no,
        "certified_on": g.certified_on,
        "valid_from": g.valid_from,
        "valid_to": g.valid_to,
        "revoked_on": g.revoked_on,
        "state": GRADE_STATES[g.state_on(as_of)],
    }


def star_rating(s, as_of) -> Row:
    return {"stars": s.stars, "rated_on": s.valid_from, "basis": s.basis, "rater_name": s.rater_name}


def letter(item, as_of) -> Row:
    return {
        "campaign": item.campaign.name,
        "deadline": item.deadline,
        "delivered_on": item.delivered_on,
        "delivery_method": label(item, "delivery_method"),
        "signed_on": item.signed_on,
        "signer": item.signer,
        "posted_on": item.posted_on,
    }


BUILDERS: dict[tuple[str, str], Builder] = {
    ("basic_info", "enterprises"): enterprise,
    ("responsibility", "posts"): post,
    ("responsibility", "safety_bodies"): safety_body,
    ("responsibility", "safety_officers"): safety_officer,
    ("responsibility", "annual_assessments"): annual_assessment,
    ("institutional_management", "regulations"): regulation,
    ("institutional_management", "documents"): document,
    ("institutional_management", "norm_documents"): norm_document,
    ("education_training", "sessions"): training_session,
    ("education_training", "attendances"): training_attendance,
    ("education_training", "certificates"): certificate,
    ("education_training", "campaign_attendances"): campaign_attendance,
    ("equipment_facilities", "equipment"): equipment,
    ("equipment_facilities", "inspections"): equipment_inspection,
    ("site_management", "site_assessments"): site_assessment,
    ("risk_control", "risk_points"): risk_point,
    ("risk_control", "enterprise_grades"): enterprise_grade,
    ("risk_control", "site_maps"): site_map,
    ("hazard_management", "inspections"): inspection,
    ("hazard_management", "hazards"): hazard,
    ("hazard_management", "listings"): listing,
    ("hazard_management", "reporting_channels"): reporting_channel,
    ("hazard_management", "internal_reports"): internal_report,
    ("emergency_management", "plans"): emergency_plan,
    ("emergency_management", "drills"): drill,
    ("emergency_management", "supplies"): supply,
    ("emergency_management", "rescue_teams"): rescue_team,
    ("accident_management", "accidents"): accident,
    ("continuous_improvement", "self_assessments"): self_assessment,
    ("continuous_improvement", "improvement_items"): improvement_item,
    ("continuous_improvement", "lookback_reports"): lookback_report,
    ("continuous_improvement", "grade_records"): grade_record,
    ("continuous_improvement", "star_ratings"): star_rating,
    ("continuous_improvement", "letters"): letter,
}
