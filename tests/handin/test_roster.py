"""Does the roster map LMS people to course ids by LMS id, else by a forgiving name, and refuse bad rosters?"""

import pytest

from graders.handin import HandinError
from graders.handin.lms import LmsFile
from graders.handin.roster import no_roster_match, read_roster, safe_id, squash
from tests.handin.zips import write_roster

ROWS = [("s001", "Zoë", "Müller", "zm@uni.edu", "123456"), ("s002", "Ann", "Lee", "al@uni.edu", ""),
        ("s003", "Bo", "Ek", "be@uni.edu", "4021"), ("s004", "Kim", "Park", "k1@uni.edu", ""),
        ("s005", "Kim", "Park", "k2@uni.edu", "")]


def person(name, lms_id="", lms="moodle"):
    return LmsFile(lms, lms_id, name, "04_softmax.ipynb", "", False, 0)


@pytest.fixture
def roster(tmp_path):
    return read_roster(write_roster(tmp_path / "roster.csv", ROWS))


def test_lms_id_decides(roster):
    """Does a known LMS id pick its student whatever name the LMS shows?"""
    assert roster.match(person("Someone Else", "123456")).student == "s001"


@pytest.mark.parametrize("name", ["Zoë Müller", "zoe muller", "  ZOË   MÜLLER ", "Müller Zoë", "mullerzoe"])
def test_names_match_without_case_accents_spaces_or_order(roster, name):
    """Do 'First Last', 'Last First', extra spaces, no accents and Canvas's lastnamefirstname all find s001?"""
    m = roster.match(person(name, "999"))
    assert (m.student, m.how) == ("s001", "name")


def test_unknown_and_ambiguous_people_are_named(roster):
    """Is an unknown person reported as not in the roster, and a shared name as matching several ids?"""
    assert roster.match(person("Nobody Here", "77")).how == "unknown student Nobody Here (Moodle id 77): not in roster.csv"
    assert roster.match(person("Kim Park")).how == "Kim Park matches several students in roster.csv: s004, s005"


def test_a_canvas_id_contradicting_the_roster_is_refused(roster):
    """Does a Canvas user with s003's name but another user id stay unplaced (Canvas ids never change)?"""
    m = roster.match(person("ekbo", "5555", lms="canvas"))
    assert m.student == "" and "whose lms_id in roster.csv is 4021" in m.how


def test_without_roster_the_name_is_the_id():
    """Without a roster, does the LMS name become a safe folder name, and an unusable name a reason?"""
    assert no_roster_match(person("Zoë O'Brien-Smith")).student == "zoe_o_brien_smith"
    assert no_roster_match(person("../..")).how == "no usable student name in '../..': pass --roster"
    assert safe_id("日本") == "" and squash("Zoë  O'Brien") == "zoeobrien"


def test_nbgrader_roster_without_lms_id_column(tmp_path):
    """Is nbgrader's own roster (no lms_id column) usable, matching by name?"""
    r = read_roster(write_roster(tmp_path / "r.csv", [("s002", "Ann", "Lee", "a@b")], lms_id=False))
    assert r.match(person("Ann Lee", "1")).student == "s002"


@pytest.mark.parametrize("text, message", [
    ("first_name,last_name\nAnn,Lee\n", "has no 'id' column"),
    ("id,first_name,last_name\n../../x,Ann,Lee\n", r"line 2: student id '../../x' is not a safe folder name"),
    ("id,first_name,last_name,lms_id\ns1,A,B,7\ns2,C,D,7\n", "line 3: lms_id 7 is also student s1's"),
    (b"id,first\xff\n", "cannot read roster"),
])
def test_bad_rosters_are_errors_naming_the_problem(tmp_path, text, message):
    """Is a roster without ids, with an unsafe id, a shared lms_id or bad bytes a HandinError that says so?"""
    path = tmp_path / "roster.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(HandinError, match=message):
        read_roster(path)


def test_missing_roster(tmp_path):
    """Is a missing roster a HandinError naming the path?"""
    with pytest.raises(HandinError, match="no such roster"):
        read_roster(tmp_path / "nope.csv")
