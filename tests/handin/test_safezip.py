"""Does reading a zip flag hostile entries, refuse bombs and corrupt files, and keep the LMS's dates?"""

import datetime as dt
import zipfile

import pytest

from graders.handin import HandinError
from graders.handin.safezip import open_zip, read_entry
from tests.handin.zips import Entry, notebook, write_zip

UTC = dt.timezone.utc


def entries(tmp_path, items, max_bytes=10**6):
    zf, found = open_zip(write_zip(tmp_path / "z.zip", items), max_bytes, UTC)
    zf.close()
    return {e.name: e for e in found}


@pytest.mark.parametrize("name, reason", [
    ("../../etc/04_softmax.ipynb", "'..' in the zip entry's name"),
    ("a/../../04_softmax.ipynb", "'..' in the zip entry's name"),
    ("..\\..\\04_softmax.ipynb", "'..' in the zip entry's name"),
    ("/tmp/04_softmax.ipynb", "absolute path as the zip entry's name"),
    ("C:/Users/04_softmax.ipynb", "absolute path as the zip entry's name"),
])
def test_path_tricks_are_flagged(tmp_path, name, reason):
    """Is an entry whose name climbs out or is absolute flagged with the reason the table shows?"""
    assert reason in [e.unsafe for e in entries(tmp_path, [Entry(name, notebook())]).values()][0]


def test_a_symlink_entry_is_flagged(tmp_path):
    """Is a symbolic-link entry (unix mode S_IFLNK) flagged, never treated as a file?"""
    e = entries(tmp_path, [Entry("Ann Lee_1_assignsubmission_file_/04_softmax.ipynb", b"/etc/passwd", symlink=True)])
    assert list(e.values())[0].unsafe == "symbolic link in the zip (never followed)"


def test_plain_entries_are_fine_and_keep_their_dates(tmp_path):
    """Is an ordinary entry unflagged, dated from the zip, and its OS-metadata neighbours recognised?"""
    e = entries(tmp_path, [Entry("a/04_softmax.ipynb", notebook(), (2026, 12, 4, 15, 23, 2)),
                           Entry("__MACOSX/a/._04_softmax.ipynb", b"x"), Entry("a/.DS_Store", b"x")])
    nb = e["a/04_softmax.ipynb"]
    assert (nb.unsafe, nb.metadata, nb.when) == ("", False, dt.datetime(2026, 12, 4, 15, 23, 2, tzinfo=UTC))
    assert e["__MACOSX/a/._04_softmax.ipynb"].metadata and e["a/.DS_Store"].metadata


def test_extended_timestamp_is_exact_utc(tmp_path):
    """When the zip carries the UTC extended-timestamp field, is it used instead of the DOS date?"""
    when = dt.datetime(2026, 12, 4, 9, 30, 7, tzinfo=UTC)
    e = entries(tmp_path, [Entry("x.ipynb", b"{}", (2026, 12, 4, 10, 30, 6), utc=int(when.timestamp()))])
    assert e["x.ipynb"].when == when


def test_a_zip_bomb_is_refused_before_reading(tmp_path):
    """Is a zip that would expand past the cap refused as a whole, with the sizes in the message?"""
    path = write_zip(tmp_path / "bomb.zip", [Entry(f"{i}.ipynb", b"\0" * 600_000) for i in range(4)])
    assert path.stat().st_size < 20_000
    with pytest.raises(HandinError, match=r"would expand to 2 MB, over the 1 MB cap \(a zip bomb\?"):
        open_zip(path, 10**6, UTC)


@pytest.mark.parametrize("content, message", [(None, "no such zip"), (b"PK\x03\x04 not really", "not a readable zip"),
                                              (b"", "not a readable zip")])
def test_missing_or_corrupt_zip(tmp_path, content, message):
    """Is a missing, truncated or empty file a HandinError naming the problem?"""
    path = tmp_path / "d.zip"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(HandinError, match=message):
        open_zip(path, 10**6, UTC)


def test_a_corrupt_entry_is_a_reason_not_a_crash(tmp_path):
    """Does an entry whose bytes were damaged raise ValueError with a reason (the rest stays readable)?"""
    path = write_zip(tmp_path / "z.zip", [Entry("a.ipynb", notebook("a") * 20), Entry("b.ipynb", notebook("b"))])
    raw = bytearray(path.read_bytes())
    raw[60:90] = b"\xff" * 30  # inside a.ipynb's compressed data
    path.write_bytes(bytes(raw))
    zf, found = open_zip(path, 10**6, UTC)
    with zf:
        with pytest.raises(ValueError, match="corrupt zip entry"):
            read_entry(zf, found[0])
        assert read_entry(zf, found[1]) == notebook("b")


def test_read_never_yields_more_than_declared(tmp_path):
    """Does reading an entry stop at its declared size (so the declared total is a real cap)?"""
    path = write_zip(tmp_path / "z.zip", [Entry("a.ipynb", b"x" * 1000)])
    zf = zipfile.ZipFile(path)
    info = zf.infolist()[0]
    info.file_size = 10  # a header that lies
    from graders.handin.safezip import ZipEntry
    with pytest.raises(ValueError):
        read_entry(zf, ZipEntry("a.ipynb", 10, None, "", info))
    zf.close()


def test_utf8_names_without_the_utf8_flag(tmp_path):
    """Is a UTF-8 name stored without the zip's UTF-8 flag (macOS Archive Utility) read as written, not as cp437?"""
    path = write_zip(tmp_path / "z.zip", [Entry("ZoXX M_1_assignsubmission_file_\\04_softmax.ipynb", notebook())])
    path.write_bytes(path.read_bytes().replace(b"ZoXX", "Zoë".encode()))
    zf, found = open_zip(path, 10**6, UTC)
    zf.close()
    assert found[0].name == "Zoë M_1_assignsubmission_file_/04_softmax.ipynb" and found[0].unsafe == ""
