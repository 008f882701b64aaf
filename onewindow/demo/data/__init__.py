"""The demo county (云溪县) as plain Python data: regions, departments, halls, staff and service items.

Everything here is fictional but modelled on what county bureaus publish. To add an item, append a
dict to one of the `items_*.py` lists (see `helpers.py` for the shortcuts and the defaults that the
loader fills in).
"""
