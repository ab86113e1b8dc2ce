"""Reading a zip downloaded from an LMS, which anyone in the class could have shaped.

Nothing is extracted to disk by entry name: an entry's name is only parsed (for the LMS's
student and file names), and its bytes are read into memory and written by the caller to a
path built from course ids. So ``../``, absolute names and symbolic links cannot write
anywhere; they are still flagged, so the table says why such an entry was not placed. A zip
whose entries would expand beyond a cap (a zip bomb) is refused before anything is read;
``zipfile`` never yields more than an entry's declared size, so the declared total is a true cap.
"""

from __future__ import annotations

import datetime as dt
import stat
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import HandinError

OS_METADATA = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass(frozen=True)
class ZipEntry:
    name: str
    """The entry's name as stored, ``/`` separated."""
    size: int
    """Uncompressed size declared by the zip."""
    when: dt.datetime | None
    """When the LMS stamped the file: the UTC time of the entry's extended-timestamp field, else its
    DOS date (local time of the server that wrote it, made aware in ``zone``)."""
    unsafe: str
    """Why the name or kind is hostile ('' when it is fine): the table's reason."""
    info: zipfile.ZipInfo

    @property
    def metadata(self) -> bool:
        """An operating system's leftovers (``__MACOSX/``, ``.DS_Store``), not a student's file."""
        return self.name.startswith(OS_METADATA[0]) or PurePosixPath(self.name).name in OS_METADATA[1:]


def entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as its writer meant it: zips without the UTF-8 flag (macOS Archive Utility,
    some LMS exports) often hold UTF-8 anyway, which zipfile decodes as cp437 ('ZoÃ«' for 'Zoë');
    backslash-separated Windows names get '/'."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name.replace("\\", "/")


def unsafe_reason(info: zipfile.ZipInfo) -> str:
    """Why writing this entry where its name says would be unsafe, or ''."""
    name = info.filename
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_ISLNK(mode):
        return "symbolic link in the zip (never followed)"
    if "\\" in name:
        name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "absolute path as the zip entry's name (would write outside the folder)"
    if ".." in name.split("/"):
        return "'..' in the zip entry's name (would write outside the folder)"
    if "\0" in name:
        return "NUL byte in the zip entry name"
    return ""


def utc_mtime(info: zipfile.ZipInfo) -> dt.datetime | None:
    """The extended-timestamp extra field (0x5455): the file's modification time in UTC."""
    extra = info.extra
    i = 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack("<HH", extra[i:i + 4])
        body = extra[i + 4:i + 4 + size]
        if tag == 0x5455 and len(body) >= 5 and body[0] & 1:
            return dt.datetime.fromtimestamp(struct.unpack("<i", body[1:5])[0], dt.timezone.utc)
        i += 4 + size
    return None


def entry_time(info: zipfile.ZipInfo, zone: dt.tzinfo) -> dt.datetime | None:
    exact = utc_mtime(info)
    if exact is not None:
        return exact
    try:
        return dt.datetime(*info.date_time, tzinfo=zone)
    except ValueError:
        return None


def open_zip(path: Path, max_bytes: int, zone: dt.tzinfo) -> tuple[zipfile.ZipFile, list[ZipEntry]]:
    """The open zip and its file entries (directories left out); HandinError when it cannot be used."""
    path = Path(path)
    if not path.is_file():
        raise HandinError(f"no such zip: {path}")
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise HandinError(f"{path} is not a readable zip file ({exc})") from None
    total = sum(i.file_size for i in infos)
    if total > max_bytes:
        zf.close()
        raise HandinError(f"{path} would expand to {total / 1e6:,.0f} MB, over the {max_bytes / 1e6:,.0f} MB cap "
                          f"(a zip bomb? raise the cap with --max-mb if it is genuine)")
    entries = [ZipEntry(entry_name(i), i.file_size, entry_time(i, zone), unsafe_reason(i), i)
               for i in infos if not i.is_dir()]
    return zf, entries


def read_entry(zf: zipfile.ZipFile, entry: ZipEntry) -> bytes:
    """The entry's bytes, at most its declared size; ValueError with the reason when they cannot be read."""
    try:
        with zf.open(entry.info) as fh:
            data = fh.read(entry.size + 1)
    except Exception as exc:  # noqa: BLE001 - zlib, bz2, lzma, CRC, encryption: every failure means a damaged entry
        raise ValueError(f"corrupt zip entry ({exc})") from None
    if len(data) > entry.size:
        raise ValueError("zip entry larger than it declares")
    return data
