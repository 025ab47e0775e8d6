"""Bridges that let other tools run lambdalint's rules.

Nothing here is imported by lambdalint itself: each bridge is loaded by the tool it plugs into
and may import that tool (``lambdalint.integrations.cfnlint`` imports cfn-lint).
"""
