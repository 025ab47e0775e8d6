"""The rules that ship with lambdalint (registered under the ``lambdalint.rules`` entry point)."""

from . import (
    ll001_parse_error,
    ll002_handler_not_found,
    ll003_unused_suppression,
    ll101_client_in_handler,
    ll102_connection_in_handler,
    ll103_config_fetch_in_handler,
    ll110_snapstart_init_uniqueness,
    ll111_snapstart_stale_connection,
    ll201_pc_on_latest,
    ll204_pc_exceeds_reserved,
    ll210_snapstart_unsupported,
    ll211_snapstart_with_pc,
    ll212_snapstart_unpublished,
    ll302_default_memory,
    ll303_managed_runtime_low_memory,
    ll305_invalid_limits,
)

RULES = [
    ll001_parse_error.RULE,
    ll002_handler_not_found.RULE,
    ll003_unused_suppression.RULE,
    ll101_client_in_handler.RULE,
    ll102_connection_in_handler.RULE,
    ll103_config_fetch_in_handler.RULE,
    ll110_snapstart_init_uniqueness.RULE,
    ll111_snapstart_stale_connection.RULE,
    ll201_pc_on_latest.RULE,
    ll204_pc_exceeds_reserved.RULE,
    ll210_snapstart_unsupported.RULE,
    ll211_snapstart_with_pc.RULE,
    ll212_snapstart_unpublished.RULE,
    ll302_default_memory.RULE,
    ll303_managed_runtime_low_memory.RULE,
    ll305_invalid_limits.RULE,
]
