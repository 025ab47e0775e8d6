"""Format-neutral linkers: read the records every format's readers produce and fill the model
(callers, scaling, alarms, security, databases, code). Nothing here reads a template or HCL."""
