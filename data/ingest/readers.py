"""Reading bureau files into a table of text cells: CSV in UTF-8 (with or without BOM), UTF-16 or GBK/GB18030,
detected from the bytes rather than the file name, and XLSX; empty, binary and legacy .xls files are refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

# How far into a file the header row may sit (templates often carry a title row or two above it).
HEADER_SEARCH_ROWS = 10
_SNIFF_BYTES = 256 * 1024


class IngestError(ValueError):
    """A file-level problem: the message (Chinese) says what is wrong; nothing has been written."""


@dataclass
class RawTable:
    """A file's data rows as text cells (columns by position) and what the reader found out about it."""

    headers: list[str]
    frame: pd.DataFrame  # columns 0..n-1, every cell a str ("" when empty)
    row_numbers: np.ndarray  # the row number each data row has in the file (header row counts, first row is 1)
    encoding: str  # utf-8 / utf-8-sig / utf-16 / gb18030 / xlsx
    delimiter: str | None = None
    overflow: np.ndarray | None = None  # rows with more cells than the header has (their columns are unreliable)


def read_table(content: bytes, header_score: Callable[[list[str]], int]) -> RawTable:
    """Parse `content`; `header_score` rates a candidate row as header (the best of the first rows is used)."""
    if not content or not content.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise IngestError("文件为空，没有任何内容。")
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content, header_score)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV（UTF-8）后重新报送。")
    encoding = detect_encoding(content)
    return _read_csv(content, encoding, header_score)


def detect_encoding(content: bytes) -> str:
    """utf-8-sig / utf-16 by their byte-order marks, else utf-8 when the bytes decode strictly, else gb18030."""
    if content.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = content[:_SNIFF_BYTES]
    # NUL bytes never occur in 8-bit encoded text (and PostgreSQL text cannot hold them): a binary file.
    if b"\x00" in content or head.startswith((b"%PDF", b"\x89PNG", b"\x1f\x8b", b"GIF8", b"\xff\xd8\xff")):
        raise IngestError("文件不是文本表格（疑似二进制文件），请报送 CSV 或 XLSX 文件。")
    for encoding in ("utf-8", "gb18030"):
        try:
            # A multi-byte character may be cut at the end of the sample: decode up to the last complete line.
            cut = head if len(content) <= _SNIFF_BYTES else head[: head.rfind(b"\n") + 1 or len(head)]
            text = cut.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise IngestError("文件不是文本表格（疑似二进制文件），请报送 CSV 或 XLSX 文件。")
        return encoding
    raise IngestError("无法识别文件编码：请使用 UTF-8 或 GBK/GB18030 编码的 CSV 文件，或 XLSX 文件。")


def _looks_binary(text: str) -> bool:
    """Control characters other than tab and line breaks are not in tables people type."""
    if not text:
        return False
    controls = sum(1 for ch in text[:20_000] if ord(ch) < 32 and ch not in "\t\r\n")
    return controls > max(2, len(text[:20_000]) // 200)


def _sniff(text: str, header_score: Callable[[list[str]], int]) -> tuple[str, int, list[str]]:
    """Delimiter, index of the header line among the physical lines, and the header cells."""
    # Lines as pandas' parser ends them (\r\n, \n or a lone \r; str.splitlines knows more breaks than that).
    lines = re.split(r"\r\n|\r|\n", text)[:HEADER_SEARCH_ROWS]
    best: tuple[int, str, int, list[str]] = (-1, ",", 0, [])
    for delimiter in (",", "\t", ";", "|"):
        for index, line in enumerate(lines):
            try:
                cells = next(csv.reader([line], delimiter=delimiter), [])
            except csv.Error:
                continue
            if len(cells) < 2:
                continue
            score = header_score(cells)
            if score > best[0]:
                best = (score, delimiter, index, cells)
    if best[0] < 0:
        return ",", 0, [cell for cell in (lines[0] if lines else "").split(",")]
    return best[1], best[2], best[3]


def _read_csv(content: bytes, encoding: str, header_score: Callable[[list[str]], int]) -> RawTable:
    head = content[:_SNIFF_BYTES]
    if encoding == "utf-16":
        head = head[: len(head) // 2 * 2]
    elif len(content) > _SNIFF_BYTES:
        head = head[: head.rfind(b"\n") + 1 or len(head)]
    text = head.decode(encoding, errors="replace").lstrip("\ufeff")
    delimiter, header_line, headers = _sniff(text, header_score)
    headers = [h.strip() for h in headers]
    if not headers or not any(headers):
        raise IngestError("文件没有表头行。")
    width = len(headers)
    frame = _parse(content, encoding, delimiter, header_line, width)
    return _finish(headers, frame, header_line + 1, encoding, delimiter)


def _parse(content: bytes, encoding: str, delimiter: str, header_line: int, width: int) -> pd.DataFrame:
    """Cells of the data rows as text, plus one sentinel column: non-empty where a row has more cells than headers."""
    try:
        with warnings.catch_warnings():
            # Cells beyond the sentinel are dropped with a warning; the sentinel already marks those rows.
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            return pd.read_csv(
                io.BytesIO(content), encoding=encoding, sep=delimiter, header=None, names=list(range(width + 1)),
                skiprows=header_line + 1, index_col=False, dtype=str, keep_default_na=False, na_filter=False,
                skip_blank_lines=False, engine="c", quotechar='"', doublequote=True, encoding_errors="strict",
            )
    except UnicodeDecodeError as error:
        if encoding == "utf-8":
            # The sample was valid UTF-8 but a later part is not: the file is GBK/GB18030 after all.
            return _parse(content, "gb18030", delimiter, header_line, width)
        raise IngestError(f"文件编码错误：按 {encoding.upper()} 无法解码（{error.reason}）。") from error
    except pd.errors.ParserError as error:
        message = str(error)
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
        if found:
            expected, line, seen = found.groups()
            raise IngestError(f"第 {line} 行有 {seen} 列，多于表头的 {int(expected) - 1} 列"
                              "（可能含未加引号的分隔符），无法确定各列的值。") from error
        raise IngestError(f"CSV 格式错误，无法解析：{message[:200]}") from error
    except (ValueError, csv.Error) as error:
        raise IngestError(f"CSV 格式错误，无法解析：{str(error)[:200]}") from error


def _finish(headers: list[str], frame: pd.DataFrame, header_row: int, encoding: str,
            delimiter: str | None) -> RawTable:
    for column in frame.columns:
        # Only rows shorter than the header leave NaN (column by column, so nothing else is copied).
        if frame[column].dtype != object:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), "").astype(str)
        elif frame[column].hasnans:
            frame[column] = frame[column].fillna("")
    width = len(headers)
    overflow = (frame[width] != "").to_numpy() if width in frame.columns else np.zeros(len(frame), dtype=bool)
    if width in frame.columns:
        del frame[width]
    row_numbers = np.arange(header_row + 1, header_row + 1 + len(frame))
    # Rows where every cell is empty are layout, not data (trailing lines, spacer rows in spreadsheets).
    blank = np.ones(len(frame), dtype=bool)
    for column in frame.columns:
        blank &= (frame[column] == "").to_numpy()
    if blank.any():
        frame = frame.loc[~blank].reset_index(drop=True)
        row_numbers = row_numbers[~blank]
        overflow = overflow[~blank]
    if frame.empty:
        raise IngestError("文件只有表头，没有数据行。")
    return RawTable(headers, frame, row_numbers, encoding, delimiter, overflow)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time() else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).replace("\x00", "")


def _read_xlsx(content: bytes, header_score: Callable[[list[str]], int]) -> RawTable:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError) as error:
        raise IngestError("无法读取该 Excel 文件（文件损坏或不是 XLSX 格式）。") from error
    try:
        best: tuple[int, object, int, list[str]] | None = None
        for sheet in workbook.worksheets:
            for index, row in enumerate(sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)):
                cells = [_cell_text(v).strip() for v in row]
                score = header_score(cells)
                if best is None or score > best[0]:
                    best = (score, sheet, index, cells)
        if best is None:
            raise IngestError("Excel 文件中没有任何工作表数据。")
        _, sheet, header_index, headers = best
        while headers and not headers[-1]:
            headers.pop()
        if not headers:
            raise IngestError("文件没有表头行。")
        width = len(headers)
        rows = [[_cell_text(v) for v in row[:width]]
                for row in sheet.iter_rows(min_row=header_index + 2, values_only=True)]  # type: ignore[union-attr]
    except IngestError:
        raise
    except Exception as error:  # openpyxl raises many kinds of errors on malformed sheets
        raise IngestError("无法读取该 Excel 文件（工作表内容损坏）。") from error
    finally:
        workbook.close()
    frame = pd.DataFrame(rows, columns=list(range(width)), dtype=object) if rows else pd.DataFrame(
        columns=list(range(width)), dtype=object)
    for column in frame.columns:
        frame[column] = frame[column].fillna("").astype(str)
    return _finish(headers, frame, header_index + 1, "xlsx", None)
