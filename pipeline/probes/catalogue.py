"""Imports every probe family so that each registers itself."""
