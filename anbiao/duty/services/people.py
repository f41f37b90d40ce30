"""Departments, people, posts, post holdings and certificates."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from anbiao.core import audit
from anbiao.core import files as evidence
from anbiao.core.models import EvidenceFile
from anbiao.duty.models import Certificate, Department, Person, Post, PostHolding
from anbiao.duty.services.base import ANONYMISE, EDIT, end_period, log, require, start_period, today

PERSON_FIELDS = ["name", "phone", "department", "is_active", "joined_on", "left_on", "note"]
POST_FIELDS = ["name", "level", "department", "established_on", "note"]
CERT_FIELDS = ["kind", "operation_type", "number", "issuer", "issued_on", "expires_on"]


def _set(obj, data: dict, allowed: list[str]) -> None:
    for name, value in data.items():
        if name not in allowed:
            raise ValidationError(f"不能修改字段 {name}。")
        setattr(obj, name, value)


@transaction.atomic
def department_create(*, actor, scope, enterprise, name: str, sort_order: int = 0) -> Department:
    require(scope, EDIT, enterprise)
    dept = Department(enterprise=enterprise, name=(name or "").strip(), sort_order=sort_order)
    dept.full_clean()
    dept.save()
    log(actor, "department_create", dept, enterprise)
    return dept


@transaction.atomic
def person_create(*, actor, scope, enterprise, data: dict) -> Person:
    require(scope, EDIT, enterprise)
    person = Person(enterprise=enterprise)
    _set(person, data, PERSON_FIELDS)
    person.full_clean()
    person.save()
    log(actor, "person_create", person, enterprise)
    return person


@transaction.atomic
def person_update(*, actor, scope, person: Person, data: dict) -> Person:
    require(scope, EDIT, person)
    if Person.objects.filter(pk=person.pk, anonymised_at__isnull=False).exists():
        raise ValidationError("该人员的个人信息已匿名化，不能再修改。")
    before = audit.snapshot(person)
    _set(person, data, PERSON_FIELDS)
    if person.left_on and person.is_active and person.left_on <= today():
        person.is_active = False
    person.full_clean()
    person.save()
    log(actor, "person_update", person, person.enterprise, before=before, after=audit.snapshot(person))
    return person


@transaction.atomic
def post_create(*, actor, scope, enterprise, data: dict) -> Post:
    require(scope, EDIT, enterprise)
    post = Post(enterprise=enterprise)
    _set(post, data, POST_FIELDS)
    post.full_clean()
    post.save()
    log(actor, "post_create", post, enterprise)
    return post


@transaction.atomic
def post_update(*, actor, scope, post: Post, data: dict) -> Post:
    require(scope, EDIT, post)
    before = audit.snapshot(post)
    _set(post, data, [f for f in POST_FIELDS if f != "established_on"])
    post.full_clean()
    post.save()
    log(actor, "post_update", post, post.enterprise, before=before, after=audit.snapshot(post))
    return post


@transaction.atomic
def post_abolish(*, actor, scope, post: Post, on: datetime.date) -> Post:
    """Abolish a post from ``on``; its current holdings end the same day."""
    require(scope, EDIT, post)
    if post.abolished_on:
        raise ValidationError("该岗位已撤销。")
    post.abolished_on = on
    post.full_clean()
    post.save(update_fields=["abolished_on"])
    for h in post.holdings.filter(valid_to__isnull=True):
        h.valid_to = max(on, h.valid_from + datetime.timedelta(days=1))
        h.save(update_fields=["valid_to"])
    log(
        actor,
        "post_abolish",
        post,
        post.enterprise,
        before={"abolished_on": None},
        after={"abolished_on": on},
    )
    return post


@transaction.atomic
def holding_add(
    *, actor, scope, post: Post, person: Person, valid_from: datetime.date, note=""
) -> PostHolding:
    """Record that ``person`` holds ``post`` from ``valid_from`` (补录 when earlier than today)."""
    require(scope, EDIT, post)
    if post.abolished_on:
        raise ValidationError("岗位已撤销，不能再任职。")
    if person.enterprise_id != post.enterprise_id:
        raise ValidationError({"person": "人员与岗位不属于同一企业。"})
    if not person.is_active:
        raise ValidationError({"person": "该人员已离职。"})
    if valid_from and valid_from < post.established_on:
        raise ValidationError({"valid_from": "任职日期不能早于岗位设立日期。"})
    if post.holdings.filter(person=person, valid_to__isnull=True).exists():
        raise ValidationError({"person": f"{person.name} 已在该岗位任职。"})
    holding = PostHolding(post=post, person=person, note=note)
    start_period(holding, valid_from, actor)
    holding.full_clean()
    holding.save()
    log(actor, "holding_add", holding, post.enterprise)
    return holding


@transaction.atomic
def holding_end(*, actor, scope, holding: PostHolding, valid_to: datetime.date) -> PostHolding:
    require(scope, EDIT, holding)
    end_period(
        actor=actor, obj=holding, enterprise=holding.post.enterprise, valid_to=valid_to, action="holding_end"
    )
    return holding


@transaction.atomic
def certificate_add(*, actor, scope, person: Person, data: dict, upload=None) -> Certificate:
    require(scope, EDIT, person)
    cert = Certificate(person=person)
    _set(cert, data, CERT_FIELDS)
    cert.full_clean(exclude=["file"])
    cert.save()
    if upload is not None:
        cert.file = evidence.store(
            actor=actor,
            upload=upload,
            enterprise=person.enterprise,
            owner=cert,
            kind=EvidenceFile.Kind.CERTIFICATE,
            title=f"{person.name} {cert.get_kind_display()}",
        )
        cert.save(update_fields=["file"])
    log(actor, "certificate_add", cert, person.enterprise)
    return cert


ANONYMISED_NAME = "已匿名化人员#{pk}"
ANONYMISED_CERTIFICATE = "已匿名化"


def _still_serving(person: Person, day: datetime.date) -> list[str]:
    """Why ``person`` cannot be anonymised yet: in service, holding a post, an officer, in a rescue team."""
    current = Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    reasons = []
    if person.is_active:
        reasons.append("该人员仍在职，请先登记离职（离职日期）")
    posts = _quoted_names(person.holdings.filter(current), "post__name")
    if posts:
        reasons.append(f"仍在任岗位{posts}，请先结束任职")
    if person.officer_terms.filter(current).exists():
        reasons.append("仍是在任的安全生产管理人员，请先结束任命")
    teams = _quoted_names(person.team_memberships.filter(current), "team__name")
    if teams:
        reasons.append(f"仍是应急救援队伍{teams}的队员，请先登记离队")
    return reasons


@transaction.atomic
def _quoted_names(rows, field: str) -> str:
    """The names in ``field`` of ``rows``, sorted, each in 「」, joined with 、."""
    return "、".join(f"「{name}」" for name in rows.values_list(field, flat=True).order_by(field))


def person_anonymise(*, actor, scope, person: Person, reason: str) -> Person:
    """Erase a departed person's personal data (PIPL 47; docs/privacy.md), keeping the row and every record
    that counts it (post holdings, officer terms, scores, training, signed lists).

    Blanked: the name (becomes 已匿名化人员#id), phone, note; the numbers of their certificates; the
    certificate scans are deleted (their audit events carry no file name). The audit event gives the reason
    and which fields were erased, never their old values. Earlier audit events are append-only and keep what
    they recorded (docs/privacy.md).
    """
    require(scope, ANONYMISE, person)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写匿名化的原因。"})
    person = Person.objects.select_for_update().select_related("enterprise__unit").get(pk=person.pk)
    if person.anonymised_at is not None:
        raise ValidationError("该人员的个人信息已经匿名化。")
    reasons = _still_serving(person, today())
    if reasons:
        raise ValidationError(f"不能匿名化：{'；'.join(reasons)}。")
    erased = [f for f in ("name", "phone", "note") if getattr(person, f)]
    person.name = ANONYMISED_NAME.format(pk=person.pk)
    person.phone = ""
    person.note = ""
    person.anonymised_at = timezone.now()
    person.full_clean()
    person.save(update_fields=["name", "phone", "note", "anonymised_at"])
    certificates = list(person.certificates.select_related("file", "file__enterprise__unit"))
    scans = 0
    for cert in certificates:
        scan = cert.file
        cert.number = ANONYMISED_CERTIFICATE
        cert.file = None
        cert.save(update_fields=["number", "file"])
        if scan is not None:
            evidence.delete(actor=actor, evidence=scan, personal=True)
            scans += 1
    if certificates:
        erased.append("certificate.number")
    if scans:
        erased.append("certificate.file")
    audit.record(
        actor=actor,
        action="duty.person_anonymise",
        obj=person,
        org_path=person.enterprise.unit.path,
        enterprise_id=person.enterprise_id,
        after={
            "reason": reason[:500],
            "erased": erased,
            "certificates": len(certificates),
            "scans_deleted": scans,
        },
    )
    return person
