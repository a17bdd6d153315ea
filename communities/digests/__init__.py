"""Email digests (daily and weekly) and the escalation of unanswered questions.

Like an app of its own, this package uses the rest of `communities` only through
`communities.models`, `communities.hooks` and `communities.public`.
"""
