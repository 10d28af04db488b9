"""Background jobs that send mail: when the mail server fails, try again later, a bounded
number of times (the job's own record makes a success count once; see deliver_* actions)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.tasks import Task
from django.utils import timezone

logger = logging.getLogger("palabre.mail")

RETRY_DELAY = timedelta(minutes=30)
ATTEMPTS = 12  # six hours of retries


def deliver_or_retry(
    job: Task[..., str], deliver: Callable[..., str], *, attempt: int, **arguments: Any
) -> str:
    """Run `deliver(**arguments)`; if the mail server fails, queue `job` again later."""
    try:
        return deliver(**arguments)
    except OSError as error:  # smtplib.SMTPException and connection errors
        if attempt >= ATTEMPTS:
            logger.error("mail failed %d times, giving up: %s %s", attempt, arguments, error)
            raise
        logger.warning("mail failed (attempt %d), trying again later: %s", attempt, error)
        job.using(run_after=timezone.now() + RETRY_DELAY).enqueue(attempt=attempt + 1, **arguments)
        return f"mail failed (attempt {attempt}): tried again in {RETRY_DELAY}"
