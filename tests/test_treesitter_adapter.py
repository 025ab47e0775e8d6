"""The tree-sitter adapter: every grammar loads, queries compile once, syntax problems are located."""

from __future__ import annotations

import pytest

from lambdalint.documents import treesitter


@pytest.mark.parametrize("name", sorted(treesitter.LANGUAGES))
def test_every_grammar_parses(name):
    source = {
        "hcl": b'resource "aws_lambda_function" "f" {\n  memory_size = 512\n}\n',
        "javascript": b"exports.handler = async (event) => ({ ok: true });\n",
        "typescript": b"export const handler = async (event: unknown): Promise<void> => {};\n",
        "tsx": b"export const handler = async () => <div/>;\n",
        "java": b"class H { public String handleRequest(Object e, Object c) { return null; } }\n",
    }[name]
    tree = treesitter.parse(name, source)
    assert not tree.root_node.has_error
    assert treesitter.syntax_problems(tree, source) == []


def test_queries_are_compiled_once():
    first = treesitter.query("hcl", "(attribute (identifier) @name)")
    assert treesitter.query("hcl", "(attribute (identifier) @name)") is first


def test_captures_and_matches_in_document_order():
    source = b'a = 1\nb = "x"\nblock "l" {\n  c = true\n}\n'
    tree = treesitter.parse("hcl", source)
    compiled = treesitter.query("hcl", "(attribute (identifier) @name)")
    names = [treesitter.node_text(node, source) for _, node in treesitter.captures(compiled, tree.root_node)]
    assert names == ["a", "b", "c"]
    found = treesitter.matches(compiled, tree.root_node)
    assert [treesitter.node_text(m["name"][0], source) for m in found] == ["a", "b", "c"]


def test_syntax_problem_has_line_and_character_column():
    source = 'x = "é"\nresource "a" "b" {\n  y = = 2\n}\n'.encode()
    tree = treesitter.parse("hcl", source)
    problems = treesitter.syntax_problems(tree, source)
    assert problems and problems[0].line == 3
    assert problems[0].column >= 3
