"""Live mode (`python -m seeds_gen live`): the shop's events played against a database."""
