"""The fields a file's column can be imported as, named as the mapping step shows them."""

from __future__ import annotations

from desktop.interop.presets import FIELDS

SKIP = ""  # the column is not imported

_TITLES = {
    "prefix": "Name prefix (Mr, Dr)",
    "given_name": "First name",
    "middle_name": "Middle name",
    "family_name": "Last name",
    "suffix": "Name suffix (Jr, PhD)",
    "display_name": "Full name",
    "nickname": "Nickname",
    "title": "Job title",
    "department": "Department",
    "company": "Company",
    "birthday": "Birthday",
    "background": "Background (notes)",
    "groups": "Groups (separated by ;)",
    "labels": "Groups (Google labels, separated by :::)",
    "owner": "Owner",
    "uid": "Callsheet id (UID)",
    "referred_by": "Referred by (UID)",
}
_KINDS = {
    "email": "Email",
    "phone": "Phone",
    "address": "Address",
    "url": "Web site",
    "profile": "Social profile",
    "custom": "Custom field",
}
_PARTS = {
    "value": "",
    "label": "label",
    "e164": "international form",
    "street": "street",
    "street2": "street, second line",
    "po_box": "PO box",
    "city": "city",
    "region": "state or region",
    "postal_code": "postal code",
    "country": "country",
}
_ADDRESS_PARTS = ("street", "street2", "city", "region", "postal_code", "country")


def target_title(target: str) -> str:
    """ "email#2.label" -> "Email 2 label", "phone:mobile" -> "Phone (mobile)"."""
    if target == SKIP:
        return "Don't import"
    if target in _TITLES:
        return _TITLES[target]
    if "#" in target:
        kind, _, rest = target.partition("#")
        number, _, part = rest.partition(".")
        return " ".join(filter(None, (_KINDS.get(kind, kind), number, _PARTS.get(part, part))))
    kind, _, label = target.partition(":")
    if kind == "address":
        return f"Work address, {_PARTS.get(label, label)}"
    return f"{_KINDS.get(kind, kind)} ({label})"


def choices(extra: tuple[str, ...] = ()) -> list[str]:
    """Every target the mapping step offers, in its order, with `extra` (targets a
    preset chose that the list lacks) added at the end."""
    offered = [SKIP, *FIELDS, "owner", "uid", "referred_by"]
    for number in (1, 2, 3):
        for kind in ("email", "phone", "url", "custom"):
            offered += [f"{kind}#{number}.value", f"{kind}#{number}.label"]
        offered.append(f"profile#{number}.value")
    for number in (1, 2):
        offered += [f"address#{number}.label"] + [
            f"address#{number}.{part}" for part in _ADDRESS_PARTS
        ]
    return offered + [target for target in extra if target not in offered]
