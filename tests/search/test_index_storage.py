"""A compound Whoosh segment is read from its memory map in place (archive/search/whoosh/storage.py):
each gunicorn worker used to hold a private copy of the whole postings and terms files."""

from io import BytesIO

import pytest
from haystack import connections

from archive.search.whoosh.storage import MappedFile, MemoryReader


def test_the_memory_reader_reads_as_a_file_does():
    data = b"first line\nsecond line\n\x00\x01\x02 end"
    reader, copy = MemoryReader(memoryview(data)), BytesIO(data)
    for step in [("read", 5), ("readline",), ("tell",), ("seek", 3), ("read", -1), ("seek", -4, 2), ("read", 10)]:
        assert getattr(reader, step[0])(*step[1:]) == getattr(copy, step[0])(*step[1:]), step
    assert list(MemoryReader(memoryview(data))) == list(BytesIO(data))


@pytest.mark.django_db
def test_an_opened_index_reads_its_segment_without_copying_it(corpus):
    backend = connections["default"].get_backend()
    reader = backend.index.reader()
    segment = reader.segment()
    assert segment.is_compound()
    storage = segment.open_compound_file(backend.storage)
    name = next(name for name in storage.list() if name.endswith(".pst"))
    opened = storage.open_file(name)
    assert isinstance(opened, MappedFile) and isinstance(opened.file, MemoryReader)
    assert opened.get(0, 16) == bytes(opened.read(16))
