"""Pull partners' calendars (iCalendar, Atom/RSS, schema.org JSON-LD) into validated entries.

fetch.py gets the bytes (conditionally, within limits), ics.py / feeds.py / jsonld.py read
them into upstream items, and mapping.py turns items into entries with the source's settings,
checked like the editor's own. Nothing here touches the database.
"""
