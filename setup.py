"""Packaging: everything under ddb_guard/, plus the top-level rules/ shipped as
``ddb_guard/rules`` (rule files only, not their test fixtures)."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["ddb_guard", "ddb_guard.*"]), "ddb_guard.rules"],
    package_dir={"ddb_guard.rules": "rules"},
    package_data={
        "ddb_guard": ["data/*.yaml", "engine/*.json", "terraform/registry/*.yaml"],
        # <ID>.yaml, ID = 3 to 5 capitals and 3 digits (DDB001, PARSE001); not fixtures
        "ddb_guard.rules": ["*/[A-Z]*[0-9][0-9][0-9].yaml"],
    },
    include_package_data=False,
)
