"""Input readers: ``.txt`` files, folders (with an optional ``index.tsv``) and JSON Lines files.

Bad inputs never stop a batch: each is returned as a ``Rejected`` (path, line, message naming the fix)
and everything else is read. A file that is not UTF-8 is decoded with the usual fallbacks
(cp1252, then latin-1) and reported as a warning that names the encoding used.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.extract.dates import url_date, valid_date
from kg.model import Document

INDEX_COLUMNS = ("file", "url", "title", "publication_date", "source_site")
#: every column of index.tsv that is read: the documented ones, the date's note and 'source' (as in .jsonl)
_READ_COLUMNS = frozenset(INDEX_COLUMNS) | {"date_note", "source"}


@dataclass(frozen=True)
class Rejected:
    """One input that was not read: where, and what to do about it."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line is not None else "")
        return f"{where}: {self.message}"


@dataclass
class ReadResult:
    documents: list[Document]
    rejected: list[Rejected]
    warnings: list[Rejected]


def _decode(data: bytes, path: str, line: int | None, warnings: list[Rejected]) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        for enc in ("cp1252", "latin-1"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            warnings.append(
                Rejected(
                    path,
                    line,
                    f"not UTF-8 (byte {e.start}); decoded as {enc}; "
                    f"re-save the file as UTF-8 to silence this",
                )
            )
            return text
        raise  # latin-1 never fails


def _too_big(size: int, max_bytes: int) -> str | None:
    """The message for a document over the size limit, or None when it fits."""
    if size <= max_bytes:
        return None
    return (
        f"document is {size} bytes, over the limit of {max_bytes}; "
        f"split it or raise the limit with KG_MAX_DOCUMENT_BYTES"
    )


def _check_text(data: bytes, max_bytes: int) -> str | None:
    """A problem with raw document bytes, or None when they look like text."""
    if too_big := _too_big(len(data), max_bytes):
        return too_big
    if not data.strip():
        return "empty document; remove it or add the text"
    sample = data[:4096]
    if b"\x00" in sample:
        return "binary file (NUL bytes), not text; pass .txt or .jsonl files"
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    if ctrl > len(sample) * 0.05:
        return "binary file (control characters), not text; pass .txt or .jsonl files"
    return None


def _read_index(
    folder: Path, rejected: list[Rejected], warnings: list[Rejected]
) -> dict[str, tuple[dict[str, str], int]]:
    index = folder / "index.tsv"
    if not index.exists():
        return {}
    path = str(index)
    try:
        text = index.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        rejected.append(Rejected(path, None, "index.tsv is not UTF-8; re-save it as UTF-8"))
        return {}
    rows = list(csv.reader(text.splitlines(), delimiter="\t"))
    if not rows:
        return {}
    header = [h.strip() for h in rows[0]]
    if "file" not in header:
        rejected.append(
            Rejected(
                path,
                1,
                f"index.tsv has no 'file' column; the columns are: "
                f"{', '.join(INDEX_COLUMNS)} (optional: date_note)",
            )
        )
        return {}
    for h in header:
        if h and h not in _READ_COLUMNS:  # a column no reader reads: its values would be lost unseen
            warning = Rejected(path, 1, f"column {h!r} is not read (ignored); the columns are: "
                                        f"{', '.join(INDEX_COLUMNS)} (optional: date_note); rename it")
            if warning not in warnings:
                warnings.append(warning)
    out: dict[str, tuple[dict[str, str], int]] = {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        rec = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        out[rec.get("file", "")] = (rec, n)
    return out


def _doc_from_text(text: str, name: str, meta: dict[str, str] | None, origin: str | None = None) -> Document:
    meta = meta or {}
    note = meta.get("date_note") or None
    published = meta.get("publication_date") or None
    if published is None and url_date(meta.get("url")):
        # a page whose only date is in its URL ('/2008/03/'): that date, at the precision it has
        published = url_date(meta.get("url"))
        note = note or f"publication date {published} read from the URL"
    return Document(
        text=text,
        file=name,
        url=meta.get("url") or None,
        title=meta.get("title") or None,
        publication_date=published,
        source=meta.get("source_site") or meta.get("source") or None,
        date_inferred=bool(note),
        date_note=note,
        origin=origin,
    )


def _read_txt(
    path: Path,
    name: str,
    meta: dict[str, str] | None,
    meta_line: tuple[str, int] | None,
    max_bytes: int,
    res: ReadResult,
) -> None:
    try:
        too_big = _too_big(path.stat().st_size, max_bytes)  # checked before reading it all
        if too_big:
            res.rejected.append(Rejected(str(path), None, too_big))
            return
        data = path.read_bytes()
    except OSError as e:
        res.rejected.append(
            Rejected(str(path), None, f"cannot read ({e.strerror}); check the path and permissions")
        )
        return
    problem = _check_text(data, max_bytes)
    if problem:
        res.rejected.append(Rejected(str(path), None, problem))
        return
    if meta and meta.get("publication_date") and not valid_date(meta["publication_date"]):
        where, line = meta_line or (str(path), None)
        res.rejected.append(
            Rejected(
                where,
                line,
                f"bad publication_date {meta['publication_date']!r}; use YYYY-MM-DD, YYYY-MM or YYYY",
            )
        )
        return
    text = _decode(data, str(path), None, res.warnings)
    res.documents.append(_doc_from_text(text, name, meta, str(path)))


def _read_jsonl(path: Path, max_bytes: int, res: ReadResult) -> None:
    try:
        raw = path.read_bytes()
    except OSError as e:
        res.rejected.append(
            Rejected(str(path), None, f"cannot read ({e.strerror}); check the path and permissions")
        )
        return
    for n, line_bytes in enumerate(raw.split(b"\n"), start=1):
        if not line_bytes.strip():
            continue
        where = str(path)
        try:
            line = _decode(line_bytes, where, n, res.warnings)
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            res.rejected.append(
                Rejected(where, n, f"not valid JSON ({e.msg}); write one JSON object per line")
            )
            continue
        if not isinstance(obj, dict):
            res.rejected.append(
                Rejected(where, n, 'not a JSON object; write one {"text": …} object per line')
            )
            continue
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            res.rejected.append(Rejected(where, n, 'no "text" (a non-empty string) in this object; add it'))
            continue
        problem = _check_text(text.encode("utf-8"), max_bytes)
        if problem:
            res.rejected.append(Rejected(where, n, problem))
            continue
        date = obj.get("publication_date")
        if date not in (None, "") and (not isinstance(date, str) or not valid_date(date)):
            res.rejected.append(
                Rejected(where, n, f"bad publication_date {date!r}; use YYYY-MM-DD, YYYY-MM or YYYY")
            )
            continue
        meta = {
            k: str(obj[k])
            for k in ("url", "title", "publication_date", "source", "date_note")
            if obj.get(k) not in (None, "")
        }
        name = str(obj.get("file") or f"{path.name}#{n}")
        res.documents.append(_doc_from_text(text, name, meta, f"{path}#{n}"))


def _iter_folder(folder: Path) -> Iterator[Path]:
    for p in sorted(folder.iterdir()):
        if p.is_file() and p.suffix.lower() in (".txt", ".jsonl"):
            yield p


def read_inputs(paths: list[Path], *, max_bytes: int) -> ReadResult:
    """Documents from the given paths, with every rejected input and warning."""
    res = ReadResult([], [], [])
    for path in paths:
        path = Path(path)
        if not path.exists():
            res.rejected.append(Rejected(str(path), None, "no such file or directory; check the path"))
        elif path.is_dir():
            index = _read_index(path, res.rejected, res.warnings)
            listed = set()
            for p in _iter_folder(path):
                if p.suffix.lower() == ".jsonl":
                    if not index:  # beside an index.tsv, .jsonl files are annotations, not inputs
                        _read_jsonl(p, max_bytes, res)
                    continue
                meta = index.get(p.name)
                listed.add(p.name)
                _read_txt(
                    p,
                    p.name,
                    meta[0] if meta else None,
                    (str(path / "index.tsv"), meta[1]) if meta else None,
                    max_bytes,
                    res,
                )
            for name, (_rec, line) in sorted(index.items(), key=lambda kv: kv[1][1]):
                if name and name not in listed:
                    res.rejected.append(
                        Rejected(
                            str(path / "index.tsv"),
                            line,
                            f"lists {name!r}, which is not in the folder; fix the file name",
                        )
                    )
        elif path.suffix.lower() == ".jsonl":
            _read_jsonl(path, max_bytes, res)
        elif path.suffix.lower() == ".txt":
            index = _read_index(path.parent, [], res.warnings)
            meta = index.get(path.name)
            _read_txt(
                path,
                path.name,
                meta[0] if meta else None,
                (str(path.parent / "index.tsv"), meta[1]) if meta else None,
                max_bytes,
                res,
            )
        else:
            res.rejected.append(
                Rejected(
                    str(path), None, "not a .txt file, a .jsonl file or a folder; convert it to one of these"
                )
            )
    return res
