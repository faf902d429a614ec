"""The call sheet as plain text, for `callsheet brief`."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from desktop.calls.sheet import CallSheet
from desktop.social.profiles import LINK_ONLY, NETWORK_TITLES
from desktop.social.snapshot import shown
from desktop.wording import titled


def age(then: datetime, now: datetime) -> str:
    """ "today", "yesterday", "3 days ago", "5 weeks ago"."""
    days = (now - then).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    return f"{days // 7} weeks ago"


def render_text(sheet: CallSheet, zone: str) -> str:
    """The sheet in the order a rep reads it before dialing."""
    here = ZoneInfo(zone)
    c = sheet.contact
    lines = [c.display_name]
    role = " · ".join(part for part in (c.title, c.company) if part)
    if role:
        lines.append(role)
    if sheet.local is not None:
        lines.append(
            f"Local time: {sheet.local.now:%H:%M} in {sheet.local.place} "
            f"({sheet.local.call_advice()})"
        )
    for phone in c.phones:
        lines.append(f"Phone ({phone.label}): {phone.number}")
    for email in c.emails:
        lines.append(f"Email ({email.label}): {email.address}")
    if sheet.referred_by:
        lines.append(f"Referred by: {sheet.referred_by[1]}")
    if sheet.colleagues:
        lines.append("Also at the company: " + ", ".join(r.display_name for r in sheet.colleagues))
    lines += _section(
        "Open follow-ups",
        [
            f"{row.due.astimezone(here):%a %d %b %H:%M}  {titled(row.kind, row.regarding)}"
            + ("  (overdue)" if row.overdue else "")
            for row in sheet.follow_ups
        ],
    )
    lines += _section("Talking points", [note.body for note in sheet.talking_points])
    lines += _section(
        "Last interactions",
        [
            f"{row.occurred_at.astimezone(here):%a %d %b %Y}  {row.kind}, {row.outcome}"
            + (f": {row.regarding}" if row.regarding else "")
            + (f"\n    {row.notes}" if row.notes else "")
            for row in sheet.history
        ],
    )
    profile_lines = []
    for profile in sheet.live_profiles:
        title = NETWORK_TITLES.get(profile.network, profile.network.capitalize())
        head = f"{title}: {profile.url}"
        if profile.network in LINK_ONLY:
            profile_lines.append(f"{head} (link only: not public)")
            continue
        if profile.gone_at is not None:
            profile_lines.append(f"{head} (no longer exists)")
            continue
        if profile.fetched_at is None:
            profile_lines.append(f"{head} (not fetched yet)")
            continue
        profile_lines.append(f"{head} (fetched {age(profile.fetched_at, sheet.built_at)})")
        if profile.headline:
            profile_lines.append("    " + profile.headline.replace("\n", "\n    "))
        for key, value in profile.details.items():
            profile_lines.append(f"    {key.replace('_', ' ')}: {value}")
        for post in profile.recent_posts[:3]:
            profile_lines.append(f"    {post.get('posted_at', '')[:10]}  {post.get('text', '')}")
        if profile.last_error:
            profile_lines.append(f"    last refresh failed: {profile.last_error}")
    lines += _section("Profiles", profile_lines)
    return shown("\n".join(lines)) + "\n"  # nothing stored may drive the terminal


def _section(title: str, items: list[str]) -> list[str]:
    return ["", f"{title}:", *(f"  {item}" for item in items)] if items else []
