"""The list's first page read by sqlite3 alone (the window paints it before SQLAlchemy
loads) is the page the contact book lists, in both name orders and both directions."""

from __future__ import annotations

import sqlite3

from db.first_page import read_first_page
from db.list_query import ListQuery, SortColumn
from desktop.contact_book import ContactBook
from tests.factories import add_contact

READ_THIS_WAY = [
    ListQuery(),
    ListQuery(descending=True),
    ListQuery(SortColumn.FILE_AS),
    ListQuery(SortColumn.FILE_AS, descending=True),
]


def test_the_first_page_is_the_page_the_book_lists(book: ContactBook) -> None:
    book.seed(260, seed=7)
    for _ in range(3):  # namesakes: their order is the order they were added
        add_contact(book, "Maya", "Lund", emails=("maya@fjord.no", "m.lund@havila.no"))
    gone = add_contact(book, "Aaron", "Aalto", phones=("+47 55 12 34 56",))
    book.trash([gone])
    with sqlite3.connect(book.path) as conn:
        for query in READ_THIS_WAY:
            first = read_first_page(conn, query, 200, book.clock)
            assert first is not None
            listed = book.page(query, 0, 200)
            assert list(first.first_rows) == listed
            assert first.count(query) == book.count(query) == 263
            assert first.page(query, 0, 200) == listed
            assert first.page(query, 200, 200) is None  # not read: asked again of the book
            assert first.page(ListQuery(SortColumn.CITY), 0, 200) is None


def test_other_lists_are_not_read_this_way(book: ContactBook) -> None:
    group = book.create_group("Prospects")
    add_contact(book, "Maya", "Lund", group_ids=(group,))
    with sqlite3.connect(book.path) as conn:
        for query in (ListQuery(SortColumn.CITY), ListQuery(group_id=group)):
            assert read_first_page(conn, query, 200, book.clock) is None
