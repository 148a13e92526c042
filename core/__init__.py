"""The portal's pure core: the national format, figure sets, parsing and checks.

Nothing here imports Django; the Django apps depend on this package, never the reverse.
"""
