"""The block-sorted position sequence behind paging and filter indexes, against a plain sorted
list, with tiny blocks so splits, emptied blocks and the prefix cache are all exercised."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort

from hypothesis import given, settings
from hypothesis import strategies as st

from twilio_mock.core.positions import Positions

ops = st.lists(
    st.tuples(st.sampled_from(["append", "insert", "remove", "probe"]), st.integers(0, 200)), max_size=120
)


@settings(deadline=None)
@given(ops=ops, load=st.integers(1, 5))
def test_positions_behave_like_a_sorted_list(ops: list[tuple[str, int]], load: int) -> None:
    seq = Positions(valued=True, load=load)
    model: list[int] = []
    for op, x in ops:
        if op == "append":
            x = (model[-1] + 1 + x) if model else x
            seq.append(x, x / 2)
            model.append(x)
        elif op == "insert" and x not in model:
            assert seq.insert(x, x / 2) == bisect_left(model, x)
            insort(model, x)
        elif op == "remove":
            expected = model.index(x) if x in model else None
            assert seq.remove(x) == expected
            if expected is not None:
                model.remove(x)
        assert len(seq) == len(model)
        assert seq.bisect_left(x) == bisect_left(model, x)
        assert seq.bisect_value(x / 2) == bisect_left(model, x)
        assert seq.bisect_value(x / 2, right=True) == bisect_right(model, x)
        assert [seq[i] for i in range(len(seq))] == model
        assert [seq.value(i) for i in range(len(seq))] == [m / 2 for m in model]
        if model:
            assert seq[-1] == model[-1]


def test_positions_from_a_range_split_into_blocks() -> None:
    seq = Positions(range(10), load=3)
    assert [seq[i] for i in range(10)] == list(range(10))
    assert seq.remove(4) == 4 and seq.bisect_left(5) == 4 and len(seq) == 9
