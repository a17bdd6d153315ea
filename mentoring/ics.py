"""The next planned session of a pair as an iCalendar file."""

import datetime as dt

from icalendar import Calendar, Event


def next_session_ics(pairing) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Trellis//Mentoring//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"mentoring-{pairing.pk}-{pairing.next_session_at:%Y%m%dT%H%M}@trellis")
    event.add(
        "summary",
        f"Mentoring: {pairing.mentor.user.public_name} and {pairing.mentee.user.public_name}",
    )
    event.add("dtstart", pairing.next_session_at)
    event.add("dtend", pairing.next_session_at + dt.timedelta(minutes=pairing.next_session_minutes))
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    calendar.add_component(event)
    return calendar.to_ical()
