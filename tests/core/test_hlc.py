"""The hybrid logical clock never goes backwards, whatever the wall clock does."""

from hypothesis import given
from hypothesis import strategies as st

from da8desktop.core.hlc import Hlc, pack, unpack

millis = st.integers(min_value=0, max_value=2**40)


@given(st.lists(st.one_of(st.tuples(st.just("tick"), millis),
                          st.tuples(st.just("recv"), millis, st.integers(0, 2**16 - 1))),
                max_size=60))
def test_clock_is_strictly_monotonic(events):
    clock = Hlc()
    for event in events:
        if event[0] == "tick":
            following = clock.tick(event[1])
        else:
            # An import keeps the newest clock it saw (core/sync/importer.py), and the next
            # local write ticks from there.
            remote = pack(event[1], event[2])
            following = Hlc(max(clock.value, remote)).tick(event[1])
            assert following.value > remote
        assert following.value > clock.value
        clock = following


def test_pack_round_trip():
    assert unpack(pack(1_700_000_000_000, 5)) == (1_700_000_000_000, 5)
