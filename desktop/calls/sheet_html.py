"""The call sheet as the HTML a QTextBrowser shows: every fetched or typed text escaped,
links to profiles and posts, and `callsheet:` links for the sheet's own actions."""

from __future__ import annotations

from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

from desktop.calls.brief import age
from desktop.calls.sheet import CallSheet
from desktop.social.profiles import LINK_ONLY, NETWORK_TITLES
from desktop.wording import titled

MUTED = "#546e7a"
GOOD = "#2e7d32"
WARN = "#b26a00"
BAD = "#c62828"


def render_html(sheet: CallSheet, zone: str) -> str:
    here = ZoneInfo(zone)
    parts = [_local_time(sheet)]
    if sheet.follow_ups:
        rows = []
        for row in sheet.follow_ups:
            color = BAD if row.overdue else "inherit"
            when = row.due.astimezone(here).strftime("%a %d %b %H:%M")
            rows.append(
                f'<li><span style="color:{color}">{escape(when)}</span> · '
                f"<b>{escape(titled(row.kind, row.regarding))}</b></li>"
            )
        parts.append(_section("Open follow-ups and promises", "<ul>" + "".join(rows) + "</ul>"))
    else:
        parts.append(_section("Open follow-ups", f'<p style="color:{WARN}">No next step.</p>'))
    if sheet.talking_points:
        items = "".join(f"<li>{_text(note.body)}</li>" for note in sheet.talking_points)
        parts.append(_section("Talking points", f"<ul>{items}</ul>"))
    if sheet.history:
        items = "".join(
            f"<li>{escape(row.occurred_at.astimezone(here).strftime('%a %d %b %Y'))} · "
            f"{escape(row.kind)}, {escape(row.outcome)}"
            + (f": {escape(row.regarding)}" if row.regarding else "")
            + (f'<br><span style="color:{MUTED}">{_text(row.notes)}</span>' if row.notes else "")
            + "</li>"
            for row in sheet.history
        )
        parts.append(_section("Last interactions", f"<ul>{items}</ul>"))
    else:
        parts.append(_section("Last interactions", f'<p style="color:{MUTED}">None yet.</p>'))
    people = []
    if sheet.referred_by:
        people.append(f"Referred by {escape(sheet.referred_by[1])}")
    if sheet.colleagues:
        people.append(
            "Also at the company: " + ", ".join(escape(r.display_name) for r in sheet.colleagues)
        )
    if people:
        parts.append(_section("People", "<br>".join(people)))
    parts.append(_section("Profiles", _profiles(sheet)))
    return "<html><body>" + "".join(parts) + "</body></html>"


def _local_time(sheet: CallSheet) -> str:
    local = sheet.local
    if local is None:
        return f'<p style="color:{MUTED}">Local time unknown (no phone number or country).</p>'
    advice = local.call_advice()
    color = GOOD if advice == "a good time to call" else WARN
    return (
        f'<p style="font-size:12pt"><b>{local.now:%H:%M}</b> in {escape(local.place)}, '
        f'<span style="color:{color}">{escape(advice)}</span></p>'
    )


def _profiles(sheet: CallSheet) -> str:
    profiles = sheet.live_profiles
    if not profiles:
        return (
            f'<p style="color:{MUTED}">No profiles on this contact. '
            '<a href="callsheet:add-profile">Add one</a> (paste a link or handle).</p>'
        )
    blocks = []
    for profile in profiles:
        title = NETWORK_TITLES.get(profile.network, profile.network.capitalize())
        link = profile.url if profile.url.startswith(("https://", "http://")) else ""
        head = f'<b>{escape(title)}</b> <a href="{escape(link)}">{escape(profile.handle)}</a>'
        remove = f' · <a href="callsheet:remove-profile/{profile.id}">remove</a>'
        lines = []
        if profile.network in LINK_ONLY:
            status = f"link only: {escape(title)} profiles are not public"
        elif profile.gone_at is not None:
            status = (
                f'<span style="color:{BAD}">no longer exists '
                f"(checked {age(profile.gone_at, sheet.built_at)})</span>"
            )
        elif profile.fetched_at is None:
            status = "not fetched yet"
        else:
            status = f"fetched {age(profile.fetched_at, sheet.built_at)}"
        if profile.last_error and profile.gone_at is None:
            failure = escape(profile.last_error)
            status += f'; <span style="color:{BAD}">last refresh failed: {failure}</span>'
        if profile.avatar_path and Path(profile.avatar_path).exists():
            uri = Path(profile.avatar_path).as_uri()
            lines.append(f'<img src="{escape(uri)}" width="40" height="40">')
        if profile.display_name:
            lines.append(f"<b>{escape(profile.display_name)}</b>")
        if profile.headline:
            lines.append(_text(profile.headline))
        details = [
            f"{escape(k.replace('_', ' '))}: {escape(v)}" for k, v in profile.details.items()
        ]
        if details:
            lines.append(f'<span style="color:{MUTED}">' + " · ".join(details) + "</span>")
        if profile.counts:
            lines.append(
                f'<span style="color:{MUTED}">'
                + " · ".join(f"{v:,} {escape(k)}" for k, v in profile.counts.items())
                + "</span>"
            )
        for post in profile.recent_posts[:3]:
            posted = escape(str(post.get("posted_at", ""))[:10])
            url = str(post.get("url", ""))
            text = _text(str(post.get("text", "")))
            when = f'<a href="{escape(url)}">{posted}</a>' if url.startswith("https://") else posted
            lines.append(f"{when} · {text}")
        blocks.append(
            f"<p>{head}{remove}<br>"
            f'<span style="color:{MUTED}">{status}</span>'
            + "".join(f"<br>{line}" for line in lines)
            + "</p>"
        )
    return "".join(blocks)


def _section(title: str, body: str) -> str:
    return f'<h3 style="margin-bottom:2px">{escape(title)}</h3>{body}'


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br>")
