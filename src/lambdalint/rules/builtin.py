"""The rules that ship with lambdalint (registered under the ``lambdalint.rules`` entry point)."""

from . import ll001_parse_error, ll002_handler_not_found, ll101_client_in_handler, ll201_pc_on_latest, ll302_default_memory

RULES = [
    ll001_parse_error.RULE,
    ll002_handler_not_found.RULE,
    ll101_client_in_handler.RULE,
    ll201_pc_on_latest.RULE,
    ll302_default_memory.RULE,
]
