"""Community health and lifecycle: daily snapshots, the stage engine, the help network and
the gardener's dashboard. `metrics`, `stages` and `network` are pure functions over plain
data (no Django), so every rule is tested without a database."""
