from palabre.callbacks.actions import ask_callback
from palabre.core.testing import MatrixRow, World, everyone, only

SERVICE = ("coordinator", "administrator")


def waiting_callback(world: World) -> dict[str, int]:
    asked = ask_callback(
        key="matrix-callback-key-0001", name="Amina", phone="+32470123456", language="fr"
    )
    return {"pk": asked.callback.pk}


ROWS = [
    MatrixRow("callbacks:ask", everyone(200)),
    MatrixRow(
        "callbacks:ask",
        everyone(302),
        method="post",
        state="a name and a number",
        data=lambda w: {
            "key": "matrix-callback-key-0002",
            "name": "Amina",
            "phone": "0470 12 34 56",
            "best_time": "any",
        },
    ),
    MatrixRow("callbacks:thanks", everyone(200)),
    MatrixRow(
        "callbacks:called",
        only(302, SERVICE, otherwise=403),
        method="post",
        kwargs=waiting_callback,
    ),
]
