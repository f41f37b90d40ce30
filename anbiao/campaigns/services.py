"""Writes for campaigns, filings, the annual task list and the letters. Each checks the permission on the
object, validates, writes and records an audit event in one transaction."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anbiao.campaigns import workflow
from anbiao.campaigns.choices import FilingStatus
from anbiao.campaigns.models import (
    Campaign,
    EnterpriseLetter,
    Filing,
    LetterEvent,
    Phase,
    Requirement,
    WorkTask,
)
from anbiao.core import audit, files
from anbiao.core.models import EvidenceFile
from anbiao.core.scope import Scope

CAMPAIGN_FIELDS = ["year", "name", "document_no", "starts_on", "ends_on", "letter_deadline", "is_active"]
PHASE_FIELDS = ["order", "name", "deadline", "description"]
REQUIREMENT_FIELDS = ["phase", "order", "title", "due", "needs_scan", "needs_editable", "description"]
TASK_FIELDS = ["campaign", "year", "title", "owner", "due", "status", "done_on", "note"]


def require(scope: Scope, perm: str, obj=None) -> None:
    if not scope.can(perm, obj):
        raise PermissionDenied("没有权限执行此操作。")


def is_backdated(on: datetime.date) -> bool:
    return on < timezone.localdate()


def not_in_future(on: datetime.date, field: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: "日期不能晚于今天。"})


def _assign(obj, data: dict, allowed: list[str]) -> None:
    for name, value in data.items():
        if name not in allowed:
            raise ValidationError(f"不能修改字段 {name}。")
        setattr(obj, name, value)


def _shift(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- Campaigns (county) ---------------------------------------------------------------------------------
@transaction.atomic
def campaign_create(
    *, actor, scope: Scope, data: dict, organization=None, copy_from: Campaign | None = None
) -> Campaign:
    """A new campaign; with ``copy_from``, its phases and deliverables are copied, dates moved by the years
    between the two campaigns (so 2026 is created from 2025 without code)."""
    require(scope, "campaign.manage")
    if organization is not None:
        require(scope, "campaign.manage", organization)
    campaign = Campaign(organization=organization)
    _assign(campaign, data, CAMPAIGN_FIELDS)
    campaign.full_clean()
    campaign.save()
    if copy_from is not None:
        years = campaign.year - copy_from.year
        phases = {}
        for phase in copy_from.phases.all():
            phases[phase.pk] = Phase.objects.create(
                campaign=campaign,
                order=phase.order,
                name=phase.name,
                deadline=_shift(phase.deadline, years),
                description=phase.description,
            )
        for req in copy_from.requirements.all():
            Requirement.objects.create(
                campaign=campaign,
                phase=phases.get(req.phase_id),
                order=req.order,
                title=req.title.replace(str(copy_from.year), str(campaign.year)),
                due=_shift(req.due, years),
                needs_scan=req.needs_scan,
                needs_editable=req.needs_editable,
                description=req.description,
            )
    audit.record(
        actor=actor,
        action="campaigns.campaign_create",
        obj=campaign,
        org_path=organization.path if organization else "",
        after={**audit.snapshot(campaign), "copied_from": copy_from.pk if copy_from else None},
    )
    return campaign


@transaction.atomic
def campaign_update(*, actor, scope: Scope, campaign: Campaign, data: dict) -> Campaign:
    require(scope, "campaign.manage")
    before = audit.snapshot(campaign)
    _assign(campaign, data, CAMPAIGN_FIELDS)
    campaign.full_clean()
    campaign.save()
    audit.record(
        actor=actor,
        action="campaigns.campaign_update",
        obj=campaign,
        before=before,
        after=audit.snapshot(campaign),
    )
    return campaign


@transaction.atomic
def phase_save(*, actor, scope: Scope, campaign: Campaign, data: dict, phase: Phase | None = None) -> Phase:
    require(scope, "campaign.manage")
    phase = phase or Phase(campaign=campaign)
    before = audit.snapshot(phase) if phase.pk else None
    _assign(phase, data, PHASE_FIELDS)
    phase.full_clean()
    phase.save()
    audit.record(
        actor=actor, action="campaigns.phase_save", obj=phase, before=before, after=audit.snapshot(phase)
    )
    return phase


@transaction.atomic
def requirement_save(
    *, actor, scope: Scope, campaign: Campaign, data: dict, requirement: Requirement | None = None
) -> Requirement:
    require(scope, "campaign.manage")
    if data.get("phase") is not None and data["phase"].campaign_id != campaign.pk:
        raise ValidationError({"phase": "阶段不属于该专项行动。"})
    requirement = requirement or Requirement(campaign=campaign)
    before = audit.snapshot(requirement) if requirement.pk else None
    _assign(requirement, data, REQUIREMENT_FIELDS)
    requirement.full_clean()
    requirement.save()
    audit.record(
        actor=actor,
        action="campaigns.requirement_save",
        obj=requirement,
        before=before,
        after=audit.snapshot(requirement),
    )
    return requirement


# --- Filings (units) -----------------------------------------------------------------------------------
def is_expected_filer(campaign: Campaign, unit) -> bool:
    """Units below the organiser file; the organiser (or the top unit for a system-wide campaign) does not."""
    if campaign.organization_id is None:
        return unit.parent_id is not None
    return unit.path.startswith(campaign.organization.path) and unit.pk != campaign.organization_id


@transaction.atomic
def filing_submit(
    *,
    actor,
    scope: Scope,
    requirement: Requirement,
    unit,
    filed_on: datetime.date,
    note: str = "",
    scan=None,
    editable=None,
) -> Filing:
    """A unit files a deliverable: the stamped scan and/or the editable file, as the deliverable requires."""
    require(scope, "campaign.file", unit)
    if not is_expected_filer(requirement.campaign, unit):
        raise ValidationError({"unit": f"{unit.name}不是该专项行动的报送单位。"})
    not_in_future(filed_on, "filed_on")
    errors = {}
    if requirement.needs_scan and scan is None:
        errors["scan"] = "请上传加盖公章的扫描件。"
    if requirement.needs_editable and editable is None:
        errors["editable"] = "请上传电子文档（可编辑）。"
    for attr, upload in (("scan", scan), ("editable", editable)):
        if upload is not None and attr not in errors:
            try:
                files.check(upload)  # both files are refused or accepted before either is written
            except ValidationError as exc:
                errors[attr] = exc.messages
    if errors:
        raise ValidationError(errors)
    standing = Filing.objects.filter(
        requirement=requirement, unit=unit, status__in=[FilingStatus.SUBMITTED, FilingStatus.ACCEPTED]
    )
    if standing.exists():
        raise ValidationError("该事项已报送且未被退回，不能重复报送。")
    filing = Filing(
        requirement=requirement,
        unit=unit,
        filed_on=filed_on,
        note=note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        backdated=is_backdated(filed_on),
    )
    filing.full_clean()
    filing.save()
    for attr, upload, label in (("scan", scan, "盖章扫描件"), ("editable", editable, "电子文档")):
        if upload is not None:
            try:
                stored = files.store(
                    actor=actor,
                    upload=upload,
                    organization=unit,
                    owner=filing,
                    kind=EvidenceFile.Kind.DOCUMENT,
                    title=f"{requirement.title}（{label}）",
                )
            except ValidationError as exc:
                raise ValidationError({attr: exc.messages}) from exc
            setattr(filing, attr, stored)
    filing.save(update_fields=["scan", "editable"])
    audit.record(
        actor=actor,
        action="campaigns.filing_submit",
        obj=filing,
        org_path=unit.path,
        after=audit.snapshot(filing),
    )
    return filing


@transaction.atomic
def filing_review(*, actor, scope: Scope, filing: Filing, verb: str, reason: str = "") -> Filing:
    """Sign a filing off or return it with a reason (the transition table in workflow.py)."""
    to, perm = workflow.next_status(filing.status, verb)
    require(scope, perm, filing)
    reason = reason.strip()
    if verb == "return" and not reason:
        raise ValidationError({"return_reason": "退回须填写原因。"})
    before = audit.snapshot(filing)
    filing.status = to
    filing.reviewed_at = timezone.now()
    filing.reviewed_by = actor if getattr(actor, "pk", None) else None
    if verb == "return":
        filing.return_reason = reason[:300]
    filing.save()
    audit.record(
        actor=actor,
        action=f"campaigns.filing_{verb}",
        obj=filing,
        org_path=filing.unit.path,
        before=before,
        after=audit.snapshot(filing),
    )
    return filing


# --- 年度工作任务清单 -------------------------------------------------------------------------------------
@transaction.atomic
def task_create(*, actor, scope: Scope, unit, data: dict) -> WorkTask:
    require(scope, "campaign.file", unit)
    task = WorkTask(unit=unit)
    _assign(task, data, TASK_FIELDS)
    task.full_clean()
    task.save()
    audit.record(
        actor=actor, action="campaigns.task_create", obj=task, org_path=unit.path, after=audit.snapshot(task)
    )
    return task


@transaction.atomic
def task_update(*, actor, scope: Scope, task: WorkTask, data: dict, evidence=None) -> WorkTask:
    require(scope, "campaign.file", task)
    before = audit.snapshot(task)
    _assign(task, data, TASK_FIELDS)
    task.full_clean()
    task.save()
    if evidence is not None:
        files.store(
            actor=actor, upload=evidence, organization=task.unit, owner=task, title=f"任务佐证：{task.title}"
        )
    audit.record(
        actor=actor,
        action="campaigns.task_update",
        obj=task,
        org_path=task.unit.path,
        before=before,
        after=audit.snapshot(task),
    )
    return task


# --- 告知书 / 承诺书 ----------------------------------------------------------------------------------------
def _letter_event(actor, letter, kind, on, detail=""):
    return LetterEvent.objects.create(
        letter=letter,
        kind=kind,
        on=on,
        detail=detail[:200],
        recorded_by=actor if getattr(actor, "pk", None) else None,
        backdated=is_backdated(on),
    )


@transaction.atomic
def letters_generate(
    *, actor, scope: Scope, campaign: Campaign, enterprises, deadline: datetime.date
) -> list[EnterpriseLetter]:
    """Create (or re-date) the letter rows for these enterprises; the docx is rendered from them."""
    enterprises = list(enterprises)
    if not enterprises:
        raise ValidationError({"enterprises": "请至少选择一家企业。"})
    for e in enterprises:
        require(scope, "campaign.file", e)
    today = timezone.localdate()
    existing = {
        letter.enterprise_id: letter
        for letter in EnterpriseLetter.objects.filter(campaign=campaign, enterprise__in=enterprises)
    }
    letters = []
    for e in enterprises:
        letter = existing.get(e.pk)
        if letter is None:
            letter = EnterpriseLetter.objects.create(campaign=campaign, enterprise=e, deadline=deadline)
            _letter_event(
                actor, letter, LetterEvent.Kind.GENERATED, today, f"自评截止日期 {deadline:%Y-%m-%d}"
            )
        elif letter.deadline != deadline and letter.delivered_on is None:
            letter.deadline = deadline
            letter.save(update_fields=["deadline"])
            _letter_event(
                actor, letter, LetterEvent.Kind.GENERATED, today, f"重新生成，截止日期 {deadline:%Y-%m-%d}"
            )
        letter.enterprise = e
        letters.append(letter)
    audit.record(
        actor=actor,
        action="campaigns.letters_generate",
        obj=campaign,
        org_path=_common_path(e.unit.path for e in enterprises),
        after={"enterprises": [e.pk for e in enterprises], "deadline": deadline},
        object_repr=f"{campaign}：{len(enterprises)} 家企业",
    )
    return letters


def _common_path(paths) -> str:
    paths = list(paths)
    prefix = paths[0]
    for p in paths[1:]:
        while not p.startswith(prefix):
            prefix = prefix[:-7]
    return prefix


@transaction.atomic
def letter_deliver(*, actor, scope: Scope, letters, on: datetime.date, method: str) -> int:
    """Record delivery of the 告知书/承诺书 for several letters at once."""
    not_in_future(on, "delivered_on")
    letters = list(letters)
    if not letters:
        raise ValidationError("请至少选择一份告知书。")
    for letter in letters:
        require(scope, "campaign.file", letter)
    for letter in letters:
        before = {"delivered_on": letter.delivered_on, "delivery_method": letter.delivery_method}
        letter.delivered_on = on
        letter.delivery_method = method
        letter.full_clean()
        letter.save(update_fields=["delivered_on", "delivery_method"])
        _letter_event(actor, letter, LetterEvent.Kind.DELIVERED, on, letter.get_delivery_method_display())
        audit.record(
            actor=actor,
            action="campaigns.letter_deliver",
            obj=letter,
            org_path=letter.enterprise.unit.path,
            enterprise_id=letter.enterprise_id,
            before=before,
            after={"delivered_on": on, "delivery_method": method},
        )
    return len(letters)


@transaction.atomic
def letter_sign(
    *, actor, scope: Scope, letter: EnterpriseLetter, on: datetime.date, signer: str, scan
) -> EnterpriseLetter:
    """The enterprise signed the 承诺书: date, signer and the scan of the stamped copy (required)."""
    require(scope, "campaign.file", letter)
    not_in_future(on, "signed_on")
    errors = {}
    if not signer.strip():
        errors["signer"] = "请填写签名人。"
    if scan is None and letter.signed_scan_id is None:
        errors["scan"] = "请上传盖章承诺书的扫描件或照片。"
    if letter.delivered_on and on < letter.delivered_on:
        errors["signed_on"] = "签订日期不能早于送达日期。"
    if errors:
        raise ValidationError(errors)
    before = {"signed_on": letter.signed_on, "signer": letter.signer, "signed_scan": letter.signed_scan_id}
    if scan is not None:
        try:
            letter.signed_scan = files.store(
                actor=actor,
                upload=scan,
                enterprise=letter.enterprise,
                owner=letter,
                title=f"承诺书（盖章）：{letter.enterprise.name}",
            )
        except ValidationError as exc:
            raise ValidationError({"scan": exc.messages}) from exc
    if letter.delivered_on is None:
        letter.delivered_on = on
        letter.delivery_method = letter.delivery_method or "in_person"
        _letter_event(actor, letter, LetterEvent.Kind.DELIVERED, on, "签订时当面送达")
    letter.signed_on = on
    letter.signer = signer.strip()
    letter.save()
    _letter_event(actor, letter, LetterEvent.Kind.SIGNED, on, letter.signer)
    audit.record(
        actor=actor,
        action="campaigns.letter_sign",
        obj=letter,
        org_path=letter.enterprise.unit.path,
        enterprise_id=letter.enterprise_id,
        before=before,
        after={"signed_on": on, "signer": letter.signer, "signed_scan": letter.signed_scan_id},
    )
    return letter


@transaction.atomic
def letter_post(*, actor, scope: Scope, letter: EnterpriseLetter, on: datetime.date) -> EnterpriseLetter:
    """The enterprise put its copy up on the 公示栏."""
    require(scope, "campaign.file", letter)
    not_in_future(on, "posted_on")
    if letter.signed_on is None:
        raise ValidationError({"posted_on": "承诺书签订后才能登记公示。"})
    if on < letter.signed_on:
        raise ValidationError({"posted_on": "公示日期不能早于签订日期。"})
    before = {"posted_on": letter.posted_on}
    letter.posted_on = on
    letter.save(update_fields=["posted_on"])
    _letter_event(actor, letter, LetterEvent.Kind.POSTED, on)
    audit.record(
        actor=actor,
        action="campaigns.letter_post",
        obj=letter,
        org_path=letter.enterprise.unit.path,
        enterprise_id=letter.enterprise_id,
        before=before,
        after={"posted_on": on},
    )
    return letter
