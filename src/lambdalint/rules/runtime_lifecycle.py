"""When AWS deprecates each Lambda managed runtime, and when it blocks creating and then updating
functions on it: the data behind LL306, in one table.

Source: the AWS Lambda Developer Guide, "Lambda runtimes" (supported and deprecated runtime
tables) and "Runtime deprecation policy",
https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html; cross-checked against
cfn-lint's LmbdRuntimeLifecycle data (the same facts, used by its E2531/W2531).
Checked: 2026-08-19. AWS moves block dates (it extended many in 2025): update the table, its
CHECKED date and the tests together.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"
CHECKED = "2026-08-19"


@dataclass(frozen=True)
class RuntimeLifecycle:
    runtime: str
    deprecated: str  # ISO date: no more security patches or technical support
    create_blocked: str | None  # from this date Lambda refuses to create functions on it
    update_blocked: str | None  # ... and to update their code or configuration
    successor: str  # a supported runtime of the same language to move to


# runtime, deprecation, creation blocked, update blocked, successor
_TABLE = (
    ("nodejs", "2016-08-30", "2016-09-30", "2016-10-31", "nodejs24.x"),
    ("dotnetcore2.0", "2019-05-30", "2019-04-30", "2019-05-30", "dotnet10"),
    ("dotnetcore1.0", "2019-06-27", "2019-06-30", "2019-07-30", "dotnet10"),
    ("nodejs6.10", "2019-08-12", "2019-07-12", "2019-08-12", "nodejs24.x"),
    ("nodejs4.3", "2020-03-05", "2020-02-03", "2020-03-05", "nodejs24.x"),
    ("nodejs4.3-edge", "2020-03-05", "2019-03-31", "2019-04-30", "nodejs24.x"),
    ("nodejs8.10", "2020-03-06", "2020-02-04", "2020-03-06", "nodejs24.x"),
    ("python2.7", "2021-07-15", "2021-07-15", "2022-05-30", "python3.13"),
    ("nodejs10.x", "2021-07-30", "2021-07-30", "2022-02-14", "nodejs24.x"),
    ("ruby2.5", "2021-07-30", "2021-07-30", "2022-03-31", "ruby3.4"),
    ("dotnetcore2.1", "2022-01-05", "2022-01-05", "2022-04-13", "dotnet10"),
    ("python3.6", "2022-07-18", "2022-07-18", "2022-08-29", "python3.13"),
    ("nodejs12.x", "2023-03-31", "2023-03-31", "2023-04-30", "nodejs24.x"),
    ("dotnetcore3.1", "2023-04-03", "2023-04-03", "2023-05-03", "dotnet10"),
    ("nodejs14.x", "2023-12-04", "2024-01-09", "2027-03-03", "nodejs24.x"),
    ("python3.7", "2023-12-04", "2024-01-09", "2027-03-03", "python3.13"),
    ("ruby2.7", "2023-12-07", "2024-01-09", "2027-03-03", "ruby3.4"),
    ("go1.x", "2024-01-08", "2024-02-08", "2027-03-03", "provided.al2023"),
    ("java8", "2024-01-08", "2024-02-08", "2027-03-03", "java21"),
    ("provided", "2024-01-08", "2024-02-08", "2027-03-03", "provided.al2023"),
    ("nodejs16.x", "2024-06-12", "2027-02-01", "2027-03-03", "nodejs24.x"),
    ("python3.8", "2024-10-14", "2027-02-01", "2027-03-03", "python3.13"),
    ("dotnet6", "2024-12-20", "2027-02-01", "2027-03-03", "dotnet10"),
    ("nodejs18.x", "2025-09-01", "2027-02-01", "2027-03-03", "nodejs24.x"),
    ("python3.9", "2025-12-15", "2027-02-01", "2027-03-03", "python3.13"),
    ("ruby3.2", "2026-03-31", "2027-02-01", "2027-03-03", "ruby3.4"),
    ("nodejs20.x", "2026-04-30", "2027-02-01", "2027-03-03", "nodejs24.x"),
    ("provided.al2", "2026-07-31", "2027-02-01", "2027-03-03", "provided.al2023"),
    ("python3.10", "2026-10-31", "2027-02-01", "2027-03-03", "python3.13"),
    ("dotnet8", "2026-11-10", "2027-02-01", "2027-03-03", "dotnet10"),
    ("ruby3.3", "2027-03-31", "2027-04-30", "2027-05-31", "ruby3.4"),
    ("nodejs22.x", "2027-04-30", "2027-06-01", "2027-07-01", "nodejs24.x"),
    ("java8.al2", "2027-06-30", "2027-07-31", "2027-08-31", "java21"),
    ("java11", "2027-06-30", "2027-07-31", "2027-08-31", "java21"),
    ("java17", "2027-06-30", "2027-07-31", "2027-08-31", "java21"),
    ("python3.11", "2027-06-30", "2027-07-31", "2027-08-31", "python3.13"),
    ("ruby3.4", "2028-03-31", "2028-04-30", "2028-05-31", "ruby4.0"),
    ("nodejs24.x", "2028-04-30", "2028-06-01", "2028-07-01", "a newer nodejs runtime"),
    ("python3.12", "2028-10-31", "2028-11-30", "2029-01-10", "python3.13"),
    ("dotnet10", "2028-11-14", "2028-12-14", "2029-01-15", "a newer dotnet runtime"),
    ("java21", "2029-06-30", "2029-07-31", "2029-08-31", "java25"),
    ("python3.13", "2029-06-30", "2029-07-31", "2029-08-31", "python3.14"),
)

LIFECYCLE: dict[str, RuntimeLifecycle] = {row[0]: RuntimeLifecycle(*row) for row in _TABLE}


def supported_successor(runtime: str, today: str) -> str:
    """The runtime to move to: the table's successor, followed while it is deprecated too."""
    seen = {runtime}
    current = LIFECYCLE[runtime].successor
    while current in LIFECYCLE and LIFECYCLE[current].deprecated <= today and current not in seen:
        seen.add(current)
        current = LIFECYCLE[current].successor
    return current
