"""Small corpora the tests write themselves, in the layouts the real corpora use."""

import io
import tarfile
from pathlib import Path

import openpyxl


def ungdc_folder(root, files):
    """files: {"CHN_75_2020.txt": str or bytes} -> root/TXT/Session 75 - 2020/CHN_75_2020.txt"""
    for name, content in files.items():
        _iso, session, year = Path(name).stem.split("_")
        folder = Path(root) / "TXT" / f"Session {int(session):02d} - {year}"
        folder.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return Path(root)


def ungdc_tgz(path, files):
    """The same layout packed as the .tgz researchers download."""
    with tarfile.open(path, "w:gz") as archive:
        for name, content in files.items():
            _iso, session, year = Path(name).stem.split("_")
            data = content.encode("utf-8") if isinstance(content, str) else content
            info = tarfile.TarInfo(f"TXT/Session {int(session):02d} - {year}/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return Path(path)


def speakers_xlsx(path, rows):
    """rows: [(year, session, iso, country, name, post)] under the real file's header."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Year", "Session", "ISO Code", "Country", "Name of Person Speaking", "Post", None])
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return Path(path)


def unsc_folder(root, files, encoding="utf-8"):
    """files: {"UNSC_2020_SPV.8700_spch001.txt": str or bytes}"""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content.encode(encoding) if isinstance(content, str) else content
        (root / name).write_bytes(data)
    return root
