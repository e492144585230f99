#!/usr/bin/env python3
"""Loads each NAME.yaml of a directory with three YAML readers and compares the result
with NAME.json, strictly (a bool is not a number, 1 is not "1"):

- PyYAML's SafeLoader (YAML 1.1), as most deploy tools read templates;
- ruamel.yaml's safe loader (YAML 1.2);
- cfn-lint's own template reader (cfnlint.decode.cfn_yaml).

Short-form intrinsics (`!Ref`, `!GetAtt A.B`, ...) become their long form. Prints one
line per difference and exits 1 if there is any.

    yaml_readers.py DIR
"""

import json
import sys
from pathlib import Path

import yaml
from ruamel.yaml import YAML
from cfnlint.decode import cfn_yaml

LONG = {"Ref": "Ref"}
for short in ["GetAtt", "Sub", "Join", "Select", "Cidr", "ImportValue", "GetAZs", "Split", "Base64"]:
    LONG[short] = "Fn::" + short


def intrinsic(tag, value):
    name = tag.lstrip("!")
    if name not in LONG:
        raise ValueError(f"unknown tag {tag}")
    if name == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {LONG[name]: value}


def pyyaml_load(text):
    class Loader(yaml.SafeLoader):
        pass

    def construct(loader, suffix, node):
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return intrinsic(suffix, value)

    Loader.add_multi_constructor("!", construct)
    return yaml.load(text, Loader=Loader)


def ruamel_load(text):
    reader = YAML(typ="safe", pure=True)

    def construct(constructor, suffix, node):
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

        if isinstance(node, ScalarNode):
            value = constructor.construct_scalar(node)
        elif isinstance(node, SequenceNode):
            value = constructor.construct_sequence(node, deep=True)
        else:
            value = constructor.construct_mapping(node, deep=True)
        return intrinsic(suffix, value)

    reader.constructor.add_multi_constructor("!", construct)
    return reader.load(text)


def plain(value):
    """cfn-lint's reader gives its own str/dict/list subclasses: plain Python."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def same(a, b, path="$"):
    if type(a) is not type(b):
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
            return None if a == b else f"{path}: {a!r} != {b!r}"
        return f"{path}: {type(a).__name__} {a!r} != {type(b).__name__} {b!r}"
    if isinstance(a, dict):
        if list(a.keys()) != list(b.keys()) and set(a.keys()) != set(b.keys()):
            return f"{path}: keys {sorted(map(repr, a))[:5]} != {sorted(map(repr, b))[:5]}"
        for k in a:
            d = same(a[k], b[k], f"{path}.{k!r}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            d = same(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def main():
    folder = Path(sys.argv[1])
    failures = 0
    count = 0
    for json_path in sorted(folder.glob("*.json")):
        expected = json.loads(json_path.read_text())
        text = json_path.with_suffix(".yaml").read_text()
        for reader, load in [
            ("PyYAML (YAML 1.1)", pyyaml_load),
            ("ruamel.yaml (YAML 1.2)", ruamel_load),
            ("cfn-lint", lambda t: plain(cfn_yaml.loads(t))),
        ]:
            try:
                got = load(text)
            except Exception as e:  # noqa: BLE001 - any failure to load is a finding
                print(f"{json_path.stem}: {reader} cannot load it: {type(e).__name__}: {e}")
                failures += 1
                continue
            difference = same(expected, got)
            if difference:
                print(f"{json_path.stem}: {reader} reads something else: {difference}")
                failures += 1
        count += 1
    print(f"{count} templates read by 3 YAML readers, {failures} differences")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
