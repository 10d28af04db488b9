from palabre.core.testing import MatrixRow, World
from palabre.workshops.tests.matrix import WELCOMERS, workshop


def _only(allowed: tuple[str, ...], status: int) -> dict[str, int]:
    from palabre.core.testing import only

    return only(status, allowed, otherwise=404)


def _pk(world: World) -> dict[str, int]:
    return {"pk": workshop(world).pk}


ROWS = [
    MatrixRow("contributions:capture", _only(WELCOMERS, 200), kwargs=_pk),
    MatrixRow(
        "contributions:capture",
        _only(WELCOMERS, 302),
        kwargs=_pk,
        method="post",
        state="an entry",
        data=lambda w: {"question": "0", "key": "k" * 20, "text": "Plus de bancs."},
    ),
]
