"""The personal home: what a signed-in member finds at `/`.

A layer above core, circles, discussions and moderation: it only reads them (their selectors),
and other apps add panels through `hooks.HOME_PANELS`.
"""
