"""si.annotate gives the recorded output on real messages (see tests/annotate_reference.py)."""

import pytest

import annotate_reference as ref


def test_committed_messages_annotate_as_recorded():
    diff = ref.differences("committed")
    assert not diff, f"{len(diff)} values moved; first: " + "; ".join(diff[:10])


@pytest.mark.skipif(not ref.SHARED.exists(), reason="needs ../shared/data")
def test_shared_messages_annotate_as_recorded():
    diff = ref.differences("shared")
    assert not diff, f"{len(diff)} values moved; first: " + "; ".join(diff[:10])
