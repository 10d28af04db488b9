from palabre.core.testing import MatrixRow, World, everyone, only
from palabre.outbox import actions
from palabre.outbox.models import MailStatus, OutgoingMail

SERVICE = ("coordinator", "administrator")


def failed_mail(world: World) -> dict[str, int]:
    queued = actions.queue_mail(to=["a@example.org"], subject="S", body="B")
    assert queued is not None
    OutgoingMail.objects.filter(pk=queued.pk).update(status=MailStatus.FAILED)
    return {"pk": queued.pk}


ROWS = [
    MatrixRow("outbox:failed", only(200, SERVICE, otherwise=403)),
    MatrixRow(
        "outbox:try_again",
        only(302, SERVICE, otherwise=403),
        method="post",
        kwargs=failed_mail,
    ),
    # The provider's replies: only with the secret of PALABRE_SMS_INBOUND_TOKEN (none in tests).
    MatrixRow(
        "outbox:sms_reply",
        everyone(404),
        method="post",
        kwargs=lambda w: {"token": "guessed"},
        data=lambda w: {"From": "+32470123456", "Body": "STOP"},
    ),
]
