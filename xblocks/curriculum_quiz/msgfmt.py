"""A small, dependency-free compiler of gettext catalogues (.po to .mo), and the catalogue layout.

The block's translations live once, as ``conf/locale/<locale>/LC_MESSAGES/django.po`` in the
package: the layout of the official XBlocks under OEP-58, from which the openedx-translations
project pulls the strings and to which ``atlas pull`` delivers them (the platform then reads
``conf/plugins-locale/xblock.v1/curriculum_quiz/<locale>/LC_MESSAGES/django.mo``).
``conf/locale/en/LC_MESSAGES/django.po`` is the source catalogue (every string, untranslated).

Each translation is compiled next to its .po and into the in-package fallback the platform's
XBlock i18n service reads when atlas has delivered nothing:
``translations/<locale>/LC_MESSAGES/text.mo``. :data:`ALIASES` gives a catalogue to further
locales: Traditional Chinese serves zh_TW, zh_Hant and zh_HK (Django's ``to_locale`` of the
language codes zh-tw, zh-hant and zh-hk). Recompile after editing a .po file with::

    python -m curriculum_quiz.msgfmt

Supports what our catalogues use: comments, ``msgctxt``, plural forms and multi-line strings.
Fuzzy and untranslated entries are left out, as GNU msgfmt does. The output is deterministic.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

PACKAGE = Path(__file__).parent
LOCALE = PACKAGE / "conf" / "locale"
TRANSLATIONS = PACKAGE / "translations"
DOMAIN = "django"
FALLBACK_DOMAIN = "text"
SOURCE_LOCALE = "en"
# locale of a .po → further locales served by the same catalogue
ALIASES = {"zh_TW": ("zh_Hant", "zh_HK")}


class PoError(ValueError):
    pass


def parse_po(text: str) -> dict[bytes, bytes]:
    """The catalogue of a .po file as {msgid: msgstr} in .mo encoding (context and plurals joined)."""
    entries: list[dict[str, object]] = []
    entry: dict[str, object] = {}
    fuzzy = False
    last: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal entry, fuzzy
        if "msgid" in entry and not fuzzy:
            entries.append(entry)
        entry, fuzzy = {}, False

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if "msgid" in entry and "msgstr" in entry or "msgstr[]" in entry:
                finish()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if last is None:
                raise PoError(f"line {number}: continuation string without a keyword")
            name, index = last
            value = _string(line, number)
            if index is None:
                entry[name] = str(entry[name]) + value
            else:
                forms = entry["msgstr[]"]
                assert isinstance(forms, dict)
                forms[index] += value
            continue
        if keyword in ("msgctxt", "msgid") and ("msgstr" in entry or "msgstr[]" in entry):
            finish()
        if keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            entry[keyword] = _string(rest, number)
            last = (keyword, None)
        elif keyword.startswith("msgstr[") and keyword.endswith("]"):
            index = int(keyword[7:-1])
            forms = entry.setdefault("msgstr[]", {})
            assert isinstance(forms, dict)
            forms[index] = _string(rest, number)
            last = ("msgstr[]", index)
        else:
            raise PoError(f"line {number}: unexpected {line!r}")
    finish()

    catalogue: dict[bytes, bytes] = {}
    for e in entries:
        msgid = str(e["msgid"])
        if "msgid_plural" in e:
            forms = e.get("msgstr[]") or {}
            assert isinstance(forms, dict)
            values = [forms[i] for i in sorted(forms)]
            if not values or not all(values):
                continue
            key = msgid + "\0" + str(e["msgid_plural"])
            value = "\0".join(values)
        else:
            value = str(e.get("msgstr", ""))
            if not value:
                continue
            key = msgid
        if "msgctxt" in e:
            key = str(e["msgctxt"]) + "\x04" + key
        catalogue[key.encode("utf-8")] = value.encode("utf-8")
    return catalogue


def _string(token: str, number: int) -> str:
    token = token.strip()
    if not (len(token) >= 2 and token[0] == token[-1] == '"'):
        raise PoError(f"line {number}: expected a quoted string, not {token!r}")
    try:
        return ast.literal_eval(token)
    except (ValueError, SyntaxError) as err:
        raise PoError(f"line {number}: bad string {token!r}: {err}") from None


def mo_bytes(catalogue: dict[bytes, bytes]) -> bytes:
    """GNU .mo file content (little-endian, no hash table) for a catalogue."""
    keys = sorted(catalogue)
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    ids = b""
    strs = b""
    id_table: list[tuple[int, int]] = []
    str_table: list[tuple[int, int]] = []
    for key in keys:
        id_table.append((len(key), len(ids)))
        ids += key + b"\0"
    for key in keys:
        value = catalogue[key]
        str_table.append((len(value), len(strs)))
        strs += value + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0, data_at)
    for length, offset in id_table:
        out += struct.pack("<2I", length, data_at + offset)
    for length, offset in str_table:
        out += struct.pack("<2I", length, data_at + len(ids) + offset)
    return out + ids + strs


def compile_po(po_path: Path, mo_path: Path | None = None) -> Path:
    mo_path = mo_path or po_path.with_suffix(".mo")
    mo_path.parent.mkdir(parents=True, exist_ok=True)
    mo_path.write_bytes(mo_bytes(parse_po(po_path.read_text(encoding="utf-8"))))
    return mo_path


def compiled_paths(locale: str) -> list[Path]:
    """Every .mo file the catalogue of ``locale`` is compiled to."""
    out = []
    for name in (locale, *ALIASES.get(locale, ())):
        out.append(LOCALE / name / "LC_MESSAGES" / f"{DOMAIN}.mo")
        out.append(TRANSLATIONS / name / "LC_MESSAGES" / f"{FALLBACK_DOMAIN}.mo")
    return out


def translation_sources() -> list[Path]:
    """The .po files of the translations (the English source catalogue is not one)."""
    return [po for po in sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po")) if po.parts[-3] != SOURCE_LOCALE]


def main(argv: list[str] | None = None) -> int:
    for po in translation_sources():
        for mo in compiled_paths(po.parts[-3]):
            print(compile_po(po, mo))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
