"""Every write of peer review, one function per use case, split by part of the domain."""
