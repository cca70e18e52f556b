"""msref's tests (a package, so that `tests.conftest` is ours whatever else is installed)."""
