"""The jinja2 templates of prompts and reports, shipped in the wheel as ``pipeline.prompts``.

This folder holds no code: it is a package only so that ``importlib.resources`` and
jinja2's ``PackageLoader`` find the templates wherever readiness is installed.
"""
