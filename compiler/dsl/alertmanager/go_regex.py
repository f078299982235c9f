"""A regular expression as Alertmanager applies it, with Python's `re`.

Alertmanager compiles a regex matcher's value as `^(?:value)$` with Go's regexp package (RE2 syntax), and
Python's `re` reads much of that text differently: it accepts look-arounds and backreferences Go refuses,
refuses `\\z`, `\\x{41}`, `\\Q...\\E`, `(?U)` and flags in mid-pattern that Go accepts, reads `[[:alpha:]]`
as a set of punctuation, `a{,3}` as a repetition and `$` as "before a final line break", and its `\\d`, `\\w`,
`\\s` and `\\b` match any script's digits and letters where Go's match ASCII only. So the expression is
translated here, token by token as regexp/syntax/parse.go reads it, into Python text that matches the same
strings; what Go refuses is refused with Go's reason, and Unicode classes (`\\pL`), which `re` cannot express,
are refused saying so. Captures mean nothing to a matcher: every group becomes `(?:...)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MAX_REPEAT = 1000
_REPEAT = re.compile(r"\{([0-9]+)(,([0-9]*))?\}")
_FLAGS = re.compile(r"\(\?([imsU]*)(?:(-)([imsU]*))?([:)])")
_NAMED = re.compile(r"\(\?P<([^>]*)>")
_CAPTURE_NAME = re.compile(r"[A-Za-z0-9_]+")
_OCTAL = frozenset("01234567")
_HEX = re.compile(r"[0-9A-Fa-f]+")
_CONTROL = {"a": 0x07, "f": 0x0C, "n": 0x0A, "r": 0x0D, "t": 0x09, "v": 0x0B}

Ranges = tuple[tuple[int, int], ...]
"""A set of characters as inclusive ranges of code points."""


def _ranges(text: str) -> Ranges:
    """`"a-z_"` as ranges: a character, or two joined by `-`."""
    found: list[tuple[int, int]] = []
    index = 0
    while index < len(text):
        if text[index + 1 : index + 2] == "-" and index + 2 < len(text):
            found.append((ord(text[index]), ord(text[index + 2])))
            index += 3
        else:
            found.append((ord(text[index]), ord(text[index])))
            index += 1
    return tuple(found)


_PERL_CLASSES = {"d": _ranges("0-9"), "s": _ranges("\t\n\f\r "), "w": _ranges("0-9A-Za-z_")}
"""Go's `\\d`, `\\s` and `\\w`: ASCII only."""
_POSIX_CLASSES = {
    "alnum": _ranges("0-9A-Za-z"),
    "alpha": _ranges("A-Za-z"),
    "ascii": _ranges("\x00-\x7f"),
    "blank": _ranges("\t "),
    "cntrl": _ranges("\x00-\x1f\x7f"),
    "digit": _ranges("0-9"),
    "graph": _ranges("!-~"),
    "lower": _ranges("a-z"),
    "print": _ranges(" -~"),
    "punct": _ranges("!-/:-@[-`{-~"),
    "space": _ranges("\t\n\v\f\r "),
    "upper": _ranges("A-Z"),
    "word": _ranges("0-9A-Za-z_"),
    "xdigit": _ranges("0-9A-Fa-f"),
}


def go_regex(value: str) -> re.Pattern[str]:
    """The matcher's regex as Alertmanager compiles it, `^(?:value)$`; use it with `search`, as Go does (a value
    such as `a)|(b` escapes the group, and Go accepts it). A `ValueError` with Go's reason for what Go refuses."""
    translated = _Translation(f"^(?:{value})$").python()
    try:
        return re.compile(translated)
    except re.error as error:
        raise ValueError(error.msg) from None


@dataclass
class _Group:
    """A group being read: the flags in force in it, and the flag groups `(?i)` opened in it, which close with
    it and are closed and reopened around each `|` (Go's flags hold to the end of the group)."""

    flags: frozenset[str]
    opened: list[str] = field(default_factory=list)


@dataclass
class _Escape:
    """What a backslash sequence is: one character, or (in `ranges`) a class of them."""

    character: int | None = None
    ranges: Ranges = ()
    negated: bool = False


class _Translation:
    """Go's regular expression `text` read once, left to right, into Python's syntax."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.out: list[str] = []
        self.groups = [_Group(frozenset())]
        self.operand = False
        """Whether the last token can be repeated: not an opening parenthesis nor a `|`."""
        self.repeated = ""
        """The last token when it was a repetition: Go refuses another right after it (`a**`, `a++`)."""

    def python(self) -> str:
        while self.at < len(self.text):
            self._token()
        if len(self.groups) > 1:
            raise ValueError("missing closing )")
        self.out.append(")" * len(self.groups[0].opened))
        return "".join(self.out)

    def _token(self) -> None:
        character = self.text[self.at]
        repeat = _REPEAT.match(self.text, self.at) if character == "{" else None
        if character in "*+?" or repeat is not None:
            self._repetition(repeat)
            return
        self.repeated = ""
        self.operand = character not in "(|"
        if character == "\\":
            self._escape_outside_class()
        elif character == "[":
            self._character_class()
        elif character == "(":
            self._open_group()
        elif character == ")":
            self._close_group()
        elif character == "|":
            opened = self.groups[-1].opened
            self.out.append(")" * len(opened) + "|" + "".join(opened))
            self.at += 1
        elif character == "$":
            self.out.append("(?:$)" if "m" in self.groups[-1].flags else r"(?:\Z)")
            self.at += 1
        elif character == "^":
            self.out.append("(?:^)")
            self.at += 1
        elif character == ".":
            self.out.append(".")
            self.at += 1
        else:
            self.out.append(_character_text(ord(character)))
            self.at += 1

    def _repetition(self, repeat: re.Match[str] | None) -> None:
        end = self.at + 1 if repeat is None else repeat.end()
        if repeat is not None:
            low, high = int(repeat[1]), repeat[3]
            upper = low if repeat[2] is None else (int(high) if high else None)
            if low > _MAX_REPEAT or (upper is not None and (upper > _MAX_REPEAT or upper < low)):
                raise ValueError(f"invalid repeat count: `{repeat[0]}`")
        if self.text.startswith("?", end):
            end += 1
        operator = self.text[self.at : end]
        if self.repeated:
            raise ValueError(f"invalid nested repetition operator: `{self.repeated}{operator}`")
        if not self.operand:
            raise ValueError(f"missing argument to repetition operator: `{operator}`")
        self.out.append(operator)
        self.at = end
        self.repeated = operator

    def _open_group(self) -> None:
        flags = _FLAGS.match(self.text, self.at)
        named = _NAMED.match(self.text, self.at)
        group = self.groups[-1]
        if flags is not None:
            on, minus, off, closing = flags[1], flags[2], flags[3] or "", flags[4]
            if minus and not off:
                raise ValueError(f"invalid or unsupported Perl syntax: `{flags[0]}`")
            changed = (group.flags | set(on)) - set(off)
            prefix = _flag_group(set(on), set(off))
            if closing == ")":
                group.flags = changed
                group.opened.append(prefix)
            else:
                self.groups.append(_Group(changed))
            self.out.append(prefix)
            self.at = flags.end()
            return
        if named is not None:
            if not _CAPTURE_NAME.fullmatch(named[1]):
                raise ValueError(f"invalid named capture: `{named[0]}`")
            self.at = named.end()
        elif self.text.startswith("(?", self.at):
            raise ValueError(f"invalid or unsupported Perl syntax: `{self.text[self.at : self.at + 3]}`")
        else:
            self.at += 1
        self.groups.append(_Group(group.flags))
        self.out.append("(?:")

    def _close_group(self) -> None:
        if len(self.groups) == 1:
            raise ValueError("unexpected )")
        group = self.groups.pop()
        self.out.append(")" * len(group.opened) + ")")
        self.at += 1

    def _escape_outside_class(self) -> None:
        following = self.text[self.at + 1 : self.at + 2]
        if following == "Q":
            end = self.text.find("\\E", self.at + 2)
            quoted = self.text[self.at + 2 :] if end == -1 else self.text[self.at + 2 : end]
            self.out.append("".join(_character_text(ord(character)) for character in quoted))
            self.at = len(self.text) if end == -1 else end + 2
            return
        assertions = {"A": r"(?:\A)", "z": r"(?:\Z)", "b": r"(?a:\b)", "B": r"(?a:\B)"}
        if following in assertions:
            self.out.append(assertions[following])
            self.at += 2
            return
        escape = self._escape()
        if escape.character is not None:
            self.out.append(_character_text(escape.character))
        else:
            self.out.append(_class_text(escape.ranges, escape.negated))

    def _escape(self) -> _Escape:
        """The backslash sequence at `self.at`, as Go's `parseEscape` and `parsePerlClassEscape` read it."""
        start = self.at
        if start + 1 >= len(self.text):
            raise ValueError("trailing backslash at end of expression")
        letter = self.text[start + 1]
        self.at = start + 2
        if letter.lower() in _PERL_CLASSES:
            return _Escape(ranges=_PERL_CLASSES[letter.lower()], negated=letter.isupper())
        if letter in _OCTAL and (letter == "0" or self.text[self.at : self.at + 1] in _OCTAL):
            digits = letter
            while len(digits) < 3 and self.text[self.at : self.at + 1] in _OCTAL:
                digits += self.text[self.at]
                self.at += 1
            return _Escape(character=int(digits, 8))
        if letter == "x":
            return _Escape(character=self._hexadecimal(start))
        if letter in _CONTROL:
            return _Escape(character=_CONTROL[letter])
        if letter in "pP":
            raise ValueError(
                f"Unicode character classes (`\\{letter}...`) cannot be applied by moncc as Go applies them;"
                " list the characters or a range of them instead"
            )
        if letter.isascii() and not letter.isalnum():
            return _Escape(character=ord(letter))
        raise ValueError(f"invalid escape sequence: `\\{letter}`")

    def _hexadecimal(self, start: int) -> int:
        """`\\x41` (exactly two digits) or `\\x{10FFFF}`."""
        if self.text.startswith("{", self.at):
            end = self.text.find("}", self.at)
            digits = self.text[self.at + 1 : end] if end != -1 else ""
            self.at = end + 1
        else:
            digits = self.text[self.at : self.at + 2]
            self.at += 2
            if len(digits) != 2:
                digits = ""
        if not _HEX.fullmatch(digits) or int(digits, 16) > 0x10FFFF:
            raise ValueError(f"invalid escape sequence: `{self.text[start : max(self.at, start + 2)]}`")
        return int(digits, 16)

    def _character_class(self) -> None:
        """`[...]` as Go's `parseClass` reads it: a `]` or `-` first is itself, `[:alpha:]` a POSIX class, a
        Perl class (`\\d`) or an escape inside; Python gets one set, or an alternation when negated sets join."""
        start = self.at
        self.at += 1
        negated = self.text.startswith("^", self.at)
        self.at += negated
        positive: list[tuple[int, int]] = []
        excluded: list[Ranges] = []
        first = True
        while True:
            if self.at >= len(self.text):
                raise ValueError(f"missing closing ]: `{self.text[start:]}`")
            if self.text[self.at] == "]" and not first:
                self.at += 1
                break
            first = False
            named = self._posix_class()
            member = named if named is not None else self._class_member()
            if member.character is None:
                if member.negated:
                    excluded.append(member.ranges)
                else:
                    positive.extend(member.ranges)
                continue
            low = high = member.character
            if self.text.startswith("-", self.at) and self.text[self.at + 1 : self.at + 2] not in ("]", ""):
                self.at += 1
                upper = self._class_member()
                if upper.character is None or upper.character < low:
                    raise ValueError(f"invalid character class range: `{self.text[start : self.at]}`")
                high = upper.character
            positive.append((low, high))
        self.out.append(_class_union(tuple(positive), excluded, negated))

    def _posix_class(self) -> _Escape | None:
        if not self.text.startswith("[:", self.at):
            return None
        end = self.text.find(":]", self.at + 2)
        if end == -1:
            return None
        name = self.text[self.at + 2 : end]
        negated = name.startswith("^")
        ranges = _POSIX_CLASSES.get(name.removeprefix("^"))
        if ranges is None:
            raise ValueError(f"invalid character class range: `{self.text[self.at : end + 2]}`")
        self.at = end + 2
        return _Escape(ranges=ranges, negated=negated)

    def _class_member(self) -> _Escape:
        if self.text[self.at] == "\\":
            return self._escape()
        self.at += 1
        return _Escape(character=ord(self.text[self.at - 1]))


def _flag_group(on: set[str], off: set[str]) -> str:
    """Python's scoped flag group for Go's flags; `U` (ungreedy) changes which match is found, never whether
    one is, so it is dropped."""
    on, off = on - off - {"U"}, off - {"U"}
    flags = "".join(sorted(on)) + ("-" + "".join(sorted(off)) if off else "")
    return f"(?{flags}:"


def _class_text(ranges: Ranges, negated: bool) -> str:
    return "[" + ("^" if negated else "") + "".join(_range_text(low, high) for low, high in ranges) + "]"


def _class_union(positive: Ranges, excluded: list[Ranges], negated: bool) -> str:
    """One character in `positive` or outside any of `excluded` (or, `negated`, in none of that)."""
    if not excluded:
        return _class_text(positive, negated)
    if not negated:
        parts = ([_class_text(positive, False)] if positive else []) + [_class_text(e, True) for e in excluded]
        return "(?:" + "|".join(parts) + ")"
    lookaheads = "".join(f"(?={_class_text(ranges, False)})" for ranges in excluded[1:])
    outside = f"(?!{_class_text(positive, False)})" if positive else ""
    return outside + lookaheads + _class_text(excluded[0], False)


def _range_text(low: int, high: int) -> str:
    return _character_text(low) if low == high else f"{_character_text(low)}-{_character_text(high)}"


def _character_text(code: int) -> str:
    """A character as Python reads it literally, in a set or out: letters and digits as themselves, anything
    else by its code point."""
    character = chr(code)
    if character.isascii() and character.isalnum():
        return character
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
