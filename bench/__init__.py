"""The portal's load benchmark (python manage.py bench_portal; README "Benchmarks").

Not imported by the portal itself: bench.settings and bench.urls serve the portal under
gunicorn with one extra, trivial view that is the baseline every page is compared with.
"""
