"""A SoundFont 2 bank cut down to the presets one render plays.

midirenderer parses the whole bank it is given on every call: FluidR3_GM is 148 MB, about 0.09 s
of CPU and 300 MB of fresh memory per call, six calls per jingle. A render uses four to six
presets. :func:`trim_bank` keeps every preset, instrument and sample header (the synthesiser
checks them all) but only the sample data of the samples those presets reach; every other
sample header points at a short block of silence. The presets that are played render
identically (the tests compare full and trimmed renders sample for sample).
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set as AbstractSet

import numpy as np

PERCUSSION_BANK = 128
_GEN_INSTRUMENT = 41  # sfGenOper numbers (SoundFont 2.01, section 8.1.2)
_GEN_SAMPLE_ID = 53
_SILENCE = 4096  # frames of silence at the start of the trimmed sample data
_UNUSED_AT = 2048  # where every unused sample header points (offsets either way stay inside)
_MARGIN = 1024  # frames kept either side of a used sample (its 46-frame tail, any offsets)

_PHDR = np.dtype([("name", "S20"), ("preset", "<u2"), ("bank", "<u2"), ("bag", "<u2"),
                  ("library", "<u4"), ("genre", "<u4"), ("morphology", "<u4")])
_BAG = np.dtype([("gen", "<u2"), ("mod", "<u2")])
_GEN = np.dtype([("oper", "<u2"), ("amount", "<u2")])
_INST = np.dtype([("name", "S20"), ("bag", "<u2")])
_SHDR = np.dtype([("name", "S20"), ("start", "<u4"), ("end", "<u4"), ("startloop", "<u4"),
                  ("endloop", "<u4"), ("rate", "<u4"), ("pitch", "u1"), ("correction", "i1"),
                  ("link", "<u2"), ("type", "<u2")])


class NotTrimmable(ValueError):
    """The bank has a layout this trimmer does not rewrite (the caller uses it whole)."""


def trim_bank(data: bytes, presets: AbstractSet[tuple[int, int]]) -> bytes:
    """``data`` (a SoundFont 2 bank) with sample data only for ``presets``, (bank, program)
    pairs, bank 128 being percussion. Raises :class:`NotTrimmable` when the bank lacks one of
    them or has a layout this does not rewrite: the caller then uses the bank whole."""
    if data[:4] != b"RIFF" or data[8:12] != b"sfbk":
        raise NotTrimmable("not a SoundFont 2 file")
    lists = {kind: (start, size) for kind, start, size in _lists(data)}
    if not {b"INFO", b"sdta", b"pdta"} <= lists.keys():
        raise NotTrimmable("a SoundFont 2 bank has INFO, sdta and pdta lists")
    sdta = {cid: (start, size) for cid, start, size in _chunks(data, *lists[b"sdta"])}
    if set(sdta) != {b"smpl"}:
        raise NotTrimmable("24-bit sample data (sm24) is not trimmed")
    pdta = [(cid, start, size) for cid, start, size in _chunks(data, *lists[b"pdta"])]
    table = {cid: data[start : start + size] for cid, start, size in pdta}
    samples = np.frombuffer(data, dtype="<i2", count=sdta[b"smpl"][1] // 2, offset=sdta[b"smpl"][0])
    used = _used_samples(table, presets)
    headers = np.frombuffer(table[b"shdr"], dtype=_SHDR).copy()
    kept = [np.zeros(_SILENCE, dtype="<i2")]
    position = _SILENCE
    for index in range(len(headers) - 1):  # the last header is the terminal EOS record
        header = headers[index]
        if index not in used:
            header["start"], header["end"] = _UNUSED_AT, _UNUSED_AT + 64
            header["startloop"], header["endloop"] = _UNUSED_AT + 8, _UNUSED_AT + 56
            continue
        low = max(0, int(header["start"]) - _MARGIN)
        high = min(len(samples), int(header["end"]) + _MARGIN)
        kept.append(samples[low:high])
        shift = position - low
        for field in ("start", "end", "startloop", "endloop"):
            header[field] = int(header[field]) + shift
        position += high - low
    table[b"shdr"] = headers.tobytes()
    sample_data = np.concatenate(kept).astype("<i2").tobytes()
    body = (
        b"sfbk"
        + _chunk(b"LIST", data[lists[b"INFO"][0] - 4 : lists[b"INFO"][0] + lists[b"INFO"][1]])
        + _chunk(b"LIST", b"sdta" + _chunk(b"smpl", sample_data))
        + _chunk(b"LIST", b"pdta" + b"".join(_chunk(cid, table[cid]) for cid, _, _ in pdta))
    )
    return _chunk(b"RIFF", body)


def _used_samples(table: dict[bytes, bytes], presets: AbstractSet[tuple[int, int]]) -> set[int]:
    try:
        phdr = np.frombuffer(table[b"phdr"], dtype=_PHDR)
        pbag = np.frombuffer(table[b"pbag"], dtype=_BAG)
        pgen = np.frombuffer(table[b"pgen"], dtype=_GEN)
        inst = np.frombuffer(table[b"inst"], dtype=_INST)
        ibag = np.frombuffer(table[b"ibag"], dtype=_BAG)
        igen = np.frombuffer(table[b"igen"], dtype=_GEN)
        shdr = np.frombuffer(table[b"shdr"], dtype=_SHDR)
    except (KeyError, ValueError) as exc:
        raise NotTrimmable(f"unreadable preset data: {exc}") from exc
    present = {(int(p["bank"]), int(p["preset"])): i for i, p in enumerate(phdr[:-1])}
    instruments: set[int] = set()
    for wanted in presets:
        index = _preset_index(present, wanted)
        for bag in range(int(phdr[index]["bag"]), int(phdr[index + 1]["bag"])):
            for gen in pgen[int(pbag[bag]["gen"]) : int(pbag[bag + 1]["gen"])]:
                if gen["oper"] == _GEN_INSTRUMENT:
                    instruments.add(int(gen["amount"]))
    used: set[int] = set()
    for number in instruments:
        if number + 1 >= len(inst):
            raise NotTrimmable("a preset names a missing instrument")
        for bag in range(int(inst[number]["bag"]), int(inst[number + 1]["bag"])):
            for gen in igen[int(ibag[bag]["gen"]) : int(ibag[bag + 1]["gen"])]:
                if gen["oper"] == _GEN_SAMPLE_ID:
                    used.add(int(gen["amount"]))
    for sample in list(used):  # the other half of a stereo pair
        if sample + 1 < len(shdr) and shdr[sample]["type"] & 0x6 and shdr[sample]["link"] + 1 < len(shdr):
            used.add(int(shdr[sample]["link"]))
    return used


def _preset_index(present: dict[tuple[int, int], int], wanted: tuple[int, int]) -> int:
    """The preset header of ``wanted``; a bank without it is used whole (which preset a
    synthesiser falls back to is its own business)."""
    if wanted not in present:
        raise NotTrimmable(f"the bank has no preset {wanted[0]}:{wanted[1]}")
    return present[wanted]


def _lists(data: bytes) -> Iterator[tuple[bytes, int, int]]:
    """(list type, start of its sub-chunks, their size) for each LIST in the RIFF body."""
    end = min(len(data), 8 + int.from_bytes(data[4:8], "little"))
    for cid, start, size in _chunks(data, 12, end - 12):
        if cid == b"LIST":
            yield data[start : start + 4], start + 4, size - 4


def _chunks(data: bytes, start: int, size: int) -> Iterator[tuple[bytes, int, int]]:
    position, end = start, min(len(data), start + size)
    while position + 8 <= end:
        length = int.from_bytes(data[position + 4 : position + 8], "little")
        yield data[position : position + 4], position + 8, length
        position += 8 + length + (length & 1)


def _chunk(cid: bytes, payload: bytes) -> bytes:
    return cid + len(payload).to_bytes(4, "little") + payload + (b"\0" if len(payload) & 1 else b"")
