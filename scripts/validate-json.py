#!/usr/bin/env python3
"""Validate JSON documents against Driftwatch's schemas with the real `jsonschema` package (Draft 2020-12).

usage: validate-json.py SCHEMA_DIR SCHEMA_FILE DOCUMENT...

Schemas in SCHEMA_DIR may refer to each other by file name. Documents must be strict RFC 8259 JSON
(NaN / Infinity literals are refused). Prints one JSON line per document: {"file", "valid", "errors"};
exits 0 when every document is valid, 1 when one is not, 2 when the validator cannot run.
"""
import json
import pathlib
import sys

try:
    import jsonschema
    from referencing import Registry, Resource
except ImportError as error:  # the tests fail loudly: .ci/run installs jsonschema
    print(json.dumps({"error": f"python jsonschema is not installed: {error}"}))
    sys.exit(2)


def strict_constant(name):
    raise ValueError(f"{name} is not JSON")


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema_dir = pathlib.Path(sys.argv[1])
    resources = []
    for path in sorted(schema_dir.glob("*.schema.json")):
        contents = json.loads(path.read_text())
        jsonschema.Draft202012Validator.check_schema(contents)
        resource = Resource.from_contents(contents)
        resources.append((path.name, resource))
        resources.append((contents.get("$id", path.name), resource))
    registry = Registry().with_resources(resources)
    schema = json.loads((schema_dir / sys.argv[2]).read_text())
    validator = jsonschema.Draft202012Validator(
        schema, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    all_valid = True
    for name in sys.argv[3:]:
        try:
            document = json.loads(pathlib.Path(name).read_text(), parse_constant=strict_constant)
            errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
        except ValueError as error:
            errors = [f"not JSON: {error}"]
        except OSError as error:
            errors = [f"cannot read: {error}"]
        all_valid = all_valid and not errors
        print(json.dumps({"file": name, "valid": not errors, "errors": errors[:5]}))
    return 0 if all_valid else 1


if __name__ == "__main__":
    sys.exit(main())
