"""Does the wire format between grader and kernel carry data faithfully, and only data?"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from graders.engine.kernel import codec


def no_refs(obj, kind):
    return {"t": "obj", "type": type(obj).__name__}


def roundtrip(value, deref=lambda node: ("ref", node.get("type"))):
    return codec.decode(codec.encode(value, no_refs), deref)


@pytest.mark.parametrize("value", [
    None, True, 0, -7, 2**70, 1.5, float("inf"), -float("inf"), "text", "",
    [1, [2, (3, 4)]], (1,), {"a": 1, 2: "b", (1, 2): None}, {1, 2}, frozenset({"x"}),
    b"\x00bytes", 3 + 4j, slice(1, None, 2), range(2, 10, 3),
])
def test_plain_values_round_trip(value):
    """Do plain Python values come back equal and of the same type?"""
    back = roundtrip(value)
    assert back == value and type(back) is type(value)


def test_nan_round_trips():
    """Does a float nan survive (JSON has no nan)?"""
    assert math.isnan(roundtrip(float("nan")))


@pytest.mark.parametrize("array", [
    np.arange(12.0).reshape(3, 4), np.array([], dtype=np.float32), np.array(5), np.array([True, False]),
    np.array(["a", "bc"]), np.arange(6, dtype=np.int16)[::2], np.array([1 + 2j]),
    np.array(["2024-01-01"], dtype="datetime64[D]"), np.asfortranarray(np.ones((2, 3))),
])
def test_arrays_keep_shape_dtype_and_values(array):
    """Are arrays rebuilt with the same shape, dtype and values (views and orders included)?"""
    back = roundtrip(array)
    assert back.shape == array.shape and back.dtype == array.dtype
    np.testing.assert_array_equal(back, array)


def test_read_only_array_stays_read_only():
    """A read-only input must stay read-only on the other side (the mutation check relies on it)."""
    a = np.ones(3)
    a.flags.writeable = False
    assert not roundtrip(a).flags.writeable


def test_object_array_holds_values_not_pickles():
    """Is an object array carried element by element (and unknown objects as references)?"""
    a = np.array([1, "x", None, object()], dtype=object)
    back = roundtrip(a)
    assert back[:3].tolist() == [1, "x", None] and back[3] == ("ref", "object")


def test_numpy_scalars_keep_their_type():
    """Is np.float32(1.5) still a float32 (a dtype check could depend on it)?"""
    back = roundtrip(np.float32(1.5))
    assert type(back) is np.float32 and back == np.float32(1.5)


def test_generator_state_carries_on():
    """Does a random Generator arrive in the same state, so its next draws are the same?"""
    rng = np.random.default_rng(3)
    rng.random(5)
    back = roundtrip(rng)
    assert back.random() == rng.random()


def test_dataframe_round_trip_keeps_dtypes_index_and_missing_values():
    """Are frames rebuilt exactly: text with missing values, categories, ints, dates, a named index?"""
    df = pd.DataFrame({
        "team": pd.array(["A", None, "B"], dtype="str"),
        "runs": [1, 2, 3],
        "rate": [0.5, np.nan, 2.0],
        "kind": pd.Categorical(["x", "y", "x"], categories=["y", "x"], ordered=True),
        "when": pd.to_datetime(["2024-01-01", "2024-02-01", None]),
    }, index=pd.Index([10, 20, 30], name="id"))
    back = roundtrip(df)
    pd.testing.assert_frame_equal(back, df)


def test_series_and_multiindex_round_trip():
    s = pd.Series([1.0, 2.0], index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)], names=["k", "n"]), name="v")
    pd.testing.assert_series_equal(roundtrip(s), s)


def test_unknown_objects_become_references():
    """Does an object of a student's class cross as a reference, never as its state?"""
    class Sneaky:
        def __reduce__(self):
            raise AssertionError("pickling must never be attempted")

    assert roundtrip([Sneaky()]) == [("ref", "Sneaky")]


@pytest.mark.parametrize("data, problem", [
    (b"", "not a graders message"),
    (b"GRD1" + (10**6).to_bytes(8, "little") + b"{}", "truncated header"),
    (b"GRD1" + (2).to_bytes(8, "little") + b"{}", "bad header"),
])
def test_malformed_messages_raise_codec_error(data, problem):
    """Does garbage from a hostile kernel give a CodecError that names the problem?"""
    with pytest.raises(codec.CodecError, match=problem):
        codec.decode(data, lambda node: None)


def test_blob_index_out_of_range_is_rejected():
    good = codec.encode(np.ones(2), no_refs)
    bad = good.replace(b'"b": 0', b'"b": 7')
    with pytest.raises(codec.CodecError, match="blob index out of range"):
        codec.decode(bad, lambda node: None)


def test_pickled_array_blob_is_refused():
    """An .npy blob holding pickled objects must be refused, not unpickled."""
    import io

    buf = io.BytesIO()
    np.save(buf, np.array([object()], dtype=object), allow_pickle=True)
    blob = buf.getvalue()
    header = b'{"tree": {"t": "nd", "b": 0}, "n": [%d]}' % len(blob)
    data = b"GRD1" + len(header).to_bytes(8, "little") + header + blob
    with pytest.raises(codec.CodecError, match="bad array blob"):
        codec.decode(data, lambda node: None)


def test_deep_nesting_is_bounded():
    """Does a message nested thousands deep fail cleanly instead of exhausting the stack?"""
    value = []
    for _ in range(5000):
        value = [value]
    back = roundtrip(value)  # the encoder turns the part past its depth limit into a reference
    depth = 0
    while isinstance(back, list) and back:
        back, depth = back[0], depth + 1
    assert depth <= codec.MAX_DEPTH + 1


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(dtype=hnp.scalar_dtypes(), shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)))
def test_any_plain_array_round_trips(array):
    back = roundtrip(array)
    assert back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)


def test_frames_round_trip_and_bad_frames_end_the_stream():
    """The socket framing: whole messages back to back; an over-long length or a stream
    that ends mid-message reads as None, never as a partial message."""
    import socket
    import struct

    a, b = socket.socketpair()
    with a, b:
        payload = codec.encode({"op": "get", "name": "x" * 100_000}, lambda obj, kind: None)
        a.sendall(codec.frame(payload) + codec.frame(b"second"))
        assert codec.read_frame(b) == payload and codec.read_frame(b) == b"second"
        a.sendall(struct.pack("<Q", codec.MAX_BYTES + 1))
        assert codec.read_frame(b) is None
        a.sendall(struct.pack("<Q", 10) + b"short")
        a.shutdown(socket.SHUT_WR)
        assert codec.read_frame(b) is None


def test_printed_lines_read_back_and_a_cut_off_line_is_skipped():
    """The write-through file of a kernel that died mid-write: whole lines come back in
    order, the cut-off last one and lines of another shape are skipped."""
    lines = codec.printed_line("stdout", "héllo\n") + codec.printed_line("stderr", "\udcff odd\n")
    data = (lines + '["stdout", 3]\n' + '["stdin", "x"]\n' + codec.printed_line("stdout", "cut")[:9]).encode()
    assert codec.read_printed(data) == [("stdout", "héllo\n"), ("stderr", "\udcff odd\n")]
