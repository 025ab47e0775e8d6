"""Monthly cost of provisioned concurrency that nothing scales down.

A fixed amount with no Application Auto Scaling target is billed every hour of the month:
amount x memory (GB) x seconds in the month x the region's price per GB-second for the
function's architecture. Works on the JSON ``functions`` records, so a merged report is priced
the same way as a single run. No figure when any input is unknown: a guessed cost is worse than
none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Pricing:
    region: str
    prices: dict  # architecture -> USD per GB-second
    hours_per_month: int
    as_of: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Estimate:
    function: str  # function address
    address: str  # the provisioned-concurrency configuration
    amount: int | None
    memory_mb: int | None
    architecture: str | None
    monthly_usd: float | None  # None: not estimated, see reason
    reason: str = ""


@lru_cache(maxsize=1)
def price_table() -> dict:
    return json.loads(resources.files("lambdalint.data").joinpath("lambda_pricing.json").read_text(encoding="utf-8"))


def regions() -> list[str]:
    return sorted(price_table()["provisioned_concurrency"])


def pricing(region: str | None = None) -> Pricing:
    table = price_table()
    region = region or table["default_region"]
    if region not in table["provisioned_concurrency"]:
        raise KeyError(region)
    return Pricing(region, dict(table["provisioned_concurrency"][region]), table["hours_per_month"], table["as_of"], tuple(table["sources"]))


def _known_int(setting: dict | None) -> int | None:
    if not setting or setting.get("state") == "unknown":
        return None
    value = setting.get("value")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _architecture(setting: dict | None) -> str | None:
    if not setting or setting.get("state") == "unknown":
        return None
    value = setting.get("value")
    if isinstance(value, list) and len(value) == 1 and value[0] in ("x86_64", "arm64"):
        return value[0]
    return None


def estimates(record: dict, price: Pricing) -> list[Estimate]:
    """One estimate per fixed provisioned-concurrency configuration of the function. Skipped
    entirely: configurations on $LATEST (Lambda rejects them, nothing is billed) and those an
    autoscaling target manages (the amount varies, so a 24x7 figure would be wrong)."""
    settings = record.get("settings") or {}
    memory = _known_int(settings.get("memory"))
    architecture = _architecture(settings.get("architectures"))
    out = []
    for pc in record.get("provisioned") or []:
        qualifier = pc.get("qualifier") or {}
        if qualifier.get("state") == "present" and qualifier.get("value") == "$LATEST":
            continue
        if pc.get("autoscaled"):
            continue
        amount = _known_int(pc.get("amount"))
        reason = ""
        if amount is None:
            reason = "the provisioned amount is not a literal"
        elif amount <= 0:
            continue
        elif memory is None:
            reason = "the memory size is not a literal"
        elif architecture is None:
            reason = "the architecture is not a literal"
        elif architecture not in price.prices:
            reason = f"no {architecture} price for {price.region} in the price table"
        monthly = None
        if not reason:
            monthly = amount * (memory / 1024) * price.hours_per_month * 3600 * price.prices[architecture]
        out.append(Estimate(record["address"], pc.get("address", ""), amount, memory, architecture, monthly, reason))
    return out


def format_usd(value: float) -> str:
    return f"${value:,.2f}"
