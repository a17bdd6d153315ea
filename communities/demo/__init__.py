"""The demo data of `manage.py seed_demo`: `seed.py` builds people, communities and
circles, `discussions.py` their conversations."""
