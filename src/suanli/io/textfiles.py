"""Reading small text files (YAML) in whatever encoding they were saved in, with the input size
limits: BOMs, UTF-8, UTF-16, GBK/GB18030, and a clear error for a file that mixes encodings.

Kept apart from :mod:`suanli.io.readers` (tables, which need pandas and numpy), so that loading an
edition (``edition.yaml``, its framework files) imports neither: 0.25 s instead of 0.54 s in a fresh
process.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError

#: Inputs larger than this are refused (override with SUANLI_MAX_INPUT_MB).
DEFAULT_MAX_INPUT_MB = 512
#: Workbooks expand 10-50x in memory when parsed; larger ones are refused (SUANLI_MAX_XLSX_MB).
DEFAULT_MAX_XLSX_MB = 64

#: Uncompressed size of a workbook's parts above which it is refused before parsing
#: (SUANLI_MAX_XLSX_UNCOMPRESSED_MB): a small zip can expand to gigabytes of XML.
DEFAULT_MAX_XLSX_UNCOMPRESSED_MB = 256
#: A single CSV cell larger than this is refused (SUANLI_MAX_CELL_KB).
DEFAULT_MAX_CELL_KB = 1024


def _env_mb(var: str, default: float) -> int:
    try:
        return int(float(os.environ.get(var, default)) * 1024 * 1024)
    except ValueError:
        return int(default * 1024 * 1024)


def max_input_bytes(xlsx: bool = False) -> int:
    """The input size limit in bytes (``SUANLI_MAX_XLSX_MB`` for workbooks, else ``SUANLI_MAX_INPUT_MB``)."""
    if xlsx:
        return _env_mb("SUANLI_MAX_XLSX_MB", DEFAULT_MAX_XLSX_MB)
    return _env_mb("SUANLI_MAX_INPUT_MB", DEFAULT_MAX_INPUT_MB)


def decode_bytes(data: bytes, path: str | Path) -> tuple[str, str]:
    """Decode file bytes, returning (text, encoding). BOMs win; then UTF-8; then GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InputError(
                f"starts with a UTF-8 byte-order mark but byte {exc.start + 3} is not UTF-8 ({exc.reason})",
                file=path, row=data[: exc.start + 3].count(b"\n") + 1,
                hint="the file mixes encodings or is damaged; re-save it from Excel as 'CSV UTF-8'",
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(
                f"starts with a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason})",
                file=path,
                hint="re-save it from Excel as 'CSV UTF-8'",
            ) from None
    # UTF-16 without BOM: many NUL bytes
    if data[:4000].count(b"\x00") > len(data[:4000]) // 4:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                continue
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        if _looks_like_chinese_utf8(data[: exc.start]):
            # Chinese text decoded as UTF-8 before this point: the file mixes UTF-8 and another
            # encoding (rows pasted from a GBK file); decoding all of it as GBK would garble the rest
            raise InputError(
                f"mixes encodings: the lines before line {bad_line} are UTF-8 but byte {exc.start + 1} "
                f"(line {bad_line}) is not", file=path, row=bad_line,
                hint="the file was assembled from files in different encodings (UTF-8 and GBK); re-save "
                     "every part as 'CSV UTF-8' and combine them again") from None
        utf8_line = bad_line
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        gb_line = data[: exc.start].count(b"\n") + 1
    raise InputError(
        f"cannot be decoded as UTF-8 (first bad byte on line {utf8_line}), UTF-16 or GBK/GB18030 "
        f"(first bad byte on line {gb_line})",
        file=path, row=min(utf8_line, gb_line),
        hint="the file mixes encodings or is damaged; re-save it from Excel as 'CSV UTF-8 (逗号分隔)'",
    )


def _looks_like_chinese_utf8(prefix: bytes) -> bool:
    """True when the UTF-8 text before a decoding error holds Chinese characters and no other
    non-ASCII characters: then the file is UTF-8 up to there (GBK bytes rarely form CJK UTF-8)."""
    text = prefix.decode("utf-8", errors="replace")
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return False

    def cjk(ch: str) -> bool:
        o = ord(ch)
        return 0x3400 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F

    return sum(1 for ch in wide if 0x3400 <= ord(ch) <= 0x9FFF) >= 1 and all(cjk(ch) for ch in wide)


def read_text_file(path: str | Path) -> str:
    """A small text file (YAML) in any encoding :func:`decode_bytes` knows, with the input size limit."""
    p = Path(path)
    _check_size(p, allow_empty=True)
    text, _ = decode_bytes(p.read_bytes(), p)
    return text


def _check_size(path: Path, *, allow_empty: bool = False, xlsx: bool = False) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("file not found", file=path, hint="check the path in edition.yaml or on the command line") from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", file=path,
                         hint="check the path in edition.yaml or on the command line") from None
    if path.is_dir():
        raise InputError("is a folder, not a file", file=path, hint="give the path of the table file")
    xlsx = xlsx or path.suffix.lower() in (".xlsx", ".xlsm")
    limit = max_input_bytes(xlsx)
    if size > limit:
        var = "SUANLI_MAX_XLSX_MB" if xlsx else "SUANLI_MAX_INPUT_MB"
        raise InputError(
            f"is {size / 2**20:,.0f} MB, over the {limit / 2**20:,.0f} MB input limit",
            file=path,
            hint=f"split the file, aggregate it first (or save a workbook as CSV), or raise {var} if you have the memory",
        )
    if size == 0 and not allow_empty:
        raise InputError("is empty", file=path, hint="export the table again with its header row")
