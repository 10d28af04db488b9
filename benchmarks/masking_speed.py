"""Time personal-data detection on 10,000 contributions and on pathological inputs.

Run: .venv/bin/python benchmarks/masking_speed.py
Budget: every contribution is scanned when it is saved, so 10,000 must take well under 1 s;
no single pathological input may take more than 0.2 s. Prints Markdown; nothing here is a test.
"""

from __future__ import annotations

import time

from palabre.contributions.masking import find_personal_data
from palabre.themes import builtin

PERSONAL = (
    "Appelez Marie Dubois au 0470 12 34 56 ou écrivez à marie.dubois@example.org ; "
    "elle habite 12 rue de Bomel."
)
PATHOLOGICAL = {
    '"0" x 5,000': "0" * 5_000,
    '"0 " x 2,500': "0 " * 2_500,
    '"1-" x 2,500': "1-" * 2_500,
    '"Marie " x 1,000': "Marie " * 1_000,
    '"rue de " x 700 + "Bomel 1"': "rue de " * 700 + "Bomel 1",
    '"a" x 5,000 + "@"': "a" * 5_000 + "@",
    '"a." x 2,500 + "@b"': "a." * 2_500 + "@b",
    '"BE68" x 1,000': "BE68" * 1_000,
}


def timed(texts: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    found = sum(len(find_personal_data(text)) for text in texts)
    return time.perf_counter() - started, found


def main() -> None:
    data = builtin("train") + builtin("test")
    plain = [data.texts[n % len(data.texts)] for n in range(10_000)]
    mixed = [f"{text} {PERSONAL}" if n % 3 == 0 else text for n, text in enumerate(plain)]
    print("| 10,000 contributions | seconds (budget 1) | findings |")
    print("|---|---:|---:|")
    for label, texts in (("no personal data", plain), ("a third with 4 findings", mixed)):
        seconds, found = timed(texts)
        print(f"| {label} | {seconds:.2f} | {found} |")
    print("\n| pathological input | seconds (budget 0.2) |")
    print("|---|---:|")
    for label, text in PATHOLOGICAL.items():
        seconds, _ = timed([text])
        print(f"| {label} | {seconds:.3f} |")


if __name__ == "__main__":
    main()
