"""Find and mask personal data in residents' contributions before publication.

Pure Python (standard library only): no Django, no network, no downloaded model. Rules and
limits are explained in docs/decisions/0032-personal-data-masking.md.

    findings = find_personal_data(text)
    public = mask(text, findings, placeholder=lambda kind: LABELS[kind])

A moderator then confirms or undoes each finding; `mask` applies whatever subset is kept.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

__all__ = ["Finding", "Kind", "find_personal_data", "mask"]


class Kind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    NAME = "name"
    ACCOUNT = "account"  # bank account: IBAN, or the old Belgian 000-0000000-00 form


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    kind: Kind
    text: str  # == original[start:end]

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end or self.end - self.start != len(self.text):
            raise ValueError(f"invalid span {self.start}:{self.end} for {self.text!r}")


def mask(text: str, findings: Iterable[Finding], placeholder: Callable[[Kind], str]) -> str:
    """Replace each finding's span by `placeholder(kind)`, leaving the rest of `text` untouched.

    Raises ValueError if a span lies outside `text`, no longer matches it (the text was edited
    after detection), or overlaps another span. Touching spans are fine.
    """
    ordered = sorted(findings, key=lambda finding: (finding.start, finding.end))
    previous_end = 0
    for finding in ordered:
        if finding.end > len(text) or text[finding.start : finding.end] != finding.text:
            raise ValueError(f"{finding!r} does not match the text")
        if finding.start < previous_end:
            raise ValueError(f"{finding!r} overlaps another finding")
        previous_end = finding.end
    masked = text
    for finding in reversed(ordered):  # from the end, so earlier offsets stay valid
        masked = masked[: finding.start] + placeholder(finding.kind) + masked[finding.end :]
    return masked


def find_personal_data(text: str) -> list[Finding]:
    """Personal data found in `text`: sorted by position, never overlapping.

    Detection reads a normalised copy (look-alike characters folded, invisible ones dropped,
    space runs collapsed); each finding's span is over `text` itself, so that masking it hides
    every character the person typed there.
    """
    spelling = _Spelling.of(text)
    found = []
    for start, end, kind in _detect(spelling.text):
        start, end = spelling.original_span(start, end)
        found.append(Finding(start, end, kind, text[start:end]))
    return found


def _detect(text: str) -> list[tuple[int, int, Kind]]:
    candidates: list[tuple[int, int, Kind]] = []
    # Cheap gates first: most contributions hold no "@" and few digits.
    if _EMAIL_GATE.search(text):
        candidates += _emails(text)
    digits = len(_NOT_DIGITS.sub("", text))
    if digits >= 8:  # the shortest phone number or account has more
        candidates += _accounts(text)
        candidates += _phones(text)
    streets = list(_STREET_ONLY.finditer(text)) if digits else None
    if streets is not None:
        candidates += _addresses(text, streets)
    candidates += _names(text, streets)
    # Earlier kinds win over later ones (an e-mail's digits are not a phone number, a name
    # inside an address is part of the address).
    taken: list[tuple[int, int, Kind]] = []
    for start, end, kind in sorted(candidates, key=lambda c: (_PRIORITY[c[2]], c[0], -c[1])):
        if all(end <= other_start or start >= other_end for other_start, other_end, _ in taken):
            taken.append((start, end, kind))
    return sorted(taken)


_PRIORITY = {Kind.EMAIL: 0, Kind.ACCOUNT: 1, Kind.PHONE: 2, Kind.ADDRESS: 3, Kind.NAME: 4}

_SPACE = "[ \t\u00a0\u202f]"  # no line break: a line break ends a number, an address, a name
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſŒŠŽŸ"  # good enough for an initial capital; checked with isupper() too
_LETTER = r"[^\W\d_]"
_NOT_DIGITS = re.compile(r"\D+")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# --- Unusual spellings --------------------------------------------------------------------
# People (and people dodging the filter) write full-width digits and dots (U+FF10-FF19,
# U+FF0E), digits with invisible characters between them, or "O47O" for "0470". Detection
# reads a copy where such spellings are made plain, and maps what it finds back to the
# characters typed (docs/decisions/0040-masking-unusual-spellings.md).

# Characters copied as they are: ASCII, Latin letters, French punctuation (quotes, « », …, €,
# the narrow no-break space). Everything else goes through _plain_character. The soft hyphen
# (U+00AD) is invisible, so it is left out.
_ORDINARY = "\t\n\r\x20-\x7e\u00a0-\u00ac\u00ae-\u024f\u2018-\u201f\u2026\u202f\u20ac"
_UNUSUAL = re.compile(f"[^{_ORDINARY}]")
_COMBINING_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f"
# Look-alikes that Unicode compatibility folding (NFKC) leaves alone.
_LOOK_ALIKES = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\u2024\u3002\ufe52\uff0e\uff61", "."),
    **dict.fromkeys("\u2044\u2215\u29f8\uff0f", "/"),
    **dict.fromkeys("\ufe6b\uff20", "@"),
}
# Letters that show as nothing (Hangul fillers, used for blank names).
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
_LINE_BREAKS = frozenset("\x0b\x0c\x1c\x1d\x1e\x85")
_FOLDED_FORMS = ("<wide>", "<narrow>", "<font>", "<small>")
# Two spaces or more; a token of digits and the letter O that mixes both ("O47O", "2O19").
_SECOND_PASS = re.compile(
    r"(?P<spaces>[ \t\u00a0\u202f]{2,})|(?P<zeros>(?<!\w)[0-9Oo]*(?:\d[Oo]|[Oo]\d)[0-9Oo]*(?!\w))"
)


@lru_cache(maxsize=4096)
def _plain_character(char: str) -> str:
    """What one unusual character (or a letter with its combining marks) reads as: a digit for
    any decimal digit, the ASCII letter for a full-width or mathematical one, nothing for an
    invisible or control character, a space or line break for the other spaces."""
    if len(char) > 1:  # a letter and its combining marks
        composed = unicodedata.normalize("NFC", char)
        return _plain_character(composed if len(composed) == 1 else char[0])
    if char in _LOOK_ALIKES:
        return _LOOK_ALIKES[char]
    category = unicodedata.category(char)
    if category == "Nd":
        return str(unicodedata.digit(char))
    if category in ("Cf", "Mn", "Me") or char in _INVISIBLE_LETTERS:
        return ""  # zero-width spaces and joiners, bidi controls, stray marks
    if category == "Cc":
        return "\n" if char in _LINE_BREAKS else ""
    if category in ("Zl", "Zp"):
        return "\n"
    if category == "Zs":
        return " "
    if unicodedata.decomposition(char).startswith(_FOLDED_FORMS):
        folded = unicodedata.normalize("NFKC", char)
        if folded.isascii():
            return folded
    return char


@dataclass(frozen=True)
class _Rewrite:
    """A text rewritten piece by piece, and where each piece came from.

    A piece copied as it was maps character by character; a replaced piece (one character or
    a run of spaces) maps to the whole original stretch. Dropped characters have no piece.
    """

    text: str
    starts: list[int]  # where each piece starts in `text`
    pieces: list[tuple[int, int, bool]]  # (start, end) in the original, copied as it was

    @classmethod
    def of(
        cls, original: str, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]
    ) -> _Rewrite:
        """Rewrite each match of `pattern` by `replace(match)`; the rest is copied."""
        parts: list[str] = []
        starts: list[int] = []
        pieces: list[tuple[int, int, bool]] = []
        length = copied = 0

        def add(part: str, start: int, end: int, same: bool) -> None:
            nonlocal length
            if part:
                parts.append(part)
                starts.append(length)
                pieces.append((start, end, same))
                length += len(part)

        for match in pattern.finditer(original):
            add(original[copied : match.start()], copied, match.start(), True)
            add(replace(match), match.start(), match.end(), False)
            copied = match.end()
        add(original[copied:], copied, len(original), True)
        return cls("".join(parts), starts, pieces)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The stretch of the original text that `text[start:end]` came from."""
        first = bisect_right(self.starts, start) - 1
        piece_start, _, same = self.pieces[first]
        original_start = piece_start + (start - self.starts[first]) if same else piece_start
        last = bisect_right(self.starts, end - 1) - 1
        piece_start, piece_end, same = self.pieces[last]
        original_end = piece_start + (end - self.starts[last]) if same else piece_end
        return original_start, original_end


@dataclass(frozen=True)
class _Spelling:
    """The text detection reads, and the way back to the positions of what was typed."""

    text: str
    rewrites: tuple[_Rewrite, ...]

    @classmethod
    def of(cls, typed: str) -> _Spelling:
        rewrites = []
        text = typed
        if _UNUSUAL.search(text):
            rewrite = _Rewrite.of(text, _CLUSTER, _plain_cluster)
            rewrites.append(rewrite)
            text = rewrite.text
        if _SECOND_PASS.search(text):
            rewrite = _Rewrite.of(text, _SECOND_PASS, _second_pass)
            rewrites.append(rewrite)
            text = rewrite.text
        return cls(text, tuple(rewrites))

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Where `text[start:end]` is in the typed text."""
        for rewrite in reversed(self.rewrites):
            start, end = rewrite.original_span(start, end)
        return start, end


# Zero-width characters, bidi controls, the soft hyphen: read as nothing, except between two
# digits, where they stand for the separator people see ("0470<U+200B>12 34 56").
_INVISIBLE = "\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
# A run of invisible characters; or one unusual character with its combining marks, or an
# ordinary letter with its marks ("e" + U+0301 reads as "é"; marks that compose with nothing
# are dropped).
_CLUSTER = re.compile(
    f"(?P<invisible>[{_INVISIBLE}]+)"
    f"|(?:[^{_ORDINARY}]|.(?=[{_COMBINING_MARKS}]))[{_COMBINING_MARKS}]*",
    re.DOTALL,
)


def _plain_cluster(match: re.Match[str]) -> str:
    if match.group("invisible") is None:
        return _plain_character(match.group())
    text, start, end = match.string, match.start(), match.end()
    between_digits = (
        start > 0
        and end < len(text)
        and unicodedata.category(text[start - 1]) == "Nd"
        and unicodedata.category(text[end]) == "Nd"
    )
    return " " if between_digits else ""


def _second_pass(match: re.Match[str]) -> str:
    if match.group("spaces"):
        return " "
    return match.group().replace("O", "0").replace("o", "0")


# --- E-mail -------------------------------------------------------------------------------

# A dot between two parts: "." alone, " . " (both sides spaced: "jean . dupont @ gmail . com",
# but never the full stop of "… mail.be. Merci"), or "(dot)", "[point]".
_EMAIL_DOT = (
    rf"(?:\.|{_SPACE}\.{_SPACE}|{_SPACE}*[\[(]{_SPACE}*(?:dot|point){_SPACE}*[\])]{_SPACE}*)"
)
_EMAIL = re.compile(
    rf"""
    (?<![\w.+-])(?<!{_SPACE}\.{_SPACE})                             # (linear on "a . a . a")
    [\w](?:[\w.+'-]*[\w])?(?:{_SPACE}\.{_SPACE}[\w](?:[\w.+'-]*[\w])?)*   # local part
    (?:
        {_SPACE}?@{_SPACE}?
      | {_SPACE}*[\[(]{_SPACE}*(?:at|arobase|@){_SPACE}*[\])]{_SPACE}*   # jean [at] mail.be
    )
    [\w](?:[\w-]*[\w])?                                           # first domain label
    (?:{_EMAIL_DOT}[\w](?:[\w-]*[\w])?)*
    (?:                                                           # top-level domain
        {_SPACE}\.{_SPACE}(?-i:[a-z]{{2,24}}|[A-Z]{{2,24}})          # one case after " . "
      | (?!{_SPACE}\.){_EMAIL_DOT}[a-z]{{2,24}}                     # (not "… . Merci")
    )\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
# "jean at gmail dot com", "jean arobase skynet point be": only with a well-known top-level
# domain at the end, as "at" and "point" are everyday words.
_EMAIL_IN_WORDS = re.compile(
    rf"""
    (?<![\w.+-])
    [\w](?:[\w.+'-]*[\w])?
    {_SPACE}+(?:at|arobase){_SPACE}+
    [\w](?:[\w-]*[\w])?
    (?:{_SPACE}+(?:dot|point){_SPACE}+[\w](?:[\w-]*[\w])?)*?
    {_SPACE}+(?:dot|point){_SPACE}+
    (?:com|net|org|info|eu|be|fr|nl|lu|ch|de|uk|ma|tn|dz|cd|it|es|pt|pl|tr)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)


_EMAIL_GATE = re.compile(r"@|[(\[\s](?i:at|arobase)\b")
_IN_WORDS_GATE = re.compile(r"\s(?i:at|arobase)\s")


def _emails(text: str) -> list[tuple[int, int, Kind]]:
    found = [(m.start(), m.end(), Kind.EMAIL) for m in _EMAIL.finditer(text)]
    if _IN_WORDS_GATE.search(text):
        found += [(m.start(), m.end(), Kind.EMAIL) for m in _EMAIL_IN_WORDS.finditer(text)]
    return found


# --- Bank accounts ------------------------------------------------------------------------

# Groups of four, joined by nothing, a space, a dash or a dot ("BE71-0961-2345-6769").
_IBAN_SEPARATOR = r"[ \t\u00a0\u202f.-]?"
_IBAN = re.compile(
    rf"(?<![\w-])[A-Z]{{2}}\d{{2}}(?:{_IBAN_SEPARATOR}[A-Z0-9]{{4}}){{2,7}}"
    rf"(?:{_IBAN_SEPARATOR}[A-Z0-9]{{1,3}})?\b",
    re.IGNORECASE,
)
_LAST_IBAN_GROUP = re.compile(rf"{_IBAN_SEPARATOR}[A-Z0-9]{{1,4}}$", re.IGNORECASE)
_OLD_BELGIAN_ACCOUNT = re.compile(r"(?<![\w-])\d{3}-\d{7}-\d{2}(?![\w-])")


def _iban_is_valid(candidate: str) -> bool:
    compact = re.sub(r"[\s.-]", "", candidate).upper()
    if not 15 <= len(compact) <= 34 or (compact.startswith("BE") and len(compact) != 16):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _accounts(text: str) -> list[tuple[int, int, Kind]]:
    found = []
    for match in _IBAN.finditer(text):
        # The regex may swallow a neighbouring group ("… 7034 EUR"): drop groups from the end.
        candidate = match.group()
        while not _iban_is_valid(candidate) and len(candidate) > 15:
            candidate = _LAST_IBAN_GROUP.sub("", candidate)
        if _iban_is_valid(candidate):
            found.append((match.start(), match.start() + len(candidate), Kind.ACCOUNT))
    for match in _OLD_BELGIAN_ACCOUNT.finditer(text):
        digits = match.group().replace("-", "")
        check = int(digits[:10]) % 97 or 97
        if check == int(digits[10:]):
            found.append((match.start(), match.end(), Kind.ACCOUNT))
    return found


# --- Phone numbers ------------------------------------------------------------------------

_SEPARATOR = rf"(?:{_SPACE}?[./-]{_SPACE}?|{_SPACE})"
_DIGIT_GROUP = r"(?:\(\d{1,4}\)|\d+)"
# A run of digit groups with the usual separators; "(0)" and "(081)" may touch their
# neighbours. Which runs are phone numbers is decided in Python (_is_phone).
_PHONE_RUN = re.compile(
    rf"""
    (?<![\w@+])(?<!\d[.,/-])
    \+?{_DIGIT_GROUP}
    (?:(?:{_SEPARATOR}|(?<=\))|(?=\(0\))){_DIGIT_GROUP})*
    (?![\w@])
    """,
    re.VERBOSE,
)
_MOST_GROUPS = 7  # "+32 (0)470 12 34 56" has 6; more is a list of numbers, or digits
_PHONE_GROUP = re.compile(r"\+?\(?\d+\)?")
# Quantities are not phone numbers, however many digits they have.
_FOLLOWED_BY_UNIT = re.compile(
    rf"{_SPACE}*(?:€|%|\$|£|m²|m³|(?:eur|euros?|habitants|personnes|km|kg|m2|m3)\b)",
    re.IGNORECASE,
)


def _is_phone(groups: list[str]) -> bool:
    first = groups[0]
    if first.startswith("+") or first.startswith("00"):
        digits = "".join(g for g in groups if g != "(0)")  # +32 (0)81 …: the trunk 0 is noise
        digits = re.sub(r"\D", "", digits)
        digits = digits[2:] if first.startswith("00") else digits
        if digits.startswith("32"):  # Belgium: 8 digits, or 9 for mobiles (4xx)
            national = digits[2:].removeprefix("0")
            return (len(national) == 8 and national[0] != "0") or (
                len(national) == 9 and national[0] == "4"
            )
        if digits.startswith("33"):  # France: 9 digits
            national = digits[2:].removeprefix("0")
            return len(national) == 9 and national[0] != "0"
        return 8 <= len(digits) <= 15 and digits[0] != "0"  # E.164
    digits = re.sub(r"\D", "", "".join(groups))
    # National form: Belgian 0x xxx xx xx / 0xx xx xx xx (9 digits), 04xx xx xx xx (10),
    # French 0x xx xx xx xx (10).
    if len(digits) not in (9, 10) or digits[0] != "0" or digits[1] == "0":
        return False
    sizes = [len(re.sub(r"\D", "", g)) for g in groups]
    if len(sizes) == 1:
        return True
    if not 2 <= sizes[0] <= 4:
        return False
    if sizes == [4, 3, 3] and not digits.startswith("04"):
        return False  # 0xxx.xxx.xxx is a company number (BCE/KBO), 04xx xxx xxx a mobile
    rest = sizes[1:]
    return all(2 <= size <= 3 for size in rest) or (len(rest) == 1 and 5 <= rest[0] <= 8)


def _spelled_out(groups: list[str]) -> list[str] | None:
    """A number typed one digit at a time ("0 4 7 0 1 2 3 4 5 6", "+32 4.7.0…") as the groups
    _is_phone judges: its digits in one group, after the "+32" or "0032" if any. None for a
    run that is not one digit at a time."""
    head = groups[:1] if groups[0].startswith(("+", "00")) and len(groups[0]) > 1 else []
    digits = groups[len(head) :]
    if 8 <= len(digits) <= 15 and all(len(group) == 1 for group in digits):
        return [*head, "".join(digits)]
    return None


def _phones(text: str) -> list[tuple[int, int, Kind]]:
    found = []
    for run in _PHONE_RUN.finditer(text):
        if len(_NOT_DIGITS.sub("", run.group())) < 8:
            continue  # "2019", "19", "12/03/2026": too short for any phone number
        groups = [
            (run.start() + m.start(), run.start() + m.end(), m.group())
            for m in _PHONE_GROUP.finditer(run.group())
        ]
        spelled = _spelled_out([g[2] for g in groups])
        if spelled and _is_phone(spelled) and not _FOLLOWED_BY_UNIT.match(text, run.end()):
            found.append((run.start(), run.end(), Kind.PHONE))
            continue
        # The whole run, or else the longest phone numbers inside it ("… 44 - 0470 …").
        i = 0
        while i < len(groups):
            if i == 0 or groups[i][2][0] in "+0(":
                for j in range(min(len(groups), i + _MOST_GROUPS), i, -1):
                    if _is_phone([g[2] for g in groups[i:j]]) and not _FOLLOWED_BY_UNIT.match(
                        text, groups[j - 1][1]
                    ):
                        found.append((groups[i][0], groups[j - 1][1], Kind.PHONE))
                        i = j - 1
                        break
            i += 1
    return found


# --- Street addresses ---------------------------------------------------------------------

_WORD = rf"{_LETTER}+(?:[-'\u2019]{_LETTER}+)*"
_CAPITALISED_WORD = rf"[{_UPPER}]{_LETTER}*(?:[-'\u2019]{_LETTER}+)*"
# Types whose word is also common in everyday French ("il reste 1 place de libre") need a
# capitalised name; the others accept a name typed in lower case ("12 rue de bomel").
_STREET_TYPE_LIST = sorted(
    _word_set(
        "rue ruelle avenue av. av boulevard bd bld chaussée chaussee square quai impasse allée "
        "allee drève dreve sentier cité rempart venelle esplanade parvis steenweg"
    )
)
_AMBIGUOUS_STREET_TYPE_LIST = sorted(_word_set("place chemin route clos cour"))


def _street_type_pattern(words: list[str]) -> str:
    """The street types, case-insensitive, as a regex that Python's engine runs fast: a class
    of first letters (which it skips through quickly), then each first letter's endings."""
    initials = sorted({word[0] for word in words})
    endings = {
        initial: "|".join(
            re.escape(word[1:])
            for word in sorted(words, key=len, reverse=True)
            if word[0] == initial
        )
        for initial in initials
    }
    letters = "".join(initials) + "".join(initials).upper()
    return (
        rf"[{letters}](?<![\w-][{letters}])"  # a word's first letter
        + "(?i:"
        + "|".join(f"(?<={initial})(?:{endings[initial]})" for initial in initials)
        + r")(?![\w-])"
    )


_STREET_TYPE = _street_type_pattern(_STREET_TYPE_LIST + _AMBIGUOUS_STREET_TYPE_LIST)
_LEADING_PARTICLE = (
    rf"(?i:(?:de|du|des|la|le|les|aux|au|van|der|den|ten|ter|het){_SPACE}+|[dl]['\u2019])"
)
_LEADING_PARTICLES = rf"{_LEADING_PARTICLE}*"
_INNER_PARTICLES = rf"(?i:(?:de|du|des|la|le|les|aux|van|der|den){_SPACE}+|[dl]['\u2019])*"
_STREET_NAME = (
    rf"{_LEADING_PARTICLES}{_WORD}"
    rf"(?:(?:{_SPACE}+|-){_INNER_PARTICLES}(?:{_CAPITALISED_WORD}|1er|1re)(?![\w-]))*"
)
_STREET = rf"(?P<type>{_STREET_TYPE}){_SPACE}+(?P<name>{_STREET_NAME})"
_HOUSE_NUMBER = (
    rf"(?:\d{{1,3}}|\d{{4}}(?!{_SPACE}+[A-ZÀ-Ý]))"  # 4 digits before a capital: a postcode
    rf"(?:{_SPACE}?(?:bis|ter)\b|[a-gA-G]\b)?"
    rf"(?:{_SPACE}*/{_SPACE}*\d{{1,3}}[a-zA-Z]?\b)?"
)
_BOX = rf"(?:{_SPACE}*,?{_SPACE}*(?i:bte|boîte|boite|bus|b\.){_SPACE}*\d{{1,4}}[a-zA-Z]?\b)?"
_NOT_A_QUANTITY = (
    r"(?![.,/-]?\d)"
    rf"(?!{_SPACE}*"
    r"(?i:h\b|h\d|%|€|\$|eur\b|euros?\b|fois\b|ans?\b|jours?\b|semaines?\b|mois\b"
    r"|heures?\b|min\b|minutes?\b|km\b|m\b|m²|mètres?\b|personnes?\b|habitants?\b"
    r"|enfants?\b|voitures?\b|maisons?\b|rues?\b|x\b))"
)
_NUMBER_AFTER = (
    rf"(?P<number>(?i:n°|no\.|nr\.?|numéro)?{_SPACE}*{_HOUSE_NUMBER}{_BOX}){_NOT_A_QUANTITY}"
)

# "rue de Bomel 12", "rue de Bomel, 12", "Rue Haute n°7", "boulevard du Nord 8 bte 2"
_NUMBER_AFTER_STREET = re.compile(rf"(?:{_SPACE}*,)?{_SPACE}*{_NUMBER_AFTER}")
# "12 rue de Bomel", "12, rue de Bomel", "au 45 de la rue Saint-Nicolas": searched for just
# before a street, up to its start (\Z).
_NUMBER_BEFORE_STREET = re.compile(
    rf"(?<![\w.,/-])\d{{1,3}}(?:{_SPACE}?(?:bis|ter)\b|[a-gA-G]\b)?(?:/\d{{1,3}})?"
    rf"(?:{_SPACE}*,)?{_SPACE}+(?i:(?:de{_SPACE}+la|du|des|de){_SPACE}+|de{_SPACE}+l['\u2019])?\Z",
)
_DUTCH_STREET_SUFFIX = r"straat|laan|weg|plein|lei|dreef|kaai|baan|vest|singel|kade|dijk"
_DUTCH_STREET_TITLES = (
    "Koning|Koningin|Prins|Prinses|Graaf|Burgemeester|Dokter|Pastoor|Kardinaal|Generaal"
    "|Grote|Oude|Kleine|Nieuwe|Lange|Korte|Hoge|Sint|Onze-Lieve-Vrouw"
)
_DUTCH_GATE = re.compile(rf"(?:{_DUTCH_STREET_SUFFIX}|markt|Markt){_SPACE}+[nN\d]")
# "Kerkstraat 14", "Sint-Jansstraat 3 bus 2", "Koning Albertlaan 5", "Grote Markt 1"
_DUTCH_ADDRESS = re.compile(
    rf"(?<![\w-])(?:(?:{_DUTCH_STREET_TITLES}){_SPACE}+)?"
    rf"(?:{_LETTER}+-)*(?:{_LETTER}{{2,}}(?i:{_DUTCH_STREET_SUFFIX})|{_LETTER}*(?i:markt))"
    rf"{_SPACE}+{_NUMBER_AFTER}"
)
_STREET_ONLY = re.compile(_STREET)
_AMBIGUOUS_STREET_TYPE = re.compile("|".join(_AMBIGUOUS_STREET_TYPE_LIST), re.IGNORECASE)
_STARTS_WITH_PARTICLE = re.compile(_LEADING_PARTICLE)


def _street_is_plausible(street: re.Match[str], *, number_after: bool) -> bool:
    name = street.group("name")
    has_capital = any(char.isupper() for char in name)
    if _AMBIGUOUS_STREET_TYPE.fullmatch(street.group("type")):
        return has_capital  # "il reste 1 place de libre"
    if number_after:  # "l'avenue compte 40 logements": a bare lower-case word is no name
        return has_capital or _STARTS_WITH_PARTICLE.match(name) is not None
    return True


def _addresses(text: str, streets: list[re.Match[str]]) -> list[tuple[int, int, Kind]]:
    found = []
    for street in streets:
        start, end = street.span()
        before = _NUMBER_BEFORE_STREET.search(text, max(0, start - 24), start)
        if before and _street_is_plausible(street, number_after=False):
            start = before.start()
        after = _NUMBER_AFTER_STREET.match(text, end)
        if after and _street_is_plausible(street, number_after=True):
            end = after.end()
        if (start, end) != street.span():  # a number before or after the street
            found.append((start, end, Kind.ADDRESS))
    if _DUTCH_GATE.search(text):
        found += [(m.start(), m.end(), Kind.ADDRESS) for m in _DUTCH_ADDRESS.finditer(text)]
    return found


# --- Names --------------------------------------------------------------------------------

_TOKEN = rf"{_LETTER}+(?:[-'\u2019]{_LETTER}+)*"
_NEXT_WORD = re.compile(rf"{_SPACE}+({_TOKEN})")  # the next word, after spaces only
_WORD_AFTER_TITLE = re.compile(rf"\.?{_SPACE}+({_TOKEN})")

# Titles; the name that follows is masked, the title stays ("Mme [nom masqué]").
_TITLES = _word_set(
    "monsieur madame mademoiselle docteur maître maitre famille meneer mevrouw juffrouw mister mrs"
)
_ABBREVIATED_TITLES = _word_set("M Mme Mlle Mr Mrs Ms Dr Me Mevr Dhr")  # exact case
# Particles of surnames: "Van den Berghe", "El Amrani", "De Smet", "da Silva", "D'Hondt".
_SURNAME_PARTICLES = _word_set(
    "Van Vande Vanden Vander Von De Den Der Du Le La Del Della Di Da Dos Das Do El Al Ben Bou "
    "Abou Abu Ait Aït Ter Ten Mac Mc Op "
    "van von ter ten el al ben bin da di dos das do del della"
)
_INNER_SURNAME_PARTICLES = _word_set("de den der la le del Den Der")
# Capitalised words that are not surnames: places, institutions, roles, calendar, and words
# that start sentences. Compared without accents, lower case.
_NOT_SURNAMES = _word_set(
    """
    namur jambes bomel salzinnes saint-servais bouge belgrade flawinne malonne suarlee
    temploux vedrin wepion erpent naninne dave lives beez boninne champion cognelee
    daussoulx gelbressee loyers wierde plante geronsart amee heuvy hastedon comognes
    citadelle meuse sambre grognon felicien-rops andenne gembloux dinant ciney marche
    charleroi liege mons wavre bruxelles brussel louvain leuven gand gent anvers antwerpen
    bruges brugge tournai arlon huy nivelles ottignies belgique belgie wallonie flandre
    europe france paris maroc turquie congo kinshasa italie pologne portugal espagne
    ville commune cpas province region gouvernement parlement police asbl tec sncb bpost
    ores inasep bep proximus delhaize colruyt carrefour aldi lidl cora universite unamur
    hopital chr clinique ecole athenee lycee college institut maison centre conseil comite
    eglise cathedrale notre-dame musee theatre parc gare pont port place rue avenue
    quartier marche piscine bibliotheque mairie hotel
    maire bourgmestre echevin echevine president presidente directeur directrice ministre
    gouverneur conseiller conseillere roi reine prince princesse pape cure abbe docteur
    professeur monsieur madame
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin
    juillet aout septembre octobre novembre decembre noel paques toussaint
    le la les un une des du de et ou mais donc car ni or je tu il elle on nous vous ils elles
    ce cet cette ces mon ma mes ton ta son sa ses notre votre leur leurs qui que quoi ou
    quand comment pourquoi oui non merci bonjour bonsoir salut bravo avec sans pour par sur
    sous dans en chez vers depuis pendant avant apres est sont etait a ont va vont fait dit
    aussi alors puis ensuite enfin ici la voila voici tres trop plus moins tout tous toute
    toutes rien personne chaque beaucoup peu bien mal hier demain aujourd'hui bref sinon
    pourtant meme deja encore jamais toujours souvent parfois cordialement bonne bon belle
    beau grand grande petit petite nouveau nouvelle vieux vieille ancien ancienne
    ier ii iii iv vi vii viii ix premier premiere
    aux au bleue bleu blanche blanc noire noir rouge verte vert grise gris
    the and is was het een maar ik wij zij hij
    """
)
_NOT_A_FIRST_NAME_AFTER = _word_set(
    "saint sainte st ste sint notre le la les du des au aux un une ce cette pere frere soeur "
    "sœur roi reine prince princesse pape"
)
_STREET_TYPE_WORDS = re.compile(
    "|".join(map(re.escape, _STREET_TYPE_LIST + _AMBIGUOUS_STREET_TYPE_LIST)), re.IGNORECASE
)  # used with fullmatch

# Common first names in Belgium (Wallonia and Brussels above all): French and Walloon,
# Dutch, Arabic and Berber, Turkish, Italian, Portuguese and Spanish, Congolese, Polish,
# English. Compared without accents, lower case. Words that are also places or common
# capitalised words (Dave, Marine, Avril, Prince, An…) are left out on purpose.
_FIRST_NAMES = _word_set(
    """
    jean marie pierre paul jacques michel philippe alain andre bernard claude daniel
    christian christophe didier dominique eric francis francois francoise frederic georges
    gerard guy henri jacqueline joseph julien laurent louis luc marc martine monique
    nathalie nicolas olivier patrick pascal patricia rene robert roger serge stephane
    sylvie thierry vincent yves anne annick beatrice brigitte catherine cecile chantal
    christine claudine colette danielle denise elisabeth emilie evelyne fabienne florence
    francine genevieve ginette helene isabelle jeanne josiane josette julie laurence
    liliane lucie marcel marguerite marianne michele michelle mireille myriam nadine
    nicole odette pascale paulette renee simone sophie claire suzanne therese valerie veronique
    virginie yvette yvonne albert emile fernand georgette leon raymond jules lucien
    gilbert gilberte germaine jeannine huguette marcelle arlette ghislaine ghislain
    marc-antoine baudouin benoit bruno fabrice freddy gaetan gregory herve jean-luc
    jose ludovic marcel-louis pol rudy willy yvan
    lucas arthur noah adam victor gabriel liam nathan hugo theo tom leo mathis maxime
    thomas alexandre antoine baptiste benjamin clement damien florian guillaume jerome
    jonathan kevin loic mathieu matthieu quentin romain samuel sebastien simon steve
    sylvain valentin xavier arnaud aurelien cedric dimitri geoffrey gauthier jordan
    louis-philippe martin raphael remi robin tristan ugo lou elias eden sacha
    emma olivia louise alice mila lea chloe camille juliette charlotte manon clara zoe
    lina elena jade nina eva laura melanie audrey aurelie amandine caroline celine
    charlene elodie gaelle jessica justine laetitia marion mathilde morgane noemie pauline
    sandrine stephanie vanessa aline delphine anais margaux oceane ambre lola lisa romane
    sarah sara maelle elise agathe victoria alexia coralie cindy deborah estelle floriane
    gwendoline jennifer melissa severine tatiana christelle
    jan piet peter koen kris bart dirk geert hans jef johan jozef wim wouter pieter stijn
    steven tim sander bram jens joris lars maarten ruben seppe thijs wout annelies els
    ellen ilse inge katrien kathleen leen liesbeth lieve marleen mieke sofie lotte lien
    eline femke fien hanne jolien nele tine veerle greet griet hilde karen kaat rita
    an-sofie frank filip gert hendrik jeroen kristof lieven mathias niels pieterjan
    mohamed mohammed mohammad mehdi karim rachid said saïd youssef yassine hamza omar
    khalid abdel abdelkader abdellah abdelaziz ahmed ali amine anas ayoub bilal hassan
    hicham ibrahim ismael ilyas imane fatima khadija aicha amina nadia samira malika
    naima latifa leila yasmina yasmine salma nour zahra zineb hajar houda meryem mariam
    soumaya rania sofia ines hind asma nora djamila farid nabil mourad tarik jamal adil
    mustapha driss redouane soufiane younes zakaria walid nassim mounir hakim aziz
    fatiha karima rachida souad hanane loubna siham wafa ikram
    mehmet ahmet mustafa emre burak murat hakan kemal huseyin hasan elif zeynep ayse
    fatma emine hatice merve busra esra yusuf omer serkan cem deniz ayla selin ozlem gul
    ibrahim osman ismail recep yasin volkan sevda sibel
    giuseppe giovanni antonio salvatore francesco luigi mario angelo carmelo rocco
    vincenzo marco luca paolo giulia francesca maria rosa anna carmela concetta giovanna
    antonella lucia angela sandro enzo franco gino domenico calogero pasquale filippo
    joao manuel joaquim fernando rui pedro tiago ana conceicao isabel joana catarina
    carlos juan miguel carmen pilar javier
    dieudonne esperance merveille exauce gloire bienvenu grace blaise patrice prisca
    rachel ruth esther josue moise benedicte nadege chancelle divine fiston heritier
    jean-paul jean-pierre jean-claude jean-marie jean-louis jean-baptiste jean-francois
    jean-marc jean-michel jean-philippe jean-jacques marie-claire marie-christine
    marie-france marie-louise marie-paule marie-therese marie-jeanne anne-marie
    anne-sophie anne-catherine
    piotr krzysztof andrzej tomasz pawel marek michal agnieszka katarzyna malgorzata
    magdalena joanna ewa zofia stanislaw wojciech kasia basia bogdan janusz
    john david michael james mary emily william george
    """
)
_ACRONYMS = _word_set("CPAS SNCB TEC ASBL ORES BEP INASEP CHR PCS ONE SPW RTBF TV PMR")


@lru_cache(maxsize=4096)
def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.replace("\u2019", "'"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.casefold().replace("ł", "l").replace("\u0131", "i")


def _is_capitalised(word: str) -> bool:
    return word[0].isupper() and len(word) > 1


def _is_first_name(word: str) -> bool:
    if not _is_capitalised(word) or word.isupper():
        return False
    folded = _fold(word)
    return folded in _FIRST_NAMES or all(part in _FIRST_NAMES for part in folded.split("-"))


def _is_surname_core(word: str) -> bool:
    if not _is_capitalised(word):
        return False
    if word.isupper():
        return len(word) >= 2 and word not in _ACRONYMS and _fold(word) not in _NOT_SURNAMES
    folded = _fold(word)
    return folded not in _NOT_SURNAMES and not folded.startswith(
        ("saint-", "sainte-", "sint-", "notre-", "st-", "ste-")
    )


def _surname_end(text: str, word: re.Match[str]) -> int | None:
    """End of the surname whose first word is `word` (group 1), or None."""
    first = word.group(1)
    if first in _SURNAME_PARTICLES and (core := _NEXT_WORD.match(text, word.end())):
        for _ in range(2):  # "Van den Berghe", "van der Linden"
            if core.group(1) in _INNER_SURNAME_PARTICLES and (
                following := _NEXT_WORD.match(text, core.end())
            ):
                core = following
        return core.end() if _is_surname_core(core.group(1)) else None
    if _is_surname_core(first):
        return word.end()
    if len(first) == 1 and first.isupper() and text.startswith(".", word.end()):
        return word.end() + 1  # an initial: "Marie D."
    return None


def _person_end(text: str, first_name_end: int) -> int | None:
    """End of "[Second] Surname" after a first name, or None."""
    word = _NEXT_WORD.match(text, first_name_end)
    if word is None:
        return None
    if _is_first_name(word.group(1)) and (surname := _NEXT_WORD.match(text, word.end())):
        end = _surname_end(text, surname)
        if end is not None:
            return end  # "Jean Marie Lambert", "Fatima Zahra El Amrani"
    return _surname_end(text, word)


def _follows_a_blocking_word(text: str, start: int) -> bool:
    """ "Saint Nicolas", "la Marie", "rue Jean Materne": not a person's first name."""
    if start == 0 or text[start - 1] not in " \t\u00a0\u202f":
        return False
    words = text[max(0, start - 30) : start].split()
    if not words:
        return False
    previous = words[-1]
    return (
        _fold(previous) in _NOT_A_FIRST_NAME_AFTER
        or _STREET_TYPE_WORDS.fullmatch(previous) is not None
    )


# Where a name may start: a capitalised word, or a title written in lower case
# ("monsieur Dupont"). Two patterns, the first kept simple so that it runs fast.
_CAPITALISED = re.compile(rf"[{_UPPER}]{_LETTER}*(?:[-'\u2019]{_LETTER}+)*")
_LOWER_CASE_TITLES = (
    "monsieur madame mademoiselle docteur maître maitre famille meneer mevrouw juffrouw"
)
_LOWER_CASE_TITLE_WORDS = sorted(_word_set(_LOWER_CASE_TITLES))
_LOWER_CASE_TITLE = re.compile(rf"\b(?:{'|'.join(_LOWER_CASE_TITLE_WORDS)})\b")


def _name_triggers(text: str) -> list[re.Match[str]]:
    triggers = list(_CAPITALISED.finditer(text))
    if any(title in text for title in _LOWER_CASE_TITLE_WORDS):
        triggers += _LOWER_CASE_TITLE.finditer(text)
        triggers.sort(key=lambda trigger: trigger.start())
    return triggers


def _names(text: str, streets: list[re.Match[str]] | None) -> list[tuple[int, int, Kind]]:
    """Names; `streets` are the spans of street names (computed here if None): a name inside
    a street's name belongs to the street ("rue Marie-Henriette")."""
    found: list[tuple[int, int, Kind]] = []
    done = 0
    for trigger in _name_triggers(text):
        word = trigger.group()
        lower = word.lower()  # cheaper than _fold, enough to reject most capitalised words
        if lower.isascii() and "-" not in lower:
            is_title = lower in _TITLES or word in _ABBREVIATED_TITLES
            if not is_title and lower not in _FIRST_NAMES:
                continue
        else:
            folded = _fold(word)
            is_title = folded in _TITLES
            if not is_title and folded not in _FIRST_NAMES and "-" not in folded:
                continue
        start = trigger.start()
        if start < done or (
            start > 0 and (text[start - 1].isalpha() or text[start - 1] in "-'\u2019")
        ):
            continue  # inside a name already found, or inside a word ("McDonald")
        span = None
        if is_title:
            name = _WORD_AFTER_TITLE.match(text, trigger.end())
            if name is not None:
                end = None
                if _is_first_name(name.group(1)) and (
                    surname := _NEXT_WORD.match(text, name.end())
                ):
                    end = _surname_end(text, surname)
                if end is None:
                    end = _surname_end(text, name)
                if end is not None:
                    span = (name.start(1), end)  # the title stays: "Mme [nom masqué]"
        elif _is_first_name(word) and not _follows_a_blocking_word(text, start):
            end = _person_end(text, trigger.end())
            if end is not None:
                span = (start, end)
        if span is None:
            continue
        if streets is None:
            streets = list(_STREET_ONLY.finditer(text))
        if not any(s.start() < span[1] and span[0] < s.end() for s in streets):
            found.append((*span, Kind.NAME))
        done = span[1]
    return found
