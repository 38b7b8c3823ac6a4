"""Review: stored stamp bytes crafted or damaged make the decoder say ValueError, nothing else,
and it reads no further than the bytes it is given."""

import random

import pytest

from da8desktop.core.db.stamp_codec import decode, encode

FIELDS = ["full_name", "sex", "birth_year"]
CRAFTED = [
    b"\x02", b"\x00", b"\x01\xff", b"\x01" + b"\xff" * 20 + b"\x01",  # varint beyond 70 bits
    b"\x01\x81\x80\x80\x80\x01",  # a million groups in six bytes
    b"\x01\x01\x00\x00\x00\x05\x01",  # five names, one byte left
    b"\x01\x01\x00\x00\x00\x01\x7f\x41",  # a 127-byte name in one byte
    b"\x01\x01\x00\x00\x00\x01\x02\xff\xfe",  # not UTF-8
    b"\x00\x01\x00\x00\x00trailing",
]


@pytest.mark.parametrize("data", CRAFTED)
def test_crafted_stamp_bytes_are_refused_as_damaged(data):
    with pytest.raises(ValueError):
        decode(data, FIELDS)


def test_random_and_mutated_stamp_bytes_never_raise_anything_else():
    rng = random.Random(23)
    good = encode({"full_name": [1, 2, 3], "sex": [1, 2, 3], "birth_year": [4, 5, 6]}, FIELDS)
    samples = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40)))
               for _ in range(3000)]
    for _ in range(3000):
        mutated = bytearray(good)
        mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        samples.append(bytes(mutated[:rng.randrange(1, len(mutated) + 1)]))
    for data in samples:
        try:
            decoded = decode(data, FIELDS)
        except ValueError:
            continue
        assert all(len(stamp) == 3 for stamp in decoded.values())
