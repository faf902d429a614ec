"""Qt item models over the contact book (paged, never holding all rows)."""
