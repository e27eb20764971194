"""Accessibility policy and data (Qt-free): colour tokens, contrast maths, physical sizes, speech policy."""
