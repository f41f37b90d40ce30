"""Helpers shared by the duty views."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone


def apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def run_action(request, form, call, success: str, target):
    """POST-only actions: validate ``form``, call the service, flash the result, redirect to ``target``."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(error_messages(exc)))
        else:
            messages.success(request, success)
    else:
        errs = [
            f"{form.fields[f].label if f in form.fields else ''}：{'；'.join(e)}"
            for f, e in form.errors.items()
        ]
        messages.error(request, "；".join(errs))
    return redirect(target)


def error_messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return exc.messages


def today():
    return timezone.localdate()
